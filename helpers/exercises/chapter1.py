"""Checks for the exercises of chapter 1."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.exercises.core import run_check

def check_one_hot(one_hot: Callable, quiet: bool = False) -> None:
    """one_hot(labels: list[str], categories: list[str]) -> int array (n_samples, n_classes)."""
    categories = ["t-shirt", "dress", "shoe"]
    cases = []
    for labels in (["dress", "shoe", "t-shirt"], ["shoe", "shoe", "dress", "t-shirt", "dress"], ["dress"]):
        expected = np.zeros((len(labels), len(categories)), dtype=int)
        expected[np.arange(len(labels)), [categories.index(label) for label in labels]] = 1
        cases.append(((labels, categories), expected))
    run_check("one_hot", one_hot, cases, quiet=quiet)


def check_scale_to_symmetric(scale_to_symmetric: Callable, quiet: bool = False) -> None:
    """scale_to_symmetric(images: uint8 array) -> float array in [-1, 1]."""
    images = np.array([[0, 127, 128, 255], [10, 20, 30, 40]], dtype=np.uint8)
    expected = (images.astype(np.float64) - 127.5) / 127.5
    run_check("scale_to_symmetric", scale_to_symmetric, [((images,), expected)], quiet=quiet)


def check_accuracy_from_one_hot(accuracy: Callable, quiet: bool = False) -> None:
    """accuracy(labels, predictions), both one-hot (n, k) -> fraction of matching rows."""
    eye = np.eye(3)
    labels = eye[[0, 1, 2, 2, 1, 0, 1, 2]]
    predictions = eye[[0, 1, 2, 1, 1, 0, 2, 2]]
    run_check("accuracy_from_one_hot", accuracy, [((labels, predictions), 0.75), ((eye, eye), 1.0)], quiet=quiet)
