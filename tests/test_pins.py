"""The requirement files agree with each other, with environment.yml and with the supported Python range."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED = ("3.11", "3.12", "3.13")


def normalise(line: str) -> str:
    return "".join(line.split()).lower()


def pins(file_name: str) -> list[str]:
    lines = (ROOT / file_name).read_text().splitlines()
    return [normalise(line) for line in lines if line.strip() and not line.lstrip().startswith(("#", "-r"))]


def conda_pip_pins() -> list[str]:
    found, in_pip = [], False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.strip()
        if stripped == "- pip:":
            in_pip = True
        elif in_pip and stripped.startswith("- "):
            found.append(normalise(stripped[2:]))
        elif in_pip and stripped and not stripped.startswith("#"):
            in_pip = False
    return found


def without_tensorflow(requirements: list[str]) -> list[str]:
    return sorted(pin for pin in requirements if not pin.startswith("tensorflow"))


def test_pins_agree_with_environment_yml():
    assert sorted(pins("requirements.txt")) == sorted(conda_pip_pins())


def test_every_pin_is_exact():
    for file_name in ("requirements.txt", "requirements-gpu.txt", "requirements-dev.txt"):
        for pin in pins(file_name):
            assert "==" in pin, f"{file_name}: {pin} is not pinned to one version"


def test_the_required_packages_are_pinned():
    names = {re.split(r"[=\[;]", pin)[0] for pin in pins("requirements.txt")}
    for needed in ("tensorflow-cpu", "tensorflow", "keras", "numpy", "scipy", "matplotlib", "pillow", "ipywidgets",
                   "jupyterlab", "pandas"):
        assert needed in names


def test_learners_get_no_test_tools():
    names = {re.split(r"[=\[;]", pin)[0] for pin in pins("requirements.txt")}
    assert not names & {"pytest", "nbval", "playwright", "hypothesis", "nbgrader", "uv"}


def test_dev_requirements_build_on_the_learner_ones():
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text().splitlines()


def test_gpu_requirements_differ_only_in_tensorflow():
    assert without_tensorflow(pins("requirements-gpu.txt")) == without_tensorflow(pins("requirements.txt"))
    tensorflow = [pin for pin in pins("requirements-gpu.txt") if pin.startswith("tensorflow")]
    assert tensorflow == ['tensorflow[and-cuda]==2.21.0;sys_platform=="linux"andplatform_machine=="x86_64"']


def test_tensorflow_versions_agree():
    versions = {pin.split("==")[1].split(";")[0] for file_name in ("requirements.txt", "requirements-gpu.txt")
                for pin in pins(file_name) if pin.startswith("tensorflow")}
    assert versions == {"2.21.0"}


def test_python_range_agrees_everywhere():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.11,<3.14"' in pyproject
    conda_python = re.search(r"^\s*- python=(\d+\.\d+)\s*$", (ROOT / "environment.yml").read_text(), re.M)
    assert conda_python and conda_python.group(1) in SUPPORTED
    readme = (ROOT / "README.md").read_text()
    assert "Python 3.11, 3.12 or 3.13" in readme
    makefile = (ROOT / "Makefile").read_text()
    assert "foreach version,3.13 3.12 3.11," in makefile
