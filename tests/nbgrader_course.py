"""The graded course: every chapter through nbgrader, executed once and shared by the grading and learner tests.

``graded_course`` builds a temporary nbgrader course from the instructor notebooks with the configuration an
instructor uses (docs/nbgrader_config.py), runs ``nbgrader generate_assignment`` on every chapter, and makes two
submissions per chapter: ``blank`` (the released notebook as a learner receives it) and ``solved`` (the released
notebook with the instructor's solutions filled in). Executing every notebook is what costs time, so each
chapter runs ONCE (two chapters at a time, each in its own kernel): the blank submission top to bottom, exactly
as a learner runs it, then only the solved submission's cells from the first one that differs (the exercises) in
the same kernel. nbgrader's
``autograde`` then grades both executed submissions with its own execution step switched off (everything else -
restoring the locked test cells, scoring, the gradebook - is nbgrader's), and nbgrader's ``Validator`` checks
them the same way. tests/test_nbgrader.py and tests/test_student_edition.py read the results, and `make test`
checks every cell's output of the same run against the committed notebook (tests/shared_execution.py).

Each chapter runs with an empty artifacts folder of its own (``COURSE_ARTIFACTS_DIR``), as if it were the first
one a learner opened: chapter 6 then trains stand-ins for the models of chapters 4 and 5, which is the case a
learner who skipped them, or an autograde of chapter 6 alone, meets. (The committed chapter 6 and `make reference`
run it with the real models.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTRUCTOR_NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NBGRADER_CONFIG = ROOT / "docs" / "nbgrader_config.py"
STUDENTS = ("blank", "solved")
#: Kernels executing chapters at the same time (the CI machine has two cores).
PARALLEL_KERNELS = 2

# Appended to the instructor's configuration in the test course only: the test executes the submissions itself
# (see the module docstring), so autograde must neither clear their outputs nor execute them again.
TEST_ONLY_CONFIG = """
# --- test only: the submissions arrive executed (tests/nbgrader_course.py) ---
from nbgrader.converters import Autograde
from nbgrader.preprocessors import ClearOutput, Execute

def _without(name, *removed):
    return [p for p in Autograde.class_traits()[name].default() if p not in removed]

c.Autograde.sanitize_preprocessors = _without("sanitize_preprocessors", ClearOutput)
c.Autograde.autograde_preprocessors = _without("autograde_preprocessors", Execute)
"""


def nbgrader_metadata(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def is_graded(cell) -> bool:
    return cell.cell_type == "code" and bool(nbgrader_metadata(cell).get("grade"))


def is_solution(cell) -> bool:
    return cell.cell_type == "code" and bool(nbgrader_metadata(cell).get("solution"))


def cell_timeout() -> int:
    """The per-cell timeout docs/nbgrader_config.py gives nbgrader's Execute, so the test runs under the same."""
    from traitlets.config.loader import PyFileConfigLoader

    saved = dict(os.environ)  # the config file sets defaults in os.environ; keep this process's as they were
    try:
        config = PyFileConfigLoader(NBGRADER_CONFIG.name, path=str(NBGRADER_CONFIG.parent)).load_config()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return int(config.Execute.timeout)


def run_nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """The nbgrader command line in ``course``; its log goes to the returned stderr."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@dataclass
class GradedCourse:
    course: Path
    generate_log: str
    autograde_log: str
    #: assignment (notebook stem) -> student -> executed submission
    executed: dict[str, dict[str, nbformat.NotebookNode]] = field(default_factory=dict)
    #: assignment -> index of the first cell where the solved submission differs from the blank one
    first_difference: dict[str, int] = field(default_factory=dict)
    #: assignment -> seconds the shared execution took, and of those the solved cells' (the rest is the blank run)
    seconds: dict[str, float] = field(default_factory=dict)
    solved_seconds: dict[str, float] = field(default_factory=dict)

    def source(self, assignment: str) -> Path:
        """The instructor notebook as copied into the course (the repository's may change while tests run)."""
        return self.course / "source" / assignment / f"{assignment}.ipynb"

    def artifacts(self, assignment: str) -> Path:
        """The chapter's own artifacts folder (saved models, checkpoints): empty when its execution began."""
        return self.course / "artifacts" / assignment

    def released(self, assignment: str) -> Path:
        return self.course / "release" / assignment / f"{assignment}.ipynb"

    def submitted(self, student: str, assignment: str) -> Path:
        return self.course / "submitted" / student / assignment / f"{assignment}.ipynb"

    def autograded(self, student: str, assignment: str) -> nbformat.NotebookNode:
        return nbformat.read(self.course / "autograded" / student / assignment / f"{assignment}.ipynb", as_version=4)

    def scores(self, student: str, assignment: str) -> dict[str, tuple[float, float]]:
        """grade_id -> (auto score, max score) of every autograded test cell, from the gradebook."""
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.course / 'gradebook.db'}") as gradebook:
            submission = gradebook.find_submission_notebook(assignment, assignment, student)
            return {grade.name: (grade.auto_score, grade.max_score) for grade in submission.grades
                    if grade.auto_score is not None}


def solved_submission(released: nbformat.NotebookNode, instructor: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The released notebook with every cell that nbgrader changed (the solutions) as the instructor wrote it."""
    assert len(released.cells) == len(instructor.cells), "generate_assignment added or removed cells"
    solved = nbformat.from_dict(json.loads(json.dumps(released)))
    for mine, theirs in zip(solved.cells, instructor.cells):
        if mine.source != theirs.source:
            mine.source = theirs.source
    return solved


def execute_blank_then_solved(blank: nbformat.NotebookNode, solved: nbformat.NotebookNode,
                              timeout: int, env: dict[str, str]) -> tuple[int, float]:
    """Run ``blank`` top to bottom, then ``solved`` from its first differing cell, in one kernel started with
    ``env``; fill both.

    Returns the index of the first differing cell (``solved`` gets the blank run's outputs before it) and the
    seconds the solved cells took on top of the blank run.
    """
    from nbclient import NotebookClient

    first = next((i for i, (a, b) in enumerate(zip(blank.cells, solved.cells)) if a.source != b.source),
                 len(blank.cells))
    client = NotebookClient(blank, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(ROOT / "notebooks")}})
    client.reset_execution_trackers()
    with client.setup_kernel(env=env):
        for index, cell in enumerate(blank.cells):
            client.execute_cell(cell, index)
        client.nb = solved
        solved_start = time.perf_counter()
        for index, cell in enumerate(solved.cells):
            if index < first:
                if cell.cell_type == "code":
                    cell.outputs = blank.cells[index].outputs
                    cell.execution_count = blank.cells[index].execution_count
            else:
                client.execute_cell(cell, index)
        solved_seconds = time.perf_counter() - solved_start
    return first, solved_seconds


def selected_notebooks(items: list[pytest.Item]) -> list[Path]:
    """The chapters that the selected tests are parametrized with (e.g. ``-k 02_mlp``); all if none is singled out."""
    chosen = set()
    for item in items:
        if getattr(item, "shared_execution_of", None):  # a notebook cell checked on the shared execution
            chosen.add(item.shared_execution_of)
            continue
        if "graded_course" not in getattr(item, "fixturenames", ()):
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        if isinstance(params.get("assignment"), str):
            chosen.add(params["assignment"])
        elif isinstance(params.get("path"), Path):
            chosen.add(params["path"].stem)
    return [notebook for notebook in INSTRUCTOR_NOTEBOOKS if notebook.stem in chosen] or INSTRUCTOR_NOTEBOOKS


_GRADED_COURSE = pytest.StashKey[GradedCourse]()


def graded_course_of(session: pytest.Session) -> GradedCourse:
    """The session's graded course, built the first time a test needs it, for the chapters the session selected.

    The ``graded_course`` fixture and the notebook checks of ``--shared-execution`` (tests/shared_execution.py)
    both come here, so the chapters are executed once per session whoever asks first.
    """
    config = session.config
    if _GRADED_COURSE not in config.stash:
        folder = config._tmp_path_factory.mktemp("nbgrader_course")  # pytest's own temporary folders, kept for a look
        config.stash[_GRADED_COURSE] = build_graded_course(folder, selected_notebooks(session.items))
    return config.stash[_GRADED_COURSE]


def graded_course_if_built(config: pytest.Config) -> GradedCourse | None:
    """The session's graded course if a test has built it already, else None (nothing is executed)."""
    return config.stash.get(_GRADED_COURSE, None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests run last, so chapter 6 in the browser can use the models of the graded run."""
    browser = ROOT / "tests" / "browser"
    items.sort(key=lambda item: item.path.is_relative_to(browser))  # a stable sort: the rest keep their order


@pytest.fixture(scope="session")
def graded_course(request) -> GradedCourse:
    return graded_course_of(request.session)


def build_graded_course(course: Path, notebooks: list[Path]) -> GradedCourse:
    """Generate, execute (once per chapter) and autograde ``notebooks`` in the nbgrader course folder ``course``."""
    shutil.copy(NBGRADER_CONFIG, course / "nbgrader_config.py")
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(TEST_ONLY_CONFIG)
    for notebook in notebooks:
        (course / "source" / notebook.stem).mkdir(parents=True)
        shutil.copy(notebook, course / "source" / notebook.stem / notebook.name)
    generated = run_nbgrader(course, "generate_assignment", "*")
    graded = GradedCourse(course, generate_log=generated.stderr, autograde_log="")

    timeout = cell_timeout()
    environment = {**os.environ, "COURSE_PROFILE": "quick", "TF_CPP_MIN_LOG_LEVEL": "2",
                   "NBGRADER_EXECUTION": "autograde"}

    def execute(notebook: Path) -> None:
        assignment = notebook.stem
        blank = nbformat.read(graded.released(assignment), as_version=4)
        solved = solved_submission(blank, nbformat.read(graded.source(assignment), as_version=4))
        env = {**environment, "COURSE_ARTIFACTS_DIR": str(graded.artifacts(assignment))}  # empty, the chapter's own
        start = time.perf_counter()
        graded.first_difference[assignment], graded.solved_seconds[assignment] = execute_blank_then_solved(
            blank, solved, timeout, env)
        graded.seconds[assignment] = time.perf_counter() - start
        graded.executed[assignment] = {"blank": blank, "solved": solved}
        for student, submission in graded.executed[assignment].items():
            target = graded.submitted(student, assignment)
            target.parent.mkdir(parents=True)
            nbformat.write(submission, target)

    # Chapters are independent (each has its own artifacts folder), so they run side by side, in order of their
    # numbers. TensorFlow keeps about one core busy with these small models (CI, one at a time: 21 min of CPU in
    # 20 min on two cores), and results do not depend on the load (op determinism).
    with ThreadPoolExecutor(max_workers=PARALLEL_KERNELS) as pool:
        list(pool.map(execute, notebooks))  # list(): re-raises the first error
    graded.autograde_log = run_nbgrader(course, "autograde", "*", "--force").stderr
    return graded


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """How long each chapter's single execution took, at the end of the test report (CI's log keeps it)."""
    graded = graded_course_if_built(config)
    if graded is not None:
        terminalreporter.write_sep("-", f"chapters executed once for grading and nbval, {PARALLEL_KERNELS} at a time")
        for assignment, seconds in sorted(graded.seconds.items()):
            terminalreporter.write_line(f"{assignment}: {seconds:.0f} s (of which the solved exercises "
                                        f"{graded.solved_seconds[assignment]:.0f} s)")
