"""Looking inside trained CNNs (chapter 6): plotting kernels and feature maps, receptive fields, the image
patches a filter responds to most, and diagrams of a residual block and of Grad-CAM.

The methods the chapter teaches (activation maximisation and Grad-CAM, with their ``GradientTape`` loops) are
written out in the notebook itself; this module holds the plumbing around them.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def conv_layers(model) -> list:
    """The model's Conv2D layers (including depthwise/separable ones), in order."""
    import keras

    return [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]


def plot_kernels(kernels: np.ndarray, title: str | None = None, max_filters: int = 64, ncols: int = 8,
                 panel_size: float = 1.0) -> Figure:
    """Draw every filter of a conv layer. kernels: (KH, KW, C_in, F), the layout of ``Conv2D.kernel``.

    One input channel: each kernel in a diverging colour map centred on zero (red positive, blue negative),
    all on one symmetric scale, with a colour bar. Three input channels: each kernel as a small RGB image
    ``0.5 + kernel / (2 * limit)`` with one ``limit`` (the largest absolute weight) for all filters, so mid-grey
    is a zero weight in every channel and strengths compare across filters. Other channel counts: the first
    input channel, like the one-channel case.
    """
    kernels = np.asarray(kernels)
    if kernels.ndim != 4:
        raise ValueError(f"Expected kernels of shape (KH, KW, C_in, filters), got {kernels.shape}.")
    count = min(kernels.shape[-1], max_filters)
    ncols = max(1, min(ncols, count))
    nrows = math.ceil(count / ncols)
    colour = kernels.shape[2] == 3
    fig, axes = plt.subplots(nrows, ncols, squeeze=False,
                             figsize=(panel_size * ncols + (0 if colour else 0.9),
                                      panel_size * nrows + (0.5 if title else 0.1)))
    limit = float(np.abs(kernels[..., :count]).max()) or 1.0
    image = None
    for index, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if index >= count:
            ax.axis("off")
            continue
        kernel = kernels[..., index]
        if colour:
            ax.imshow(np.clip(0.5 + kernel / (2 * limit), 0, 1))
        else:
            image = ax.imshow(kernel[:, :, 0], cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(str(index), fontsize=8)
    if title:
        fig.suptitle(title)
    if image is not None:
        fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8, label="weight")
    else:
        fig.text(0.5, 0.0, f"RGB = 0.5 + weight / {2 * limit:.3g}: grey is a zero weight", ha="center", fontsize=8)
    return fig


def feature_map_model(model):
    """A model with the same input whose outputs are the outputs of every conv layer."""
    import keras

    layers = conv_layers(model)
    if not layers:
        raise ValueError(f"Model {model.name!r} has no convolution layers to look at.")
    return keras.Model(model.inputs[0], [layer.output for layer in layers], name=f"{model.name}_feature_maps")


def feature_maps(model, image: np.ndarray, maps_model=None) -> list[np.ndarray]:
    """Feature maps of one image: one (H, W, filters) array per conv layer, in order (pre-activation).

    ``maps_model`` is ``feature_map_model(model)``, built here unless a caller that asks often passes its own.
    """
    image = np.asarray(image, dtype="float32")
    expected = tuple(model.input_shape[1:])
    if image.shape != expected:
        raise ValueError(f"The image has shape {image.shape}; this model takes {expected} (no batch axis).")
    outputs = (maps_model or feature_map_model(model))(image[np.newaxis], training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [np.asarray(out)[0] for out in outputs]


def plot_feature_maps(maps: list[np.ndarray], names: list[str], channels: int = 8) -> Figure:
    """One row per layer, showing its first ``channels`` feature maps.

    The maps are conv outputs before batch norm and ReLU, so they are signed: each row uses a diverging colour
    map centred on zero with its own symmetric limits and colour bar (deeper layers have other magnitudes).
    """
    if len(maps) != len(names):
        raise ValueError(f"{len(maps)} feature maps but {len(names)} names.")
    fig, axes = plt.subplots(len(maps), channels, figsize=(1.2 * channels + 1.0, 1.25 * len(maps)), squeeze=False)
    for row, (volume, name) in enumerate(zip(maps, names)):
        limit = float(np.abs(volume[..., :channels]).max()) or 1.0
        image = None
        for col in range(channels):
            ax = axes[row, col]
            ax.set_xticks([])
            ax.set_yticks([])
            if col < volume.shape[-1]:
                image = ax.imshow(volume[..., col], cmap="RdBu_r", vmin=-limit, vmax=limit)
            else:
                ax.axis("off")
        axes[row, 0].set_ylabel(f"{name}\n{volume.shape[0]}x{volume.shape[1]}", fontsize=7)
        if image is not None:
            fig.colorbar(image, ax=axes[row].tolist(), shrink=0.9, pad=0.01)
    return fig


def receptive_field(model, layer_name: str) -> tuple[int, int]:
    """(size, jump) of one unit of ``layer_name``'s output, in input pixels, for a chain of convolutions and poolings.

    ``size`` is the side of the input square that can influence one unit; ``jump`` is the distance in input
    pixels between neighbouring units. Walks the layers up to ``layer_name`` in order: a kernel (or pool) of
    size k adds (k - 1) * jump, a stride s multiplies the jump by s. Layers on a residual branch lie on the
    longest path, so summing them gives the residual block's field (the skip path's is smaller).
    """
    size, jump = 1, 1
    for layer in model.layers:
        kernel = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
        if kernel is not None and len(layer.output.shape) == 4:
            strides = getattr(layer, "strides", None) or kernel
            size += (int(kernel[0]) - 1) * jump
            jump *= int(strides[0])
        if layer.name == layer_name:
            return size, jump
    raise ValueError(f"The model {model.name!r} has no layer {layer_name!r}.")


def inner_border(map_side: int) -> int:
    """How many units on each side of a feature map of side ``map_side`` count as its border: max(1, side // 8).

    Near the border a unit's receptive field reaches into the zero padding, so activation maximisation averages
    only the inner region of a map, and the top activating patches are searched there too.
    """
    border = max(1, int(map_side) // 8)
    if 2 * border >= int(map_side):
        raise ValueError(f"A feature map of side {map_side} has no inner region (border {border} on each side).")
    return border


def inner_region(maps):
    """``maps[:, b:-b, b:-b]``: the inner region of a batch of feature maps (N, H, W, ...), b = inner_border(H).

    Works on NumPy arrays and on TensorFlow tensors alike (inside a ``GradientTape`` too).
    """
    border = inner_border(maps.shape[1])
    return maps[:, border:-border, border:-border]


def top_activating_patches(activations: np.ndarray, images: np.ndarray, filter_index: int, count: int,
                           field: int, jump: int) -> tuple[list[np.ndarray], list[float]]:
    """The ``count`` image patches whose unit of filter ``filter_index`` responds most, with their activations.

    activations: (N, H, W, F), one layer's output for ``images`` (N, height, width, channels). Only units of the
    inner region (``inner_region``, the units the activation-maximisation objective averages) are searched, so a
    patch is not mostly padding. Each unit's patch is the ``field`` x ``field`` square of the input centred on it
    (receptive_field gives field and jump); patches reaching over the image border are padded with grey. At most
    one patch per image, so the ``count`` patches come from ``count`` different images.
    """
    border = inner_border(activations.shape[1])
    responses = inner_region(activations[..., filter_index])
    best_per_image = responses.reshape(len(responses), -1).max(axis=1)
    chosen = np.argsort(best_per_image)[::-1][:count]
    half = field // 2
    padded = np.pad(images, ((0, 0), (half, half), (half, half), (0, 0)), constant_values=0.5)
    patches, values = [], []
    for index in chosen:
        row, col = np.unravel_index(responses[index].argmax(), responses[index].shape)
        row, col = row + border, col + border                   # back to the full map's coordinates
        centre_row, centre_col = int(row * jump + jump // 2), int(col * jump + jump // 2)
        patches.append(padded[index, centre_row:centre_row + 2 * half + 1, centre_col:centre_col + 2 * half + 1])
        values.append(float(best_per_image[index]))
    return patches, values


def _box(ax, x: float, y: float, text: str, colour: str = "#dfe8f5", width: float = 1.7, height: float = 0.6) -> None:
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.05",
                                facecolor=colour, edgecolor="#444444"))
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def _arrow(ax, start: tuple[float, float], end: tuple[float, float], text: str = "", colour: str = "#444444",
           style: str = "-|>") -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": style, "color": colour, "lw": 1.5})
    if text:
        ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.12, text, ha="center", fontsize=8,
                color=colour)


def draw_residual_block(filters: int) -> Figure:
    """The residual block of chapter 5's network: out = x + F(x), F = two conv-BN-ReLU, and the skip path."""
    fig, ax = plt.subplots(figsize=(9, 2.6))
    _box(ax, 0.6, 1.0, "x", width=0.7)
    _box(ax, 2.5, 1.0, f"conv 3x3, {filters}\nBN, ReLU")
    _box(ax, 4.7, 1.0, f"conv 3x3, {filters}\nBN, ReLU")
    _box(ax, 6.6, 1.0, "+", colour="#fde0c5", width=0.6)
    _box(ax, 8.3, 1.0, "x + F(x)\n(block output)", colour="#d5f0d5", width=1.5)
    _arrow(ax, (0.95, 1.0), (1.65, 1.0))
    _arrow(ax, (3.35, 1.0), (3.85, 1.0))
    _arrow(ax, (5.55, 1.0), (6.3, 1.0), "F(x)")
    _arrow(ax, (6.9, 1.0), (7.55, 1.0))
    ax.plot([0.6, 0.6, 6.6], [1.3, 1.75, 1.75], color="#d62728", lw=1.5)
    _arrow(ax, (6.6, 1.75), (6.6, 1.33), colour="#d62728")
    ax.text(3.6, 1.85, "skip connection: x unchanged (same shape, so it can be added)", ha="center", fontsize=8,
            color="#d62728")
    ax.set_xlim(0, 9.2)
    ax.set_ylim(0.4, 2.2)
    ax.axis("off")
    ax.set_title("Residual block: the output is x + F(x); Grad-CAM reads the block output (after the add)")
    return fig


def draw_grad_cam_pipeline(map_size: tuple[int, int], channels: int, input_size: tuple[int, int]) -> Figure:
    """Grad-CAM's steps with the shapes of this network: block output A, gradients, weights, ReLU, upsampling."""
    h, w = map_size
    fig, ax = plt.subplots(figsize=(12, 3.4))
    _box(ax, 1.0, 2.0, f"image\n{input_size[0]}x{input_size[1]}x3", "#dfe8f5", width=1.8, height=0.75)
    _box(ax, 3.6, 2.0, f"last block output A\n{h}x{w}x{channels}", "#d5f0d5", width=1.9, height=0.75)
    _box(ax, 6.4, 2.0, "class logit y_c\n(before softmax)", "#fde0c5", width=1.8, height=0.75)
    _box(ax, 6.4, 0.6, f"gradients dy_c/dA\n{h}x{w}x{channels}", "#f5dfe8", width=1.9, height=0.75)
    _box(ax, 9.2, 0.6, f"weights a_k: mean over\nthe {h}x{w} positions", "#f5dfe8", width=2.1, height=0.75)
    _box(ax, 9.2, 2.0, f"ReLU(sum_k a_k A_k)\n{h}x{w} map", "#fff3b0", width=2.1, height=0.75)
    _box(ax, 12.0, 2.0, f"upsample to\n{input_size[0]}x{input_size[1]}, overlay", "#dfe8f5", width=1.8,
         height=0.75)
    _arrow(ax, (1.95, 2.0), (2.6, 2.0))
    _arrow(ax, (4.6, 2.0), (5.45, 2.0))
    _arrow(ax, (6.4, 1.57), (6.4, 1.03))
    ax.text(6.5, 1.3, "GradientTape", fontsize=8, color="#d62728")
    _arrow(ax, (7.4, 0.6), (8.1, 0.6))
    _arrow(ax, (9.2, 1.03), (9.2, 1.57))
    _arrow(ax, (10.3, 2.0), (11.05, 2.0))
    ax.annotate("", xy=(9.0, 2.42), xytext=(3.6, 2.42),
                arrowprops={"arrowstyle": "-|>", "color": "#888888", "lw": 1.2, "connectionstyle": "arc3,rad=-0.15"})
    ax.text(6.4, 2.95, "A itself, weighted channel by channel", ha="center", fontsize=8, color="#666666")
    ax.set_xlim(-0.1, 13.1)
    ax.set_ylim(0.1, 3.2)
    ax.axis("off")
    ax.set_title("Grad-CAM (Selvaraju et al., 2017), with the shapes of the network in this notebook")
    return fig
