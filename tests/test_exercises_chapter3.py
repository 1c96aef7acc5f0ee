"""Chapter 3's exercise checks: a right answer passes quietly, a wrong or blank one raises with a hint."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

from helpers import exercises as ex
from helpers.exercises import chapter3


def not_yet(*args):
    raise NotImplementedError()


def conv2d_valid(image, kernel):
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for row in range(out.shape[0]):
        for col in range(out.shape[1]):
            out[row, col] = np.sum(image[row:row + kh, col:col + kw] * kernel)
    return out


def conv2d_strided(image, kernel, stride):
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for row in range(out.shape[0]):
        for col in range(out.shape[1]):
            out[row, col] = np.sum(image[row * stride:row * stride + kh, col * stride:col * stride + kw] * kernel)
    return out


def conv2d_strided_broken(image, kernel, stride):
    """The notebook's broken function: the row is not multiplied by the stride and the kernel is flipped."""
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for row in range(out.shape[0]):
        for col in range(out.shape[1]):
            out[row, col] = np.sum(image[row:row + kh, col * stride:col * stride + kw] * kernel[::-1, ::-1])
    return out


def conv2d_swapped(image, kernel):
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for row in range(out.shape[0]):
        for col in range(out.shape[1]):
            out[row, col] = np.sum(image[col:col + kh, row:row + kw] * kernel)
    return out


def max_pool(image, size):
    rows, cols = image.shape[0] // size, image.shape[1] // size
    return image[:rows * size, :cols * size].reshape(rows, size, cols, size).max(axis=(1, 3))


RIGHT = {
    "conv2d_valid": (ex.check_conv2d_valid, conv2d_valid),
    "max_pool": (ex.check_max_pool, max_pool),
    "output_size": (ex.check_output_size, lambda i, k, p, s: (i - k + 2 * p) // s + 1),
    "predicted_stack": (ex.check_predicted_stack, lambda: (5, 14)),
    "design_stack (dilation)": (ex.check_design_stack, lambda: [(3, 1, 1), (3, 1, 2), (3, 1, 4), (3, 2, 6)]),
    "design_stack (stride, then dilation)": (ex.check_design_stack, lambda: [(3, 2), (3, 1, 2), (3, 1, 3), (3, 1)]),
    "conv2d_strided": (ex.check_conv2d_strided, conv2d_strided),
}

WRONG = {
    "conv2d_valid flips the kernel": (ex.check_conv2d_valid, lambda x, k: conv2d_valid(x, k[::-1, ::-1]),
                                      "wrong values"),
    "conv2d_valid swaps the loop indices": (ex.check_conv2d_valid, conv2d_swapped, "wrong"),
    "conv2d_valid returns NaN": (ex.check_conv2d_valid, lambda x, k: conv2d_valid(x, k) * np.nan, "wrong values"),
    "conv2d_valid returns a list": (ex.check_conv2d_valid, lambda x, k: conv2d_valid(x, k).tolist(), "wrong type"),
    "max_pool keeps partial windows": (ex.check_max_pool, lambda x, n: max_pool(np.pad(x, ((0, 2), (0, 2))), n),
                                       "wrong shape"),
    "output_size rounds instead of flooring": (ex.check_output_size, lambda i, k, p, s: round((i - k + 2 * p) / s) + 1,
                                               "wrong values"),
    "output_size returns None": (ex.check_output_size, lambda i, k, p, s: None, "wrong"),
    "predicted_stack: the 12x12-style field": (ex.check_predicted_stack, lambda: (5, 12), "receptive field 12"),
    "predicted_stack: wrong height": (ex.check_predicted_stack, lambda: (6, 14), "output height 6"),
    "predicted_stack: floats": (ex.check_predicted_stack, lambda: (5.0, 14.0), "two whole numbers"),
    "predicted_stack: NaN": (ex.check_predicted_stack, lambda: (float("nan"), 14), "two whole numbers"),
    "design_stack: field too small": (ex.check_design_stack, lambda: [(3, 2)] * 4, "strides multiply to 16"),
    "design_stack: plain 3x3 layers": (ex.check_design_stack, lambda: [(3, 1)] * 4, "receptive field is 9x9"),
    "design_stack: too many layers": (ex.check_design_stack, lambda: [(3, 1, 4)] * 5, "5 layers"),
    "design_stack: kernel too large": (ex.check_design_stack, lambda: [(25, 1)], "25x25 kernel"),
    "design_stack: None": (ex.check_design_stack, lambda: None, "non-empty list"),
    "design_stack: zero dilation": (ex.check_design_stack, lambda: [(3, 1, 0)] * 4, "whole numbers >= 1"),
    "design_stack: float kernel": (ex.check_design_stack, lambda: [(3.0, 1, 13)], "whole numbers >= 1"),
    "conv2d_strided: the broken function": (ex.check_conv2d_strided, conv2d_strided_broken, "wrong values"),
    "conv2d_strided: only the flip fixed": (ex.check_conv2d_strided,
                                            lambda x, k, s: conv2d_strided_broken(x, k[::-1, ::-1], s), "wrong"),
    "conv2d_strided: only the stride fixed": (ex.check_conv2d_strided,
                                              lambda x, k, s: conv2d_strided(x, k[::-1, ::-1], s), "wrong values"),
}


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_a_right_answer_passes_and_returns_none(name, capsys):
    check, solution = RIGHT[name]
    assert check(solution) is None
    captured = capsys.readouterr()
    assert captured.out.startswith("✅ ") and captured.err == ""


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_wrong_answer_raises_with_a_hint(name):
    check, answer, expected_text = WRONG[name]
    with pytest.raises(AssertionError) as raised:
        check(answer, quiet=True)
    message = str(raised.value)
    assert message.startswith("❌ ") and expected_text in message, message
    assert "\nHint: " in message


@pytest.mark.parametrize("check", [ex.check_conv2d_valid, ex.check_max_pool, ex.check_output_size,
                                   ex.check_predicted_stack, ex.check_design_stack, ex.check_conv2d_strided])
def test_a_blank_answer_is_not_attempted_yet(check):
    with pytest.raises(AssertionError, match="^⏳ .*: not attempted yet$"):
        check(not_yet)


def test_the_exercise_stack_answer_agrees_with_conv_ops():
    from helpers import conv_ops

    field = conv_ops.receptive_field([(kernel, stride) for _, kernel, stride in chapter3.PREDICT_STACK])
    height = chapter3.PREDICT_INPUT_SIZE
    for _, kernel, stride in chapter3.PREDICT_STACK:
        height = conv_ops.conv_output_size(height, kernel, stride=stride)
    assert chapter3.predict_stack_answer() == (height, field.size) == (5, 14)


def test_the_design_constraints_cannot_be_met_without_dilation():
    """The design exercise needs dilation: the best plain 3x3 stack within the stride limit falls short."""
    best = max(chapter3.design_receptive_field([(3, s) for s in strides])[0]
               for strides in ([2, 1, 1, 1], [1, 2, 1, 1], [1, 1, 2, 1], [1, 1, 1, 1]))
    assert best < chapter3.DESIGN_MIN_FIELD
