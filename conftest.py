"""pytest setup shared by the unit tests and the notebooks run under nbval."""

import os

# Kernels started by nbval inherit this environment: keep TensorFlow's C++ logging quiet.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def pytest_collectstart(collector):
    # TensorFlow writes log lines to stderr that reach a notebook saved from Jupyter but not one run
    # under nbval; comparing stderr would fail on noise, so only stdout and rich outputs are compared.
    if hasattr(collector, "skip_compare"):
        collector.skip_compare += ("stderr",)
