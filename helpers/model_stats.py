"""Cost of a Keras model: multiply-accumulates per image, layer by layer (chapters 4 and 5)."""

from __future__ import annotations

from helpers.conv_ops import conv2d_macs, dense_macs, depthwise_conv2d_macs


def layer_macs(layer) -> int:
    """MACs of one built layer for one input image; 0 for layers without weights to multiply."""
    import keras

    if not isinstance(layer, keras.layers.Layer):
        raise TypeError(f"layer_macs expects a Keras layer, got {type(layer).__name__}.")
    if not layer.built:
        raise ValueError(f"Layer {layer.name!r} is not built yet: build the model (give it an input shape) first.")
    if isinstance(layer, keras.layers.SeparableConv2D):
        out_h, out_w, out_c = layer.output.shape[1:]
        in_c = layer.input.shape[-1]
        depthwise = depthwise_conv2d_macs(layer.kernel_size, (out_h, out_w, in_c * layer.depth_multiplier))
        return depthwise + conv2d_macs(1, in_c * layer.depth_multiplier, (out_h, out_w, out_c))
    if isinstance(layer, keras.layers.DepthwiseConv2D):
        return depthwise_conv2d_macs(layer.kernel_size, tuple(layer.output.shape[1:]))
    if isinstance(layer, keras.layers.Conv2D):
        in_channels = layer.input.shape[-1] // layer.groups
        return conv2d_macs(layer.kernel_size, in_channels, tuple(layer.output.shape[1:]))
    if isinstance(layer, keras.layers.Dense):
        positions = 1
        for size in layer.output.shape[1:-1]:  # a Dense on (H, W, C) works at every position
            positions *= size
        return positions * dense_macs(layer.input.shape[-1], layer.units)
    if isinstance(layer, keras.Model):
        return count_macs(layer)
    return 0


def count_macs(model) -> int:
    """Total MACs of a built model for one input (convolutions, depthwise/separable convolutions, dense layers)."""
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"count_macs expects a Keras model, got {type(model).__name__}.")
    return sum(layer_macs(layer) for layer in model.layers)
