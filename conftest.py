"""pytest setup shared by the unit tests and the notebooks run under nbval."""

import os
from pathlib import Path

import pytest

# The graded course (every chapter through nbgrader, executed once: the ``graded_course`` fixture),
# ``--shared-execution`` (nbval's output check on that execution, used by `make test`), and uv's platform
# resolutions, started in the background when collection ends (tests/test_platforms.py awaits them).
pytest_plugins = ["tests.nbgrader_course", "tests.shared_execution", "tests.platform_resolution"]

# Kernels started by nbval inherit this environment: keep TensorFlow's C++ logging quiet.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

#: nbval's settings for the course (`make test` passes the same ones on its command line).
SANITIZE_FILE = Path(__file__).resolve().parent / "tests" / "sanitize.cfg"
CELL_TIMEOUT_S = 900
NBVAL_DEFAULT_CELL_TIMEOUT_S = 2000


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    # `pytest notebooks/NN.ipynb` keeps meaning "check it under nbval" (the README and some tests use it), but
    # only when no other notebook runner was asked for: `pytest --nbmake notebooks/` runs nbmake alone.
    options = config.option
    if not hasattr(options, "nbval"):  # nbval is not installed, or switched off with -p no:nbval
        return
    if getattr(options, "shared_execution", False):  # nbval compares, the grading tests' execution is the run
        options.nbval = options.nbval_lax = False
    elif not getattr(options, "nbmake", False) and not options.nbval_lax:
        options.nbval = True
    if not (options.nbval or options.nbval_lax or getattr(options, "shared_execution", False)):
        return
    if not options.nbval_kernel_name:
        options.nbval_current_env = True  # the kernel of this environment, not the one named in the notebook
    if not options.nbval_sanitize_with:
        options.nbval_sanitize_with = str(SANITIZE_FILE)
    if options.nbval_cell_timeout == NBVAL_DEFAULT_CELL_TIMEOUT_S:
        options.nbval_cell_timeout = CELL_TIMEOUT_S


def pytest_collectstart(collector):
    # TensorFlow writes log lines to stderr that reach a notebook saved from Jupyter but not one run
    # under nbval; comparing stderr would fail on noise, so only stdout and rich outputs are compared.
    if hasattr(collector, "skip_compare"):
        collector.skip_compare += ("stderr",)
