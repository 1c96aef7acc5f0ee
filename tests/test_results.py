"""Reference results (``helpers.results``, ``make reference``): the recording helpers, the runner and the schema
of the committed ``docs/results/chapterNN.json`` files."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers import results  # noqa: E402
from helpers.paths import COURSE_ROOT  # noqa: E402

CHAPTERS = range(1, 7)
FAKE_NOTEBOOK_CELLS = [
    "from helpers.results import record, record_figure\n"
    "import matplotlib.pyplot as plt\n"
    "import pandas as pd",
    "accuracy = record(3, 'test_accuracy', 0.75, 'test accuracy of a model that does not exist')\n"
    "record(3, 'table', pd.DataFrame({'model': ['a', 'b'], 'accuracy': [0.5, 0.75]}), 'a small table')\n"
    "print(accuracy)",
    "fig, ax = plt.subplots(figsize=(2, 2))\n"
    "ax.plot([1, 2], [0.5, 0.75])\n"
    "record_figure(3, 'curve', fig, caption='a line')",
]


@pytest.fixture
def recording_into(tmp_path, monkeypatch):
    monkeypatch.setenv(results.RESULTS_DIR_VARIABLE, str(tmp_path))
    monkeypatch.setenv(results.RECORD_VARIABLE, "1")
    monkeypatch.setenv("COURSE_PROFILE", "standard")
    return tmp_path


def test_record_returns_the_value_and_writes_only_when_recording(tmp_path, monkeypatch):
    monkeypatch.setenv(results.RESULTS_DIR_VARIABLE, str(tmp_path))
    monkeypatch.delenv(results.RECORD_VARIABLE, raising=False)
    assert results.record(2, "accuracy", 0.5) == 0.5
    assert not (tmp_path / "chapter02.json").exists()


def test_record_and_record_figure_write_the_chapter_file(recording_into):
    frame = pd.DataFrame({"model": ["mlp"], "accuracy": [0.9]})
    assert results.record(2, "table", frame, "one row") is frame
    results.record(2, "accuracy", 0.875, "test accuracy")
    fig, ax = plt.subplots()
    results.record_figure(2, "curve", fig, caption="a curve")
    plt.close(fig)
    data = json.loads((recording_into / "chapter02.json").read_text())
    assert data["profile"] == "standard" and data["chapter"] == 2
    assert data["results"]["table"]["value"] == {"columns": ["model", "accuracy"], "rows": [["mlp", 0.9]]}
    assert data["results"]["accuracy"] == {"value": 0.875, "description": "test accuracy"}
    assert data["figures"]["curve"] == {"file": "figures/ch02_curve.png", "caption": "a curve"}
    assert (recording_into / "figures" / "ch02_curve.png").stat().st_size > 0
    # without the run metadata that make reference adds, the file is incomplete
    assert any("'run' is missing" in problem for problem in results.schema_problems(data, 2))


def test_with_reference_shows_both_profiles(recording_into, monkeypatch):
    results.record(5, "accuracy", 0.81)
    monkeypatch.delenv(results.RECORD_VARIABLE)
    monkeypatch.setenv("COURSE_PROFILE", "quick")
    line = results.with_reference(5, "accuracy", 0.41, "{:.2f}", size="2,000 images")
    assert line.startswith("quick profile (2,000 images): 0.41 - standard profile (reference run")
    assert line.endswith(": 0.81")
    assert "no reference run recorded yet" in results.with_reference(5, "missing", 0.41)


def test_reference_table_reads_a_recorded_table_back(recording_into, monkeypatch):
    ladder = pd.DataFrame({"rung": ["baseline", "+ batch norm"], "mean": [0.31, 0.45], "delta": [float("nan"), 0.14],
                           "seeds": [2, 2]})
    results.record(5, "ladder", ladder, "a two-rung ladder")
    assert results.reference_table(5, "ladder") is None  # the standard profile reads its own table, not the file's
    monkeypatch.delenv(results.RECORD_VARIABLE)
    monkeypatch.setenv("COURSE_PROFILE", "quick")
    table = results.reference_table(5, "ladder")
    assert table.attrs["description"] == "a two-rung ladder"
    assert table["rung"].tolist() == ["baseline", "+ batch norm"] and table["seeds"].tolist() == [2, 2]
    assert pd.isna(table["delta"][0]) and table["delta"][1] == pytest.approx(0.14)  # "nan" in JSON is NaN again
    assert results.reference_table(5, "missing") is None
    results_file = recording_into / "chapter05.json"
    data = json.loads(results_file.read_text())
    data["results"]["ladder"]["value"] = 0.5  # a number, not a table
    results_file.write_text(json.dumps(data))
    assert results.reference_table(5, "ladder") is None


def test_reference_run_is_dirty_only_for_changes_outside_its_own_results(tmp_path):
    spec = importlib.util.spec_from_file_location("run_reference", COURSE_ROOT / "scripts" / "run_reference.py")
    run_reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_reference)

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=tmp_path,
                       check=True, capture_output=True)

    (tmp_path / "docs" / "results").mkdir(parents=True)
    (tmp_path / "docs" / "results" / "chapter05.json").write_text("{}")
    (tmp_path / "notebook.ipynb").write_text("{}")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "start")
    commit, dirty = run_reference.git_commit(tmp_path)
    assert len(commit) == 40 and not dirty
    (tmp_path / "docs" / "results" / "chapter05.json").unlink()   # what the run does to its own chapter first
    assert run_reference.git_commit(tmp_path)[1] is False
    (tmp_path / "notebook.ipynb").write_text('{"changed": true}')
    assert run_reference.git_commit(tmp_path)[1] is True


def test_make_reference_runner_on_a_fake_notebook(tmp_path):
    """scripts/run_reference.py end to end on a three-cell notebook, in a temporary results folder."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in FAKE_NOTEBOOK_CELLS])
    source = tmp_path / "03_fake_chapter.ipynb"
    nbformat.write(notebook, source)
    results_folder = tmp_path / "results"
    stale = results_folder / "figures" / "ch03_from_an_old_run.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    env = {**os.environ, results.RESULTS_DIR_VARIABLE: str(results_folder), "COURSE_PROFILE": "quick"}
    subprocess.run([sys.executable, str(COURSE_ROOT / "scripts" / "run_reference.py"),
                    "--executed-dir", str(tmp_path / "executed"), str(source)],
                   env=env, check=True, cwd=COURSE_ROOT, timeout=600)

    data = json.loads((results_folder / "chapter03.json").read_text())
    assert results.schema_problems(data, 3) == []
    assert data["profile"] == "standard"  # whatever the caller's profile was
    assert data["results"]["test_accuracy"]["value"] == 0.75
    assert data["run"]["command"] == "make reference NOTEBOOKS=03_fake_chapter.ipynb"
    assert data["run"]["wall_time_s"] > 0 and data["run"]["machine"]["cores"] >= 1
    speed = data["run"]["training_step_ms"]   # scripts/machine_speed.py, run before and after the notebook
    assert set(speed) == {"before", "after"} and all(isinstance(ms, float) and ms > 0 for ms in speed.values())
    assert not stale.exists(), "the old run's figures must be deleted"
    assert (results_folder / "figures" / "ch03_curve.png").exists()
    executed = nbformat.read(tmp_path / "executed" / source.name, as_version=4)
    assert executed.cells[1].outputs[0]["text"] == "0.75\n"
    assert nbformat.read(source, as_version=4).cells[1].outputs == []  # the source notebook is untouched


def test_schema_checks_the_machine_speed_readings():
    data = json.loads((results.RESULTS_DIR / "chapter05.json").read_text(encoding="utf-8"))
    for good in ({"before": 55.1, "after": 60}, {"before": None, "after": 57.0}):
        data["run"]["training_step_ms"] = good
        assert results.schema_problems(data, 5) == []
    for bad in ({"before": 55.1}, {"before": "fast", "after": 1.0}, {"before": 0, "after": 1.0}, [55.1, 57.3],
                {"before": True, "after": 1.0}):
        data["run"]["training_step_ms"] = bad
        assert results.schema_problems(data, 5) == [
            f"run.training_step_ms is {bad!r}, expected {{'before': ms or null, 'after': ms or null}}"]


def test_schema_problems_are_specific():
    assert results.schema_problems([], 1) == ["the file holds a list, not an object"]
    problems = results.schema_problems({"chapter": 2, "profile": "standard", "results": {"a": 1}, "figures": {}}, 1)
    assert "'chapter' is 2, expected 1" in problems
    assert "results['a'] must be {'value': ..., 'description': str}" in problems


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_committed_reference_results(chapter):
    """Every chapter has a results file from a standard-profile reference run, following the schema.

    These files are written only by ``make reference`` (never by hand); until it has been run and its results
    committed, this test fails on purpose.
    """
    path = results.RESULTS_DIR / f"chapter{chapter:02d}.json"
    assert path.is_file(), (f"{path.relative_to(COURSE_ROOT)} is missing: run `make reference` "
                            "(standard profile, complete datasets; see the README) and commit docs/results/")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert results.schema_problems(data, chapter) == []
    assert data["profile"] == "standard", "the committed reference results come from the standard profile"
    assert data["results"], "the chapter records no result: its notebook should call helpers.results.record"
    for entry in data["figures"].values():
        assert (results.RESULTS_DIR / entry["file"]).is_file(), f"{entry['file']} is missing"
    text = path.read_text(encoding="utf-8")
    for fragment in ("/work/", "/tmp/", "/home/", "/root/", "/Users/", "../shared", str(COURSE_ROOT)):
        assert fragment not in text, f"{path.name} contains a path of the machine ({fragment})"
