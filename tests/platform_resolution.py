"""uv's resolution of the requirement files for every supported platform, started as soon as pytest has collected.

Resolving waits on the package index, not on the CPU, so it runs in background threads while the CPU-bound tests
(the chapters' executions) run; tests/test_platforms.py then only waits for the answers. Nothing starts unless a
test of tests/test_platforms.py was selected.
"""

from __future__ import annotations

import functools
import shutil
import socket
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYTHONS = ("3.11", "3.12", "3.13")
#: README's platforms -> uv's target triple, and the TensorFlow distribution each must resolve to.
PLATFORMS = {
    "linux-x86_64": ("x86_64-manylinux_2_28", "tensorflow-cpu"),
    "linux-aarch64": ("aarch64-manylinux_2_28", "tensorflow"),
    "macos-arm64": ("aarch64-apple-darwin", "tensorflow"),
    "windows-x86_64": ("x86_64-pc-windows-msvc", "tensorflow-cpu"),
}
#: (requirements file, platform, Python, TensorFlow distribution expected)
TARGETS = [("requirements.txt", name, python, tf) for name, (_, tf) in PLATFORMS.items() for python in PYTHONS]
TARGETS += [("requirements-gpu.txt", "linux-x86_64", "3.12", "tensorflow"),
            ("requirements-dev.txt", "linux-x86_64", "3.11", "tensorflow-cpu")]
#: Set-ups the course refuses (scripts/course.py says why): they must stay unresolvable, or the refusal is wrong.
REFUSED = [("requirements.txt", "x86_64-apple-darwin", "3.12"), ("requirements.txt", "x86_64-manylinux_2_28", "3.14")]

Job = tuple[str, str, str]  # (requirements file, uv target triple, Python version)
_RESOLUTIONS = pytest.StashKey[dict[Job, Future]]()


def uv_binary() -> str | None:
    beside_python = Path(sys.executable).with_name("uv")
    return str(beside_python) if beside_python.exists() else shutil.which("uv")


def pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=3).close()
        return True
    except OSError:
        return False


def resolve(requirements: str, triple: str, python: str) -> subprocess.CompletedProcess:
    command = [uv_binary(), "pip", "compile", str(ROOT / requirements), "--python-platform", triple,
               "--python-version", python, "--only-binary", ":all:", "--no-header", "--no-annotate", "--quiet",
               "--index-url", "https://pypi.org/simple", "--no-config"]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)


@functools.cache  # asked when collection ends and again by the tests' fixture: probe the network once
def skip_reason() -> str | None:
    if uv_binary() is None:
        return "uv is not installed (it is pinned in requirements-dev.txt)"
    if not pypi_reachable():
        return "pypi.org cannot be reached: the platform resolution needs the package index"
    return None


def start(config: pytest.Config) -> dict[Job, Future]:
    """Start every resolution in the background (once per session); the futures give uv's answers."""
    if _RESOLUTIONS not in config.stash:
        jobs = {(req, PLATFORMS[name][0], python) for req, name, python, _ in TARGETS} | set(REFUSED)
        pool = ThreadPoolExecutor(max_workers=len(jobs))  # waiting on the network, not the CPU
        config.stash[_RESOLUTIONS] = {job: pool.submit(resolve, *job) for job in jobs}
        pool.shutdown(wait=False)  # the threads finish their jobs; nothing else is submitted
    return config.stash[_RESOLUTIONS]


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(item.path.name == "test_platforms.py" for item in session.items) and skip_reason() is None:
        start(session.config)
