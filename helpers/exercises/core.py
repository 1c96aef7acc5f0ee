"""Exercise checks with specific feedback, for every chapter's exercises.

Each exercise asks the learner to complete a function. Its check calls that function on fixed inputs and
compares the result with a reference computed here, independently of anything else in the notebook. The
feedback says exactly what is wrong:

* correct;
* not attempted yet (the function still raises ``NotImplementedError``);
* the function raised another error;
* wrong type (e.g. a list where an array is expected);
* wrong shape (expected vs got);
* wrong values (the first differing index, expected vs got, and the tolerance).

A correct answer prints one line and returns ``None``; anything else raises ``AssertionError`` with that
feedback, so nbgrader's ``validate`` and ``autograde`` count it as a failure.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

NOT_ATTEMPTED = "not attempted yet"


def compare(expected: Any, got: Any, tolerance: float = 1e-6) -> str | None:
    """None when ``got`` matches ``expected``, otherwise a sentence saying what differs."""
    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray):
            return f"wrong type: expected a NumPy array, got {type(got).__name__}"
        if got.shape != expected.shape:
            return f"wrong shape: expected {expected.shape}, got {got.shape}"
        if not np.issubdtype(got.dtype, np.number) and got.dtype != bool:
            return f"wrong type: expected numbers, got an array of dtype {got.dtype}"
        close = np.isclose(got, expected, atol=tolerance, rtol=0)
        if not close.all():
            index = tuple(int(i) for i in np.argwhere(~close)[0])
            return (f"wrong values: first difference at index {index}: expected {expected[index].item():.6g}, "
                    f"got {got[index].item():.6g} (tolerance {tolerance:g})")
        return None
    if isinstance(expected, bool) or isinstance(got, bool):
        return None if got is expected else f"wrong values: expected {expected!r}, got {got!r}"
    if isinstance(expected, numbers.Number):
        if not isinstance(got, numbers.Number):
            return f"wrong type: expected a number, got {type(got).__name__}"
        if isinstance(expected, numbers.Integral) and not float(got).is_integer():
            return f"wrong values: expected the whole number {expected}, got {got!r}"
        if abs(float(got) - float(expected)) > tolerance:
            return f"wrong values: expected {expected!r}, got {got!r} (tolerance {tolerance:g})"
        return None
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)):
            return f"wrong type: expected a tuple, got {type(got).__name__}"
        if len(got) != len(expected):
            return f"wrong shape: expected {len(expected)} values, got {len(got)}"
        for position, (e, g) in enumerate(zip(expected, got)):
            problem = compare(e, g, tolerance)
            if problem:
                return f"item {position}: {problem}"
        return None
    return None if got == expected else f"wrong values: expected {expected!r}, got {got!r}"


def run_check(exercise: str, function: Callable, cases: Sequence[tuple[tuple, Any]], tolerance: float = 1e-6,
              quiet: bool = False, hint: str = "") -> None:
    """Call ``function(*args)`` for each (args, expected) case; raise ``AssertionError`` at the first problem.

    A correct answer prints one confirmation line (unless ``quiet``) and returns ``None``, so Jupyter echoes
    nothing and nbgrader gives the cell full marks. A wrong or unattempted answer raises ``AssertionError``
    whose message says what is wrong and, when given, a ``hint`` that helps without giving the answer away:
    nbgrader's validate and autograde count it as a failure, and the learner sees one line, not a traceback
    into this module.
    """
    problem = None
    for args, expected in cases:
        try:
            got = function(*args)
        except NotImplementedError:
            problem = NOT_ATTEMPTED
            break
        except Exception as error:  # the learner's code failed: say how, without a traceback
            problem = f"your function raised {type(error).__name__}: {error}"
            break
        difference = compare(expected, got, tolerance)
        if difference:
            problem = f"{difference} (for input {_describe(args)})"
            break
    if problem is not None:
        mark = "⏳" if problem == NOT_ATTEMPTED else "❌"
        message = f"{mark} {exercise}: {problem}"
        if hint and problem != NOT_ATTEMPTED:
            message += f"\nHint: {hint}"
        raise AssertionError(message) from None
    if not quiet:
        print(f"✅ {exercise}: correct")


def _describe(args: tuple) -> str:
    parts = []
    for arg in args:
        if isinstance(arg, np.ndarray):
            parts.append(f"array of shape {arg.shape}")
        elif callable(arg):
            parts.append(getattr(arg, "__name__", "function"))
        else:
            parts.append(repr(arg))
    return ", ".join(parts)
