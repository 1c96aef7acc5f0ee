"""Chapter 6's visualisation helpers on small models built in the test."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import matplotlib

matplotlib.use("Agg")

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import conv_ops, set_seed
from helpers.architectures import fashion_cnn, resnet9
from helpers.visualize import (conv_layers, feature_maps, grad_cam, maximize_filter, plot_feature_maps,
                               plot_kernels, upsample)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(("channels", "filters"), [(1, 5), (3, 16)])
def test_kernel_grid_for_one_and_three_input_channels(channels, filters):
    kernels = np.random.default_rng(0).normal(size=(3, 3, channels, filters))
    fig = plot_kernels(kernels, title="layer", ncols=8)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == filters
    first = shown[0].images[0].get_array()
    assert first.shape == ((3, 3) if channels == 1 else (3, 3, 3))
    if channels == 1:  # one shared, zero-centred scale
        limit = np.abs(kernels).max()
        assert shown[0].images[0].get_clim() == pytest.approx((-limit, limit))
    else:  # each colour kernel stretched to 0-1
        assert first.min() == pytest.approx(0) and first.max() == pytest.approx(1)


def test_kernel_grid_rejects_a_2d_array():
    with pytest.raises(ValueError, match=r"\(KH, KW, C_in, filters\)"):
        plot_kernels(np.zeros((3, 3)))


def test_feature_maps_one_array_per_conv_layer():
    set_seed(0)
    model = fashion_cnn()
    maps = feature_maps(model, np.zeros((28, 28, 1)))
    assert len(maps) == len(conv_layers(model)) == 2
    assert [m.shape for m in maps] == [(28, 28, 32), (14, 14, 64)]
    colour = resnet9(8)
    assert len(feature_maps(colour, np.zeros((32, 32, 3)))) == len(conv_layers(colour)) == 8
    fig = plot_feature_maps(maps, ["block1", "block2"], channels=4)
    assert len(fig.axes) == 8
    with pytest.raises(ValueError, match=r"this model takes \(28, 28, 1\)"):
        feature_maps(model, np.zeros((1, 28, 28, 1)))


def test_first_feature_map_equals_the_numpy_convolution():
    set_seed(0)
    model = fashion_cnn()
    image = np.random.default_rng(1).random((28, 28, 1)).astype("float32")
    kernels = model.get_layer("block1_conv").get_weights()[0]
    ours = conv_ops.conv2d(image, kernels[:, :, :, 3], padding="same")
    np.testing.assert_allclose(feature_maps(model, image)[0][..., 3], ours, atol=1e-5)


def test_maximize_filter_increases_the_activation():
    set_seed(0)
    model = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Conv2D(4, 3, name="conv")])
    probe = keras.Model(model.inputs, model.get_layer("conv").output)
    start = np.full((1, 16, 16, 1), 0.5, "float32")
    image = maximize_filter(model, "conv", 2, steps=10)
    assert image.shape == (16, 16, 1) and 0 <= image.min() and image.max() <= 1
    before = probe(start).numpy()[..., 2].mean()
    after = probe(image[None]).numpy()[..., 2].mean()
    assert after > before
    with pytest.raises(ValueError, match="has 4 filters; got index 9"):
        maximize_filter(model, "conv", 9)


def test_grad_cam_shape_range_and_focus():
    set_seed(0)
    inputs = keras.Input((8, 8, 1))
    maps = keras.layers.Conv2D(1, 1, kernel_initializer="ones", use_bias=False, name="conv")(inputs)
    pooled = keras.layers.GlobalAveragePooling2D()(maps)
    outputs = keras.layers.Dense(2, kernel_initializer=keras.initializers.Constant([[1.0, -1.0]]))(pooled)
    model = keras.Model(inputs, outputs)
    image = np.zeros((8, 8, 1), "float32")
    image[2, 5] = 1.0  # class 0's score comes from this one bright pixel
    heat = grad_cam(model, image, class_index=0)
    assert heat.shape == (8, 8) and heat.max() == pytest.approx(1.0) and heat.min() >= 0
    assert np.unravel_index(heat.argmax(), heat.shape) == (2, 5)
    assert upsample(heat, (16, 16)).shape == (16, 16)
