"""scripts/course.py (the commands without make), Binder's files, the start page, the data prefetch, the
environment check, and the remaining helpers' answers to bad inputs."""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import datasets, environment, prefetch
from helpers.metrics import confusion_matrix, per_class_accuracy
from helpers.paths import COURSE_ROOT, artifacts_dir, display_path
from helpers.profiles import get_profile

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def load_course_script():
    spec = importlib.util.spec_from_file_location("course_script", ROOT / "scripts" / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


course = load_course_script()


# ----------------------------------------------------------------------------- installing

@pytest.mark.parametrize("version", [(3, 11), (3, 12), (3, 13)])
def test_supported_pythons_are_accepted(version):
    assert course.python_problem(version) is None


@pytest.mark.parametrize("version", [(3, 10), (3, 14), (2, 7)])
def test_other_pythons_are_refused_with_the_supported_range(version):
    assert "need Python 3.11, 3.12 or 3.13" in course.python_problem(version)


@pytest.mark.parametrize(("system", "machine"), [("Linux", "x86_64"), ("Linux", "aarch64"), ("Darwin", "arm64"),
                                                 ("Windows", "AMD64")])
def test_supported_platforms_are_accepted(system, machine):
    assert course.platform_problem(system, machine) is None


def test_intel_macs_are_refused_clearly():
    assert "no wheel for Intel Macs" in course.platform_problem("Darwin", "x86_64")
    assert "Windows on x86-64" in course.platform_problem("Windows", "ARM64")


def test_course_script_and_makefile_agree_on_pythons():
    makefile = (ROOT / "Makefile").read_text()
    versions = re.search(r"foreach version,([\d. ]+),", makefile).group(1).split()
    assert sorted(versions) == [f"{major}.{minor}" for major, minor in course.SUPPORTED_PYTHONS]


def test_learner_and_gpu_requirement_files(tmp_path):
    assert course.learner_requirements(tmp_path).name == "requirements.txt"
    (tmp_path / course.GPU_MARKER).write_text("")
    assert course.learner_requirements(tmp_path).name == "requirements-gpu.txt"


def test_dev_tools_are_the_dev_file_without_the_learner_line():
    tools = course.dev_tool_lines()
    assert any(line.startswith("pytest==") for line in tools) and any(line.startswith("nbval==") for line in tools)
    assert not any(line.startswith(("-r", "tensorflow", "numpy")) for line in tools)


def test_make_test_checks_the_notebooks_on_the_shared_execution_and_pyproject_names_no_runner():
    assert course.NOTEBOOK_ARGS == ["--shared-execution"]
    addopts = (ROOT / "pyproject.toml").read_text().split("addopts")[1].splitlines()[0]
    assert "--nbval" not in addopts and "--shared-execution" not in addopts


def test_every_helpers_package_is_installed():
    listed = re.search(r"^packages = \[(.*)\]", (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    packages = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "helpers").rglob("__init__.py")}
    assert packages == {name.strip().strip('"') for name in listed.split(",")}


def test_makefile_lab_and_test_go_through_the_course_script():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(COURSE) lab" in makefile and "$(COURSE) test" in makefile and "$(COURSE) setup --dev" in makefile


# ----------------------------------------------------------------------------- Binder and the start page

def test_binder_files():
    post_build = (ROOT / "postBuild").read_text()
    assert post_build.startswith("#!/bin/bash") and "pip install --no-deps -e ." in post_build
    assert (ROOT / "postBuild").stat().st_mode & 0o111 and (ROOT / "start").stat().st_mode & 0o111
    assert 'exec "$@"' in (ROOT / "start").read_text()
    assert not (ROOT / "binder").exists(), "a binder/ folder would make Binder ignore the files at the root"
    environment_yml = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*- python=3\.1[123]\s*$", environment_yml, re.M)
    assert "mybinder.org/v2/" in (ROOT / "README.md").read_text()


def test_start_page_links_every_chapter_and_the_teaching_notes():
    notebook = json.loads((ROOT / "index.ipynb").read_text())
    text = "".join("".join(cell["source"]) for cell in notebook["cells"])
    assert all(cell["cell_type"] == "markdown" for cell in notebook["cells"])
    for chapter in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        assert f"(notebooks/{chapter.name})" in text, f"index.ipynb does not link {chapter.name}"
    assert "(docs/teaching.md)" in text and "(README.md)" in text


# ----------------------------------------------------------------------------- data: prefetch and the check

@pytest.fixture
def small_specs(monkeypatch):
    """Complete datasets of 12 + 6 images, so fake downloads stay small."""
    import dataclasses

    small = {name: dataclasses.replace(spec, complete_sizes=(12, 6)) for name, spec in datasets.SPECS.items()}
    monkeypatch.setattr(datasets, "SPECS", small)
    monkeypatch.setattr(prefetch, "SPECS", small)
    monkeypatch.setattr(environment, "SPECS", small)
    return small


def fake_arrays(spec, rng) -> dict[str, np.ndarray]:
    n_train, n_test = spec.complete_sizes
    label_shape = (lambda n: (n, 1)) if spec.labels_as_column else (lambda n: (n,))
    return {"x_train": rng.integers(0, 255, (n_train, *spec.image_shape), dtype=np.uint8),
            "y_train": rng.integers(0, 10, label_shape(n_train), dtype=np.uint8),
            "x_test": rng.integers(0, 255, (n_test, *spec.image_shape), dtype=np.uint8),
            "y_test": rng.integers(0, 10, label_shape(n_test), dtype=np.uint8)}


def test_prefetch_downloads_every_dataset_then_says_ready(tmp_path, monkeypatch, small_specs, capsys):
    import keras

    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(datasets, "KNOWN_FILES", {})  # the fakes are not the course's offline copies
    rng = np.random.default_rng(0)
    for spec in small_specs.values():
        arrays = fake_arrays(spec, rng)
        monkeypatch.setattr(getattr(keras.datasets, spec.keras_module), "load_data",
                            lambda a=arrays: ((a["x_train"], a["y_train"]), (a["x_test"], a["y_test"])))
    assert prefetch.main([]) == 0
    output = capsys.readouterr().out
    assert "[1/3] MNIST" in output and "Every dataset of the course is here." in output
    assert str(tmp_path) not in output
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["cifar10.npz", "fashion-mnist.npz", "mnist.npz"]
    assert prefetch.prefetch() == {name: "already here" for name in small_specs}


def test_prefetch_reports_a_failed_download(tmp_path, monkeypatch, capsys):
    import keras

    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))

    def offline():
        raise Exception("URL fetch failure: Name or service not known")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    assert prefetch.main(["mnist"]) == 1
    assert "FAILED: the download did not work" in capsys.readouterr().out


@pytest.mark.skipif(not (SHARED_DATA / "fashion-mnist.npz").is_file(), reason="the offline copies are not here")
def test_prefetch_copies_and_verifies_from_a_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert prefetch.prefetch(SHARED_DATA, ["fashion-mnist"]) == {"fashion-mnist": "copied from …/fashion-mnist.npz"}
    assert (tmp_path / "fashion-mnist.npz").read_bytes() == (SHARED_DATA / "fashion-mnist.npz").read_bytes()


def test_prefetch_bad_arguments(tmp_path):
    with pytest.raises(NotADirectoryError, match="is not a folder of dataset files"):
        prefetch.prefetch(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="Unknown dataset"):
        prefetch.prefetch(names=["svhn"])


def test_check_without_data_or_network_names_the_chapters_that_cannot_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COURSE_PROFILE", "quick")
    monkeypatch.setattr(environment, "host_reachable", lambda host, timeout_s=2.0: False)
    warnings = environment.check_environment()
    output = capsys.readouterr().out
    assert "Everything looks ready" not in output
    assert any("MNIST is not in the data folder" in w and "chapter(s) 1, 2, 3, 4 cannot run" in w for w in warnings)
    assert any("CIFAR-10" in w and "1, 2, 5, 6" in w for w in warnings)
    assert str(tmp_path) not in output and "/work/" not in output and sys.prefix not in output


def test_check_with_data_says_ready(tmp_path, monkeypatch, small_specs, capsys):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COURSE_PROFILE", "quick")
    monkeypatch.setattr(environment, "host_reachable", lambda host, timeout_s=2.0: False)
    monkeypatch.setattr(datasets, "KNOWN_FILES", {})
    rng = np.random.default_rng(0)
    for name, spec in small_specs.items():
        np.savez(tmp_path / f"{name}.npz", **fake_arrays(spec, rng))
    (tmp_path / "cifar10.npz").write_text("damaged")
    warnings = environment.check_environment()
    assert len(warnings) == 1 and "cifar10.npz is not an .npz archive" in warnings[0]
    np.savez(tmp_path / "cifar10.npz", **fake_arrays(small_specs["cifar10"], rng))
    assert environment.check_environment() == []
    assert "Everything looks ready." in capsys.readouterr().out


def test_check_warns_when_the_full_profile_runs_on_a_cpu(tmp_path, monkeypatch, capsys):
    import tensorflow as tf

    monkeypatch.setenv("COURSE_PROFILE", "full")
    monkeypatch.setattr(environment, "host_reachable", lambda host, timeout_s=2.0: True)
    if tf.config.list_physical_devices("GPU"):
        pytest.skip("this machine has a GPU")
    assert any("'full' profile is meant for a GPU" in w for w in environment.check_environment())


# ----------------------------------------------------------------------------- paths, profiles, metrics

def test_display_path_never_shows_machine_paths(tmp_path):
    assert display_path(COURSE_ROOT / "data" / "mnist.npz") == "data/mnist.npz"
    assert display_path(COURSE_ROOT) == "."
    assert display_path(Path.home() / "datasets") in ("~/datasets", "datasets", "…/datasets")
    assert display_path(tmp_path) == f"…/{tmp_path.name}"
    with pytest.raises(TypeError, match="path must be a str or a pathlib.Path"):
        display_path(None)


def test_artifacts_dir_bad_inputs(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_ARTIFACTS_DIR", str(tmp_path))
    (tmp_path / "models").write_text("a file")
    with pytest.raises(NotADirectoryError, match="is a file, but the course needs a folder"):
        artifacts_dir("models")
    with pytest.raises(TypeError, match="folder names as strings"):
        artifacts_dir(None)


@pytest.mark.parametrize("name", [None, 3, 1.5])
def test_profile_name_of_the_wrong_type(name, monkeypatch):
    if name is None:  # None means "from COURSE_PROFILE": a valid call
        monkeypatch.setenv("COURSE_PROFILE", "quick")
        assert get_profile(name).name == "quick"
        return
    with pytest.raises(TypeError, match="profile name must be a string"):
        get_profile(name)


@pytest.mark.parametrize(("y_true", "y_pred", "num_classes", "error", "message"), [
    (None, [0], None, TypeError, "y_true is None"),
    ([0, 1], ["a", "b"], None, TypeError, "y_pred must hold integer class indices"),
    ([0.0, math.nan], [0, 1], None, ValueError, "y_true contains NaN or infinity"),
    ([0, 1], [0.5, 1.0], None, ValueError, "y_pred contains fractional values"),
    ([0, 1], [0, 1], 2.0, TypeError, "num_classes must be a positive integer"),
    ([0, 1], [0, 1], None, None, None),
])
def test_confusion_matrix_inputs(y_true, y_pred, num_classes, error, message):
    if error is None:
        assert confusion_matrix(np.array([0.0, 1.0]), y_pred).tolist() == [[1, 0], [0, 1]]  # whole floats are fine
        return
    with pytest.raises(error, match=message):
        confusion_matrix(y_true, y_pred, num_classes)


def test_per_class_accuracy_needs_a_square_matrix():
    with pytest.raises(ValueError, match="square confusion matrix"):
        per_class_accuracy(np.zeros((2, 3)))


def test_model_stats_bad_inputs():
    import keras

    from helpers.model_stats import count_macs, layer_macs

    with pytest.raises(TypeError, match="count_macs expects a Keras model"):
        count_macs(None)
    with pytest.raises(TypeError, match="layer_macs expects a Keras layer"):
        layer_macs("conv")
    with pytest.raises(ValueError, match="is not built yet"):
        layer_macs(keras.layers.Dense(3))
