"""Checks for the exercises of chapter 4."""

from __future__ import annotations

from collections.abc import Callable

from helpers.exercises.core import run_check

def check_conv_params(conv_params: Callable, quiet: bool = False) -> None:
    """conv_params(in_channels, filters, kernel_size) -> (K * K * C_in + 1) * C_out."""
    cases = [((3, 4, 5), 304), ((1, 32, 3), 320), ((32, 64, 3), 18_496), ((10, 10, 3), 910)]
    run_check("conv_params", conv_params, cases, quiet=quiet)


def _layer_summary(model) -> tuple:
    return model.count_params(), tuple(model.output_shape), tuple(type(layer).__name__ for layer in model.layers)


def check_mnist_cnn(build_mnist_cnn: Callable, quiet: bool = False) -> None:
    """build_mnist_cnn() -> the 220,234-parameter Keras model of chapter 4."""
    expected = (220_234, (None, 10), ("Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"))
    run_check("build_mnist_cnn", lambda: _layer_summary(build_mnist_cnn()), [((), expected)], quiet=quiet)


def check_flatten_dense_params(flatten_dense_params: Callable, quiet: bool = False) -> None:
    """flatten_dense_params(height, width, channels, units) -> weights of a Dense layer after Flatten."""
    cases = [((28, 28, 10, 3), 23_523), ((7, 7, 64, 64), 200_768), ((26, 26, 10, 3), 20_283), ((5, 5, 15, 3), 1_128)]
    run_check("flatten_dense_params", flatten_dense_params, cases, quiet=quiet)
