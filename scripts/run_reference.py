"""The reference run (``make reference``): every notebook in the ``standard`` profile, results written by code.

usage: python scripts/run_reference.py [--executed-dir DIR] NOTEBOOK [NOTEBOOK ...]

For each notebook ``notebooks/NN_name.ipynb`` it

1. deletes chapter NN's old results file ``docs/results/chapterNN.json`` and its figures
   ``docs/results/figures/chNN_*.png``, so nothing of an earlier run survives;
2. executes the notebook in a fresh kernel, from the ``notebooks/`` folder as JupyterLab would, with
   ``COURSE_PROFILE=standard`` and ``COURSE_RECORD_RESULTS=1`` (its ``record``/``record_figure`` calls then write
   the chapter's results); the executed copy goes to ``--executed-dir`` (default ``docs/results/executed/``,
   git-ignored): the committed notebooks are never touched;
3. adds what describes the run: machine (CPU, cores, OS, Python, TensorFlow, Keras, GPU), date, commit, profile,
   command, the notebook's wall time, the dataset files that were available, and how fast the machine was just
   before and just after the notebook (``scripts/machine_speed.py``: milliseconds per training step of chapter 5's
   network), since a shared machine's speed drifts and the wall time means little without it.

It stops at the first notebook that fails, whose results file then stays deleted. The data folders come from
``COURSE_DATA_DIR`` as for the notebooks; the README names the complete datasets the reference run uses.
``COURSE_RESULTS_DIR`` writes the results elsewhere (the tests use a temporary folder).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from helpers.paths import COURSE_ROOT, data_dirs
from helpers.results import load, results_dir, results_file, save
from scripts.machine_speed import measure_in_subprocess

PROFILE = "standard"
CELL_TIMEOUT_S = 4 * 3600
#: What a reference run measures on: the complete datasets, not the "-subset" files.
COMPLETE_DATASETS = ("mnist.npz", "fashion-mnist.npz", "cifar10.npz")


def chapter_of(notebook: Path) -> int:
    match = re.match(r"(\d+)_", notebook.name)
    if not match:
        raise SystemExit(f"{notebook}: a chapter notebook's name starts with its number, e.g. 05_cifar10_project.ipynb")
    return int(match.group(1))


def _version(*distributions: str) -> str:
    for name in distributions:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def gpus() -> str:
    """The GPUs TensorFlow sees (asked in a subprocess so that this script does not load TensorFlow), or 'none'."""
    probe = ("import os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'; import tensorflow as tf; "
             "print('; '.join(tf.config.experimental.get_device_details(d).get('device_name', d.name) "
             "for d in tf.config.list_physical_devices('GPU')))")
    try:
        found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return found or "none"


def machine() -> dict:
    return {"cpu": cpu_model(), "cores": os.cpu_count() or 0, "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "tensorflow": _version("tensorflow", "tensorflow-cpu"),
            "keras": _version("keras"), "gpu": gpus()}


def git_commit(repo: Path = COURSE_ROOT) -> tuple[str, bool]:
    """The checked-out commit, and whether the working tree differs from it (then the run is not of that commit).

    Changes under docs/results/ do not count: they are this reference run's own output (the chapter's file is
    deleted before the run, and an earlier chapter of the same run has already written its new one).
    """
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout

    changed = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)docs/results")
    return git("rev-parse", "HEAD").strip(), bool(changed.strip())


def data_files() -> list[str]:
    """Names (not paths: they would be this machine's) of the dataset files in the data folders."""
    return sorted({path.name for folder in data_dirs() if folder.is_dir() for path in folder.glob("*.npz")})


def clear_chapter(chapter: int) -> None:
    results_file(chapter).unlink(missing_ok=True)
    for old in (results_dir() / "figures").glob(f"ch{chapter:02d}_*.png"):
        old.unlink()


def run_notebook(notebook: Path, executed_dir: Path, machine_info: dict) -> float:
    chapter = chapter_of(notebook)
    clear_chapter(chapter)
    commit, dirty = git_commit()
    started = datetime.datetime.now(datetime.timezone.utc)
    print(f"chapter {chapter}: executing {notebook.name} in the {PROFILE} profile ...", flush=True)
    os.environ.update({"COURSE_PROFILE": PROFILE, "COURSE_RECORD_RESULTS": "1",
                       "COURSE_RESULTS_DIR": str(results_dir())})  # the kernel inherits these
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Models the reference chapters save for each other (chapters 4 and 5 for 6) stay apart from the quick runs'.
    os.environ.setdefault("COURSE_ARTIFACTS_DIR", str(COURSE_ROOT / "artifacts" / "reference"))
    contents = nbformat.read(notebook, as_version=4)
    speed_before = measure_in_subprocess()
    client = NotebookClient(contents, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.parent)}})
    clock = time.perf_counter()
    try:
        client.execute()
    finally:
        wall_time = time.perf_counter() - clock
        executed_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(contents, executed_dir / notebook.name)
    speed_after = measure_in_subprocess()
    data = load(chapter) or {"chapter": chapter, "profile": PROFILE, "results": {}, "figures": {}}
    data.setdefault("figures", {})
    try:
        shown = notebook.resolve().relative_to(COURSE_ROOT).as_posix()
    except ValueError:
        shown = notebook.name
    data["run"] = {
        "date": started.isoformat(timespec="seconds"),
        "commit": commit,
        "commit_dirty": dirty,
        "command": f"make reference NOTEBOOKS={shown}",
        "notebook": shown,
        "wall_time_s": round(wall_time, 1),
        "machine": machine_info,
        "training_step_ms": {"before": speed_before, "after": speed_after},
        "data_files": data_files(),
    }
    save(chapter, data)
    print(f"chapter {chapter}: {wall_time:.0f} s, {len(data['results'])} results, {len(data['figures'])} figures "
          f"-> {results_file(chapter).name}; machine speed {speed_before} ms per step before, {speed_after} after",
          flush=True)
    return wall_time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--executed-dir", type=Path, default=COURSE_ROOT / "docs" / "results" / "executed")
    args = parser.parse_args(argv)
    machine_info = machine()
    print(f"machine: {machine_info}", flush=True)
    missing = [name for name in COMPLETE_DATASETS if name not in data_files()]
    if missing:
        print(f"WARNING: the data folders lack {', '.join(missing)}: notebooks that need them will use a subset "
              "or download them; see the README (Reference results and the course site).", file=sys.stderr, flush=True)
    total = sum(run_notebook(notebook.resolve(), args.executed_dir.resolve(), machine_info) for notebook in args.notebooks)
    print(f"reference run done: {len(args.notebooks)} notebooks in {total / 60:.1f} min; results in {results_dir()}")


if __name__ == "__main__":
    main()
