"""Where the course keeps its data and the files its notebooks write."""

from __future__ import annotations

import os
from pathlib import Path

#: The course's root folder (the repository), found from this installed (editable) package.
COURSE_ROOT = Path(__file__).resolve().parent.parent


def _resolve(folder: str) -> Path:
    # Relative folders are taken from the course root, so a notebook (whose kernel runs in
    # notebooks/) and a shell at the root agree on what COURSE_DATA_DIR=../shared/data means.
    path = Path(folder).expanduser()
    return path if path.is_absolute() else (COURSE_ROOT / path).resolve()


def data_dirs() -> list[Path]:
    """The folders searched for datasets, in order.

    ``COURSE_DATA_DIR`` may name one folder or several separated by ``os.pathsep``
    (``:`` on Linux and macOS). The default is ``<course root>/data``. Downloads are saved
    into the first folder.
    """
    value = os.environ.get("COURSE_DATA_DIR", "").strip()
    if not value:
        return [COURSE_ROOT / "data"]
    return [_resolve(part) for part in value.split(os.pathsep) if part.strip()]


def artifacts_dir(*parts: str) -> Path:
    """A git-ignored folder for models and checkpoints the notebooks write (created if missing).

    ``COURSE_ARTIFACTS_DIR`` overrides the default ``<course root>/artifacts``.
    """
    base = os.environ.get("COURSE_ARTIFACTS_DIR", "").strip()
    folder = _resolve(base) if base else COURSE_ROOT / "artifacts"
    folder = folder.joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
