"""Checks for the exercises of chapter 1.

Every reference answer is computed here, independently of the notebook.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.exercises.core import NOT_ATTEMPTED, call_answer, fail, run_check

ONE_HOT_HINT = ("make an all-zero integer array with one row per label and one column per category, then put a "
                "single 1 in each row, in the column where that row's label sits in `categories`.")
SCALE_HINT = ("print the minimum and maximum of the broken function's output: which operation does Python do first "
              "in `a - b / c`? Convert to float before subtracting, so uint8 arithmetic cannot wrap around.")
ACCURACY_HINT = ("the element-wise product of two one-hot rows is 1 only where both have their 1 in the same column; "
                 "divide the number of such rows by the number of rows, and return a Python float.")
FLAT_INDEX_HINT = ("flattening lays out the last axis fastest: the channels of one pixel are neighbours, then the "
                   "pixels of one row, then the rows. Count how many values come before the pixel's first channel.")
SPLIT_HINT = ("handle one class at a time: shuffle that class's indices with the given seed, put round(fraction x "
              "count) of them in validation and the rest in training; join the classes at the end.")

#: The pixel of the "predict, then run" exercise: (row, column, channel) of a 32 x 32 x 3 image.
FLAT_INDEX_IMAGE_SHAPE = (32, 32, 3)
FLAT_INDEX_PIXEL = (3, 10, 2)


def check_one_hot(one_hot: Callable, quiet: bool = False) -> None:
    """one_hot(labels: list[str], categories: list[str]) -> int array (n_samples, n_classes)."""
    categories = ["t-shirt", "dress", "shoe"]
    cases = []
    for labels in (["dress", "shoe", "t-shirt"], ["shoe", "shoe", "dress", "t-shirt", "dress"], ["dress"]):
        expected = np.zeros((len(labels), len(categories)), dtype=int)
        expected[np.arange(len(labels)), [categories.index(label) for label in labels]] = 1
        cases.append(((labels, categories), expected))
    run_check("one_hot", one_hot, cases, quiet=quiet, hint=ONE_HOT_HINT)


def check_scale_to_symmetric(scale_to_symmetric: Callable, quiet: bool = False) -> None:
    """scale_to_symmetric(images: uint8 array) -> float array in [-1, 1]."""
    images = np.array([[0, 127, 128, 255], [10, 20, 30, 40]], dtype=np.uint8)
    expected = (images.astype(np.float64) - 127.5) / 127.5
    run_check("scale_to_symmetric", scale_to_symmetric, [((images,), expected)], tolerance=1e-6, quiet=quiet,
              hint=SCALE_HINT)


def check_accuracy_from_one_hot(accuracy: Callable, quiet: bool = False) -> None:
    """accuracy(labels, predictions), both one-hot (n, k) -> fraction of matching rows."""
    eye = np.eye(3)
    labels = eye[[0, 1, 2, 2, 1, 0, 1, 2]]
    predictions = eye[[0, 1, 2, 1, 1, 0, 2, 2]]
    run_check("accuracy_from_one_hot", accuracy, [((labels, predictions), 0.75), ((eye, eye), 1.0),
                                                  ((eye, eye[[1, 2, 0]]), 0.0)], quiet=quiet, hint=ACCURACY_HINT)


def check_predicted_flat_index(predicted_flat_index: Callable, quiet: bool = False) -> None:
    """predicted_flat_index() -> the position of FLAT_INDEX_PIXEL in image.reshape(-1); then shows the real one."""
    exercise = "predicted_flat_index"
    answer = call_answer(exercise, predicted_flat_index, hint=FLAT_INDEX_HINT)
    # The real position, found by flattening an image whose every value is its own position.
    positions = np.arange(int(np.prod(FLAT_INDEX_IMAGE_SHAPE))).reshape(FLAT_INDEX_IMAGE_SHAPE)
    real = int(positions[FLAT_INDEX_PIXEL])
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        fail(exercise, f"wrong type: expected a whole number (int), got {type(answer).__name__}", FLAT_INDEX_HINT)
    if int(answer) != real:
        fail(exercise, f"you predicted {int(answer)}; flattening puts (row, column, channel) "
                       f"{FLAT_INDEX_PIXEL} somewhere else", FLAT_INDEX_HINT)
    if not quiet:
        print(f"✅ {exercise}: correct - image.reshape(-1)[{real}] is image[{', '.join(map(str, FLAT_INDEX_PIXEL))}]")


def _split_problem(split: Callable, labels: np.ndarray, fraction: float, seed: int) -> str | None:
    """None when ``split(labels, fraction, seed)`` meets every constraint, else what is wrong."""
    result = split(labels, fraction, seed)
    if not (isinstance(result, tuple) and len(result) == 2):
        return f"wrong type: expected a tuple (train_indices, validation_indices), got {type(result).__name__}"
    train, validation = result
    for name, part in (("train_indices", train), ("validation_indices", validation)):
        if not isinstance(part, np.ndarray) or part.ndim != 1 or not np.issubdtype(part.dtype, np.integer):
            return f"wrong type: {name} must be a 1-D NumPy array of integers"
    together = np.concatenate([train, validation])
    if len(together) != len(labels) or not np.array_equal(np.sort(together), np.arange(len(labels))):
        return ("the two index arrays must together hold every index 0 .. n-1 exactly once "
                f"(got {len(train)} + {len(validation)} indices for {len(labels)} labels, or repeats)")
    for label in np.unique(labels):
        count = int(np.sum(labels == label))
        wanted = round(count * fraction)
        got = int(np.sum(labels[validation] == label))
        if got != wanted:
            return (f"class {label} has {count} examples, so round({fraction} x {count}) = {wanted} belong in "
                    f"validation; yours has {got} (labels of {len(labels)} examples, seed {seed})")
    again = split(labels, fraction, seed)
    if not (np.array_equal(again[0], train) and np.array_equal(again[1], validation)):
        return "the same seed must give the same split"
    other = split(labels, fraction, seed + 1)
    if np.array_equal(np.sort(other[1]), np.sort(validation)):
        return "a different seed gave the same validation set: shuffle with the seed (np.random.default_rng(seed))"
    return None


def check_stratified_split(split: Callable, quiet: bool = False) -> None:
    """split(labels, validation_fraction, seed) -> (train_indices, validation_indices), stratified by class."""
    exercise = "stratified_split"
    rng = np.random.default_rng(7)
    cases = (np.repeat(np.arange(3), [40, 25, 10]), rng.integers(0, 10, size=500), np.array([0, 1] * 30))
    for labels, fraction in zip(cases, (0.2, 0.1, 0.25)):
        try:
            problem = _split_problem(split, rng.permutation(labels), fraction, seed=0)
        except NotImplementedError:
            problem = NOT_ATTEMPTED
        except Exception as error:  # the learner's code failed: say how, without a traceback
            problem = f"your function raised {type(error).__name__}: {error}"
        if problem:
            fail(exercise, problem, SPLIT_HINT)
    if not quiet:
        print(f"✅ {exercise}: correct")
