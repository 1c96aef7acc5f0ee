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
    cmap: str = "gray",
    size: float = 1.5,
    max_width: float = 10.0,
    suptitle: str | None = None,
    title_colors: Sequence[str] | None = None,
) -> Figure:
    """Plot images in a grid, each with an optional title, and return the figure.

    ``images`` is one image or a batch (a list, or an array of shape (N, H, W) or (N, H, W, C)).
    A 3-D array counts as one image when its last axis has 1 or 3 channels and it has at least
    8 rows; pass a list to be explicit. (H, W) and (H, W, 1) are drawn in ``cmap``,
    (H, W, 3) as RGB (uint8 0-255 or floats 0-1). ``title_colors`` colours each title
    (for example green for right and red for wrong predictions). Panels shrink below ``size``
    inches when needed to keep the figure within ``max_width`` inches.
    """
    batch = [np.asarray(images)] if _is_single_image(images) else [np.asarray(im) for im in images]
    if not batch:
        raise ValueError("show_images needs at least one image.")
    if titles is not None and len(titles) != len(batch):
        raise ValueError(f"Got {len(batch)} images but {len(titles)} titles; give one title per image.")
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
            ax.imshow(image, cmap=cmap)
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
