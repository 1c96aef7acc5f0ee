"""Exercise checks with specific feedback, for every chapter's exercises.

Each exercise asks the learner to complete a function. Its check calls that function on fixed inputs and
compares the result with a reference computed here, independently of anything else in the notebook. The
feedback says exactly what is wrong:

* correct;
* not attempted yet (the function still raises ``NotImplementedError``);
* the function raised another error;
* nothing returned (``None``: a forgotten ``return``);
* wrong type (a list where an array is expected, ``True`` where a number is, a float where a count is);
* wrong shape (expected vs got);
* wrong values, NaN and infinity included: for an array the first differing index with the expected and the
  returned value there; for a single number only the returned value and whether it is too large or too small,
  because printing the expected number would give the answer away.

A correct answer prints one line and returns ``None``; anything else raises ``AssertionError`` with that
feedback and the exercise's hint, so nbgrader's ``validate`` and ``autograde`` count it as a failure. Nothing
the check does writes to stderr (nbgrader gives a test cell that writes to stderr zero points), and nothing is
returned for Jupyter to echo.
"""

from __future__ import annotations

import contextlib
import io
import numbers
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn

import numpy as np

NOT_ATTEMPTED = "not attempted yet"

#: dtype kinds that hold plain real numbers: signed and unsigned integers and floats.
_REAL_KINDS = "iuf"


def _type_name(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"a NumPy array of dtype {value.dtype}"
    return type(value).__name__


def _show(value: Any) -> str:
    """repr() without NumPy 2's ``np.float64(...)`` wrapper, which means nothing to a learner."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _is_real_number(value: Any) -> bool:
    """A real number that is not a bool (``True == 1`` in Python, but it is not a count)."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _compare_arrays(expected: np.ndarray, got: Any, tolerance: float) -> str | None:
    if not isinstance(got, np.ndarray):
        return f"wrong type: expected a NumPy array, got {_type_name(got)}"
    if got.shape != expected.shape:
        return f"wrong shape: expected {expected.shape}, got {got.shape}"
    if expected.dtype.kind == "b":
        if got.dtype.kind != "b":
            return f"wrong type: expected an array of True/False values, got dtype {got.dtype}"
        differ = got != expected
        if differ.any():
            index = tuple(int(i) for i in np.argwhere(differ)[0])
            return f"wrong values: first difference at index {index}: expected {expected[index]}, got {got[index]}"
        return None
    if got.dtype.kind not in _REAL_KINDS:
        kind = {"b": "True/False values", "O": "Python objects", "c": "complex numbers"}.get(got.dtype.kind)
        return f"wrong type: expected an array of numbers, got {kind or 'dtype ' + str(got.dtype)} (dtype {got.dtype})"
    # integers and floats compare by value: a one-hot matrix of 0.0/1.0 is as right as one of 0/1
    got_float, expected_float = got.astype(float), expected.astype(float)
    bad_special = ~np.isfinite(got_float) & ~((got_float == expected_float) | (np.isnan(got_float)
                                                                          & np.isnan(expected_float)))
    if bad_special.any():
        index = tuple(int(i) for i in np.argwhere(bad_special)[0])
        return (f"wrong values: {got_float[index]} at index {index} is not a finite number "
                f"({int(bad_special.sum())} of {got.size} values are NaN or infinite)")
    close = np.isclose(got_float, expected_float, atol=tolerance, rtol=0, equal_nan=True)
    if not close.all():
        index = tuple(int(i) for i in np.argwhere(~close)[0])
        return (f"wrong values: first difference at index {index}: expected {expected_float[index]:.6g}, "
                f"got {got_float[index]:.6g} (tolerance {tolerance:g}; {int((~close).sum())} of {got.size} "
                "values differ)")
    return None


def _compare_numbers(expected: numbers.Real, got: Any, tolerance: float) -> str | None:
    if isinstance(got, np.ndarray) and got.ndim == 0 and got.dtype.kind in _REAL_KINDS:
        got = got.item()  # a 0-d array is a number in disguise
    if not _is_real_number(got):
        if isinstance(got, (bool, np.bool_)):
            return f"wrong type: expected a number, got the bool {bool(got)}"
        return f"wrong type: expected a number, got {_type_name(got)}"
    if isinstance(expected, numbers.Integral) and not isinstance(got, numbers.Integral):
        return (f"wrong type: expected a whole number (int), got the {_type_name(got)} {_show(got)}; a count or a size is "
                "never fractional - use whole-number arithmetic (//) or int()")
    if not np.isfinite(float(got)):
        return f"wrong values: got {_show(got)}, which is not a finite number"
    difference = float(got) - float(expected)
    if abs(difference) > tolerance:
        direction = "too large" if difference > 0 else "too small"
        return f"wrong values: got {_show(got)}, which is {direction} (tolerance {tolerance:g})"
    return None


def compare(expected: Any, got: Any, tolerance: float = 1e-6) -> str | None:
    """None when ``got`` matches ``expected``, otherwise a sentence saying what differs.

    NaN, infinity, ``None``, a bool where a number is expected, an object or complex array, a float where a
    whole number is expected, and a wrong shape are all wrong answers. For a single number the sentence does
    not print the expected value (it would be the answer); for an array it names the first differing index
    and both values there.
    """
    if got is None and expected is not None:
        return "wrong type: your function returned None - did you forget a return statement?"
    if isinstance(expected, np.ndarray):
        return _compare_arrays(expected, got, tolerance)
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return f"wrong type: expected True or False, got {_type_name(got)}"
        return None if bool(got) == bool(expected) else f"wrong values: got {bool(got)}"
    if isinstance(expected, numbers.Real):
        return _compare_numbers(expected, got, tolerance)
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return f"wrong type: expected a {type(expected).__name__}, got {_type_name(got)}"
        if len(got) != len(expected):
            return f"wrong shape: expected {len(expected)} values, got {len(got)}"
        for position, (expected_item, got_item) in enumerate(zip(expected, got)):
            problem = compare(expected_item, got_item, tolerance)
            if problem:
                return f"item {position}: {problem}"
        return None
    if type(got) is not type(expected):
        return f"wrong type: expected {type(expected).__name__}, got {_type_name(got)}"
    return None if got == expected else f"wrong values: got {_show(got)}"


@contextlib.contextmanager
def silenced_stderr() -> Iterator[None]:
    """Keep everything a check does (Python warnings, TensorFlow's C++ log lines) off stderr.

    nbgrader gives a test cell that writes anything to stderr zero points, and a correct answer must not lose
    its point because Keras warned while the check built a model. Both Python's ``sys.stderr`` and the process's
    file descriptor 2 (where TensorFlow's C++ logging writes, and which Jupyter's kernel forwards to the
    notebook) are redirected for the duration of the block.
    """
    sys.stderr.flush()
    saved_fd = None
    try:
        saved_fd = os.dup(2)
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
    except OSError:  # no usable file descriptor 2 (rare embedded interpreters): Python-level silencing only
        saved_fd = None
    try:
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        if saved_fd is not None:
            os.dup2(saved_fd, 2)
            os.close(saved_fd)


def is_whole_number(value: Any) -> bool:
    """An int or NumPy integer, not a bool: what a count or an index answer must be."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def fail(exercise: str, problem: str, hint: str = "") -> NoReturn:
    """Raise the check's ``AssertionError``: the exercise, what is wrong and, unless not attempted, the hint."""
    mark = "⏳" if problem == NOT_ATTEMPTED else "❌"
    message = f"{mark} {exercise}: {problem}"
    if hint and problem != NOT_ATTEMPTED:
        message += f"\nHint: {hint}"
    raise AssertionError(message) from None


def call_answer(exercise: str, function: Callable, *args: Any, hint: str = "") -> Any:
    """``function(*args)``, or the check's ``AssertionError`` if it is not attempted yet or raises."""
    try:
        return function(*args)
    except NotImplementedError:
        fail(exercise, NOT_ATTEMPTED, hint)
    except Exception as error:  # the learner's code failed: say how, without a traceback into the check
        fail(exercise, f"your function raised {type(error).__name__}: {error}", hint)


def run_check(exercise: str, function: Callable, cases: Sequence[tuple[tuple, Any]], tolerance: float = 1e-6,
              quiet: bool = False, hint: str = "") -> None:
    """Call ``function(*args)`` for each (args, expected) case; raise ``AssertionError`` at the first problem.

    A correct answer prints one confirmation line (unless ``quiet``) and returns ``None``, so Jupyter echoes
    nothing and nbgrader gives the cell full marks. A wrong or unattempted answer raises ``AssertionError``
    whose message says what is wrong and, when given, a ``hint`` that helps without giving the answer away:
    nbgrader's validate and autograde count it as a failure, and the learner sees one line, not a traceback
    into this module. Nothing is written to stderr while the learner's function runs.
    """
    problem = None
    with silenced_stderr():
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
                problem = f"{difference} (for input {_describe(args)})" if args else difference
                break
    if problem is not None:
        fail(exercise, problem, hint)
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
