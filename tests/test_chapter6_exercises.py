"""Chapter 6's exercise checks: right answers pass quietly, wrong ones raise with a hint."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import pytest

from helpers import set_seed
from helpers.architectures import resnet9
from helpers.exercises import (NOT_ATTEMPTED, check_first_kernel, check_grad_cam_map, check_predicted_map_size,
                               check_rescale_for_display, check_strongest_filter)


def right_grad_cam_map(block_output, gradients):
    return np.maximum((block_output * gradients.mean(axis=(0, 1))).sum(axis=-1), 0)


def not_attempted(*args):
    raise NotImplementedError()


@pytest.fixture(scope="module")
def cifar_network():
    set_seed(0)
    return resnet9(8)


def test_grad_cam_map_accepts_the_right_answer(capsys):
    assert check_grad_cam_map(right_grad_cam_map) is None
    assert "grad_cam_map: correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong", [
    lambda a, g: (a * g.mean(axis=-1)[..., None]).sum(axis=-1),              # the broken original
    lambda a, g: (a * g.mean(axis=(0, 1))).sum(axis=-1),                     # forgot the ReLU
    lambda a, g: np.maximum((a * g.mean(axis=-1)[..., None]).sum(axis=-1), 0),  # weights per position
    lambda a, g: right_grad_cam_map(a, g) / right_grad_cam_map(a, g).max(),   # rescaled: not the raw map
    lambda a, g: np.full(a.shape[:2], np.nan),
    lambda a, g: None,
])
def test_grad_cam_map_rejects_wrong_answers(wrong):
    with pytest.raises(AssertionError, match="grad_cam_map") as error:
        check_grad_cam_map(wrong)
    assert "Hint:" in str(error.value) or "None" in str(error.value)


def test_predicted_map_size(cifar_network, capsys):
    assert check_predicted_map_size(lambda: (8, 8), cifar_network) is None
    assert "8 x 8 Grad-CAM map" in capsys.readouterr().out
    for wrong in (lambda: (4, 4), lambda: (16, 16), lambda: (8.0, 8.0), lambda: 8, lambda: (float("nan"), 8)):
        with pytest.raises(AssertionError, match="predicted_map_size"):
            check_predicted_map_size(wrong, cifar_network)
    with pytest.raises(AssertionError, match=NOT_ATTEMPTED):
        check_predicted_map_size(not_attempted, cifar_network)


def test_existing_checks_give_hints_on_wrong_answers(cifar_network):
    with pytest.raises(AssertionError, match="Hint:"):
        check_first_kernel(lambda model: model.layers[1].get_weights()[0][:, :, 0, 1], cifar_network)
    with pytest.raises(AssertionError, match="Hint:"):
        check_rescale_for_display(lambda kernel: kernel / np.abs(kernel).max())
    with pytest.raises(AssertionError, match="Hint:"):
        check_strongest_filter(lambda maps: int(maps.max(axis=(0, 1)).argmax()) + 1)
    with pytest.raises(AssertionError, match=NOT_ATTEMPTED):
        check_strongest_filter(not_attempted)
    check_first_kernel(lambda model: next(layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D))
                       .get_weights()[0][:, :, 0, 0], cifar_network)


def _grad_cam_design(blocks: int, pools: int, filters: int = 16):
    import keras

    layers = [keras.Input((32, 32, 3))]
    for block in range(blocks):
        layers.append(keras.layers.Conv2D(filters, 3, padding="same", activation="relu"))
        layers.append(keras.layers.Conv2D(filters, 3, padding="same", activation="relu"))
        if block < pools:
            layers.append(keras.layers.MaxPooling2D(2))
    layers += [keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(10)]
    return keras.Sequential(layers)


def test_sharper_grad_cam_design_accepts_a_good_network(capsys):
    from helpers.exercises import check_sharper_grad_cam_cnn

    check_sharper_grad_cam_cnn(lambda: _grad_cam_design(blocks=3, pools=2))
    captured = capsys.readouterr()
    assert "✅ sharper_grad_cam_cnn: correct" in captured.out and "Grad-CAM map 8 x 8" in captured.out
    assert captured.err == ""


@pytest.mark.parametrize(("answer", "message"), [
    (lambda: _grad_cam_design(blocks=4, pools=3), "smaller than 8"),             # 4 x 4 map
    (lambda: _grad_cam_design(blocks=1, pools=0), "fewer than 18"),              # 5 x 5 field
    (lambda: _grad_cam_design(blocks=3, pools=2, filters=64), "more than 60,000"),
    (lambda: None, "expected a Keras model"),
    (lambda: (_ for _ in ()).throw(NotImplementedError()), "not attempted yet"),
])
def test_sharper_grad_cam_design_rejects_wrong_answers(answer, message):
    from helpers.exercises import check_sharper_grad_cam_cnn

    with pytest.raises(AssertionError, match=message):
        check_sharper_grad_cam_cnn(answer)
