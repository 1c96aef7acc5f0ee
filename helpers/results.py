"""Results a notebook reports, and the reference results of the ``standard`` profile shipped in ``docs/results/``.

The committed notebooks are executed in the small ``quick`` profile (so that CI can re-run them); the full-size
figures come from a reference run in the ``standard`` profile (``make reference``), which writes one JSON file per
chapter, ``docs/results/chapterNN.json``. A notebook calls

* :func:`record` for every result it reports (an accuracy, a timing, a table). It returns the value unchanged and,
  only when the environment variable ``COURSE_RECORD_RESULTS`` is set (``make reference`` sets it), also stores
  it in the chapter's results file;
* :func:`with_reference` to print a quick-profile number next to the reference run's value of the same result,
  read from that file, e.g. ``quick profile (3,000 images): 0.908 - standard profile (reference run 2026-11-23):
  0.954``, and :func:`reference_table` to read a table the reference run recorded, to show beside this run's.

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
#: Set (to anything but "" or "0") to make :func:`record` write to the results folder.
RECORD_VARIABLE = "COURSE_RECORD_RESULTS"
#: Names another results folder (the tests of ``make reference`` write into a temporary one).
RESULTS_DIR_VARIABLE = "COURSE_RESULTS_DIR"


def results_dir() -> Path:
    """``docs/results/``, or the folder named by ``COURSE_RESULTS_DIR``."""
    override = os.environ.get(RESULTS_DIR_VARIABLE, "").strip()
    return Path(override).resolve() if override else RESULTS_DIR


def _check_chapter(chapter: int) -> None:
    if isinstance(chapter, bool) or not isinstance(chapter, int) or not 1 <= chapter <= 99:
        raise ValueError(f"chapter must be a chapter number such as 5, got {chapter!r}")


def results_file(chapter: int) -> Path:
    """``docs/results/chapterNN.json`` for a chapter number 1-6."""
    _check_chapter(chapter)
    return results_dir() / f"chapter{chapter:02d}.json"


def figure_file(chapter: int, name: str) -> Path:
    """``docs/results/figures/chNN_<name>.png``."""
    _check_chapter(chapter)
    if not isinstance(name, str) or not name.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"a figure name is letters, digits, '_' and '-', got {name!r}")
    return results_dir() / "figures" / f"ch{chapter:02d}_{name}.png"


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
        data = _recorded(chapter)
        data["results"][key] = {"value": _to_json(value), "description": description}
        save(chapter, data)
    return value


def _recorded(chapter: int) -> dict:
    """The chapter's file of the current recording run (a fresh one when the file is from another profile)."""
    data = load(chapter) or {}
    if data.get("profile") != get_profile().name:  # a new run: start the file afresh
        data = {"chapter": chapter, "profile": get_profile().name, "results": {}}
    data.setdefault("results", {})
    data.setdefault("figures", {})
    return data


def save(chapter: int, data: dict) -> None:
    """Write a chapter's results file (atomically: a reader never sees half a file)."""
    path = results_file(chapter)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def record_figure(chapter: int, name: str, figure, caption: str = "") -> None:
    """When recording, save a Matplotlib figure as a small PNG ``docs/results/figures/chNN_<name>.png``.

    ``caption`` says what it shows; the course site's results page prints it under the picture.
    """
    if recording():
        path = figure_file(chapter, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=72, bbox_inches="tight")
        data = _recorded(chapter)
        data["figures"][name] = {"file": f"figures/{path.name}", "caption": caption}
        save(chapter, data)


def _reference_entry(chapter: int, key: str) -> dict | None:
    """The reference run's ``{"value", "description"}`` of a result, or None when the file or the key is missing."""
    data = load(chapter)
    if not data or data.get("profile") == "quick":
        return None
    return data.get("results", {}).get(key)


def reference(chapter: int, key: str) -> Any:
    """The reference run's value of a result, or None when the file or the key is missing."""
    entry = _reference_entry(chapter, key)
    return None if entry is None else entry["value"]


def reference_table(chapter: int, key: str):
    """A table the reference run recorded (a DataFrame), or None when the file or the key is missing.

    Only from a run of another profile than the current one, like :func:`with_reference`: in the profile of the
    reference run itself, this run's own table is the one to read. The recorded description (what the table is,
    with its budget) is in ``table.attrs["description"]``; NaN stored as text (``"nan"``) is a number again.
    """
    import pandas as pd  # only the notebooks that show a table need pandas

    if (load(chapter) or {}).get("profile") == get_profile().name:
        return None
    entry = _reference_entry(chapter, key)
    value = None if entry is None else entry["value"]
    if not (isinstance(value, dict) and set(value) == {"columns", "rows"}):
        return None
    # _to_json stores NaN and infinities as the strings "nan", "inf", "-inf"; pandas infers each column's type
    rows = [[float(v) if v in ("nan", "inf", "-inf") else v for v in row] for row in value["rows"]]
    table = pd.DataFrame(rows, columns=value["columns"])
    table.attrs["description"] = entry["description"]
    return table


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


#: The fields ``make reference`` writes about the run (``scripts/run_reference.py``); see docs/results/README.md.
RUN_FIELDS = {"date": str, "commit": str, "commit_dirty": bool, "command": str, "notebook": str,
              "wall_time_s": (int, float), "machine": dict, "data_files": list}
MACHINE_FIELDS = {"cpu": str, "cores": int, "os": str, "python": str, "tensorflow": str, "keras": str, "gpu": str}


def schema_problems(data: Any, chapter: int) -> list[str]:
    """What is wrong with a chapter's results file (an empty list when it follows the schema)."""
    if not isinstance(data, dict):
        return [f"the file holds a {type(data).__name__}, not an object"]
    problems = []
    if data.get("chapter") != chapter:
        problems.append(f"'chapter' is {data.get('chapter')!r}, expected {chapter}")
    if not isinstance(data.get("profile"), str):
        problems.append("'profile' is missing")
    for section, fields in (("run", RUN_FIELDS), ("machine", MACHINE_FIELDS)):
        where = data.get("run") if section == "run" else (data.get("run") or {}).get("machine")
        if not isinstance(where, dict):
            problems.append(f"'{section}' is missing (written by make reference, not by record)")
            continue
        for field, kind in fields.items():
            if not isinstance(where.get(field), kind) or isinstance(where.get(field), bool) != (kind is bool):
                problems.append(f"{section}.{field} is {where.get(field)!r}, expected {kind}")
    run = data.get("run") if isinstance(data.get("run"), dict) else {}
    if isinstance(run.get("commit"), str) and not (len(run["commit"]) == 40 and
                                                   all(c in "0123456789abcdef" for c in run["commit"])):
        problems.append(f"run.commit {run['commit']!r} is not a full git commit hash")
    if isinstance(run.get("wall_time_s"), (int, float)) and not run["wall_time_s"] > 0:
        problems.append("run.wall_time_s must be positive")
    speed = run.get("training_step_ms")   # written by make reference since commit d1f5ac8; older files lack it
    if speed is not None and not (isinstance(speed, dict) and set(speed) == {"before", "after"} and all(
            value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0)
            for value in speed.values())):
        problems.append(f"run.training_step_ms is {speed!r}, expected {{'before': ms or null, 'after': ms or null}}")
    results = data.get("results")
    if not isinstance(results, dict):
        problems.append("'results' is missing")
    else:
        for key, entry in results.items():
            if not (isinstance(entry, dict) and set(entry) == {"value", "description"}
                    and isinstance(entry["description"], str)):
                problems.append(f"results[{key!r}] must be {{'value': ..., 'description': str}}")
    figures = data.get("figures")
    if not isinstance(figures, dict):
        problems.append("'figures' is missing")
    else:
        for name, entry in figures.items():
            expected = f"figures/ch{chapter:02d}_{name}.png"
            if not (isinstance(entry, dict) and entry.get("file") == expected and isinstance(entry.get("caption"), str)):
                problems.append(f"figures[{name!r}] must be {{'file': {expected!r}, 'caption': str}}")
    return problems
