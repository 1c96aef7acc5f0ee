"""Chapter 6's visualisation helpers on small models built in the test."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import matplotlib

matplotlib.use("Agg")

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf

from helpers import conv_ops, set_seed
from helpers.architectures import fashion_cnn, resnet9
from helpers.visualize import (conv_layers, draw_grad_cam_pipeline, draw_residual_block, feature_maps,
                               inner_border, inner_region, plot_feature_maps, plot_kernels, receptive_field,
                               top_activating_patches)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(("channels", "filters"), [(1, 5), (3, 16)])
def test_kernel_grid_for_one_and_three_input_channels(channels, filters):
    kernels = np.random.default_rng(0).normal(size=(3, 3, channels, filters))
    fig = plot_kernels(kernels, title="layer", ncols=8)
    shown = [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]
    assert len(shown) == filters
    first = shown[0].images[0].get_array()
    assert first.shape == ((3, 3) if channels == 1 else (3, 3, 3))
    limit = np.abs(kernels).max()
    colour_bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    if channels == 1:  # one shared, zero-centred scale, with a colour bar
        assert shown[0].images[0].get_clim() == pytest.approx((-limit, limit))
        assert len(colour_bars) == 1
    else:  # RGB centred on grey: 0.5 + w / (2 limit), one limit for all filters
        np.testing.assert_allclose(first, np.clip(0.5 + kernels[..., 0] / (2 * limit), 0, 1))


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
    assert len(fig.axes) == 8 + 2  # 2 rows of 4 maps, one colour bar per row
    with pytest.raises(ValueError, match=r"this model takes \(28, 28, 1\)"):
        feature_maps(model, np.zeros((1, 28, 28, 1)))


def test_first_feature_map_equals_the_numpy_convolution():
    set_seed(0)
    model = fashion_cnn()
    image = np.random.default_rng(1).random((28, 28, 1)).astype("float32")
    kernels = model.get_layer("block1_conv").get_weights()[0]
    ours = conv_ops.conv2d(image, kernels[:, :, :, 3], padding="same")
    np.testing.assert_allclose(feature_maps(model, image)[0][..., 3], ours, atol=1e-5)


def test_feature_map_rows_are_centred_with_colour_bars():
    maps = [np.random.default_rng(2).normal(size=(6, 6, 3)), np.random.default_rng(3).normal(size=(3, 3, 5)) * 10]
    fig = plot_feature_maps(maps, ["a", "b"], channels=3)
    colour_bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert len(colour_bars) == 2
    low, high = fig.axes[3].images[0].get_clim()  # second row: its own symmetric limits
    assert low == pytest.approx(-high) and high == pytest.approx(np.abs(maps[1][..., :3]).max())


def test_receptive_field_of_resnet9_layers():
    model = resnet9(8)
    assert receptive_field(model, "prep_relu") == (3, 1)
    assert receptive_field(model, "layer1_pool") == (6, 2)
    assert receptive_field(model, "res1_add") == (14, 2)  # the residual branch's two convs count
    assert receptive_field(model, "layer3_relu") == (28, 4)
    with pytest.raises(ValueError, match="no layer 'nope'"):
        receptive_field(model, "nope")


def test_top_activating_patches_come_from_the_strongest_units():
    images = np.random.default_rng(4).random((5, 16, 16, 3))
    activations = np.zeros((5, 8, 8, 2))  # border 1: the inner units are rows and columns 1-6
    activations[2, 1, 6, 1] = 9.0  # image 2, unit (1, 6): centre pixel (3, 13) with jump 2
    activations[4, 3, 3, 1] = 5.0
    patches, values = top_activating_patches(activations, images, filter_index=1, count=2, field=7, jump=2)
    assert values == [9.0, 5.0]
    assert all(patch.shape == (7, 7, 3) for patch in patches)
    np.testing.assert_allclose(patches[0][:, :6], images[2, 0:7, 10:16])  # the right column is padding
    np.testing.assert_allclose(patches[0][:, 6], 0.5)
    np.testing.assert_allclose(patches[1], images[4, 4:11, 4:11])


def test_top_activating_patches_search_the_inner_region_of_the_ascent_objective():
    images = np.random.default_rng(5).random((3, 16, 16, 3))
    activations = np.zeros((3, 8, 8, 1))
    activations[0, 0, 0, 0] = 100.0  # border units: mostly padding, left out as in the ascent objective
    activations[1, 7, 4, 0] = 50.0
    activations[2, 2, 5, 0] = 3.0  # the strongest inner unit
    patches, values = top_activating_patches(activations, images, filter_index=0, count=1, field=3, jump=2)
    assert values == [3.0]
    np.testing.assert_allclose(patches[0], images[2, 4:7, 10:13])
    assert inner_region(activations).max() == 3.0  # the same units as the objective's inner region


def test_inner_region_leaves_out_one_eighth_of_each_side():
    assert [inner_border(side) for side in (4, 8, 16, 32)] == [1, 1, 2, 4]
    maps = np.arange(2 * 16 * 16).reshape(2, 16, 16)
    np.testing.assert_array_equal(inner_region(maps), maps[:, 2:14, 2:14])
    assert tuple(inner_region(tf.zeros((1, 32, 32, 5))).shape) == (1, 24, 24, 5)  # a tensor in a GradientTape too
    with pytest.raises(ValueError, match="no inner region"):
        inner_border(2)


def test_diagrams_are_drawn():
    assert draw_residual_block(64).axes[0].texts
    texts = " ".join(t.get_text() for t in draw_grad_cam_pipeline((4, 4), 128, (32, 32)).axes[0].texts)
    assert "4x4x128" in texts and "32x32" in texts
