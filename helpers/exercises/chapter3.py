"""Checks for the exercises of chapter 3."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.exercises.core import run_check

def _reference_conv(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    kh, kw = kernel.shape
    windows = np.lib.stride_tricks.sliding_window_view(image.astype(float), (kh, kw))
    return np.einsum("ijkl,kl->ij", windows, kernel)


def check_conv2d_valid(conv2d_valid: Callable, quiet: bool = False) -> None:
    """conv2d_valid(image (H, W), kernel (KH, KW)) -> (H-KH+1, W-KW+1) cross-correlation."""
    rng = np.random.default_rng(3)
    cases = []
    for image_shape, kernel in (((5, 5), np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])),
                                ((6, 4), np.array([[-1, 1], [-1, 1]])), ((4, 7), rng.normal(size=(1, 3)))):
        image = rng.integers(0, 10, image_shape).astype(float)
        cases.append(((image, kernel), _reference_conv(image, kernel)))
    run_check("conv2d_valid", conv2d_valid, cases, quiet=quiet)


def check_max_pool(max_pool: Callable, quiet: bool = False) -> None:
    """max_pool(image (H, W), size) -> (H // size, W // size) maxima of non-overlapping windows."""
    example = np.array([[1, 3, 10, 2], [5, 4, 6, 14], [1, 2, 17, 8], [3, 3, 10, 12]])
    rng = np.random.default_rng(4)
    odd = rng.integers(0, 50, (7, 9))
    expected_odd = odd[:6, :9].reshape(2, 3, 3, 3).max(axis=(1, 3))
    run_check("max_pool", max_pool, [((example, 2), np.array([[5, 14], [3, 17]])), ((odd, 3), expected_odd)],
                     quiet=quiet)


def check_output_size(output_size: Callable, quiet: bool = False) -> None:
    """output_size(input_size, kernel_size, padding, stride) -> floor((I - K + 2P) / S) + 1."""
    cases = [((28, 3, 1, 1), 28), ((28, 3, 1, 3), 10), ((256, 4, 1, 2), 128), ((5, 3, 1, 2), 3), ((28, 3, 0, 2), 13),
             ((222, 4, 1, 2), 111)]
    run_check("output_size", output_size, cases, quiet=quiet)
