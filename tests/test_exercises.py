"""Every kind of feedback the exercise checks give, and every check against a correct solution."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

from helpers import exercises as ex


def not_yet(*args):
    raise NotImplementedError()


def test_correct(capsys):
    def count(sizes):
        return sum(units * (inputs + 1) for inputs, units in zip(sizes[:-1], sizes[1:]))

    feedback = ex.check_count_mlp_params(count)
    assert feedback and feedback.message == "correct"
    assert capsys.readouterr().out == "✅ count_mlp_params: correct\n"


def test_not_attempted_yet(capsys):
    feedback = ex.check_softmax(not_yet)
    assert not feedback and feedback.message == "not attempted yet"
    assert capsys.readouterr().out == "⏳ softmax: not attempted yet\n"


def test_wrong_shape():
    feedback = ex.check_one_hot(lambda labels, categories: np.zeros((len(labels), 2), int), quiet=True)
    assert feedback.message.startswith("wrong shape: expected (3, 3), got (3, 2)")


def test_wrong_values_names_the_first_differing_index():
    def off_by_one(image, kernel):
        out = ex._reference_conv(image, kernel)
        out[1, 2] += 1
        return out

    feedback = ex.check_conv2d_valid(off_by_one, quiet=True)
    assert feedback.message.startswith("wrong values: first difference at index (1, 2): expected")
    assert "tolerance 1e-06" in feedback.message and "for input array of shape (5, 5)" in feedback.message


def test_wrong_type():
    feedback = ex.check_scale_to_symmetric(lambda images: ((images - 127.5) / 127.5).tolist(), quiet=True)
    assert feedback.message.startswith("wrong type: expected a NumPy array, got list")
    feedback = ex.check_count_mlp_params(lambda sizes: "669706", quiet=True)
    assert feedback.message.startswith("wrong type: expected a number, got str")


def test_other_errors_are_reported_without_a_traceback():
    feedback = ex.check_output_size(lambda i, k, p, s: i / 0, quiet=True)
    assert feedback.message == "your function raised ZeroDivisionError: division by zero"


def test_the_precedence_bug_is_caught():
    feedback = ex.check_scale_to_symmetric(lambda images: images.astype(float) - 127.5 / 127.5, quiet=True)
    assert feedback.message.startswith("wrong values: first difference at index (0, 1): expected -0.00392157, got 126")


def test_a_float_is_not_accepted_for_a_count():
    feedback = ex.check_output_size(lambda i, k, p, s: (i - k + 2 * p) / s + 1, quiet=True)  # no floor
    assert feedback.message == "wrong values: expected the whole number 13, got 13.5 (for input 28, 3, 0, 2)"


def test_log10_cross_entropy_is_wrong():
    assert not ex.check_cross_entropy(lambda p, k: -np.log10(p[k]), quiet=True)
    assert ex.check_cross_entropy(lambda p, k: -np.log(p[k]), quiet=True)


SOLUTIONS = {
    "one_hot": (ex.check_one_hot, lambda labels, cats: np.array([[int(l == c) for c in cats] for l in labels])),
    "scale": (ex.check_scale_to_symmetric, lambda x: (x.astype(float) - 127.5) / 127.5),
    "accuracy": (ex.check_accuracy_from_one_hot, lambda a, b: float((a * b).sum() / len(a))),
    "softmax": (ex.check_softmax, lambda s: np.exp(s - s.max()) / np.exp(s - s.max()).sum()),
    "max_pool": (ex.check_max_pool, lambda x, n: x[:x.shape[0] // n * n, :x.shape[1] // n * n]
                 .reshape(x.shape[0] // n, n, x.shape[1] // n, n).max(axis=(1, 3))),
    "output_size": (ex.check_output_size, lambda i, k, p, s: (i - k + 2 * p) // s + 1),
    "conv_params": (ex.check_conv_params, lambda c, f, k: (k * k * c + 1) * f),
    "flatten_dense": (ex.check_flatten_dense_params, lambda h, w, c, units: (h * w * c + 1) * units),
    "conv_macs": (ex.check_conv_macs, lambda k, c, h, w, f: k * k * c * h * w * f),
    "per_class": (ex.check_class_accuracies, lambda t, p, n: np.array([(p[t == k] == k).mean() for k in range(n)])),
    "rescale": (ex.check_rescale_for_display, lambda k: (k - k.min()) / (k.max() - k.min())),
    "strongest": (ex.check_strongest_filter, lambda maps: int(maps.mean(axis=(0, 1)).argmax())),
}


@pytest.mark.parametrize("name", sorted(SOLUTIONS))
def test_each_check_accepts_a_correct_solution(name):
    check, solution = SOLUTIONS[name]
    assert check(solution, quiet=True)


def test_model_checks():
    import keras

    def mnist_cnn():
        return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(32, 3, padding="same"),
                                 keras.layers.MaxPooling2D(), keras.layers.Conv2D(64, 3, padding="same"),
                                 keras.layers.MaxPooling2D(), keras.layers.Flatten(), keras.layers.Dense(64),
                                 keras.layers.Dense(10)])

    assert ex.check_mnist_cnn(mnist_cnn, quiet=True)
    feedback = ex.check_mnist_cnn(lambda: keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                                            keras.layers.Dense(10)]), quiet=True)
    assert feedback.message.startswith("item 0: wrong values: expected 220234, got 7850")
    model = mnist_cnn()
    assert ex.check_first_kernel(lambda m: m.layers[0].get_weights()[0][:, :, 0, 0], model, quiet=True)
    assert not ex.check_first_kernel(lambda m: m.layers[0].get_weights()[0][:, :, 0, 1], model, quiet=True)
