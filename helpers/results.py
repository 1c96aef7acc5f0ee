"""Results a notebook reports, and the reference results of the ``standard`` profile shipped in ``docs/results/``.

The committed notebooks are executed in the small ``quick`` profile (so that CI can re-run them); the full-size
figures come from a reference run in the ``standard`` profile (``make reference``), which writes one JSON file per
chapter, ``docs/results/chapterNN.json``. A notebook calls

* :func:`record` for every result it reports (an accuracy, a timing, a table). It returns the value unchanged and,
  only when the environment variable ``COURSE_RECORD_RESULTS`` is set (``make reference`` sets it), also stores
  it in the chapter's results file;
* :func:`with_reference` to print a quick-profile number next to the reference run's value of the same result,
  read from that file, e.g. ``quick profile (3,000 images): 0.908 - standard profile (reference run 2026-11-23):
  0.954``.

Nothing is ever typed in by hand: a number in ``docs/results/`` was written by a notebook's own code.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from helpers.paths import COURSE_ROOT
from helpers.profiles import get_profile

#: Where the reference results live (committed).
RESULTS_DIR = COURSE_ROOT / "docs" / "results"
#: Set (to anything but "" or "0") to make :func:`record` write to ``RESULTS_DIR``.
RECORD_VARIABLE = "COURSE_RECORD_RESULTS"


def results_file(chapter: int) -> Path:
    """``docs/results/chapterNN.json`` for a chapter number 1-6."""
    if isinstance(chapter, bool) or not isinstance(chapter, int) or not 1 <= chapter <= 99:
        raise ValueError(f"chapter must be a chapter number such as 5, got {chapter!r}")
    return RESULTS_DIR / f"chapter{chapter:02d}.json"


def recording() -> bool:
    """True when this run writes its results to ``docs/results/`` (``make reference``)."""
    return os.environ.get(RECORD_VARIABLE, "").strip() not in ("", "0")


def _to_json(value: Any) -> Any:
    """Plain JSON for numbers, NumPy values, lists, dicts and pandas DataFrames (as a list of row dicts)."""
    if hasattr(value, "to_dict") and hasattr(value, "columns"):  # a pandas DataFrame
        return {"columns": [str(c) for c in value.columns],
                "rows": [[_to_json(v) for v in row] for row in value.itertuples(index=False)]}
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if isinstance(value, np.ndarray):
        return _to_json(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return str(value)  # JSON has no NaN/inf
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot record a {type(value).__name__}; record numbers, strings, lists, dicts or DataFrames")


def load(chapter: int) -> dict | None:
    """The chapter's reference results file as a dict, or None when there is none."""
    path = results_file(chapter)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def record(chapter: int, key: str, value: Any, description: str = "") -> Any:
    """Return ``value``; when recording (``make reference``), also store it under ``key`` in the chapter's file."""
    if not isinstance(key, str) or not key:
        raise ValueError(f"key must be a non-empty string, got {key!r}")
    if recording():
        path = results_file(chapter)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = load(chapter) or {}
        if data.get("profile") != get_profile().name:  # a new run: start the file afresh
            data = {"chapter": chapter, "profile": get_profile().name, "results": {}}
        data["results"][key] = {"value": _to_json(value), "description": description}
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(path)
    return value


def record_figure(chapter: int, name: str, figure) -> None:
    """When recording, save a Matplotlib figure as a small PNG ``docs/results/figures/chNN_<name>.png``."""
    if recording():
        folder = RESULTS_DIR / "figures"
        folder.mkdir(parents=True, exist_ok=True)
        figure.savefig(folder / f"ch{chapter:02d}_{name}.png", dpi=72, bbox_inches="tight")


def reference(chapter: int, key: str) -> Any:
    """The reference run's value of a result, or None when the file or the key is missing."""
    data = load(chapter)
    if not data or data.get("profile") == "quick":
        return None
    entry = data.get("results", {}).get(key)
    return None if entry is None else entry["value"]


def reference_label(chapter: int) -> str:
    """e.g. ``standard profile (reference run 2026-11-23)``."""
    data = load(chapter) or {}
    run = data.get("run", {})
    date = str(run.get("date", "date unknown"))[:10]
    return f"{data.get('profile', 'standard')} profile (reference run {date})"


def with_reference(chapter: int, key: str, value: Any, fmt: Callable[[Any], str] | str = "{:.3f}",
                   size: str = "") -> str:
    """One line with this run's value and, in another profile, the reference run's value of the same result.

    ``fmt`` is a format string (``"{:.1%}"``) or a function; ``size`` says what this run used ("3,000 images").
    """
    show = fmt.format if isinstance(fmt, str) else fmt
    profile = get_profile().name
    here = f"{profile} profile" + (f" ({size})" if size else "") + f": {show(value)}"
    data = load(chapter) or {}
    if data.get("profile") == profile:
        return here
    other = reference(chapter, key)
    if other is None:
        return here + " - no reference run recorded yet (make reference)"
    return f"{here} - {reference_label(chapter)}: {show(other)}"
