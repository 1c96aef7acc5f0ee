"""Evaluation beyond a single accuracy number."""

from __future__ import annotations

import numpy as np


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int | None = None) -> np.ndarray:
    """Count matrix ``C`` with ``C[i, j]`` = number of examples of true class i predicted as class j.

    ``y_true`` and ``y_pred`` are integer class indices of the same length (any shape that flattens
    to (n,), so Keras' (n, 1) CIFAR labels work too). ``num_classes`` defaults to the largest label + 1.
    """
    true = _class_indices(y_true, "y_true")
    pred = _class_indices(y_pred, "y_pred")
    if num_classes is not None and (isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer))
                                    or num_classes < 1):
        raise TypeError(f"num_classes must be a positive integer or None, got {num_classes!r}.")
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


def _class_indices(labels: np.ndarray, name: str) -> np.ndarray:
    if labels is None:
        raise TypeError(f"{name} is None; pass an array of integer class indices.")
    array = np.asarray(labels)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name} must hold integer class indices, got dtype {array.dtype}.")
    if not np.issubdtype(array.dtype, np.integer):
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} contains NaN or infinity; class indices must be whole numbers.")
        if not np.all(array == np.round(array)):
            raise ValueError(f"{name} contains fractional values; pass class indices (e.g. probabilities.argmax(-1)).")
        array = array.astype(np.int64)
    return array.reshape(-1)


def per_class_accuracy(matrix: np.ndarray) -> np.ndarray:
    """Recall of each class: the diagonal of a confusion matrix divided by its row sums (NaN for empty rows)."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"Expected a square confusion matrix, got shape {matrix.shape}.")
    totals = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / totals, np.nan)
