"""Chapter 5's exercise checks: a right answer passes quietly, a wrong or blank one raises with a hint."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import pytest

from helpers import exercises as ex
from helpers.exercises import chapter5


def not_yet(*args):
    raise NotImplementedError()


def baseline(dense_units=500):
    return keras.Sequential([
        keras.Input((32, 32, 3)),
        keras.layers.Conv2D(16, 2, padding="same", activation="relu"), keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(32, 2, padding="same", activation="relu"), keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(64, 2, padding="same", activation="relu"), keras.layers.MaxPooling2D(2),
        keras.layers.Dropout(0.3), keras.layers.Flatten(),
        keras.layers.Dense(dense_units, activation="relu"), keras.layers.Dropout(0.4),
        keras.layers.Dense(10, activation="softmax"),
    ])


def small_net(conv=keras.layers.SeparableConv2D, per_stage=2, head_units=None):
    inputs = keras.Input((32, 32, 3))
    x = inputs
    for filters in (16, 32, 64):
        for _ in range(per_stage):
            x = conv(filters, 3, padding="same", use_bias=False)(x)
            x = keras.layers.ReLU()(keras.layers.BatchNormalization()(x))
        x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    if head_units:
        x = keras.layers.Dense(head_units, activation="relu")(x)
    return keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x))


def tta(predict, images):
    return (predict(images) + predict(images[:, :, ::-1])) / 2


def tta_vertical(predict, images):
    """The colleague's bug of exercise 6: flips upside down instead of left-right."""
    return (predict(images) + predict(images[:, ::-1])) / 2


RIGHT = [
    (ex.check_baseline_model, lambda: baseline()),
    (ex.check_conv_macs, lambda k, c, h, w, f: k * k * c * h * w * f),
    (ex.check_class_accuracies, lambda t, p, n: np.array([(p[t == k] == k).mean() for k in range(n)])),
    (ex.check_predicted_se_parameters, lambda: 64 * 16 + 16 + 16 * 64 + 64),
    (ex.check_small_net_design, lambda: small_net()),
    (ex.check_flip_tta, tta),
    (ex.check_prelu, lambda x, slopes: np.where(x > 0, x, slopes * x)),
    (ex.check_prelu, lambda x, slopes: np.maximum(x, 0) + slopes * np.minimum(x, 0)),   # He et al.'s form
]


@pytest.mark.parametrize("check, answer", RIGHT)
def test_right_answers_pass_and_return_nothing(check, answer, capfd):
    assert check(answer) is None
    out, err = capfd.readouterr()
    assert "✅" in out and err == ""


@pytest.mark.parametrize("check, answer", [
    (ex.check_baseline_model, lambda: baseline(dense_units=512)),
    (ex.check_conv_macs, lambda k, c, h, w, f: k * c * h * w * f),
    (ex.check_conv_macs, lambda k, c, h, w, f: float("nan")),
    (ex.check_class_accuracies, lambda t, p, n: np.array([(t[p == k] == k).mean() for k in range(n)])),
    (ex.check_class_accuracies, lambda t, p, n: None),
    (ex.check_predicted_se_parameters, lambda: 64 * 16 + 16 * 64),          # forgot the biases
    (ex.check_predicted_se_parameters, lambda: float("inf")),
    (ex.check_small_net_design, lambda: small_net(conv=keras.layers.Conv2D)),  # too many parameters and MACs
    (ex.check_small_net_design, lambda: small_net(per_stage=1)),               # only three convolutions
    (ex.check_small_net_design, lambda: small_net(head_units=2048)),           # a big dense head
    (ex.check_small_net_design, lambda: None),
    (ex.check_flip_tta, tta_vertical),
    (ex.check_flip_tta, lambda predict, images: predict(images)),
    (ex.check_prelu, lambda x, slopes: np.maximum(x, slopes * x)),          # right only for slopes up to 1
    (ex.check_prelu, lambda x, slopes: np.where(x > 0, x, 0.25 * x)),       # one fixed slope: a LeakyReLU
    (ex.check_prelu, lambda x, slopes: np.where(x > 0, x, slopes.mean() * x)),
    (ex.check_prelu, lambda x, slopes: np.maximum(x, 0)),                    # a ReLU
    (ex.check_prelu, lambda x, slopes: np.where(x > 0, x, slopes[0] * x)),    # the first channel's slope for all
])
def test_wrong_answers_raise_with_a_hint(check, answer, capfd):
    with pytest.raises(AssertionError, match="Hint:"):
        check(answer)
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("check, arity", [(c, None) for c, _ in RIGHT])
def test_unattempted_answers_say_so(check, arity):
    with pytest.raises(AssertionError, match=ex.NOT_ATTEMPTED):
        check(not_yet)


def test_design_limits_are_the_ones_the_notebook_states():
    assert (chapter5.SMALL_NET_MAX_PARAMS, chapter5.SMALL_NET_MAX_MACS, chapter5.SMALL_NET_MIN_CONV_LAYERS) == (
        40_000, 6_000_000, 6)
