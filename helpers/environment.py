"""``check_environment()``: what the course runs on, and what will not work."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import socket
import sys
from pathlib import Path

from helpers.datasets import ARRAY_KEYS, SPECS, find_local_file
from helpers.paths import COURSE_ROOT, data_dirs, display_path
from helpers.profiles import UnknownProfileError, get_profile

EXPECTED_VERSIONS = {"tensorflow": "2.21", "keras": "3.15"}
#: The chapters (notebook numbers) that load each dataset.
CHAPTERS_BY_DATASET = {"mnist": (1, 2, 3, 4), "fashion-mnist": (1, 4, 6), "cifar10": (1, 2, 5, 6)}
#: Where keras.datasets downloads each dataset from.
DOWNLOAD_HOSTS = {"mnist": "storage.googleapis.com", "fashion-mnist": "storage.googleapis.com",
                  "cifar10": "www.cs.toronto.edu"}


def host_reachable(host: str, timeout_s: float = 2.0) -> bool:
    """Whether a TCP connection to ``host``:443 opens within ``timeout_s`` (a quick test of the network)."""
    try:
        socket.create_connection((host, 443), timeout=timeout_s).close()
        return True
    except OSError:
        return False


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _looks_like_dataset(path: Path) -> bool:
    # A quick look (the archive's table of contents), not the full validation the loaders do when they read it.
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as archive:
            return set(ARRAY_KEYS) <= set(archive.files)
    except Exception:  # not a zip archive, a .npy, truncated: all "damaged" here
        return False


def check_environment() -> list[str]:
    """Print versions, hardware, the active profile and the local datasets; return the warnings."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import numpy as np
    import tensorflow as tf

    warnings: list[str] = []
    print(f"Python      {platform.python_version()} ({display_path(sys.prefix)})")
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
    print("Data folder " + os.pathsep.join(display_path(folder) for folder in folders))
    for folder in folders:
        if not folder.is_dir():
            warnings.append(f"The data folder {display_path(folder)} does not exist or is not a folder "
                            "(check COURSE_DATA_DIR).")
    reachable: dict[str, bool] = {}
    for name, spec in SPECS.items():
        chapters = ", ".join(map(str, CHAPTERS_BY_DATASET[name]))
        local = find_local_file(name)
        problem = None
        if local is not None:
            kind = "subset" if local.name.endswith("-subset.npz") else "complete"
            status = f"{kind} ({local.name})"
            if not _looks_like_dataset(local):
                status = f"DAMAGED ({local.name})"
                problem = (f"{display_path(local)} is not an .npz archive with {', '.join(ARRAY_KEYS)}: chapter(s) "
                           f"{chapters} will stop on it. Delete it and run `make prefetch` again.")
        else:
            host = DOWNLOAD_HOSTS[name]
            if host not in reachable:
                reachable[host] = host_reachable(host)
            if reachable[host]:
                status = "not here yet: downloaded on first use (the network is reachable)"
            else:
                status = "MISSING, and the network is not reachable"
                problem = (f"{spec.title} is not in the data folder and {host} cannot be reached, so chapter(s) "
                           f"{chapters} cannot run. Run `make prefetch` (or `python -m helpers.prefetch`) where "
                           "there is internet, or copy the file into the data folder.")
        print(f"  {spec.title:<14}{status}; chapters {chapters}")
        if problem:
            warnings.append(problem)

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
