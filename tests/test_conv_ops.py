"""The NumPy reference operations against TensorFlow, Keras and SciPy."""

import itertools
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import signal

from helpers import conv_ops as ops

RNG = np.random.default_rng(0)


def explicit_tf_padding(padding):
    (top, bottom), (left, right) = padding
    return [[0, 0], [top, bottom], [left, right], [0, 0]]


CONV_CASES = list(itertools.product(
    [1, 2, 3],                              # stride
    ["valid", "same", ((1, 2), (2, 0))],    # padding
    [1, 2],                                 # dilation
    [1, 3],                                 # input channels
    [1, 4],                                 # filters
    [(9, 9), (8, 10)],                      # odd and even image sizes
    [(3, 3), (2, 3)],                       # odd and even kernel sizes
))


@pytest.mark.parametrize(("stride", "padding", "dilation", "channels", "filters", "size", "kernel"), CONV_CASES)
def test_conv2d_matches_tf_nn_conv2d(stride, padding, dilation, channels, filters, size, kernel):
    image = RNG.normal(size=(2, *size, channels))
    weights = RNG.normal(size=(*kernel, channels, filters))
    bias = RNG.normal(size=filters)
    fast = ops.conv2d(image, weights, bias, stride=stride, padding=padding, dilation=dilation)
    loop = ops.conv2d_loop(image, weights, bias, stride=stride, padding=padding, dilation=dilation)
    np.testing.assert_allclose(fast, loop, atol=1e-10)
    if stride > 1 and dilation > 1:
        return  # TensorFlow has no CPU kernel for strides and dilations together; loop == fast suffices
    tf_padding = padding.upper() if isinstance(padding, str) else explicit_tf_padding(padding)
    expected = tf.nn.conv2d(image, weights, strides=stride, padding=tf_padding, dilations=dilation).numpy() + bias
    np.testing.assert_allclose(fast, expected, atol=1e-9)


@pytest.mark.parametrize(("padding", "stride", "dilation"), [("valid", 1, 1), ("same", 2, 1), ("same", 1, 2), ("valid", 3, 1)])
def test_conv2d_matches_a_keras_layer_with_the_same_weights(padding, stride, dilation):
    image = RNG.normal(size=(3, 11, 10, 3)).astype("float32")
    layer = keras.layers.Conv2D(5, 3, strides=stride, padding=padding, dilation_rate=dilation)
    expected = layer(image).numpy()
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(ops.conv2d(image, kernel, bias, stride, padding, dilation), expected, atol=1e-5)
    np.testing.assert_allclose(ops.conv2d_loop(image, kernel, bias, stride, padding, dilation), expected, atol=1e-5)


@pytest.mark.parametrize("shape", [(12, 12), (7, 16), (16, 7)])
@pytest.mark.parametrize("kernel_shape", [(3, 3), (2, 4), (5, 1)])
def test_single_channel_matches_scipy_correlate2d(shape, kernel_shape):
    image, kernel = RNG.normal(size=shape), RNG.normal(size=kernel_shape)
    expected_valid = signal.correlate2d(image, kernel, mode="valid")
    np.testing.assert_allclose(ops.conv2d(image, kernel), expected_valid, atol=1e-12)
    np.testing.assert_allclose(ops.conv2d_loop(image, kernel), expected_valid, atol=1e-12)
    full = ((kernel_shape[0] - 1,) * 2, (kernel_shape[1] - 1,) * 2)  # "full" = K - 1 zeros on every side
    np.testing.assert_allclose(ops.conv2d(image, kernel, padding=full),
                               signal.correlate2d(image, kernel, mode="full"), atol=1e-12)


def test_convolution_is_correlation_with_the_flipped_kernel():
    image, kernel = RNG.normal(size=(9, 9)), RNG.normal(size=(3, 3))
    np.testing.assert_allclose(ops.conv2d(image, kernel[::-1, ::-1]),
                               signal.convolve2d(image, kernel, mode="valid"), atol=1e-12)


def test_512_image_agrees_with_scipy_to_1e9():
    image, kernel = RNG.random((512, 512)), RNG.random((3, 3))
    np.testing.assert_allclose(ops.conv2d(image, kernel), signal.correlate2d(image, kernel, mode="valid"),
                               atol=1e-9, rtol=0)


@pytest.mark.parametrize(("stride", "padding", "dilation"), [(1, "valid", 1), (2, "same", 1), (1, "same", 2), (3, 2, 1)])
def test_conv1d_matches_keras_conv1d(stride, padding, dilation):
    x = RNG.normal(size=(13, 2)).astype("float32")
    layer = keras.layers.Conv1D(3, 3, strides=stride, dilation_rate=dilation,
                                padding=padding if isinstance(padding, str) else "valid")
    padded = x if isinstance(padding, str) else np.pad(x, ((padding, padding), (0, 0)))
    expected = layer(padded[None]).numpy()[0]
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(ops.conv1d(x, kernel, bias, stride, padding, dilation), expected, atol=1e-5)
    if kernel.shape[1:] == (2, 3):
        single = ops.conv1d_loop(x[:, 0], kernel[:, 0, 0], stride, padding, dilation)
        np.testing.assert_allclose(single, ops.conv1d(x[:, 0], kernel[:, 0, 0], None, stride, padding, dilation),
                                   atol=1e-6)


def test_conv1d_syllabus_examples():
    np.testing.assert_array_equal(ops.conv1d_loop([0, 0, 1, 1, 0, 0, 1, 1, 0, 0], [-1, 1]),
                                  [0, 1, 0, -1, 0, 1, 0, -1, 0])
    np.testing.assert_array_equal(ops.conv1d([1, 0, 1, 0, 1, 0, 1, 0, 1, 0], np.array([1, -1, 0])),
                                  [1, -1, 1, -1, 1, -1, 1, -1])


@pytest.mark.parametrize("multiplier", [1, 2])
def test_depthwise_matches_keras(multiplier):
    image = RNG.normal(size=(2, 9, 9, 3)).astype("float32")
    layer = keras.layers.DepthwiseConv2D(3, padding="same", depth_multiplier=multiplier)
    expected = layer(image).numpy()
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(ops.depthwise_conv2d(image, kernel, bias, padding="same"), expected, atol=1e-5)
    assert ops.depthwise_conv2d_params(3, 3, multiplier) == layer.count_params()


POOL_CASES = list(itertools.product([2, 3, (2, 3)], [None, 1, 2], ["valid", "same"], [(8, 8, 1), (9, 7, 3)]))


@pytest.mark.parametrize(("pool", "stride", "padding", "shape"), POOL_CASES)
def test_pooling_matches_keras(pool, stride, padding, shape):
    image = RNG.normal(size=(2, *shape)).astype("float32")
    for mode, layer_class in (("max", keras.layers.MaxPooling2D), ("average", keras.layers.AveragePooling2D)):
        expected = layer_class(pool, strides=stride, padding=padding)(image).numpy()
        np.testing.assert_allclose(ops.pool2d(image, pool, stride, mode, padding), expected, atol=1e-6)
        np.testing.assert_allclose(ops.pool2d_loop(image, pool, stride, mode, padding), expected, atol=1e-6)


def test_global_average_pooling_matches_keras():
    image = RNG.normal(size=(4, 5, 6, 7)).astype("float32")
    expected = keras.layers.GlobalAveragePooling2D()(image).numpy()
    np.testing.assert_allclose(ops.global_avg_pool2d(image), expected, atol=1e-6)
    assert ops.global_avg_pool2d(image[0]).shape == (7,)


def test_pooling_syllabus_example():
    x = np.array([[1, 3, 10, 2], [5, 4, 6, 14], [1, 2, 17, 8], [3, 3, 10, 12]])
    np.testing.assert_array_equal(ops.max_pool2d(x), [[5, 14], [3, 17]])
    np.testing.assert_array_equal(ops.avg_pool2d(x), [[3.25, 8], [2.25, 11.75]])


SIZE_CASES = [  # input, kernel, padding, stride, expected (the syllabus list)
    (28, 3, 1, 1, 28), (28, 3, 1, 3, 10), (256, 4, 1, 2, 128), (5, 3, 1, 2, 3), (4, 2, 0, 1, 3), (4, 2, 0, 2, 2),
    (4, 3, 1, 1, 4), (28, 3, 0, 1, 26), (28, 3, 0, 2, 13), (224, 3, 0, 1, 222), (222, 4, 1, 2, 111),
]


@pytest.mark.parametrize(("size", "kernel", "pad", "stride", "expected"), SIZE_CASES)
def test_output_size_matches_keras_shapes(size, kernel, pad, stride, expected):
    assert ops.conv_output_size(size, kernel, stride, pad) == expected
    model = keras.Sequential([keras.Input((size, size, 1)), keras.layers.ZeroPadding2D(pad),
                              keras.layers.Conv2D(2, kernel, strides=stride)])
    assert model.output_shape == (None, expected, expected, 2)


@pytest.mark.parametrize(("size", "kernel", "stride", "dilation"), [(28, 3, 1, 2), (17, 4, 3, 1), (10, 5, 1, 2), (9, 2, 2, 1)])
def test_output_size_same_and_dilated_match_keras(size, kernel, stride, dilation):
    for padding in ("valid", "same"):
        layer = keras.layers.Conv2D(1, kernel, strides=stride, padding=padding, dilation_rate=dilation)
        shape = keras.Sequential([keras.Input((size, size, 1)), layer]).output_shape
        assert shape[1] == ops.conv_output_size(size, kernel, stride, padding, dilation)


@pytest.mark.parametrize(("in_channels", "filters", "kernel", "use_bias"), [(3, 4, 5, True), (1, 10, 3, True), (10, 10, 3, True), (16, 32, (1, 3), False)])
def test_param_count_matches_keras(in_channels, filters, kernel, use_bias):
    layer = keras.layers.Conv2D(filters, kernel, use_bias=use_bias)
    layer.build((None, 12, 12, in_channels))
    assert ops.conv2d_params(in_channels, filters, kernel, use_bias) == layer.count_params()


def test_syllabus_counts():
    assert ops.conv2d_params(3, 4, 5) == 304
    assert ops.conv2d_params(3, 1, 3) == 28
    assert ops.dense_macs(100, 64) == 6_400
    first = ops.conv2d_macs(3, 3, (222, 222, 64))
    second = ops.conv2d_macs(4, 64, (111, 111, 64))
    assert (first, second, first + second) == (85_162_752, 807_469_056, 892_631_808)
    assert ops.depthwise_conv2d_macs(3, (112, 112, 32)) == 3_612_672
    assert ops.conv2d_macs(1, 32, (112, 112, 32)) == 12_845_056
    assert ops.conv2d_macs(3, 32, (112, 112, 32)) == 115_605_504
    assert ops.conv2d_macs(1, 32, (112, 112, 16)) + ops.conv2d_macs(3, 16, (112, 112, 32)) == 64_225_280


def test_receptive_field():
    assert ops.receptive_field([(3, 1), (2, 2), (3, 1)]).size == 8
    assert ops.receptive_field([(3, 1, 2)]).size == 5
    assert ops.receptive_field([(3, 1)] * 3) == ops.ReceptiveField(size=7, jump=1)


BAD_INPUTS = [
    (lambda: ops.conv2d(np.zeros((3, 3)), np.zeros((5, 5))), "kernel spans 5x5 pixels .* padded input is only 3x3"),
    (lambda: ops.conv2d(np.zeros((5, 5)), np.zeros((3, 3)), dilation=3), "kernel spans 7x7"),
    (lambda: ops.conv2d(np.zeros((5, 5)), np.zeros((3, 3)), stride=0), "stride must be at least 1"),
    (lambda: ops.conv2d(np.zeros((5, 5)), np.zeros((3, 3)), dilation=0), "dilation must be at least 1"),
    (lambda: ops.conv2d(np.zeros((5, 5, 3)), np.zeros((3, 3, 1, 2))), "image has 3 channel.*kernel expects 1"),
    (lambda: ops.conv2d(np.zeros(5), np.zeros((3, 3))), "image must be .* got 1 dimensions"),
    (lambda: ops.conv2d(np.zeros((1, 5, 5, 1, 1)), np.zeros((3, 3))), "got 5 dimensions"),
    (lambda: ops.conv2d(np.zeros((5, 5)), np.zeros(3)), "kernel must be"),
    (lambda: ops.conv2d(np.array([["a"] * 5] * 5), np.zeros((3, 3))), "image must hold numbers, got dtype <U1"),
    (lambda: ops.conv2d(np.zeros((5, 5)), np.ones((3, 3), bool)), "kernels must hold numbers, got dtype bool"),
    (lambda: ops.conv2d(np.zeros((5, 5)), np.zeros((3, 3)), padding="full"), 'padding must be "valid", "same"'),
    (lambda: ops.conv2d(np.zeros((5, 5)), np.zeros((3, 3)), padding=((1, -1), (0, 0))), "cannot be negative"),
    (lambda: ops.conv2d(np.zeros((5, 5)), np.zeros((3, 3, 1, 2)), bias=[1, 2, 3]), "bias has 3 values but there are 2"),
    (lambda: ops.conv2d_loop(np.zeros((5, 5)), np.zeros((3, 3)), stride=(1, 0)), "stride must be at least 1"),
    (lambda: ops.conv1d_loop([1, 2], [1, 2, 3]), "kernel spans 3 values but the padded signal has only 2"),
    (lambda: ops.max_pool2d(np.zeros((2, 2)), 3), "pooling window .* larger than the input"),
    (lambda: ops.pool2d(np.zeros((4, 4)), mode="median"), 'mode must be "max" or "average"'),
    (lambda: ops.conv_output_size(3, 5), "larger than the padded input"),
    (lambda: ops.conv_output_size(28, 3, stride=0), "stride must be a positive integer"),
    (lambda: ops.global_avg_pool2d(np.zeros((4, 4))), "Global pooling expects"),
]


@pytest.mark.parametrize(("call", "message"), BAD_INPUTS)
def test_bad_input_gives_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_output_keeps_the_input_form():
    assert ops.conv2d(np.zeros((6, 6)), np.zeros((3, 3))).shape == (4, 4)
    assert ops.conv2d(np.zeros((6, 6, 3)), np.zeros((3, 3, 3))).shape == (4, 4)
    assert ops.conv2d(np.zeros((6, 6, 3)), np.zeros((3, 3, 3, 2))).shape == (4, 4, 2)
    assert ops.conv2d(np.zeros((5, 6, 6, 3)), np.zeros((3, 3, 3, 2))).shape == (5, 4, 4, 2)
    assert ops.conv2d(np.zeros((6, 6), np.uint8), np.ones((3, 3), np.int64)).dtype == np.float64
