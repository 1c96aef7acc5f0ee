"""Checks for the exercises of chapter 4."""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable

import numpy as np

from helpers.exercises.core import run_check


@contextlib.contextmanager
def _quiet():
    """Keras may warn (e.g. about from_logits on a softmax output): a graded check writes nothing to stderr."""
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def check_conv_params(conv_params: Callable, quiet: bool = False) -> None:
    """conv_params(in_channels, filters, kernel_size) -> (K * K * C_in + 1) * C_out."""
    cases = [((3, 4, 5), 304), ((1, 32, 3), 320), ((32, 64, 3), 18_496), ((10, 10, 3), 910)]
    run_check("conv_params", conv_params, cases, quiet=quiet,
              hint="each filter has one weight per kernel position and input channel, plus one bias.")


def _layer_summary(model) -> tuple:
    return model.count_params(), tuple(model.output_shape), tuple(type(layer).__name__ for layer in model.layers)


def check_mnist_cnn(build_mnist_cnn: Callable, quiet: bool = False) -> None:
    """build_mnist_cnn() -> the 220,234-parameter Keras model of chapter 4."""
    expected = (220_234, (None, 10), ("Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"))
    with _quiet():
        run_check("build_mnist_cnn", lambda: _layer_summary(build_mnist_cnn()), [((), expected)], quiet=True,
                  hint="compare your model.summary() with the layer list; 'same' padding keeps 28 x 28 before "
                       "the first pooling, and keras.Input((28, 28, 1)) comes first.")
    if not quiet:
        print("✅ build_mnist_cnn: correct")


def check_flatten_dense_params(flatten_dense_params: Callable, quiet: bool = False) -> None:
    """flatten_dense_params(height, width, channels, units) -> weights of a Dense layer after Flatten."""
    cases = [((28, 28, 10, 3), 23_523), ((7, 7, 64, 64), 200_768), ((26, 26, 10, 3), 20_283), ((5, 5, 15, 3), 1_128)]
    run_check("flatten_dense_params", flatten_dense_params, cases, quiet=quiet,
              hint="Flatten turns the map into height * width * channels inputs; every unit has a weight for "
                   "each input and one bias.")


# ----------------------------------------------------------------------------- predict, then run

def _mystery_model():
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input((32, 32, 3)),
        layers.Conv2D(16, 5, strides=2, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, activation="relu"),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])


def check_predicted_flatten_and_params(predicted_flatten_and_params: Callable, quiet: bool = False) -> None:
    """predicted_flatten_and_params() -> (length of Flatten's output, total parameters) of the exercise's model."""
    import keras

    with _quiet():
        model = _mystery_model()
        flatten = next(layer for layer in model.layers if isinstance(layer, keras.layers.Flatten))
        expected = (int(flatten.output.shape[-1]), int(model.count_params()))
        run_check("predicted_flatten_and_params", predicted_flatten_and_params, [((), expected)], quiet=True,
                  hint="go layer by layer: 'same' padding with stride 2 halves the side (rounding up), 2 x 2 "
                       "pooling halves it again, a 3 x 3 'valid' convolution removes 2; then count each layer's "
                       "weights and biases.")
    if not quiet:
        print("✅ predicted_flatten_and_params: correct")
        print("   the model itself:", ", ".join(f"{type(layer).__name__} {tuple(layer.output.shape[1:])} "
                                               f"{layer.count_params():,} params" for layer in model.layers))


# ----------------------------------------------------------------------------- design under a constraint

MAX_PARAMS = 10_000
MAX_CONVS = 3
MIN_RECEPTIVE_FIELD = 16


def _pair_value(value) -> int:
    """Keras stores kernel sizes and strides as pairs; the exercise uses square ones."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(set(values)) != 1:
        raise ValueError(f"use square kernels, strides and pools (got {values})")
    return int(values[0])


def receptive_field_of_last_conv(model) -> int:
    """Receptive field (pixels per axis) of the last Conv2D's output, walking the layers in order."""
    import keras

    size, jump, at_last_conv = 1, 1, 1
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            kernel = (_pair_value(layer.kernel_size) - 1) * _pair_value(layer.dilation_rate) + 1
            stride = _pair_value(layer.strides)
        elif isinstance(layer, (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)):
            kernel, stride = _pair_value(layer.pool_size), _pair_value(layer.strides)
        else:
            continue
        size += (kernel - 1) * jump
        jump *= stride
        if isinstance(layer, keras.layers.Conv2D):
            at_last_conv = size
    return at_last_conv


def _design_report(model) -> tuple:
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"expected a keras.Model, got {type(model).__name__}")
    convs = sum(isinstance(layer, keras.layers.Conv2D) for layer in model.layers)
    if tuple(model.input_shape) != (None, 28, 28, 1):
        input_ok = f"input shape {tuple(model.input_shape)}, not (None, 28, 28, 1)"
    else:
        input_ok = "input (None, 28, 28, 1): yes"
    probabilities = np.asarray(model(np.zeros((2, 28, 28, 1), dtype="float32")))
    output_ok = ("output: 10 class probabilities: yes" if probabilities.shape == (2, 10)
                 and np.all(np.isfinite(probabilities)) and np.allclose(probabilities.sum(axis=1), 1, atol=1e-4)
                 else f"output: {probabilities.shape[1:]} values that are not 10 class probabilities (softmax?)")
    params = model.count_params()
    field = receptive_field_of_last_conv(model)
    return (input_ok, output_ok,
            f"at most {MAX_PARAMS:,} parameters: {'yes' if params <= MAX_PARAMS else 'no'} ({params:,})",
            f"1 to {MAX_CONVS} Conv2D layers: {'yes' if 1 <= convs <= MAX_CONVS else 'no'} ({convs})",
            f"receptive field >= {MIN_RECEPTIVE_FIELD}: {'yes' if field >= MIN_RECEPTIVE_FIELD else 'no'} ({field})")


def check_small_wide_view_cnn(small_wide_view_cnn: Callable, quiet: bool = False) -> None:
    """small_wide_view_cnn() -> a model 28x28x1 -> 10 with <= 10,000 parameters, <= 3 Conv2D, receptive field >= 16."""
    wanted = ("input (None, 28, 28, 1): yes", "output: 10 class probabilities: yes",
              f"at most {MAX_PARAMS:,} parameters: yes", f"1 to {MAX_CONVS} Conv2D layers: yes",
              f"receptive field >= {MIN_RECEPTIVE_FIELD}: yes")
    measured = []

    def answer() -> tuple:
        measured[:] = _design_report(small_wide_view_cnn())
        return tuple(line.split(" (")[0] if line.endswith(")") and ": " in line else line for line in measured)

    with _quiet():
        try:
            run_check("small_wide_view_cnn", answer, [((), wanted)], quiet=True,
                      hint="downsampling (pooling or stride 2) between convolutions doubles how far each later "
                           "3 x 3 kernel reaches; GlobalAveragePooling2D instead of Flatten keeps the read-out "
                           "small.")
        except AssertionError as error:
            raise AssertionError(f"{error}\nYour model: {'; '.join(measured)}" if measured else str(error)) from None
    if not quiet:
        print("✅ small_wide_view_cnn: correct -", "; ".join(measured))


# ----------------------------------------------------------------------------- diagnose

def _loss_report(model) -> tuple:
    """What the check needs to know about a compiled model, as sentences that read well in feedback."""
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"expected a compiled keras.Model, got {type(model).__name__}")
    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        raise ValueError("the model is not compiled: call model.compile(...) before returning it")
    loss = keras.losses.get(model.loss) if isinstance(model.loss, str) else model.loss
    name = getattr(loss, "name", getattr(loss, "__name__", type(loss).__name__))
    sparse = "sparse" in str(name).lower()
    images = np.random.default_rng(4).random((16, 28, 28, 1), dtype=np.float32)
    labels = np.arange(16) % 10
    outputs = np.asarray(model(images, training=False), dtype="float64")
    shape_ok = outputs.shape == (16, 10) and bool(np.all(np.isfinite(outputs)))
    last_layer = model.layers[-1]
    activation = getattr(getattr(last_layer, "activation", None), "__name__", "")
    is_probability = shape_ok and np.allclose(outputs.sum(axis=1), 1, atol=1e-4) and outputs.min() >= 0
    # The loss the model will train on, against the cross-entropy of the probabilities it actually predicts.
    if shape_ok:
        probabilities = outputs if is_probability else np.exp(outputs - outputs.max(axis=1, keepdims=True))
        probabilities = probabilities / probabilities.sum(axis=1, keepdims=True)
        true_cross_entropy = float(-np.mean(np.log(probabilities[np.arange(16), labels] + 1e-12)))
        try:
            computed = float(np.mean(np.asarray(loss(labels, outputs.astype("float32")))))
        except Exception:  # a loss that cannot take integer labels at all
            computed = float("nan")
        loss_matches = bool(np.isfinite(computed) and abs(computed - true_cross_entropy) < 1e-3)
    else:
        loss_matches = False
    learning_rate = float(np.asarray(model.optimizer.learning_rate))
    return (
        "output: 10 values per image: " + ("yes" if shape_ok else "no"),
        "loss takes integer labels: " + ("yes" if sparse else "no"),
        "loss equals the cross-entropy of the model's predictions: " + ("yes" if loss_matches else "no"),
        "learning rate between 1e-4 and 1e-2: " + ("yes" if 1e-4 <= learning_rate <= 1e-2 else "no"),
    ), activation


def check_fixed_setup(fixed_setup: Callable, quiet: bool = False) -> None:
    """fixed_setup() -> a compiled model whose loss suits integer labels and its own outputs, with a sane learning rate."""
    wanted = ("output: 10 values per image: yes", "loss takes integer labels: yes",
              "loss equals the cross-entropy of the model's predictions: yes",
              "learning rate between 1e-4 and 1e-2: yes")
    with _quiet():
        run_check("fixed_setup", lambda: _loss_report(fixed_setup())[0], [((), wanted)], quiet=True,
                  hint="look at three things in turn: what format the labels have and which loss expects that "
                       "format; whether the last layer already outputs probabilities, and what from_logits tells "
                       "the loss; and how large a step Adam's learning rate allows (compare with the defaults "
                       "printed in section 6.2).")
    if not quiet:
        print("✅ fixed_setup: correct")
