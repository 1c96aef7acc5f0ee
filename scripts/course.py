"""The course's commands without make, on Linux, macOS and Windows; the Makefile calls this too.

    python scripts/course.py lab        set up .venv (learner requirements) and open JupyterLab at the course folder
    python scripts/course.py test       set up .venv with the test tools and run the whole test suite
    python scripts/course.py unit       the unit tests alone
    python scripts/course.py gpu        switch .venv to TensorFlow's CUDA build (Linux x86-64 with an NVIDIA GPU)
    python scripts/course.py prefetch   download every dataset the course uses into the data folder
    python scripts/course.py setup [--dev]

Run it with a supported Python (3.11-3.13): ``py -3.12 scripts\\course.py lab`` on Windows,
``python3.12 scripts/course.py lab`` elsewhere. Only the standard library is used before .venv exists.
Extra arguments after ``test`` and ``unit`` go to pytest.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
SUPPORTED_PYTHONS = ((3, 11), (3, 12), (3, 13))  # TensorFlow 2.21: 3.10-3.13; NumPy 2.4, pandas 3: 3.11+
GPU_MARKER = ".course-gpu"  # in .venv: this environment has the GPU build of TensorFlow
LEARNER_STAMP = ".course-installed"
DEV_STAMP = ".course-dev-installed"
#: How `make test` checks the notebooks: nbval's comparison of every cell with its committed output, on the one
#: execution per chapter that the grading tests share (tests/shared_execution.py); conftest.py supplies nbval's
#: options (sanitize file, timeout). `pytest notebooks/NN.ipynb` runs nbval with its own kernel instead.
NOTEBOOK_ARGS = ["--shared-execution"]
#: `make test` also lists its slowest tests, so CI's log shows where the time goes.
REPORT_ARGS = ["--durations=15"]


class SetupError(RuntimeError):
    """The course cannot be installed here; the message says why and what to do."""


def python_problem(version: tuple[int, int]) -> str | None:
    """Why this Python cannot run the course, or None."""
    if tuple(version[:2]) in SUPPORTED_PYTHONS:
        return None
    found = ".".join(map(str, version[:2]))
    return (f"Python {found} cannot run the course: TensorFlow 2.21 and the pinned NumPy/pandas need Python 3.11, "
            "3.12 or 3.13. Install one of them (python.org, your package manager, pyenv or conda) and run again, "
            "e.g. `make lab PYTHON=python3.12` or `python3.12 scripts/course.py lab`.")


def platform_problem(system: str, machine: str) -> str | None:
    """Why TensorFlow 2.21 has no wheel for this operating system and processor, or None."""
    machine = machine.lower()
    if system == "Linux" and machine in ("x86_64", "amd64", "aarch64", "arm64"):
        return None
    if system == "Darwin" and machine == "arm64":
        return None
    if system == "Windows" and machine in ("amd64", "x86_64"):
        return None
    if system == "Darwin":
        return ("TensorFlow 2.21 has no wheel for Intel Macs (the last one is TensorFlow 2.16, which the course's "
                "Keras 3.15 and NumPy 2 do not support). Use the course on mybinder.org (link in the README), "
                "in Google Colab, or in a Linux virtual machine or container.")
    return (f"TensorFlow 2.21 publishes no wheel for {system} on {machine}; the course supports Linux (x86-64, "
            "aarch64), macOS on Apple silicon and Windows on x86-64. Use mybinder.org (link in the README).")


def venv_python(venv: Path = VENV) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_tool(name: str, venv: Path = VENV) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def learner_requirements(venv: Path = VENV) -> Path:
    """requirements-gpu.txt once `gpu` has switched this environment, requirements.txt otherwise."""
    return ROOT / ("requirements-gpu.txt" if (venv / GPU_MARKER).exists() else "requirements.txt")


def dev_tool_lines() -> list[str]:
    """requirements-dev.txt without its `-r requirements.txt` line: the tools on top of the learner packages."""
    lines = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith(("#", "-r"))]


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _shown(part: str | Path) -> str:
    # Commands are echoed with paths relative to the course folder, as a learner would type them.
    text = str(part)
    return text[len(str(ROOT)) + 1:] if text.startswith(str(ROOT) + os.sep) else text


def _run(command: list[str | Path], **kwargs) -> None:
    print("+ " + " ".join(_shown(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, cwd=ROOT, **kwargs)


def setup(dev: bool = False, venv: Path = VENV) -> Path:
    """Create .venv if missing and install what changed since the last time; return its Python."""
    problem = python_problem(sys.version_info[:2]) or platform_problem(platform.system(), platform.machine())
    if problem:
        raise SetupError(problem)
    python = venv_python(venv)
    if not python.exists():
        _run([sys.executable, "-m", "venv", venv])
        _run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    learner_file = learner_requirements(venv)
    learner = _fingerprint(learner_file.read_text(encoding="utf-8"), (ROOT / "pyproject.toml").read_text())
    learner_stamp = venv / LEARNER_STAMP
    if not learner_stamp.exists() or learner_stamp.read_text() != learner:
        _run([python, "-m", "pip", "install", "--quiet", "-r", learner_file.name])
        _run([python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", "."])
        learner_stamp.write_text(learner)
    if dev:
        tools = dev_tool_lines()
        wanted = _fingerprint(learner, *tools)
        dev_stamp = venv / DEV_STAMP
        if not dev_stamp.exists() or dev_stamp.read_text() != wanted:
            _run([python, "-m", "pip", "install", "--quiet", *tools])
            dev_stamp.write_text(wanted)
    return python


def switch_to_gpu(venv: Path = VENV) -> None:
    """Replace tensorflow-cpu by TensorFlow's CUDA build in .venv (Linux x86-64 only)."""
    if platform.system() != "Linux" or platform.machine().lower() not in ("x86_64", "amd64"):
        raise SetupError("TensorFlow's GPU build is published for Linux x86-64 only (on Windows, use WSL2). "
                         "On a Mac the course runs on the CPU; Apple's tensorflow-metal plug-in is not tested.")
    python = setup(venv=venv)
    _run([python, "-m", "pip", "uninstall", "--quiet", "--yes", "tensorflow-cpu"])
    (venv / GPU_MARKER).write_text("requirements-gpu.txt\n")
    (venv / LEARNER_STAMP).unlink(missing_ok=True)
    setup(venv=venv)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["setup", "lab", "test", "unit", "gpu", "prefetch"])
    parser.add_argument("--dev", action="store_true", help="setup: also install the test tools")
    args, rest = parser.parse_known_args(argv)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")}
    try:
        if args.command == "setup":
            setup(dev=args.dev)
        elif args.command == "gpu":
            switch_to_gpu()
        elif args.command == "lab":
            setup()
            root_flag = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
            # Serve the course folder (README, docs, notebooks) and open the start page.
            _run([venv_tool("jupyter"), "lab", f"--ServerApp.root_dir={ROOT}", "index.ipynb", *root_flag, *rest],
                 env=env)
        elif args.command == "prefetch":
            _run([setup(), "-m", "helpers.prefetch", *rest], env=env)
        else:
            python = setup(dev=True)
            env["COURSE_PROFILE"] = os.environ.get("COURSE_PROFILE") or "quick"
            targets = ["tests"] if args.command == "unit" else ["tests", "notebooks"]
            if any((ROOT / arg.split("::")[0]).exists() for arg in rest):
                targets = []  # the arguments name what to run
            notebook_args = [] if args.command == "unit" else NOTEBOOK_ARGS
            _run([python, "-m", "pytest", *targets, *notebook_args, *REPORT_ARGS, *rest], env=env)
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        return error.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
