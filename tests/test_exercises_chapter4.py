"""Chapter 4's exercise checks: right answers pass quietly, wrong ones raise with a hint, nothing goes to stderr."""

import keras
import pytest
from keras import layers

from helpers.exercises import (check_conv_params, check_fixed_setup, check_flatten_dense_params, check_mnist_cnn,
                               check_predicted_flatten_and_params, check_small_wide_view_cnn)
from helpers.exercises.chapter4 import receptive_field_of_last_conv


def not_attempted(*args):
    raise NotImplementedError()


def mnist_cnn(dense_units: int = 64):
    return keras.Sequential([keras.Input((28, 28, 1)),
                             layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
                             layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
                             layers.Flatten(), layers.Dense(dense_units, activation="relu"),
                             layers.Dense(10, activation="softmax")])


def wide_view_cnn(filters=(8, 16, 32), pool=True, readout="global"):
    stack = [keras.Input((28, 28, 1))]
    for index, f in enumerate(filters):
        stack.append(layers.Conv2D(f, 3, padding="same", activation="relu"))
        if pool and index < len(filters) - 1:
            stack.append(layers.MaxPooling2D(2))
    stack.append(layers.GlobalAveragePooling2D() if readout == "global" else layers.Flatten())
    stack.append(layers.Dense(10, activation="softmax"))
    return keras.Sequential(stack)


def compiled(loss, learning_rate=0.001, activation="softmax"):
    def setup():
        model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10, activation=activation)])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=loss, metrics=["accuracy"])
        return model
    return setup


RIGHT = [
    (check_conv_params, lambda c, f, k: (k * k * c + 1) * f),
    (check_flatten_dense_params, lambda h, w, c, units: (h * w * c + 1) * units),
    (check_mnist_cnn, mnist_cnn),
    (check_predicted_flatten_and_params, lambda: (1_152, 1_216 + 4_640 + 11_530)),
    (check_small_wide_view_cnn, wide_view_cnn),
    (check_small_wide_view_cnn, lambda: keras.Sequential([  # strides instead of pooling also work
        keras.Input((28, 28, 1)), layers.Conv2D(8, 3, strides=2, activation="relu"),
        layers.Conv2D(16, 3, strides=2, activation="relu"), layers.Conv2D(16, 5, activation="relu"),
        layers.GlobalAveragePooling2D(), layers.Dense(10, activation="softmax")])),
    (check_fixed_setup, compiled(keras.losses.SparseCategoricalCrossentropy())),
    (check_fixed_setup, compiled("sparse_categorical_crossentropy")),
    (check_fixed_setup, compiled(keras.losses.SparseCategoricalCrossentropy(from_logits=True), activation=None)),
]

WRONG = [
    (check_conv_params, lambda c, f, k: k * k * c * f, "Hint:"),                       # biases forgotten
    (check_conv_params, lambda c, f, k: float("nan"), "Hint:"),
    (check_flatten_dense_params, lambda h, w, c, units: h * w * c * units, "Hint:"),
    (check_mnist_cnn, lambda: mnist_cnn(dense_units=128), "421642"),
    (check_predicted_flatten_and_params, lambda: (1_152, 17_000), "Hint:"),
    (check_predicted_flatten_and_params, lambda: None, "None"),
    (check_small_wide_view_cnn, lambda: wide_view_cnn(pool=False), "receptive field >= 16: no (7)"),
    (check_small_wide_view_cnn, lambda: wide_view_cnn(readout="flatten"), "parameters: no"),
    (check_small_wide_view_cnn, lambda: wide_view_cnn(filters=(8, 8, 16, 32)), "Conv2D layers: no (4)"),
    (check_small_wide_view_cnn, lambda: keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3),
                                                          layers.MaxPooling2D(4), layers.Conv2D(4, 5),
                                                          layers.GlobalAveragePooling2D(), layers.Dense(10)]),
     "not 10 class probabilities"),
    (check_fixed_setup, compiled(keras.losses.SparseCategoricalCrossentropy(from_logits=True)),
     "cross-entropy of the model's predictions: no"),                                   # softmax + from_logits
    (check_fixed_setup, compiled(keras.losses.SparseCategoricalCrossentropy(), learning_rate=10.0),
     "learning rate between 1e-4 and 1e-2: no"),
    (check_fixed_setup, compiled(keras.losses.CategoricalCrossentropy()), "integer labels: no"),
    (check_fixed_setup, compiled(keras.losses.SparseCategoricalCrossentropy(), activation=None),
     "cross-entropy of the model's predictions: no"),                                   # logits, no from_logits
    (check_fixed_setup, lambda: mnist_cnn(), "not compiled"),
]


@pytest.mark.parametrize("check, answer", RIGHT)
def test_right_answers_pass_and_print_one_line(check, answer, capfd):
    assert check(answer) is None
    out, err = capfd.readouterr()
    assert out.startswith("✅") and err == ""


@pytest.mark.parametrize("check, answer, expected_text", WRONG)
def test_wrong_answers_raise_with_feedback(check, answer, expected_text, capfd):
    with pytest.raises(AssertionError, match="❌") as raised:
        check(answer)
    assert expected_text in str(raised.value)
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("check", [check_conv_params, check_mnist_cnn, check_predicted_flatten_and_params,
                                   check_small_wide_view_cnn, check_fixed_setup])
def test_unattempted_answers_say_so(check):
    with pytest.raises(AssertionError, match="not attempted yet"):
        check(not_attempted)


def test_receptive_field_matches_chapter3_formula():
    # conv3 -> pool2 -> conv3 -> pool2 -> conv3: 1 + 2 + 1*2... = 18
    assert receptive_field_of_last_conv(wide_view_cnn()) == 18
    assert receptive_field_of_last_conv(wide_view_cnn(pool=False)) == 7
    dilated = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3, dilation_rate=4)])
    assert receptive_field_of_last_conv(dilated) == 9
