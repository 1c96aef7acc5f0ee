"""The exercise-check machinery (helpers.exercises.core), and every exported check against answers that must fail.

A right answer prints "✅ name: correct" and returns None; a wrong or unattempted one raises AssertionError
saying what is wrong (plus the hint); special values are wrong answers, never passes. The chapters' own
checks are tested against their correct solutions in tests/test_exercises_chapterN.py.
"""

import inspect
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises.core import NOT_ATTEMPTED, call_answer, compare, fail, run_check, silenced_stderr


def not_yet(*args):
    raise NotImplementedError()


def count_params(sizes):
    return sum(units * (inputs + 1) for inputs, units in zip(sizes[:-1], sizes[1:]))


COUNT_CASES = [(([784, 512, 512, 10],), 669_706), (([3, 2],), 8)]
ARRAY = np.array([[0.5, -1.0], [2.0, 3.0]])


# --- run_check: what the learner sees ---------------------------------------------------------------------------

def test_a_correct_answer_prints_one_line_and_returns_none(capfd):
    assert run_check("count_params", count_params, COUNT_CASES) is None
    out, err = capfd.readouterr()
    assert out == "✅ count_params: correct\n" and err == ""


def test_quiet_prints_nothing(capfd):
    run_check("count_params", count_params, COUNT_CASES, quiet=True)
    assert capfd.readouterr() == ("", "")


def test_not_attempted_raises_without_the_hint(capfd):
    with pytest.raises(AssertionError) as raised:
        run_check("count_params", not_yet, COUNT_CASES, hint="count weights and biases")
    assert str(raised.value) == f"⏳ count_params: {NOT_ATTEMPTED}"
    assert capfd.readouterr() == ("", "")


def test_a_wrong_answer_raises_with_the_hint_but_not_the_expected_number():
    with pytest.raises(AssertionError) as raised:
        run_check("count_params", lambda sizes: count_params(sizes) - sizes[-1], COUNT_CASES,
                  hint="every unit has a bias")
    message = str(raised.value)
    assert message.startswith("❌ count_params: wrong values: got 669696, which is too small")
    assert message.endswith("(for input [784, 512, 512, 10])\nHint: every unit has a bias")
    assert "669706" not in message.replace(",", "").replace("_", "")


def test_an_error_in_the_learners_code_is_reported_without_a_traceback():
    with pytest.raises(AssertionError) as raised:
        run_check("ratio", lambda x: x / 0, [((1,), 1.0)])
    assert str(raised.value) == "❌ ratio: your function raised ZeroDivisionError: division by zero"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_nothing_reaches_stderr_while_the_check_runs(capfd):
    import warnings

    def noisy(x):
        warnings.warn("a library complains")
        print("python stderr", file=sys.stderr)
        os.write(2, b"C++ log line\n")  # where TensorFlow's C++ logging writes
        return x

    run_check("noisy", noisy, [((2,), 2)])
    out, err = capfd.readouterr()
    assert out == "✅ noisy: correct\n" and err == ""
    print("after", file=sys.stderr)  # stderr works again afterwards
    assert capfd.readouterr().err == "after\n"


def test_fail_and_call_answer_give_the_same_messages_as_run_check():
    with pytest.raises(AssertionError, match=f"^⏳ design: {NOT_ATTEMPTED}$"):
        call_answer("design", not_yet, hint="h")
    with pytest.raises(AssertionError, match="^❌ design: your function raised KeyError: 'x'\nHint: h$"):
        call_answer("design", lambda: {}["x"], hint="h")
    assert call_answer("design", lambda a: a + 1, 1) == 2
    with pytest.raises(AssertionError, match="^❌ design: too deep\nHint: h$"):
        fail("design", "too deep", "h")


# --- compare: special values and wrong kinds are wrong answers ---------------------------------------------------

@pytest.mark.parametrize("got, problem", [
    (None, "wrong type: your function returned None - did you forget a return statement?"),
    (float("nan"), "wrong values: got nan, which is not a finite number"),
    (float("inf"), "wrong values: got inf, which is not a finite number"),
    (np.float64("-inf"), "wrong values: got -inf, which is not a finite number"),
    (True, "wrong type: expected a number, got the bool True"),
    (np.bool_(True), "wrong type: expected a number, got the bool True"),
    ("0.75", "wrong type: expected a number, got str"),
    (0.75 + 0j, "wrong type: expected a number, got complex"),
    ([0.75], "wrong type: expected a number, got list"),
    (np.array([0.75]), "wrong type: expected a number, got a NumPy array of dtype float64"),
    (0.5, "wrong values: got 0.5, which is too small"),
    (0.9, "wrong values: got 0.9, which is too large"),
])
def test_special_and_wrong_numbers_fail(got, problem):
    message = compare(0.75, got)
    assert message is not None and problem in message
    assert "0.75" not in message.replace("0.75+0j", "")  # the expected number is not given away


@pytest.mark.parametrize("got", [0.75, np.float32(0.75), np.float64(0.7500000001), np.array(0.75)])
def test_right_numbers_pass(got):
    assert compare(0.75, got) is None


def test_a_count_must_be_a_whole_number():
    assert compare(13, 13) is None and compare(13, np.int64(13)) is None
    assert compare(13, 13.0).startswith("wrong type: expected a whole number (int), got the float 13.0")
    assert compare(13, 13.5).startswith("wrong type: expected a whole number (int)")
    assert compare(1, True) == "wrong type: expected a number, got the bool True"
    assert compare(13, 12) == "wrong values: got 12, which is too small (tolerance 1e-06)"


@pytest.mark.parametrize("got, problem", [
    (None, "returned None"),
    (ARRAY.tolist(), "wrong type: expected a NumPy array, got list"),
    (ARRAY.T[:1], "wrong shape: expected (2, 2), got (1, 2)"),
    (ARRAY.ravel(), "wrong shape: expected (2, 2), got (4,)"),
    (ARRAY.astype(object), "wrong type: expected an array of numbers, got Python objects"),
    (ARRAY.astype(complex), "wrong type: expected an array of numbers, got complex numbers"),
    (ARRAY > 0, "wrong type: expected an array of numbers, got True/False values"),
    (ARRAY.astype(str), "wrong type: expected an array of numbers, got dtype <U32"),
    (np.where(ARRAY > 2, np.nan, ARRAY), "wrong values: nan at index (1, 1) is not a finite number (1 of 4 values are NaN or infinite)"),
    (np.full((2, 2), np.inf), "wrong values: inf at index (0, 0) is not a finite number (4 of 4 values are NaN or infinite)"),
    (ARRAY + np.eye(2) * [0, 1], "wrong values: first difference at index (1, 1): expected 3, got 4 (tolerance 1e-06; "
                                 "1 of 4 values differ)"),
])
def test_special_and_wrong_arrays_fail(got, problem):
    message = compare(ARRAY, got)
    assert message is not None and problem in message


def test_right_arrays_pass_whatever_the_real_dtype():
    one_hot = np.eye(3, dtype=int)
    assert compare(one_hot, np.eye(3)) is None and compare(one_hot, np.eye(3, dtype=np.uint8)) is None
    assert compare(ARRAY, ARRAY.astype(np.float32)) is None
    assert compare(np.array([1.0, np.inf]), np.array([1.0, np.inf])) is None  # a special value that is the answer
    assert compare(np.array([1.0, np.inf]), np.array([1.0, -np.inf])) is not None


def test_bool_arrays():
    mask = np.array([True, False])
    assert compare(mask, mask.copy()) is None
    assert compare(mask, mask.astype(int)) == "wrong type: expected an array of True/False values, got dtype int64"
    assert compare(mask, ~mask).startswith("wrong values: first difference at index (0,)")


def test_tuples_are_compared_item_by_item():
    assert compare((28, 0.5), [28, 0.5]) is None
    assert compare((28, 0.5), (28,)) == "wrong shape: expected 2 values, got 1"
    assert compare((28, 0.5), 28) == "wrong type: expected a tuple, got int"
    assert compare((28, 0.5), (28, float("nan"))) == "item 1: wrong values: got nan, which is not a finite number"
    assert compare((28, (1, 2)), (28, (1, 3))).startswith("item 1: item 1: wrong values: got 3, which is too large")


def test_other_values_compare_by_type_and_equality():
    assert compare("Conv2D", "Conv2D") is None
    assert compare("Conv2D", "Dense") == "wrong values: got 'Dense'"
    assert compare(True, True) is None and compare(True, 1) == "wrong type: expected True or False, got int"
    assert compare(False, True) == "wrong values: got True"


# --- every exported check fails answers that must fail -----------------------------------------------------------

def _single_argument_checks():
    """The exported checks that need nothing but the learner's function (others take e.g. a trained model)."""
    for name in sorted(exercises.__all__ if hasattr(exercises, "__all__") else dir(exercises)):
        check = getattr(exercises, name)
        if not (name.startswith("check_") and callable(check)):
            continue
        required = [p for p in inspect.signature(check).parameters.values()
                    if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
        if len(required) == 1:
            yield name


SINGLE_ARGUMENT_CHECKS = list(_single_argument_checks())


def test_there_are_checks_to_test():
    assert len(SINGLE_ARGUMENT_CHECKS) >= 12


@pytest.mark.parametrize("name", SINGLE_ARGUMENT_CHECKS)
def test_every_check_says_not_attempted_for_a_blank_answer(name, capfd):
    with pytest.raises(AssertionError) as raised:
        getattr(exercises, name)(not_yet)
    assert NOT_ATTEMPTED in str(raised.value)
    assert capfd.readouterr() == ("", "")  # nothing printed before the error, nothing on stderr


@pytest.mark.parametrize("special", [None, float("nan"), float("inf"), True, "answer"], ids=repr)
@pytest.mark.parametrize("name", SINGLE_ARGUMENT_CHECKS)
def test_every_check_rejects_special_values(name, special, capfd):
    with pytest.raises(AssertionError) as raised:
        getattr(exercises, name)(lambda *args, **kwargs: special)
    assert str(raised.value).startswith("❌")
    assert capfd.readouterr().err == ""


def test_silenced_stderr_restores_everything():
    with silenced_stderr():
        print("hidden", file=sys.stderr)
    assert sys.stderr is sys.__stderr__ or sys.stderr is not None
    os.fstat(2)  # file descriptor 2 is open again
