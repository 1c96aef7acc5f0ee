"""Figures shared by several chapters."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def show_images(
    images: np.ndarray | Sequence[np.ndarray],
    titles: Sequence[str] | None = None,
    ncols: int = 8,
    cmap: str | Sequence[str] = "gray",
    size: float = 1.5,
    max_width: float = 10.0,
    suptitle: str | None = None,
    title_colors: Sequence[str] | None = None,
    centre_zero: bool = False,
) -> Figure:
    """Plot images in a grid, each with an optional title, and return the figure.

    ``images`` is one image or a batch (a list, or an array of shape (N, H, W) or (N, H, W, C)).
    A 3-D array counts as one image when its last axis has 1 or 3 channels and it has at least
    8 rows; pass a list to be explicit. (H, W) and (H, W, 1) are drawn in ``cmap`` (one name, or one per image);
    ``centre_zero`` gives every image not drawn in "gray" symmetric colour limits, so zero sits in the middle of
    a diverging colour map such as "RdBu_r" (for feature maps next to the image they came from). 
    (H, W, 3) as RGB (uint8 0-255 or floats 0-1). ``title_colors`` colours each title
    (for example green for right and red for wrong predictions). Panels shrink below ``size``
    inches when needed to keep the figure within ``max_width`` inches.
    """
    batch = [np.asarray(images)] if _is_single_image(images) else [np.asarray(im) for im in images]
    if not batch:
        raise ValueError("show_images needs at least one image.")
    if titles is not None and len(titles) != len(batch):
        raise ValueError(f"Got {len(batch)} images but {len(titles)} titles; give one title per image.")
    cmaps = [cmap] * len(batch) if isinstance(cmap, str) else list(cmap)
    if len(cmaps) != len(batch):
        raise ValueError(f"Got {len(batch)} images but {len(cmaps)} colour maps; give one, or one per image.")
    ncols = max(1, min(ncols, len(batch)))
    nrows = math.ceil(len(batch) / ncols)
    size = min(size, max_width / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.4 if suptitle else 0)),
                             squeeze=False)
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index >= len(batch):
            continue
        image = batch[index]
        if image.ndim == 3 and image.shape[-1] == 1:
            image = image[..., 0]
        if image.ndim == 2:
            limit = float(np.abs(image).max()) or 1.0 if centre_zero and cmaps[index] != "gray" else None
            ax.imshow(image, cmap=cmaps[index], vmin=-limit if limit else None, vmax=limit)
        elif image.ndim == 3 and image.shape[-1] == 3:
            ax.imshow(image)
        else:
            raise ValueError(f"Image {index} has shape {image.shape}; expected (H, W), (H, W, 1) or (H, W, 3).")
        if titles is not None:
            color = title_colors[index] if title_colors is not None else "black"
            ax.set_title(titles[index], fontsize=9, color=color)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def _is_single_image(images: np.ndarray | Sequence[np.ndarray]) -> bool:
    if not isinstance(images, np.ndarray):
        return False
    return images.ndim == 2 or (images.ndim == 3 and images.shape[-1] in (1, 3) and images.shape[0] >= 8)


def plot_history(history, metrics: Sequence[str] = ("loss", "accuracy"), title: str | None = None) -> Figure:
    """Learning curves: one panel per metric, training vs validation, against the epoch number.

    ``history`` is what ``model.fit`` returns (or its ``.history`` dict).
    """
    logs = getattr(history, "history", history)
    shown = [m for m in metrics if m in logs]
    if not shown:
        raise ValueError(f"None of {list(metrics)} is in the history; it has {sorted(logs)}.")
    fig, axes = plt.subplots(1, len(shown), figsize=(4.5 * len(shown), 3.2), squeeze=False)
    for ax, metric in zip(axes.flat, shown):
        epochs = np.arange(1, len(logs[metric]) + 1)
        ax.plot(epochs, logs[metric], "o-", label="training")
        if f"val_{metric}" in logs:
            ax.plot(epochs, logs[f"val_{metric}"], "s--", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.set_xticks(epochs if len(epochs) <= 12 else np.linspace(1, len(epochs), 6).round())
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_confusion_matrix(matrix: np.ndarray, class_names: Sequence[str], title: str | None = None) -> Figure:
    """Draw a confusion matrix (rows: true class, columns: predicted class) with the counts written in."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] != len(class_names):
        raise ValueError(f"Expected a square matrix with one row per class name ({len(class_names)}), "
                         f"got shape {matrix.shape}.")
    n = len(class_names)
    fig, ax = plt.subplots(figsize=(0.55 * n + 2.5, 0.55 * n + 2))
    shown = ax.imshow(matrix, cmap="Blues")
    fig.colorbar(shown, ax=ax, fraction=0.046, pad=0.03, label="images")
    threshold = matrix.max() / 2 if matrix.size else 0
    for i in range(n):
        for j in range(n):
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8,
                    color="white" if matrix[i, j] > threshold else "black")
    ax.set_xticks(range(n), class_names, rotation=45, ha="right")
    ax.set_yticks(range(n), class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title or "confusion matrix")
    fig.tight_layout()
    return fig


def plot_shift_accuracy(shifts: Sequence[int], accuracies: dict[str, Sequence[float]],
                        title: str = "accuracy on shifted test images") -> Figure:
    """Accuracy against shift in pixels, one line per model (the experiment of chapters 2 and 4)."""
    fig, ax = plt.subplots(figsize=(5.5, 3.5))
    for name, values in accuracies.items():
        if len(values) != len(shifts):
            raise ValueError(f"{name}: {len(values)} accuracies for {len(shifts)} shifts.")
        ax.plot(shifts, values, "o-", label=name)
    ax.set_xlabel("shift (pixels)")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title(title)
    fig.tight_layout()
    return fig


def show_feature_maps(maps: Sequence[np.ndarray], titles: Sequence[str], ncols: int = 5, size: float = 2.2,
                      percentile: float = 99.5, suptitle: str | None = None) -> Figure:
    """Signed feature maps, each on a diverging colour map centred at 0 with its own colour bar.

    Each map's limits are +-(the ``percentile`` of its absolute values), so a few extreme pixels do not wash the
    rest out to white; values beyond the limit are drawn at the end colour. A map that is never negative and not
    all zero (an image) is drawn in gray from 0 instead, also with a colour bar.
    """
    if len(maps) != len(titles):
        raise ValueError(f"Got {len(maps)} maps but {len(titles)} titles; give one title per map.")
    ncols = max(1, min(ncols, len(maps)))
    nrows = math.ceil(len(maps) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols * 1.15, size * nrows + (0.4 if suptitle else 0)),
                             squeeze=False)
    for ax in axes.flat[len(maps):]:
        ax.axis("off")
    for ax, feature_map, title in zip(axes.flat, maps, titles):
        feature_map = np.asarray(feature_map, dtype=float)
        limit = float(np.percentile(np.abs(feature_map), percentile)) or float(np.abs(feature_map).max()) or 1.0
        if feature_map.min() >= 0 and feature_map.max() > 0:
            shown = ax.imshow(feature_map, cmap="gray", vmin=0, vmax=limit)
        else:
            shown = ax.imshow(feature_map, cmap="RdBu_r", vmin=-limit, vmax=limit)
        fig.colorbar(shown, ax=ax, fraction=0.046, pad=0.03).ax.tick_params(labelsize=7)
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig
