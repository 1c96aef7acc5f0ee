"""Checks for the exercises of chapter 6."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.exercises.core import run_check

def check_first_kernel(first_kernel: Callable, model, quiet: bool = False) -> None:
    """first_kernel(model) -> the (KH, KW) kernel of filter 0, input channel 0, of the first Conv2D layer."""
    import keras

    layer = next(layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D))
    expected = np.asarray(layer.get_weights()[0])[:, :, 0, 0]
    run_check("first_kernel", first_kernel, [((model,), expected)], quiet=quiet)


def check_rescale_for_display(rescale: Callable, quiet: bool = False) -> None:
    """rescale(kernel) -> the kernel stretched linearly to the range 0-1 (min -> 0, max -> 1)."""
    kernel = np.random.default_rng(5).normal(size=(3, 3, 3))
    expected = (kernel - kernel.min()) / (kernel.max() - kernel.min())
    run_check("rescale_for_display", rescale, [((kernel,), expected)], quiet=quiet)


def check_strongest_filter(strongest_filter: Callable, quiet: bool = False) -> None:
    """strongest_filter(feature_maps (H, W, F)) -> index of the filter with the largest mean activation."""
    maps = np.random.default_rng(6).random((5, 5, 8))
    maps[..., 5] += 0.5
    other = np.random.default_rng(7).random((3, 4, 6))
    run_check("strongest_filter", strongest_filter,
                     [((maps,), 5), ((other,), int(other.mean(axis=(0, 1)).argmax()))], quiet=quiet)
