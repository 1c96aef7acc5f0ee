"""Every supported platform and Python gets an installable set of wheels from PyPI.

uv resolves the requirement files for each target (platform markers evaluated for that target, wheels only, as a
learner's pip would need them) using the package index's metadata, without downloading the wheels. A pin without a
wheel for one of the platforms the README lists fails here. The targets run in parallel (one to three minutes on a
shared 2-core machine). Skipped, with a message, where PyPI cannot be reached.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
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


@pytest.fixture(scope="module")
def resolutions() -> dict[tuple[str, str, str], subprocess.CompletedProcess]:
    if uv_binary() is None:
        pytest.skip("uv is not installed (it is pinned in requirements-dev.txt)")
    if not pypi_reachable():
        pytest.skip("pypi.org cannot be reached: the platform resolution needs the package index")
    jobs = {(req, PLATFORMS[name][0], python) for req, name, python, _ in TARGETS} | set(REFUSED)
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:  # waiting on the network, not the CPU
        results = dict(zip(jobs, pool.map(lambda job: resolve(*job), jobs)))
    return results


@pytest.mark.parametrize(("requirements", "platform_name", "python", "tensorflow"), TARGETS,
                         ids=[f"{req}-{name}-py{python}" for req, name, python, _ in TARGETS])
def test_requirements_resolve_to_wheels(resolutions, requirements, platform_name, python, tensorflow):
    result = resolutions[(requirements, PLATFORMS[platform_name][0], python)]
    assert result.returncode == 0, f"{requirements} on {platform_name}, Python {python}:\n{result.stderr[-3000:]}"
    resolved = {line.split("==")[0]: line.split("==")[1] for line in result.stdout.splitlines() if "==" in line}
    assert resolved.get(tensorflow) == "2.21.0", f"{tensorflow} 2.21.0 not selected: {sorted(resolved)}"
    other = "tensorflow" if tensorflow == "tensorflow-cpu" else "tensorflow-cpu"
    assert other not in resolved, f"both tensorflow and tensorflow-cpu would be installed on {platform_name}"


@pytest.mark.parametrize(("requirements", "triple", "python"), REFUSED, ids=["intel-mac", "python3.14"])
def test_refused_setups_really_have_no_wheels(resolutions, requirements, triple, python):
    result = resolutions[(requirements, triple, python)]
    assert result.returncode != 0, f"{triple} with Python {python} resolves now: support it instead of refusing"
