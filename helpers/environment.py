"""``check_environment()``: what the course runs on, and what will not work."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys
from pathlib import Path

from helpers.datasets import SPECS, find_local_file
from helpers.paths import COURSE_ROOT, data_dirs
from helpers.profiles import UnknownProfileError, get_profile

EXPECTED_VERSIONS = {"tensorflow": "2.21", "keras": "3.15"}


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def check_environment() -> list[str]:
    """Print versions, hardware, the active profile and the local datasets; return the warnings."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import numpy as np
    import tensorflow as tf

    warnings: list[str] = []
    print(f"Python      {platform.python_version()} ({sys.executable})")
    print(f"TensorFlow  {tf.__version__}")
    print(f"Keras       {keras.__version__} (backend: {keras.backend.backend()})")
    print(f"NumPy       {np.__version__}")
    for name, module in (("tensorflow", tf), ("keras", keras)):
        if not module.__version__.startswith(EXPECTED_VERSIONS[name]):
            warnings.append(f"{name} {module.__version__} is installed; the course is tested with "
                            f"{EXPECTED_VERSIONS[name]}.x (see requirements.txt).")
    if keras.backend.backend() != "tensorflow":
        warnings.append("Keras is not using the TensorFlow backend: unset KERAS_BACKEND.")

    gpus = tf.config.list_physical_devices("GPU")
    print(f"Hardware    {os.cpu_count()} CPU cores, "
          + (f"{len(gpus)} GPU(s): {', '.join(g.name for g in gpus)}" if gpus else "no GPU"))

    try:
        profile = get_profile()
        print(f"Profile     {profile.name} - {profile.description}")
        if profile.name == "full" and not gpus:
            warnings.append("The 'full' profile is meant for a GPU; on this CPU the notebooks will take hours. "
                            "Set COURSE_PROFILE=standard.")
    except UnknownProfileError as error:
        warnings.append(str(error))

    folders = data_dirs()
    print("Data folder " + os.pathsep.join(str(folder) for folder in folders))
    for folder in folders:
        if not folder.is_dir():
            warnings.append(f"The data folder {folder} does not exist (check COURSE_DATA_DIR).")
    for name, spec in SPECS.items():
        local = find_local_file(name)
        if local is None:
            status = "not here yet: will be downloaded on first use (needs internet)"
        elif local.name.endswith("-subset.npz"):
            status = f"subset ({local.name})"
        else:
            status = f"complete ({local.name})"
        print(f"  {spec.title:<14}{status}")

    if _version("ipywidgets") is None or _version("jupyterlab_widgets") is None:
        warnings.append("ipywidgets or its JupyterLab extension is missing: the interactive explorers will "
                        "show as text. Install the pinned requirements.")
    if Path(sys.prefix).resolve() != (COURSE_ROOT / ".venv").resolve() and "CONDA_PREFIX" not in os.environ:
        print("Note        not running in the course's .venv (fine if you installed the requirements yourself)")

    for warning in warnings:
        print(f"WARNING: {warning}")
    if not warnings:
        print("Everything looks ready.")
    return warnings
