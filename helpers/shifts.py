"""The shifted-input experiment of chapters 2 and 4: how accuracy falls when test images move."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def shift_images(images: np.ndarray, dx: int = 0, dy: int = 0) -> np.ndarray:
    """Move every image ``dx`` pixels right and ``dy`` pixels down, filling the uncovered border with zeros.

    ``images`` has shape (N, H, W) or (N, H, W, C); negative shifts move left/up. Pixels pushed
    past the edge are lost (unlike ``np.roll``, nothing wraps around).
    """
    images = np.asarray(images)
    if images.ndim not in (3, 4):
        raise ValueError(f"Expected a batch of shape (N, H, W) or (N, H, W, C), got {images.shape}.")
    height, width = images.shape[1:3]
    if abs(dx) >= width or abs(dy) >= height:
        raise ValueError(f"A shift of ({dx}, {dy}) moves {height}x{width} images out of the frame entirely.")
    shifted = np.zeros_like(images)
    source_rows = slice(max(0, -dy), height - max(0, dy))
    target_rows = slice(max(0, dy), height - max(0, -dy))
    source_cols = slice(max(0, -dx), width - max(0, dx))
    target_cols = slice(max(0, dx), width - max(0, -dx))
    shifted[:, target_rows, target_cols] = images[:, source_rows, source_cols]
    return shifted


def pad_canvas(images: np.ndarray, pad: int) -> np.ndarray:
    """Place every image in the middle of a larger zero canvas, ``pad`` pixels wider on each side.

    (N, H, W[, C]) -> (N, H + 2 pad, W + 2 pad[, C]). Shifting the padded images by up to ``pad`` pixels loses
    no ink, so a shift experiment on them measures the effect of *position* alone, not of cropped pixels.
    """
    images = np.asarray(images)
    if images.ndim not in (3, 4):
        raise ValueError(f"Expected a batch of shape (N, H, W) or (N, H, W, C), got {images.shape}.")
    if isinstance(pad, bool) or not isinstance(pad, (int, np.integer)) or pad < 0:
        raise ValueError(f"pad must be a whole number of pixels >= 0, got {pad!r}.")
    widths = [(0, 0), (pad, pad), (pad, pad)] + [(0, 0)] * (images.ndim - 3)
    return np.pad(images, widths)


def accuracy_under_shift(
    predict_classes: Callable[[np.ndarray], np.ndarray],
    images: np.ndarray,
    labels: np.ndarray,
    shifts: Sequence[int],
    direction: str = "right",
) -> np.ndarray:
    """Accuracy of ``predict_classes(images) -> class indices`` for each shift in pixels.

    ``direction`` is 'right', 'down' or 'diagonal' (right and down by the same amount).
    """
    steps = {"right": (1, 0), "down": (0, 1), "diagonal": (1, 1)}
    if direction not in steps:
        raise ValueError(f"direction must be one of {', '.join(steps)}, got {direction!r}.")
    unit_x, unit_y = steps[direction]
    truth = np.asarray(labels).reshape(-1)
    return np.array([
        float(np.mean(np.asarray(predict_classes(shift_images(images, unit_x * s, unit_y * s))).reshape(-1) == truth))
        for s in shifts
    ])
