"""Evaluation beyond a single accuracy number."""

from __future__ import annotations

import numpy as np


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int | None = None) -> np.ndarray:
    """Count matrix ``C`` with ``C[i, j]`` = number of examples of true class i predicted as class j.

    ``y_true`` and ``y_pred`` are integer class indices of the same length (any shape that flattens
    to (n,), so Keras' (n, 1) CIFAR labels work too). ``num_classes`` defaults to the largest label + 1.
    """
    true = np.asarray(y_true).reshape(-1)
    pred = np.asarray(y_pred).reshape(-1)
    if true.shape != pred.shape:
        raise ValueError(f"y_true has {true.size} labels but y_pred has {pred.size}; they must match one to one.")
    if true.size and (min(true.min(), pred.min()) < 0):
        raise ValueError("Class indices must be non-negative integers.")
    if num_classes is None:
        num_classes = int(max(true.max(initial=-1), pred.max(initial=-1))) + 1
    elif true.size and max(true.max(), pred.max()) >= num_classes:
        raise ValueError(f"A label is >= num_classes={num_classes}.")
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (true, pred), 1)
    return matrix


def per_class_accuracy(matrix: np.ndarray) -> np.ndarray:
    """Recall of each class: the diagonal of a confusion matrix divided by its row sums (NaN for empty rows)."""
    totals = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / totals, np.nan)
