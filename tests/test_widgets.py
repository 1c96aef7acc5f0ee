"""Drive the explorers the way a learner would, without a browser."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from scipy import signal

from helpers.widgets import KERNEL_PRESETS, ConvolutionExplorer, PoolingExplorer, kernel_to_text, parse_kernel

IMAGES = {"ramp": np.tile(np.arange(20.0), (20, 1)), "noise": np.random.default_rng(0).random((17, 23))}


def test_starts_with_sobel_on_the_first_image():
    explorer = ConvolutionExplorer(IMAGES)
    expected = signal.correlate2d(IMAGES["ramp"], KERNEL_PRESETS["Sobel x"], mode="valid")
    np.testing.assert_allclose(explorer.result, expected)
    assert "output 18&times;18" in explorer.size_label.value
    assert len(explorer.output.outputs) == 1 and "image/png" in explorer.output.outputs[0]["data"]


def test_changing_controls_updates_result_and_displayed_size():
    explorer = ConvolutionExplorer(IMAGES)
    explorer.stride.value = 2
    assert explorer.result.shape == (9, 9) and "output 9&times;9" in explorer.size_label.value
    explorer.padding.value = "same"
    assert explorer.result.shape == (10, 10) and "output 10&times;10" in explorer.size_label.value
    explorer.stride.value = 1
    explorer.padding.value = "valid"
    explorer.dilation.value = 2
    assert explorer.result.shape == (16, 16) and "spans 5&times;5" in explorer.size_label.value
    explorer.image.value = "noise"
    assert explorer.result.shape == (13, 19)


def test_preset_and_own_kernel():
    explorer = ConvolutionExplorer(IMAGES)
    explorer.preset.value = "left edge (2x2)"
    assert explorer.kernel_text.value == "-1 1; -1 1"
    assert explorer.result.shape == (19, 19)
    np.testing.assert_allclose(explorer.result, 2.0)  # a ramp rising by 1 per column: each row adds 1
    explorer.kernel_text.value = "0 0 0; 0 2 0; 0 0 0"
    np.testing.assert_allclose(explorer.result, 2 * IMAGES["ramp"][1:-1, 1:-1])


def test_bad_kernel_is_explained_not_raised():
    explorer = ConvolutionExplorer(IMAGES)
    explorer.kernel_text.value = "1 2; 3"
    assert explorer.result is None and "same number of values" in explorer.size_label.value
    assert explorer.output.outputs == ()  # the stale feature map is removed
    explorer.kernel_text.value = "1 0 1"
    explorer.dilation.value = 4  # spans 9 pixels: fine on 20 pixels
    assert explorer.result.shape == (20, 12)
    explorer.kernel_text.value = " ".join(["1"] * 7)  # with dilation 4 it spans 25 columns of 20
    assert explorer.result is None and "kernel spans 1x25 pixels" in explorer.size_label.value
    explorer.kernel_text.value = "; ".join(["1 1"] * 25)
    assert explorer.result is None and "padded input is only 20x20" in explorer.size_label.value


def test_kernel_text_round_trip_and_errors():
    kernel = np.array([[1, -2.5], [0.125, 4]])
    np.testing.assert_array_equal(parse_kernel(kernel_to_text(kernel)), kernel)
    with pytest.raises(ValueError, match="only numbers"):
        parse_kernel("1 x; 2 3")
    with pytest.raises(ValueError, match="empty"):
        parse_kernel(" ; ")


def test_explorer_rejects_colour_images():
    with pytest.raises(ValueError, match="2-D grayscale"):
        ConvolutionExplorer({"rgb": np.zeros((8, 8, 3))})


def test_pooling_explorer():
    explorer = PoolingExplorer(IMAGES)
    assert explorer.result.shape == (10, 10) and "output 10&times;10" in explorer.size_label.value
    explorer.pool_size.value = 3
    explorer.stride.value = 1
    assert explorer.result.shape == (18, 18)
    explorer.mode.value = "average"
    np.testing.assert_allclose(explorer.result[0, 0], IMAGES["ramp"][:3, :3].mean())
    explorer.pool_size.value = 6
    explorer.image.value = "noise"
    assert explorer.result.shape == (12, 18)


def test_feature_map_browser_follows_its_controls():
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from helpers import set_seed
    from helpers.architectures import fashion_cnn
    from helpers.visualize import feature_maps
    from helpers.widgets import FeatureMapBrowser

    set_seed(0)
    model = fashion_cnn()
    images = np.random.default_rng(2).random((3, 28, 28, 1)).astype("float32")
    browser = FeatureMapBrowser(model, images)
    assert browser.layer.options == ("block1_conv", "block2_conv") and browser.filter.max == 31
    assert browser.result.shape == (28, 28) and "feature map 28&times;28" in browser.info.value
    browser.layer.value = "block2_conv"
    assert browser.filter.max == 63 and browser.result.shape == (14, 14)
    browser.filter.value = 40
    browser.image.value = 2
    np.testing.assert_allclose(browser.result, feature_maps(model, images[2])[1][..., 40], atol=1e-5)
    assert "filter 40 of 64" in browser.info.value and len(browser.output.outputs) == 1
    browser.layer.value = "block1_conv"  # filter 40 does not exist here: clamped to 31
    assert browser.filter.value == 31 and browser.result.shape == (28, 28)
    with pytest.raises(ValueError, match="shaped like the model input"):
        FeatureMapBrowser(model, images[0])


def shown_outputs(explorer, monkeypatch) -> list[tuple[dict, bool]]:
    """What ``explorer.show()`` displays, as (bundle, raw) pairs."""
    import helpers.widgets

    shown = []
    monkeypatch.setattr(helpers.widgets, "display", lambda obj, raw=False: shown.append((obj, raw)))
    explorer.show()
    return shown


def check_show(explorer, monkeypatch) -> bytes:
    """show(): the default state's PNG, its caption, then the live widget with a readable text fallback."""
    import base64

    from helpers.widgets import LIVE_PLACEHOLDER, STATIC_CAPTION

    shown = shown_outputs(explorer, monkeypatch)
    assert [raw for _, raw in shown] == [True, True, True]
    picture, caption, live = (bundle for bundle, _ in shown)
    png = base64.b64decode(picture["image/png"])
    assert png.startswith(b"\x89PNG") and png == explorer.default_picture
    assert "default state" in caption["text/plain"] and "need a running kernel" in caption["text/plain"]
    assert caption["text/markdown"] == f"*{STATIC_CAPTION}*"
    assert live["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    assert live["text/plain"] == LIVE_PLACEHOLDER and "VBox" not in live["text/plain"]
    return png


def test_show_displays_picture_of_default_state_and_live_widget(monkeypatch):
    explorer = ConvolutionExplorer(IMAGES)
    default = check_show(explorer, monkeypatch)
    assert default == explorer.picture
    explorer.stride.value = 2  # the live view changes; the static picture stays the default state's
    assert explorer.picture != default
    assert check_show(explorer, monkeypatch) == default
    check_show(PoolingExplorer(IMAGES), monkeypatch)


def test_show_without_a_picture_when_the_default_state_fails(monkeypatch):
    explorer = ConvolutionExplorer({"tiny": np.zeros((2, 2))})  # Sobel 3x3 does not fit: nothing to draw
    assert explorer.picture is None and explorer.default_picture is None
    shown = shown_outputs(explorer, monkeypatch)
    assert len(shown) == 1 and "application/vnd.jupyter.widget-view+json" in shown[0][0]


def test_feature_map_browser_show(monkeypatch):
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from helpers import set_seed
    from helpers.architectures import fashion_cnn
    from helpers.widgets import FeatureMapBrowser

    set_seed(0)
    browser = FeatureMapBrowser(fashion_cnn(), np.random.default_rng(2).random((2, 28, 28, 1)).astype("float32"))
    default = check_show(browser, monkeypatch)
    browser.layer.value = "block2_conv"
    assert browser.picture != default and check_show(browser, monkeypatch) == default
