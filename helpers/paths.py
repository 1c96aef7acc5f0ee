"""Where the course keeps its data and the files its notebooks write."""

from __future__ import annotations

import os
from pathlib import Path

#: The course's root folder (the repository), found from this installed (editable) package.
COURSE_ROOT = Path(__file__).resolve().parent.parent


def display_path(path: str | os.PathLike) -> str:
    """``path`` as a learner should see it: relative to the course folder, else to the home folder (``~``),
    else only its last part (``…/data``).

    Messages and notebook outputs use this, so they never show the absolute paths of the machine that ran them.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or a pathlib.Path, got {type(path).__name__}.")
    resolved = Path(path).expanduser().resolve()
    for base, shown in ((COURSE_ROOT, ""), (Path.home().resolve(), "~")):
        if resolved == base or base in resolved.parents:
            relative = resolved.relative_to(base).as_posix()
            if not shown:
                return relative if relative != "." else "."
            return shown if relative == "." else f"{shown}/{relative}"
    return f"…/{resolved.name}"  # outside the course and the home folder: only the folder's own name


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
    if not all(isinstance(part, str) for part in parts):
        raise TypeError(f"artifacts_dir takes folder names as strings, got {parts!r}.")
    base = os.environ.get("COURSE_ARTIFACTS_DIR", "").strip()
    folder = _resolve(base) if base else COURSE_ROOT / "artifacts"
    folder = folder.joinpath(*parts)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{display_path(folder)} is a file, but the course needs a folder there for its "
                                 "models: move the file away or set COURSE_ARTIFACTS_DIR to another folder.")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
