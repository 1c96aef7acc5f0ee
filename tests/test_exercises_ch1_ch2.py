"""The exercise checks of chapters 1 and 2: a right answer passes quietly, every wrong one raises with a hint."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

from helpers import exercises as ex


def not_yet(*args):
    raise NotImplementedError()


def right_one_hot(labels, categories):
    return np.array([[int(label == c) for c in categories] for label in labels])


def right_split(labels, fraction, seed):
    rng = np.random.default_rng(seed)
    train, validation = [], []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        n_validation = round(len(members) * fraction)
        validation.append(members[:n_validation])
        train.append(members[n_validation:])
    return np.concatenate(train), np.concatenate(validation)


def plain_random_split(labels, fraction, seed):  # not stratified
    order = np.random.default_rng(seed).permutation(len(labels))
    n_validation = round(len(labels) * fraction)
    return order[n_validation:], order[:n_validation]


def build_classifier(activation, from_logits, loss_class="SparseCategoricalCrossentropy"):
    import keras

    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(16, "relu"),
                              keras.layers.Dense(10, activation=activation)])
    model.compile(optimizer="adam", loss=getattr(keras.losses, loss_class)(from_logits=from_logits))
    return model


RIGHT = {
    "one_hot": (ex.check_one_hot, right_one_hot),
    "scale": (ex.check_scale_to_symmetric, lambda x: (x.astype(float) - 127.5) / 127.5),
    "accuracy": (ex.check_accuracy_from_one_hot, lambda a, b: float((a * b).sum() / len(a))),
    "flat_index": (ex.check_predicted_flat_index, lambda: (3 * 32 + 10) * 3 + 2),
    "split": (ex.check_stratified_split, right_split),
    "count": (ex.check_count_mlp_params, lambda s: sum(b * (a + 1) for a, b in zip(s[:-1], s[1:]))),
    "softmax": (ex.check_softmax, lambda s: np.exp(s - s.max()) / np.exp(s - s.max()).sum()),
    "cross_entropy": (ex.check_cross_entropy, lambda p, k: float(-np.log(p[k]))),
    "steps": (ex.check_predicted_training_steps, lambda: (16, 80)),
    "design": (ex.check_small_mlp_design, lambda: [784, 56, 32, 10]),
    "classifier_probabilities": (ex.check_digit_classifier, lambda: build_classifier("softmax", False)),
    "classifier_logits": (ex.check_digit_classifier, lambda: build_classifier(None, True)),
}

WRONG = {
    "one_hot_transposed": (ex.check_one_hot, lambda labels, cats: right_one_hot(labels, cats).T.copy(), "wrong values"),
    "scale_precedence_bug": (ex.check_scale_to_symmetric, lambda x: x.astype(float) - 127.5 / 127.5, "wrong values"),
    "scale_uint8_wraps": (ex.check_scale_to_symmetric, lambda x: (x - np.uint8(127)) / 127.5, "wrong values"),
    "scale_nan": (ex.check_scale_to_symmetric, lambda x: np.full(x.shape, np.nan), "wrong values"),
    "accuracy_count_not_fraction": (ex.check_accuracy_from_one_hot, lambda a, b: float((a * b).sum()),
                                    "wrong values"),
    "flat_index_row_major_without_channels": (ex.check_predicted_flat_index, lambda: 3 * 32 + 10, "you predicted"),
    "flat_index_channel_first": (ex.check_predicted_flat_index, lambda: 2 * 1024 + 3 * 32 + 10, "you predicted"),
    "flat_index_float": (ex.check_predicted_flat_index, lambda: 320.0, "wrong type"),
    "split_not_stratified": (ex.check_stratified_split, plain_random_split, "belong in validation"),
    "split_ignores_seed": (ex.check_stratified_split, lambda y, f, s: right_split(y, f, 0), "different seed"),
    "split_overlapping": (ex.check_stratified_split,
                          lambda y, f, s: (np.arange(len(y)), right_split(y, f, s)[1]), "exactly once"),
    "count_without_biases": (ex.check_count_mlp_params, lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])),
                             "wrong values"),
    "softmax_overflows": (ex.check_softmax, lambda s: np.exp(s) / np.exp(s).sum(), "wrong values"),
    "cross_entropy_log10": (ex.check_cross_entropy, lambda p, k: float(-np.log10(p[k])), "wrong values"),
    "cross_entropy_inf": (ex.check_cross_entropy, lambda p, k: float("inf"), "wrong values"),
    "steps_floor": (ex.check_predicted_training_steps, lambda: (15, 75), "you predicted"),
    "steps_examples_per_epoch": (ex.check_predicted_training_steps, lambda: (1000, 5000), "you predicted"),
    "steps_none": (ex.check_predicted_training_steps, lambda: None, "wrong type"),
    "design_too_big": (ex.check_small_mlp_design, lambda: [784, 512, 512, 10], "more than"),
    "design_one_hidden": (ex.check_small_mlp_design, lambda: [784, 32, 10], "hidden layer"),
    "design_tiny_units": (ex.check_small_mlp_design, lambda: [784, 4, 4, 10], "at least 16"),
    "design_wrong_ends": (ex.check_small_mlp_design, lambda: [28, 16, 16, 10], "must start"),
    "classifier_double_softmax": (ex.check_digit_classifier, lambda: build_classifier("softmax", True),
                                  "compiled loss reports"),
    "classifier_logits_as_probabilities": (ex.check_digit_classifier, lambda: build_classifier(None, False),
                                           "compiled loss reports"),
    "classifier_one_hot_loss": (ex.check_digit_classifier,
                                lambda: build_classifier("softmax", False, "CategoricalCrossentropy"), "loss"),
}


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_a_right_answer_passes_and_returns_none(name, capsys):
    check, answer = RIGHT[name]
    assert check(answer) is None
    out = capsys.readouterr()
    assert out.out.startswith("✅ ") and "correct" in out.out and out.err == ""


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_wrong_answer_raises_with_a_hint(name):
    check, answer, problem = WRONG[name]
    with pytest.raises(AssertionError) as raised:
        check(answer, quiet=True)
    message = str(raised.value)
    assert message.startswith("❌ ") and problem in message and "\nHint: " in message


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_an_unattempted_exercise_says_so(name):
    check, _ = RIGHT[name]
    with pytest.raises(AssertionError, match="not attempted yet") as raised:
        check(not_yet, quiet=True)
    assert "Hint" not in str(raised.value)


def test_the_predict_checks_show_the_real_value(capsys):
    ex.check_predicted_flat_index(lambda: 320)
    assert "image.reshape(-1)[320] is image[3, 10, 2]" in capsys.readouterr().out
    ex.check_predicted_training_steps(lambda: (16, 80))
    assert "16 steps per epoch (the last batch has 40 examples), 80 in 5 epochs" in capsys.readouterr().out
