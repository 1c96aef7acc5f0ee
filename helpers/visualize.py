"""Looking inside trained CNNs (chapter 6): kernels, feature maps, what filters respond to, Grad-CAM."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def conv_layers(model) -> list:
    """The model's Conv2D layers (including depthwise/separable ones), in order."""
    import keras

    return [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]


def plot_kernels(kernels: np.ndarray, title: str | None = None, max_filters: int = 64, ncols: int = 8) -> Figure:
    """Draw every filter of a conv layer. kernels: (KH, KW, C_in, F), the layout of ``Conv2D.kernel``.

    One input channel: each kernel in a diverging colour map centred on zero (red positive, blue negative),
    all on the same scale so strengths compare. Three input channels: each kernel as a small RGB image,
    stretched to 0-1 on its own. Other channel counts: the first input channel, like the one-channel case.
    """
    kernels = np.asarray(kernels)
    if kernels.ndim != 4:
        raise ValueError(f"Expected kernels of shape (KH, KW, C_in, filters), got {kernels.shape}.")
    count = min(kernels.shape[-1], max_filters)
    ncols = max(1, min(ncols, count))
    nrows = math.ceil(count / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.1 * ncols, 1.1 * nrows + (0.4 if title else 0)), squeeze=False)
    colour = kernels.shape[2] == 3
    limit = float(np.abs(kernels[..., :count]).max()) or 1.0
    for index, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if index >= count:
            ax.axis("off")
            continue
        kernel = kernels[..., index]
        if colour:
            low, high = kernel.min(), kernel.max()
            ax.imshow((kernel - low) / (high - low) if high > low else np.full_like(kernel, 0.5))
        else:
            ax.imshow(kernel[:, :, 0], cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(str(index), fontsize=7)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
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
    """One row per layer, showing its first ``channels`` feature maps."""
    if len(maps) != len(names):
        raise ValueError(f"{len(maps)} feature maps but {len(names)} names.")
    fig, axes = plt.subplots(len(maps), channels, figsize=(1.2 * channels, 1.25 * len(maps)), squeeze=False)
    for row, (volume, name) in enumerate(zip(maps, names)):
        for col in range(channels):
            ax = axes[row, col]
            ax.set_xticks([])
            ax.set_yticks([])
            if col < volume.shape[-1]:
                ax.imshow(volume[..., col], cmap="viridis")
            else:
                ax.axis("off")
        axes[row, 0].set_ylabel(f"{name}\n{volume.shape[0]}x{volume.shape[1]}", fontsize=7)
    fig.tight_layout()
    return fig


def maximize_filter(model, layer_name: str, filter_index: int, steps: int = 40, step_size: float = 0.05,
                    seed: int = 0) -> np.ndarray:
    """Gradient ascent on the input: an image that makes one filter's mean activation large.

    Starts from faint noise around mid-grey; each step moves the image along the normalised gradient, then
    regularises it so the result stays readable: a little L2 decay pulls pixels back to grey, a light blur every
    few steps suppresses high-frequency noise, and values are clipped to the valid 0-1 range.
    Returns an image of the model's input shape.
    """
    import keras
    import tensorflow as tf

    layer = model.get_layer(layer_name)
    if not 0 <= filter_index < layer.output.shape[-1]:
        raise ValueError(f"Layer {layer_name!r} has {layer.output.shape[-1]} filters; got index {filter_index}.")
    probe = keras.Model(model.inputs[0], layer.output)
    rng = np.random.default_rng(seed)
    image = tf.Variable(0.5 + 0.02 * rng.standard_normal((1, *model.input_shape[1:])), dtype=tf.float32)
    blur = tf.constant(np.full((3, 3, image.shape[-1], 1), 1 / 9), dtype=tf.float32)
    for step in range(steps):
        with tf.GradientTape() as tape:
            activation = tf.reduce_mean(probe(image, training=False)[..., filter_index])
        gradient = tape.gradient(activation, image)
        gradient /= tf.math.reduce_std(gradient) + 1e-8
        image.assign_add(step_size * gradient - 0.01 * (image - 0.5))
        if step % 8 == 7:
            image.assign(tf.nn.depthwise_conv2d(image, blur, [1, 1, 1, 1], "SAME") * 0.5 + image * 0.5)
        image.assign(tf.clip_by_value(image, 0.0, 1.0))
    return image.numpy()[0]


def grad_cam(model, image: np.ndarray, class_index: int | None = None, layer_name: str | None = None) -> np.ndarray:
    """Grad-CAM heat map: which regions of ``image`` raised the score of ``class_index``.

    The gradients of the class score with respect to a conv layer's feature maps (by default the last conv
    layer) are averaged per channel; the channels, weighted by these averages and summed, passed through ReLU
    and scaled to 0-1, give a map of the layer's resolution (H_layer, W_layer). ``class_index`` defaults to
    the predicted class.
    """
    import keras
    import tensorflow as tf

    layer = model.get_layer(layer_name) if layer_name else conv_layers(model)[-1]
    probe = keras.Model(model.inputs[0], [layer.output, model.output])
    batch = tf.constant(np.asarray(image, dtype="float32")[np.newaxis])
    with tf.GradientTape() as tape:
        maps, predictions = probe(batch, training=False)
        if class_index is None:
            class_index = int(tf.argmax(predictions[0]))
        score = predictions[0, class_index]
    gradients = tape.gradient(score, maps)[0]
    weights = tf.reduce_mean(gradients, axis=(0, 1))
    heat = tf.nn.relu(tf.reduce_sum(maps[0] * weights, axis=-1)).numpy()
    return heat / heat.max() if heat.max() > 0 else heat


def upsample(heat: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize a heat map to an image's (height, width) with bilinear interpolation."""
    import tensorflow as tf

    return tf.image.resize(heat[..., np.newaxis], size, method="bilinear").numpy()[..., 0]
