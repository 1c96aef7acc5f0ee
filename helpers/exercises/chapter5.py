"""Checks for the exercises of chapter 5."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.exercises.core import run_check

def check_baseline_model(build_baseline: Callable, quiet: bool = False) -> None:
    """build_baseline() -> the 528,054-parameter CIFAR-10 baseline of chapter 5."""
    expected = (528_054, (None, 10), ("Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D",
                                      "Dropout", "Flatten", "Dense", "Dropout", "Dense"))
    run_check("build_baseline", lambda: _layer_summary(build_baseline()), [((), expected)], quiet=quiet)


def check_conv_macs(conv_macs: Callable, quiet: bool = False) -> None:
    """conv_macs(kernel_size, in_channels, out_height, out_width, filters) -> multiply-accumulates."""
    cases = [((3, 3, 222, 222, 64), 85_162_752), ((4, 64, 111, 111, 64), 807_469_056), ((1, 32, 112, 112, 32), 12_845_056)]
    run_check("conv_macs", conv_macs, cases, quiet=quiet)


def check_class_accuracies(class_accuracies: Callable, quiet: bool = False) -> None:
    """class_accuracies(y_true, y_pred, n_classes) -> array (n_classes,) of each class's accuracy."""
    y_true = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 2, 2, 0, 2])
    run_check("class_accuracies", class_accuracies,
                     [((y_true, y_pred, 3), np.array([1 / 2, 2 / 3, 3 / 4]))], quiet=quiet)
