"""Property-based comparison of the NumPy convolution and pooling with TensorFlow (hypothesis).

Random batch sizes, image sizes, channels, kernels, strides, dilations, paddings and dtypes; the example counts are
bounded so the file runs in about half a minute. TensorFlow does not combine strides > 1 with dilations > 1, so a
drawn case uses one or the other. NaN and infinity give the results TensorFlow gives (the last test): NaN spreads
through convolution and average pooling, max pooling skips it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.conv_ops import conv2d, pool2d

tf = pytest.importorskip("tensorflow")

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOLERANCE = {np.float32: 1e-4, np.float64: 1e-10}


@st.composite
def conv_cases(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    kernel_h, kernel_w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    if draw(st.booleans()):
        stride, dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3))), (1, 1)
    else:
        stride, dilation = (1, 1), (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    span_h, span_w = (kernel_h - 1) * dilation[0] + 1, (kernel_w - 1) * dilation[1] + 1
    height, width = draw(st.integers(span_h, span_h + 8)), draw(st.integers(span_w, span_w + 8))
    batch, c_in, c_out = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    padding = draw(st.sampled_from(["valid", "same"]))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    image = rng.normal(size=(batch, height, width, c_in)).astype(dtype)
    kernels = rng.normal(size=(kernel_h, kernel_w, c_in, c_out)).astype(dtype)
    return image, kernels, stride, dilation, padding


@SETTINGS
@given(conv_cases())
def test_conv2d_matches_tensorflow(case):
    image, kernels, stride, dilation, padding = case
    ours = conv2d(image, kernels, stride=stride, padding=padding, dilation=dilation)
    theirs = tf.nn.conv2d(image, kernels, strides=(1, *stride, 1), padding=padding.upper(),
                          dilations=(1, *dilation, 1))
    assert ours.dtype == image.dtype
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=TOLERANCE[image.dtype.type],
                               atol=TOLERANCE[image.dtype.type] * 10)


@st.composite
def pool_cases(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    pool = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    height, width = draw(st.integers(pool[0], pool[0] + 8)), draw(st.integers(pool[1], pool[1] + 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    image = rng.normal(size=(draw(st.integers(1, 2)), height, width, draw(st.integers(1, 3)))).astype(dtype)
    return image, pool, stride, draw(st.sampled_from(["valid", "same"])), draw(st.sampled_from(["max", "average"]))


@SETTINGS
@given(pool_cases())
def test_pool2d_matches_tensorflow(case):
    image, pool, stride, padding, mode = case
    ours = pool2d(image, pool, stride, mode, padding)
    tf_pool = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    theirs = tf_pool(image, ksize=pool, strides=stride, padding=padding.upper())
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=TOLERANCE[image.dtype.type], atol=1e-6)


@pytest.mark.parametrize("special", [np.nan, np.inf, -np.inf])
def test_special_values_propagate_like_tensorflow(special):
    image = np.arange(36, dtype=np.float32).reshape(1, 6, 6, 1)
    image[0, 2, 3, 0] = special
    kernels = np.ones((3, 3, 1, 1), dtype=np.float32)
    np.testing.assert_array_equal(conv2d(image, kernels), tf.nn.conv2d(image, kernels, 1, "VALID").numpy())
    for mode, tf_pool in (("max", tf.nn.max_pool2d), ("average", tf.nn.avg_pool2d)):
        np.testing.assert_array_equal(pool2d(image, 2, 2, mode), tf_pool(image, 2, 2, "VALID").numpy())
