"""Diagrams of chapter 3, drawn by code: the sliding window, padding and stride, and the receptive field.

Each function returns a Matplotlib figure whose numbers are computed from its arguments (nothing is drawn by
hand), so a diagram always agrees with the code beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

WINDOW_COLOUR = "#d62728"
INPUT_COLOUR = "#dfe8f5"
PADDING_COLOUR = "white"


def _grid(ax: Axes, values: np.ndarray | None, shape: tuple[int, int], fill: np.ndarray | str = INPUT_COLOUR,
          fmt: str = "{:g}", fontsize: float = 9) -> None:
    """Draw a grid of cells (row 0 at the top), optionally with a number in each cell."""
    rows, cols = shape
    for r in range(rows):
        for c in range(cols):
            colour = fill if isinstance(fill, str) else fill[r, c]
            ax.add_patch(Rectangle((c, r), 1, 1, facecolor=colour, edgecolor="#888888", linewidth=0.6))
            if values is not None:
                ax.text(c + 0.5, r + 0.5, fmt.format(values[r, c]), ha="center", va="center", fontsize=fontsize)
    ax.set_xlim(-0.2, cols + 0.2)
    ax.set_ylim(rows + 0.2, -0.2)
    ax.set_aspect("equal")
    ax.axis("off")


def _outline(ax: Axes, top: float, left: float, height: float, width: float, colour: str = WINDOW_COLOUR,
             linewidth: float = 2.5, linestyle: str = "-") -> None:
    ax.add_patch(Rectangle((left, top), width, height, fill=False, edgecolor=colour, linewidth=linewidth,
                           linestyle=linestyle))


def draw_sliding_window(image: np.ndarray, kernel: np.ndarray, row: int, col: int) -> Figure:
    """Input with the window under the kernel at output position (row, col), the kernel, and the output.

    The output is the valid cross-correlation, computed here; the highlighted output cell is
    ``sum(window * kernel)``, and the figure's title writes that sum out.
    """
    image, kernel = np.asarray(image), np.asarray(kernel)
    kh, kw = kernel.shape
    out_h, out_w = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    if not (0 <= row < out_h and 0 <= col < out_w):
        raise ValueError(f"(row, col) = ({row}, {col}) is outside the {out_h}x{out_w} output.")
    windows = np.lib.stride_tricks.sliding_window_view(image, (kh, kw))
    output = np.einsum("ijkl,kl->ij", windows, kernel)
    window = image[row:row + kh, col:col + kw]

    fig, axes = plt.subplots(1, 3, figsize=(9, 3.4), gridspec_kw={"width_ratios": [image.shape[1], kw + 2, out_w]})
    _grid(axes[0], image, image.shape)
    _outline(axes[0], row, col, kh, kw)
    axes[0].set_title(f"input {image.shape[0]}x{image.shape[1]}\n(window at row {row}, column {col})", fontsize=10)
    _grid(axes[1], kernel, kernel.shape, fill="#fde0c5")
    axes[1].set_xlim(-1, kw + 1)
    axes[1].set_title(f"kernel {kh}x{kw}", fontsize=10)
    fill = np.full(output.shape, "#eeeeee", dtype=object)
    fill[row, col] = "#f7b6b6"
    _grid(axes[2], output, output.shape, fill=fill)
    _outline(axes[2], row, col, 1, 1)
    axes[2].set_title(f"output {out_h}x{out_w}\n(L - K + 1 = {image.shape[0]} - {kh} + 1)", fontsize=10)
    terms = " + ".join(f"{a:g}·{b:g}" for a, b in zip(window.ravel(), kernel.ravel()) if b != 0)
    fig.suptitle(f"output[{row}, {col}] = sum(window × kernel) = {terms} = {output[row, col]:g}", fontsize=10)
    fig.tight_layout()
    return fig


def draw_padding_stride(input_size: int, kernel_size: int, settings: Sequence[tuple[int, int]]) -> Figure:
    """One panel per (padding, stride): the padded input, the first windows along the top row, the output size.

    Input pixels are shaded, padding zeros are white with a dashed border; the windows of the first output row
    are outlined, each in its own colour, every other one drawn a little lower so that overlapping windows stay
    visible.
    """
    colours = plt.get_cmap("tab10").colors
    fig, axes = plt.subplots(1, len(settings), figsize=(3.3 * len(settings), 3.8), squeeze=False)
    for ax, (padding, stride) in zip(axes[0], settings):
        size = input_size + 2 * padding
        fill = np.full((size, size), PADDING_COLOUR, dtype=object)
        fill[padding:padding + input_size, padding:padding + input_size] = INPUT_COLOUR
        _grid(ax, None, (size, size), fill=fill)
        if padding:
            _outline(ax, padding, padding, input_size, input_size, colour="#555555", linewidth=1.2, linestyle="--")
        out = (size - kernel_size) // stride + 1
        for index in range(out):  # all windows the same size; every other one a little lower, to stay visible
            top = 0.08 if index % 2 == 0 else 0.22
            _outline(ax, top, index * stride + 0.08, kernel_size - 0.3, kernel_size - 0.16,
                     colour=colours[index % len(colours)], linewidth=2)
        ax.set_title(f"padding {padding}, stride {stride}\n{input_size}x{input_size} input, {kernel_size}x"
                     f"{kernel_size} kernel\n-> output {out}x{out}", fontsize=10)
    fig.suptitle("Windows of the first output row (one colour each); white cells are padding zeros", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.92))
    return fig


def receptive_field_regions(layers: Sequence[tuple[int, int]], input_size: int,
                            output_index: int) -> list[tuple[int, int]]:
    """For a stack of (kernel, stride) layers without padding, the [first, last] index, along one axis, that
    output ``output_index`` of the last layer depends on, in every map from the input (first) to the output.
    """
    sizes = [input_size]
    for kernel, stride in layers:
        sizes.append((sizes[-1] - kernel) // stride + 1)
        if sizes[-1] < 1:
            raise ValueError(f"The stack does not fit a {input_size}-pixel input.")
    if not 0 <= output_index < sizes[-1]:
        raise ValueError(f"output_index {output_index} is outside the {sizes[-1]}-pixel output.")
    regions = [(output_index, output_index)]
    for kernel, stride in reversed(layers):  # a window [a, b] below an output range covers [a*s, b*s + k - 1]
        first, last = regions[0]
        regions.insert(0, (first * stride, last * stride + kernel - 1))
    return regions


def draw_receptive_field(layers: Sequence[tuple[int, int]], names: Sequence[str], input_size: int,
                         output_index: int) -> Figure:
    """Every map of a stack, from the input to the output, with the cells one output pixel depends on shaded.

    ``layers`` are (kernel, stride) pairs without padding; ``names`` names each layer. The output pixel is
    (output_index, output_index); the shaded square in the input is its receptive field.
    """
    if len(names) != len(layers):
        raise ValueError(f"Got {len(layers)} layers but {len(names)} names.")
    regions = receptive_field_regions(layers, input_size, output_index)
    sizes = [input_size]
    for kernel, stride in layers:
        sizes.append((sizes[-1] - kernel) // stride + 1)
    fig, axes = plt.subplots(1, len(sizes), figsize=(3.1 * len(sizes), 3.6),
                             gridspec_kw={"width_ratios": [max(s, 4) for s in sizes]})
    titles = ["input"] + [f"after {name}" for name in names]
    for ax, size, (first, last), title in zip(axes, sizes, regions, titles):
        fill = np.full((size, size), "#f2f2f2", dtype=object)
        fill[first:last + 1, first:last + 1] = "#9ecae1"
        _grid(ax, None, (size, size), fill=fill)
        _outline(ax, first, first, last - first + 1, last - first + 1, colour="#08519c", linewidth=2)
        ax.set_xlim(-0.2, max(size, 4) + 0.2)
        width = last - first + 1
        ax.set_title(f"{title}\n{size}x{size}; depends on {width}x{width}", fontsize=10)
    fig.suptitle(f"What output pixel ({output_index}, {output_index}) depends on, layer by layer "
                 f"(receptive field {regions[0][1] - regions[0][0] + 1}x{regions[0][1] - regions[0][0] + 1})",
                 fontsize=10)
    fig.tight_layout()
    return fig
