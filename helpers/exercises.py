"""Exercise checks with specific feedback, for every chapter's exercises.

Each exercise asks the learner to complete a function. Its check calls that function on fixed inputs and
compares the result with a reference computed here, independently of anything else in the notebook. The
feedback says exactly what is wrong:

* correct;
* not attempted yet (the function still raises ``NotImplementedError``);
* the function raised another error;
* wrong type (e.g. a list where an array is expected);
* wrong shape (expected vs got);
* wrong values (the first differing index, expected vs got, and the tolerance).

A check prints one line and returns a :class:`Feedback` (truthy when correct). Instructors grading with
nbgrader put ``assert check_...(...)`` in a hidden-tests region; learners only see the printed feedback.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

NOT_ATTEMPTED = "not attempted yet"


@dataclass(frozen=True)
class Feedback:
    exercise: str
    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct


def compare(expected: Any, got: Any, tolerance: float = 1e-6) -> str | None:
    """None when ``got`` matches ``expected``, otherwise a sentence saying what differs."""
    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray):
            return f"wrong type: expected a NumPy array, got {type(got).__name__}"
        if got.shape != expected.shape:
            return f"wrong shape: expected {expected.shape}, got {got.shape}"
        if not np.issubdtype(got.dtype, np.number) and got.dtype != bool:
            return f"wrong type: expected numbers, got an array of dtype {got.dtype}"
        close = np.isclose(got, expected, atol=tolerance, rtol=0)
        if not close.all():
            index = tuple(int(i) for i in np.argwhere(~close)[0])
            return (f"wrong values: first difference at index {index}: expected {expected[index].item():.6g}, "
                    f"got {got[index].item():.6g} (tolerance {tolerance:g})")
        return None
    if isinstance(expected, bool) or isinstance(got, bool):
        return None if got is expected else f"wrong values: expected {expected!r}, got {got!r}"
    if isinstance(expected, numbers.Number):
        if not isinstance(got, numbers.Number):
            return f"wrong type: expected a number, got {type(got).__name__}"
        if isinstance(expected, numbers.Integral) and not float(got).is_integer():
            return f"wrong values: expected the whole number {expected}, got {got!r}"
        if abs(float(got) - float(expected)) > tolerance:
            return f"wrong values: expected {expected!r}, got {got!r} (tolerance {tolerance:g})"
        return None
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)):
            return f"wrong type: expected a tuple, got {type(got).__name__}"
        if len(got) != len(expected):
            return f"wrong shape: expected {len(expected)} values, got {len(got)}"
        for position, (e, g) in enumerate(zip(expected, got)):
            problem = compare(e, g, tolerance)
            if problem:
                return f"item {position}: {problem}"
        return None
    return None if got == expected else f"wrong values: expected {expected!r}, got {got!r}"


def run_check(exercise: str, function: Callable, cases: Sequence[tuple[tuple, Any]], tolerance: float = 1e-6,
              quiet: bool = False) -> Feedback:
    """Call ``function(*args)`` for each (args, expected) case and report the first problem."""
    feedback = None
    for args, expected in cases:
        try:
            got = function(*args)
        except NotImplementedError:
            feedback = Feedback(exercise, False, NOT_ATTEMPTED)
            break
        except Exception as error:  # the learner's code failed: say how, without a traceback
            feedback = Feedback(exercise, False, f"your function raised {type(error).__name__}: {error}")
            break
        problem = compare(expected, got, tolerance)
        if problem:
            feedback = Feedback(exercise, False, f"{problem} (for input {_describe(args)})")
            break
    if feedback is None:  # (a failed Feedback is falsy, so no "feedback or ...")
        feedback = Feedback(exercise, True, "correct")
    if not quiet:
        mark = "✅" if feedback.correct else ("⏳" if feedback.message == NOT_ATTEMPTED else "❌")
        print(f"{mark} {exercise}: {feedback.message}")
    return feedback


def _describe(args: tuple) -> str:
    parts = []
    for arg in args:
        if isinstance(arg, np.ndarray):
            parts.append(f"array of shape {arg.shape}")
        elif callable(arg):
            parts.append(getattr(arg, "__name__", "function"))
        else:
            parts.append(repr(arg))
    return ", ".join(parts)


# ------------------------------------------------------------------------------------------- chapter 1

def check_one_hot(one_hot: Callable, quiet: bool = False) -> Feedback:
    """one_hot(labels: list[str], categories: list[str]) -> int array (n_samples, n_classes)."""
    categories = ["t-shirt", "dress", "shoe"]
    cases = []
    for labels in (["dress", "shoe", "t-shirt"], ["shoe", "shoe", "dress", "t-shirt", "dress"], ["dress"]):
        expected = np.zeros((len(labels), len(categories)), dtype=int)
        expected[np.arange(len(labels)), [categories.index(label) for label in labels]] = 1
        cases.append(((labels, categories), expected))
    return run_check("one_hot", one_hot, cases, quiet=quiet)


def check_scale_to_symmetric(scale_to_symmetric: Callable, quiet: bool = False) -> Feedback:
    """scale_to_symmetric(images: uint8 array) -> float array in [-1, 1]."""
    images = np.array([[0, 127, 128, 255], [10, 20, 30, 40]], dtype=np.uint8)
    expected = (images.astype(np.float64) - 127.5) / 127.5
    return run_check("scale_to_symmetric", scale_to_symmetric, [((images,), expected)], quiet=quiet)


def check_accuracy_from_one_hot(accuracy: Callable, quiet: bool = False) -> Feedback:
    """accuracy(labels, predictions), both one-hot (n, k) -> fraction of matching rows."""
    eye = np.eye(3)
    labels = eye[[0, 1, 2, 2, 1, 0, 1, 2]]
    predictions = eye[[0, 1, 2, 1, 1, 0, 2, 2]]
    return run_check("accuracy_from_one_hot", accuracy, [((labels, predictions), 0.75), ((eye, eye), 1.0)], quiet=quiet)


# ------------------------------------------------------------------------------------------- chapter 2

def check_count_mlp_params(count_mlp_params: Callable, quiet: bool = False) -> Feedback:
    """count_mlp_params(layer_sizes: list[int]) -> total weights and biases of the Dense layers between them."""
    cases = [(([784, 512, 512, 10],), 669_706), (([784, 10, 10, 3],), 7_993), (([784, 5, 15, 3],), 4_063),
             (([784, 128, 128, 128, 10],), 134_794), (([3072, 1024],), 3_146_752)]
    return run_check("count_mlp_params", count_mlp_params, cases, quiet=quiet)


def check_softmax(softmax: Callable, quiet: bool = False) -> Feedback:
    """softmax(scores: 1-D array) -> probabilities (same shape, summing to 1)."""
    cases = []
    for scores in (np.array([9.0, 6.0]), np.array([1.0, 2.0, 3.0]), np.array([1000.0, 1000.0])):
        shifted = np.exp(scores - scores.max())
        cases.append(((scores,), shifted / shifted.sum()))
    return run_check("softmax", softmax, cases, quiet=quiet)


def check_cross_entropy(cross_entropy: Callable, quiet: bool = False) -> Feedback:
    """cross_entropy(probabilities, true_class) -> -ln(probability of the true class)."""
    probabilities = np.array([0.953, 0.047])
    cases = [((probabilities, 0), float(-np.log(0.953))), ((probabilities, 1), float(-np.log(0.047))),
             ((np.array([0.2, 0.5, 0.3]), 2), float(-np.log(0.3)))]
    return run_check("cross_entropy", cross_entropy, cases, tolerance=1e-6, quiet=quiet)


# ------------------------------------------------------------------------------------------- chapter 3

def _reference_conv(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    kh, kw = kernel.shape
    windows = np.lib.stride_tricks.sliding_window_view(image.astype(float), (kh, kw))
    return np.einsum("ijkl,kl->ij", windows, kernel)


def check_conv2d_valid(conv2d_valid: Callable, quiet: bool = False) -> Feedback:
    """conv2d_valid(image (H, W), kernel (KH, KW)) -> (H-KH+1, W-KW+1) cross-correlation."""
    rng = np.random.default_rng(3)
    cases = []
    for image_shape, kernel in (((5, 5), np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])),
                                ((6, 4), np.array([[-1, 1], [-1, 1]])), ((4, 7), rng.normal(size=(1, 3)))):
        image = rng.integers(0, 10, image_shape).astype(float)
        cases.append(((image, kernel), _reference_conv(image, kernel)))
    return run_check("conv2d_valid", conv2d_valid, cases, quiet=quiet)


def check_max_pool(max_pool: Callable, quiet: bool = False) -> Feedback:
    """max_pool(image (H, W), size) -> (H // size, W // size) maxima of non-overlapping windows."""
    example = np.array([[1, 3, 10, 2], [5, 4, 6, 14], [1, 2, 17, 8], [3, 3, 10, 12]])
    rng = np.random.default_rng(4)
    odd = rng.integers(0, 50, (7, 9))
    expected_odd = odd[:6, :9].reshape(2, 3, 3, 3).max(axis=(1, 3))
    return run_check("max_pool", max_pool, [((example, 2), np.array([[5, 14], [3, 17]])), ((odd, 3), expected_odd)],
                     quiet=quiet)


def check_output_size(output_size: Callable, quiet: bool = False) -> Feedback:
    """output_size(input_size, kernel_size, padding, stride) -> floor((I - K + 2P) / S) + 1."""
    cases = [((28, 3, 1, 1), 28), ((28, 3, 1, 3), 10), ((256, 4, 1, 2), 128), ((5, 3, 1, 2), 3), ((28, 3, 0, 2), 13),
             ((222, 4, 1, 2), 111)]
    return run_check("output_size", output_size, cases, quiet=quiet)


# ------------------------------------------------------------------------------------------- chapter 4

def check_conv_params(conv_params: Callable, quiet: bool = False) -> Feedback:
    """conv_params(in_channels, filters, kernel_size) -> (K * K * C_in + 1) * C_out."""
    cases = [((3, 4, 5), 304), ((1, 32, 3), 320), ((32, 64, 3), 18_496), ((10, 10, 3), 910)]
    return run_check("conv_params", conv_params, cases, quiet=quiet)


def _layer_summary(model) -> tuple:
    return model.count_params(), tuple(model.output_shape), tuple(type(layer).__name__ for layer in model.layers)


def check_mnist_cnn(build_mnist_cnn: Callable, quiet: bool = False) -> Feedback:
    """build_mnist_cnn() -> the 220,234-parameter Keras model of chapter 4."""
    expected = (220_234, (None, 10), ("Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"))
    return run_check("build_mnist_cnn", lambda: _layer_summary(build_mnist_cnn()), [((), expected)], quiet=quiet)


def check_flatten_dense_params(flatten_dense_params: Callable, quiet: bool = False) -> Feedback:
    """flatten_dense_params(height, width, channels, units) -> weights of a Dense layer after Flatten."""
    cases = [((28, 28, 10, 3), 23_523), ((7, 7, 64, 64), 200_768), ((26, 26, 10, 3), 20_283), ((5, 5, 15, 3), 1_128)]
    return run_check("flatten_dense_params", flatten_dense_params, cases, quiet=quiet)


# ------------------------------------------------------------------------------------------- chapter 5

def check_baseline_model(build_baseline: Callable, quiet: bool = False) -> Feedback:
    """build_baseline() -> the 528,054-parameter CIFAR-10 baseline of chapter 5."""
    expected = (528_054, (None, 10), ("Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D",
                                      "Dropout", "Flatten", "Dense", "Dropout", "Dense"))
    return run_check("build_baseline", lambda: _layer_summary(build_baseline()), [((), expected)], quiet=quiet)


def check_conv_macs(conv_macs: Callable, quiet: bool = False) -> Feedback:
    """conv_macs(kernel_size, in_channels, out_height, out_width, filters) -> multiply-accumulates."""
    cases = [((3, 3, 222, 222, 64), 85_162_752), ((4, 64, 111, 111, 64), 807_469_056), ((1, 32, 112, 112, 32), 12_845_056)]
    return run_check("conv_macs", conv_macs, cases, quiet=quiet)


def check_class_accuracies(class_accuracies: Callable, quiet: bool = False) -> Feedback:
    """class_accuracies(y_true, y_pred, n_classes) -> array (n_classes,) of each class's accuracy."""
    y_true = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 2, 2, 0, 2])
    return run_check("class_accuracies", class_accuracies,
                     [((y_true, y_pred, 3), np.array([1 / 2, 2 / 3, 3 / 4]))], quiet=quiet)


# ------------------------------------------------------------------------------------------- chapter 6

def check_first_kernel(first_kernel: Callable, model, quiet: bool = False) -> Feedback:
    """first_kernel(model) -> the (KH, KW) kernel of filter 0, input channel 0, of the first Conv2D layer."""
    import keras

    layer = next(layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D))
    expected = np.asarray(layer.get_weights()[0])[:, :, 0, 0]
    return run_check("first_kernel", first_kernel, [((model,), expected)], quiet=quiet)


def check_rescale_for_display(rescale: Callable, quiet: bool = False) -> Feedback:
    """rescale(kernel) -> the kernel stretched linearly to the range 0-1 (min -> 0, max -> 1)."""
    kernel = np.random.default_rng(5).normal(size=(3, 3, 3))
    expected = (kernel - kernel.min()) / (kernel.max() - kernel.min())
    return run_check("rescale_for_display", rescale, [((kernel,), expected)], quiet=quiet)


def check_strongest_filter(strongest_filter: Callable, quiet: bool = False) -> Feedback:
    """strongest_filter(feature_maps (H, W, F)) -> index of the filter with the largest mean activation."""
    maps = np.random.default_rng(6).random((5, 5, 8))
    maps[..., 5] += 0.5
    other = np.random.default_rng(7).random((3, 4, 6))
    return run_check("strongest_filter", strongest_filter,
                     [((maps,), 5), ((other,), int(other.mean(axis=(0, 1)).argmax()))], quiet=quiet)
