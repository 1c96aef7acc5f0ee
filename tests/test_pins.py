"""requirements.txt and environment.yml must pin the same packages and versions."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def normalise(line: str) -> str:
    return "".join(line.split()).lower()


def requirement_pins() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [normalise(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def conda_pip_pins() -> list[str]:
    pins, in_pip = [], False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.strip()
        if stripped == "- pip:":
            in_pip = True
        elif in_pip and stripped.startswith("- "):
            pins.append(normalise(stripped[2:]))
        elif in_pip and stripped and not stripped.startswith("#"):
            in_pip = False
    return pins


def test_pins_agree():
    assert sorted(requirement_pins()) == sorted(conda_pip_pins())


def test_every_pin_is_exact():
    for pin in requirement_pins():
        assert "==" in pin, f"{pin} is not pinned to one version"


def test_the_required_packages_are_pinned():
    names = {pin.split("==")[0] for pin in requirement_pins()}
    for needed in ("tensorflow-cpu", "keras", "numpy", "scipy", "matplotlib", "pillow", "ipywidgets",
                   "jupyterlab", "pandas"):
        assert needed in names


def test_conda_python_matches_the_ci_python():
    assert "- python=3.11" in (ROOT / "environment.yml").read_text()
