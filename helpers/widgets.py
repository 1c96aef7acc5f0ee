"""Interactive explorers: convolution and pooling, live (chapter 3), and a feature-map browser (chapter 6).

Each explorer is a class holding its controls as attributes, so a test - or a curious learner - can set
``explorer.stride.value = 2`` and read ``explorer.result`` and ``explorer.size_label.value`` without a browser.
Show it in a notebook with ``explorer.show()``, which displays a picture of the explorer's default state (so that
a view without a kernel - a code host, the course site - shows what it does) and then the live widget.
"""

from __future__ import annotations

import base64
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Image, display

from helpers.conv_ops import conv2d, pool2d
from helpers.visualize import conv_layers, feature_map_model, feature_maps

KERNEL_PRESETS: dict[str, np.ndarray] = {
    "left edge (2x2)": np.array([[-1, 1], [-1, 1]]),
    "vertical line": np.array([[-1, 1, -1]] * 3),
    "horizontal line": np.array([[-1, 1, -1]] * 3).T,
    "light spot": np.array([[-1, -1, -1], [-1, 1, -1], [-1, -1, -1]]),
    "dark spot": -np.array([[-1, -1, -1], [-1, 1, -1], [-1, -1, -1]]),
    "edges (Laplacian)": np.array([[0, -1, 0], [-1, 4, -1], [0, -1, 0]]),
    "Sobel x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "Sobel y": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]).T,
    "box blur (3x3)": np.full((3, 3), 1 / 9),
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
}


def kernel_to_text(kernel: np.ndarray) -> str:
    """Rows separated by ';', values by spaces: [[1, 2], [3, 4]] -> '1 2; 3 4'."""
    return "; ".join(" ".join(f"{v:.4g}" for v in row) for row in np.asarray(kernel, dtype=float))


def parse_kernel(text: str) -> np.ndarray:
    """Parse '1 0 -1; 2 0 -2; 1 0 -1' into a 2-D float array; raise ValueError with a readable reason."""
    rows = [row.replace(",", " ").split() for row in text.strip().split(";") if row.strip()]
    if not rows:
        raise ValueError("The kernel is empty: type rows of numbers separated by ';', e.g. '1 0 -1; 2 0 -2; 1 0 -1'.")
    if len({len(row) for row in rows}) != 1:
        raise ValueError(f"Every kernel row needs the same number of values; got rows of {[len(r) for r in rows]}.")
    try:
        return np.array([[float(v) for v in row] for row in rows])
    except ValueError:
        raise ValueError(f"The kernel must contain only numbers; could not read {text!r}.") from None


#: Under the static picture that ``show()`` displays; it reads right both in JupyterLab and without a kernel.
STATIC_CAPTION = ("Above: a picture of the explorer in its default state, for views without a running kernel "
                  "(a code host, the course site). Below: the live explorer; its controls need a running kernel "
                  "(run the notebook in JupyterLab).")
#: What a view without a kernel shows in place of the live widget (instead of ``VBox(children=(...))``).
LIVE_PLACEHOLDER = "[live explorer: shown when the notebook runs in JupyterLab with a kernel]"


def show_in(output: widgets.Output, fig: plt.Figure) -> bytes:
    """Replace what ``output`` shows with ``fig``; return the PNG.

    Writing the widget's ``outputs`` directly (rather than ``with output: display(fig)``) works the same in
    JupyterLab, in ``jupyter execute`` and under nbval, none of which then routes the figure elsewhere; the
    figure is rendered to PNG here so that it does not depend on the notebook's matplotlib backend.
    """
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    output.outputs = ()
    output.append_display_data(Image(data=png.getvalue(), format="png"))
    return png.getvalue()


class _Explorer:
    """What every explorer shares: ``show()`` displays it in a notebook.

    A subclass builds ``widget``, sets ``picture`` (the PNG its output shows) in ``update`` and calls
    ``_remember_default()`` at the end of ``__init__``.
    """

    widget: widgets.Widget
    picture: bytes | None = None
    default_picture: bytes | None = None

    def _remember_default(self) -> None:
        self.default_picture = self.picture

    def display_outputs(self) -> list[dict]:
        """The MIME bundles ``show()`` displays: the default state's picture, its caption, the live widget."""
        bundles = []
        if self.default_picture is not None:
            bundles.append({"image/png": base64.b64encode(self.default_picture).decode("ascii"),
                            "text/plain": "<picture of the explorer's default state>"})
            bundles.append({"text/markdown": f"*{STATIC_CAPTION}*", "text/plain": STATIC_CAPTION})
        live = self.widget._repr_mimebundle_()
        live["text/plain"] = LIVE_PLACEHOLDER
        bundles.append(live)
        return bundles

    def show(self) -> None:
        """Display a picture of the default state (for views without a kernel) and the live widget."""
        for bundle in self.display_outputs():
            display(bundle, raw=True)


class ConvolutionExplorer(_Explorer):
    """Pick an image and a kernel (a preset or your own), change stride, padding and dilation,
    and watch the feature map and its size update."""

    def __init__(self, images: dict[str, np.ndarray], figure_width: float = 9.0):
        if not images:
            raise ValueError("ConvolutionExplorer needs at least one image.")
        for name, image in images.items():
            if np.asarray(image).ndim != 2:
                raise ValueError(f"Image {name!r} has shape {np.asarray(image).shape}; the explorer takes 2-D "
                                 "grayscale images (convert colour ones with .mean(axis=2)).")
        self.images = {name: np.asarray(image, dtype=float) for name, image in images.items()}
        self.figure_width = figure_width
        self.result: np.ndarray | None = None

        self.image = widgets.Dropdown(options=list(self.images), description="image")
        self.preset = widgets.Dropdown(options=list(KERNEL_PRESETS), value="Sobel x", description="preset")
        self.kernel_text = widgets.Text(value=kernel_to_text(KERNEL_PRESETS["Sobel x"]), description="kernel",
                                        continuous_update=False, layout=widgets.Layout(width="420px"))
        self.stride = widgets.IntSlider(value=1, min=1, max=4, description="stride")
        self.padding = widgets.Dropdown(options=["valid", "same"], value="valid", description="padding")
        self.dilation = widgets.IntSlider(value=1, min=1, max=4, description="dilation")
        self.size_label = widgets.HTML()
        self.output = widgets.Output()

        self.preset.observe(self._use_preset, names="value")
        for control in (self.image, self.kernel_text, self.stride, self.padding, self.dilation):
            control.observe(self.update, names="value")
        self.widget = widgets.VBox([
            widgets.HBox([self.image, self.preset]),
            self.kernel_text,
            widgets.HBox([self.stride, self.padding, self.dilation]),
            self.size_label,
            self.output,
        ])
        self.update()
        self._remember_default()

    def _use_preset(self, change: dict) -> None:
        self.kernel_text.value = kernel_to_text(KERNEL_PRESETS[change["new"]])

    def update(self, change: dict | None = None) -> None:
        image = self.images[self.image.value]
        try:
            kernel = parse_kernel(self.kernel_text.value)
            self.result = conv2d(image, kernel, stride=self.stride.value, padding=self.padding.value,
                                 dilation=self.dilation.value)
        except ValueError as error:  # show the reason instead of a traceback
            self.result = None
            self.size_label.value = f"<b style='color:#b00'>Cannot convolve:</b> {error}"
            self.output.outputs = ()
            self.picture = None
            return
        span = (kernel.shape[0] - 1) * self.dilation.value + 1, (kernel.shape[1] - 1) * self.dilation.value + 1
        self.size_label.value = (
            f"input {image.shape[0]}&times;{image.shape[1]}, kernel {kernel.shape[0]}&times;{kernel.shape[1]} "
            f"(spans {span[0]}&times;{span[1]}) &rarr; <b>output {self.result.shape[0]}&times;{self.result.shape[1]}</b>"
        )
        fig, axes = plt.subplots(1, 2, figsize=(self.figure_width, self.figure_width / 2.2))
        axes[0].imshow(image, cmap="gray")
        axes[0].set_title(f"input {image.shape[0]}x{image.shape[1]}")
        limit = np.abs(self.result).max() or 1.0
        shown = axes[1].imshow(self.result, cmap="RdBu_r", vmin=-limit, vmax=limit)
        axes[1].set_title(f"feature map {self.result.shape[0]}x{self.result.shape[1]}")
        fig.colorbar(shown, ax=axes[1], fraction=0.046)
        for ax in axes:
            ax.axis("off")
        self.picture = show_in(self.output, fig)


class PoolingExplorer(_Explorer):
    """Max or average pooling of an image with adjustable window and stride."""

    def __init__(self, images: dict[str, np.ndarray], figure_width: float = 9.0):
        if not images:
            raise ValueError("PoolingExplorer needs at least one image.")
        self.images = {name: np.asarray(image, dtype=float) for name, image in images.items()}
        self.figure_width = figure_width
        self.result: np.ndarray | None = None
        self.image = widgets.Dropdown(options=list(self.images), description="image")
        self.mode = widgets.ToggleButtons(options=["max", "average"], value="max", description="pooling")
        self.pool_size = widgets.IntSlider(value=2, min=1, max=6, description="window")
        self.stride = widgets.IntSlider(value=2, min=1, max=6, description="stride")
        self.size_label = widgets.HTML()
        self.output = widgets.Output()
        for control in (self.image, self.mode, self.pool_size, self.stride):
            control.observe(self.update, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.image, self.mode]),
                                    widgets.HBox([self.pool_size, self.stride]), self.size_label, self.output])
        self.update()
        self._remember_default()

    def update(self, change: dict | None = None) -> None:
        image = self.images[self.image.value]
        try:
            self.result = pool2d(image, self.pool_size.value, self.stride.value, self.mode.value)
        except ValueError as error:
            self.result = None
            self.size_label.value = f"<b style='color:#b00'>Cannot pool:</b> {error}"
            self.output.outputs = ()
            self.picture = None
            return
        self.size_label.value = (f"input {image.shape[0]}&times;{image.shape[1]} &rarr; "
                                 f"<b>output {self.result.shape[0]}&times;{self.result.shape[1]}</b>")
        fig, axes = plt.subplots(1, 2, figsize=(self.figure_width, self.figure_width / 2.2))
        for ax, shown, title in ((axes[0], image, "input"), (axes[1], self.result, f"{self.mode.value} pooled")):
            ax.imshow(shown, cmap="gray")
            ax.set_title(f"{title} {shown.shape[0]}x{shown.shape[1]}")
            ax.axis("off")
        self.picture = show_in(self.output, fig)


class FeatureMapBrowser(_Explorer):
    """Browse a CNN: choose a conv layer, a filter and a test image; see the image, the filter's kernel
    (first input channel, or RGB for a colour first layer) and the feature map it produces."""

    def __init__(self, model, images: np.ndarray, titles: list[str] | None = None, figure_width: float = 9.0):
        self.layers = conv_layers(model)
        if not self.layers:
            raise ValueError(f"Model {model.name!r} has no convolution layers to browse.")
        self.images = np.asarray(images, dtype="float32")
        if self.images.ndim != 4 or self.images.shape[1:] != tuple(model.input_shape[1:]):
            raise ValueError(f"images must be a batch shaped like the model input (N, {model.input_shape[1:]}), "
                             f"got {self.images.shape}.")
        self.titles = titles or [f"image {i}" for i in range(len(self.images))]
        self.figure_width = figure_width
        self._model = model
        self._maps_model = feature_map_model(model)
        self._cache: dict[int, list[np.ndarray]] = {}
        self.result: np.ndarray | None = None

        self.layer = widgets.Dropdown(options=[layer.name for layer in self.layers], description="layer")
        self.filter = widgets.IntSlider(value=0, min=0, max=self.layers[0].filters - 1, description="filter")
        self.image = widgets.IntSlider(value=0, min=0, max=len(self.images) - 1, description="image")
        self.info = widgets.HTML()
        self.output = widgets.Output()
        self.layer.observe(self._layer_changed, names="value")
        for control in (self.filter, self.image):
            control.observe(self.update, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.layer, self.filter, self.image]), self.info, self.output])
        self.update()
        self._remember_default()

    def _maps(self, index: int) -> list[np.ndarray]:
        if index not in self._cache:
            self._cache[index] = feature_maps(self._model, self.images[index], self._maps_model)
        return self._cache[index]

    def _layer_changed(self, change: dict) -> None:
        layer = self.layers[[layer.name for layer in self.layers].index(change["new"])]
        self.filter.max = layer.filters - 1  # may clamp the value, which triggers update
        self.update()

    def update(self, change: dict | None = None) -> None:
        position = [layer.name for layer in self.layers].index(self.layer.value)
        layer, f = self.layers[position], self.filter.value
        self.result = self._maps(self.image.value)[position][..., f]
        kernel = np.asarray(layer.kernel)[..., f]
        self.info.value = (f"<b>{layer.name}</b>: kernel {kernel.shape[0]}&times;{kernel.shape[1]}&times;"
                           f"{kernel.shape[2]}, filter {f} of {layer.filters} &rarr; feature map "
                           f"{self.result.shape[0]}&times;{self.result.shape[1]}")
        fig, axes = plt.subplots(1, 3, figsize=(self.figure_width, self.figure_width / 3.2))
        picture = self.images[self.image.value]
        axes[0].imshow(picture[..., 0] if picture.shape[-1] == 1 else picture, cmap="gray")
        axes[0].set_title(self.titles[self.image.value], fontsize=9)
        if kernel.shape[2] == 3:
            axes[1].imshow((kernel - kernel.min()) / (np.ptp(kernel) or 1.0))
        else:
            limit = float(np.abs(kernel[..., 0]).max()) or 1.0
            axes[1].imshow(kernel[..., 0], cmap="RdBu_r", vmin=-limit, vmax=limit)
        axes[1].set_title("kernel" + (" (first input channel)" if kernel.shape[2] not in (1, 3) else ""), fontsize=9)
        axes[2].imshow(self.result, cmap="viridis")
        axes[2].set_title("feature map", fontsize=9)
        for ax in axes:
            ax.axis("off")
        self.picture = show_in(self.output, fig)
