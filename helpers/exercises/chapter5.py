"""Checks for the exercises of chapter 5."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.exercises.core import call_answer, compare, fail, run_check, silenced_stderr

#: Exercise 5's limits: a CIFAR-10 classifier for a phone.
SMALL_NET_MAX_PARAMS = 40_000
SMALL_NET_MAX_MACS = 6_000_000
SMALL_NET_MIN_CONV_LAYERS = 6


def check_baseline_model(build_baseline: Callable, quiet: bool = False) -> None:
    """build_baseline() -> the 528,054-parameter CIFAR-10 baseline of chapter 5."""
    expected = (528_054, (None, 10), ("Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D",
                                      "Dropout", "Flatten", "Dense", "Dropout", "Dense"))
    run_check("build_baseline", lambda: _layer_summary(build_baseline()), [((), expected)], quiet=quiet,
              hint="item 0 is the parameter count, item 2 the layer types in order. Three Conv2D + MaxPooling2D "
                   "stages (16, 32, 64 filters of 2 x 2, 'same' padding), then dropout, flatten, a 500-unit dense "
                   "layer, dropout and the 10-way softmax; model.summary() shows where your count differs.")


def _layer_summary(model) -> tuple:
    """(parameters, output shape, layer class names) of a Keras model, for comparison with the expected ones."""
    return (model.count_params(), tuple(model.output_shape), tuple(type(layer).__name__ for layer in model.layers))


def check_conv_macs(conv_macs: Callable, quiet: bool = False) -> None:
    """conv_macs(kernel_size, in_channels, out_height, out_width, filters) -> multiply-accumulates."""
    cases = [((3, 3, 222, 222, 64), 85_162_752), ((4, 64, 111, 111, 64), 807_469_056), ((1, 32, 112, 112, 32), 12_845_056)]
    run_check("conv_macs", conv_macs, cases, quiet=quiet,
              hint="every output value (out_height x out_width positions, for each filter) is one dot product; "
                   "count how many multiplications that dot product takes for a square kernel over all input "
                   "channels.")


def check_class_accuracies(class_accuracies: Callable, quiet: bool = False) -> None:
    """class_accuracies(y_true, y_pred, n_classes) -> array (n_classes,) of each class's accuracy."""
    y_true = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 2, 2, 0, 2])
    # the second case tells accuracy per true class (recall) from accuracy per predicted class (precision)
    y_true_2 = np.array([0, 0, 0, 1, 2, 2])
    y_pred_2 = np.array([0, 1, 1, 1, 1, 2])
    run_check("class_accuracies", class_accuracies,
              [((y_true, y_pred, 3), np.array([1 / 2, 2 / 3, 3 / 4])),
               ((y_true_2, y_pred_2, 3), np.array([1 / 3, 1.0, 1 / 2]))], quiet=quiet,
              hint="for class k, look only at the examples whose TRUE label is k, and take the fraction of them "
                   "predicted as k (a boolean mask and .mean() do it); return a NumPy array.")


def _se_parameters(channels: int, ratio: int) -> int:
    """Parameters of chapter 5's squeeze-and-excitation unit, counted by building it with Keras."""
    import keras

    with silenced_stderr():
        inputs = keras.Input((8, 8, channels))
        weights = keras.layers.GlobalAveragePooling2D(keepdims=True)(inputs)
        weights = keras.layers.Dense(channels // ratio, activation="relu")(weights)
        weights = keras.layers.Dense(channels, activation="sigmoid")(weights)
        model = keras.Model(inputs, keras.layers.Multiply()([inputs, weights]))
        return model.count_params()


def check_predicted_se_parameters(predicted_se_parameters: Callable, quiet: bool = False) -> None:
    """predicted_se_parameters() -> the parameters se_unit adds to a 64-channel block (ratio 4)."""
    real = _se_parameters(64, 4)
    run_check("predicted_se_parameters", predicted_se_parameters, [((), real)], quiet=quiet,
              hint="pooling and multiplying have no weights. A Dense layer from n inputs to m units has n x m "
                   "weights plus m biases; the first goes from 64 channels to 64 // 4, the second back to 64.")
    if not quiet:
        print(f"Built with Keras, the unit has {real:,} parameters - tiny next to the {3 * 3 * 64 * 64:,} weights of "
              "one 3 x 3 convolution with 64 channels.")


def check_small_net_design(build_small_net: Callable, quiet: bool = False) -> None:
    """build_small_net() -> a CIFAR-10 classifier within the parameter and MAC limits and with enough depth."""
    import keras

    from helpers.model_stats import count_macs

    exercise = "build_small_net"
    hint = ("depthwise-separable convolutions (keras.layers.SeparableConv2D) cost a fraction of the parameters and "
            "MACs of Conv2D; pool early so the deeper layers work on small maps; end with global average pooling "
            "instead of Flatten + a big Dense layer.")
    with silenced_stderr():
        model = call_answer(exercise, build_small_net, hint=hint)
        if not isinstance(model, keras.Model):
            fail(exercise, f"expected a Keras model, got {type(model).__name__}", hint)
        problem = compare((None, 32, 32, 3), tuple(model.input_shape)) and f"input shape {model.input_shape}"
        problem = problem or (compare((None, 10), tuple(model.output_shape)) and f"output shape {model.output_shape}")
        if problem:
            fail(exercise, f"wrong {problem}: expected (None, 32, 32, 3) in and (None, 10) out", hint)
        images = np.random.default_rng(0).random((4, 32, 32, 3), dtype=np.float32)
        probabilities = np.asarray(model.predict(images, verbose=0), dtype=float)
        params, macs = model.count_params(), count_macs(model)
        conv_types = (keras.layers.Conv2D, keras.layers.SeparableConv2D, keras.layers.DepthwiseConv2D)
        conv_layers = sum(isinstance(layer, conv_types) for layer in _all_layers(model))
    if not (np.isfinite(probabilities).all() and np.allclose(probabilities.sum(axis=1), 1, atol=1e-3)
            and (probabilities >= 0).all()):
        fail(exercise, "the outputs are not class probabilities (each row must be >= 0 and sum to 1)", hint)
    if params > SMALL_NET_MAX_PARAMS:
        fail(exercise, f"{params:,} parameters, more than the limit of {SMALL_NET_MAX_PARAMS:,}", hint)
    if macs > SMALL_NET_MAX_MACS:
        fail(exercise, f"{macs:,} MACs per image, more than the limit of {SMALL_NET_MAX_MACS:,}", hint)
    if conv_layers < SMALL_NET_MIN_CONV_LAYERS:
        fail(exercise, f"{conv_layers} convolution layers; at least {SMALL_NET_MIN_CONV_LAYERS} are required", hint)
    if not quiet:
        print(f"✅ {exercise}: correct - {params:,} parameters, {macs:,} MACs, {conv_layers} convolution layers")


def _all_layers(model) -> list:
    """The layers of a model, including those inside nested models."""
    layers = []
    for layer in model.layers:
        layers += _all_layers(layer) if hasattr(layer, "layers") else [layer]
    return layers


def _position_sensitive_predict(images: np.ndarray) -> np.ndarray:
    """A stand-in for model.predict whose output changes when the image is mirrored in either direction."""
    rows = images.shape[1]
    columns = images.shape[2]
    row_weights = np.linspace(-1, 1, rows)[None, :, None, None]
    column_weights = np.linspace(0, 2, columns)[None, None, :, None]
    scores = np.stack([(images * row_weights).mean(axis=(1, 2, 3)), (images * column_weights).mean(axis=(1, 2, 3)),
                       images.mean(axis=(1, 2, 3))], axis=1)
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def check_flip_tta(flip_tta_probabilities: Callable, quiet: bool = False) -> None:
    """flip_tta_probabilities(predict, images) -> mean of predict(images) and predict(mirrored images)."""
    images = np.random.default_rng(5).random((3, 6, 8, 2))
    expected = (_position_sensitive_predict(images) + _position_sensitive_predict(images[:, :, ::-1])) / 2
    run_check("flip_tta_probabilities", flip_tta_probabilities, [((_position_sensitive_predict, images), expected)],
              quiet=quiet, hint="a mirror image swaps left and right: which axis of an (image, row, column, channel) "
                                "array runs from left to right? Flipping the rows turns the picture upside down.")


def _keras_prelu(x: np.ndarray, slopes: np.ndarray) -> np.ndarray:
    """Keras' PReLU layer with one slope per channel (the last axis of ``x``) set to ``slopes``, applied to ``x``."""
    import keras

    with silenced_stderr():
        layer = keras.layers.PReLU(shared_axes=list(range(1, x.ndim - 1)) or None)
        layer.build(x.shape)
        layer.alpha.assign(np.broadcast_to(slopes, layer.alpha.shape))
        return np.asarray(keras.ops.convert_to_numpy(layer(x)), dtype="float64")


def check_prelu(prelu: Callable, quiet: bool = False) -> None:
    """prelu(x, slopes) -> x where x > 0, slopes * x elsewhere, one slope per channel (the last axis of x)."""
    rng = np.random.default_rng(7)
    images = rng.normal(size=(2, 3, 4, 3)).astype("float32")      # after a convolution: (n, rows, columns, channels)
    units = rng.normal(size=(4, 5)).astype("float32")              # after a dense layer: (n, units)
    image_slopes = np.array([0.25, 1.5, -0.5], dtype="float32")    # learned slopes need not stay between 0 and 1
    unit_slopes = np.array([0.0, 0.1, 0.25, 1.5, 2.0], dtype="float32")
    cases = [((images, image_slopes), _keras_prelu(images, image_slopes)),
             ((units, unit_slopes), _keras_prelu(units, unit_slopes))]
    run_check("prelu", prelu, cases, tolerance=1e-5, quiet=quiet,
              hint="keep x where it is positive; elsewhere multiply it by the slope of its own channel (an array of "
                   "shape (channels,) lines up with the last axis of x by broadcasting). Shortcuts that hold only "
                   "for slopes between 0 and 1 fail here: a learned slope can be larger.")
