"""Chapter 3's diagrams: what they highlight is computed, and agrees with conv_ops."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import conv_ops
from helpers.diagrams import draw_padding_stride, draw_receptive_field, draw_sliding_window, receptive_field_regions
from helpers.plotting import show_feature_maps


@pytest.mark.parametrize("layers", [[(3, 1), (2, 2), (3, 1)], [(5, 1), (2, 2), (3, 1), (3, 2)], [(3, 2)] * 3,
                                    [(7, 2), (3, 2), (3, 1)]])
def test_receptive_field_regions_agree_with_conv_ops(layers):
    first, last = receptive_field_regions(layers, input_size=64, output_index=1)[0]
    assert last - first + 1 == conv_ops.receptive_field(layers).size


def test_the_chapter_stack_depends_on_8_6_3_1_pixels():
    regions = receptive_field_regions([(3, 1), (2, 2), (3, 1)], input_size=12, output_index=1)
    assert [last - first + 1 for first, last in regions] == [8, 6, 3, 1]


def test_sliding_window_title_writes_out_the_output_value():
    image = np.arange(25).reshape(5, 5)
    kernel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    fig = draw_sliding_window(image, kernel, row=1, col=2)
    expected = np.sum(image[1:4, 2:5] * kernel)
    assert fig._suptitle.get_text().endswith(f"= {expected:g}")
    plt.close(fig)
    with pytest.raises(ValueError, match="outside the 3x3 output"):
        draw_sliding_window(image, kernel, row=3, col=0)


def test_padding_stride_titles_give_the_output_size():
    fig = draw_padding_stride(5, 3, [(0, 1), (1, 1), (1, 2)])
    titles = [ax.get_title() for ax in fig.axes]
    assert [t.splitlines()[-1] for t in titles] == ["-> output 3x3", "-> output 5x5", "-> output 3x3"]
    plt.close(fig)


def test_receptive_field_figure_and_feature_maps_have_what_they_promise():
    fig = draw_receptive_field([(3, 1), (2, 2), (3, 1)], ["conv", "pool", "conv"], input_size=12, output_index=1)
    assert "receptive field 8x8" in fig._suptitle.get_text()
    plt.close(fig)
    signed, zero, image = np.array([[-2.0, 1.0], [0.5, 0.0]]), np.zeros((2, 2)), np.array([[0.0, 1.0], [0.5, 0.2]])
    fig = show_feature_maps([signed, zero, image], ["signed", "zero", "image"])
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert [im.get_cmap().name for im in images] == ["RdBu_r", "RdBu_r", "gray"]
    low, high = images[0].get_clim()
    assert high > 0 and low == -high  # centred at zero
    assert len(fig.axes) == 6  # three panels, three colour bars
    plt.close(fig)
