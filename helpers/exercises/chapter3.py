"""Checks for the exercises of chapter 3.

Every reference answer is computed here, independently of the notebook and of ``helpers.conv_ops``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.exercises.core import call_answer, fail, is_whole_number, run_check

CONV2D_HINT = ("the output has (H - KH + 1) x (W - KW + 1) pixels; output[row, col] is the sum of "
               "image[row:row + KH, col:col + KW] * kernel - check which index moves down and which moves across, "
               "and do not flip the kernel.")
MAX_POOL_HINT = ("window (r, c) starts at row r * size and column c * size; a leftover strip narrower than a "
                 "window is dropped, so the output has H // size rows and W // size columns.")
OUTPUT_SIZE_HINT = ("padding adds P pixels on both sides; count how many positions the kernel's top-left corner "
                    "can take when it moves S pixels at a time, and round down (//), not to the nearest.")
PREDICT_HINT = ("work layer by layer: the size formula of section 3 for each layer's output, and for the receptive "
                "field add (K - 1) x jump per layer, where jump is the product of the strides of the layers below.")
DESIGN_HINT = ("each layer adds (span - 1) x jump to the receptive field, and a stride that is not 1 multiplies the "
               "jump. With the total stride limited, look at what dilation does to a 3 x 3 kernel's span.")
DIAGNOSE_HINT = ("compare the broken function with TensorFlow one change at a time: a symmetric kernel with stride "
                 "1, an asymmetric kernel with stride 1, a symmetric kernel with stride 2. Each failing case points "
                 "at one line.")

#: The stack of the "predict, then run" exercise, on a 32 x 32 input, without padding: (name, kernel, stride).
PREDICT_STACK = (("Conv2D 5x5", 5, 1), ("MaxPooling2D 2x2", 2, 2), ("Conv2D 3x3", 3, 1),
                 ("Conv2D 3x3, stride 2", 3, 2))
PREDICT_INPUT_SIZE = 32

#: The constraints of the "design under a constraint" exercise.
DESIGN_MIN_FIELD = 25
DESIGN_MAX_LAYERS = 4
DESIGN_MAX_KERNEL = 3
DESIGN_MAX_TOTAL_STRIDE = 2


def _reference_conv(image: np.ndarray, kernel: np.ndarray, stride: int = 1) -> np.ndarray:
    kh, kw = kernel.shape
    windows = np.lib.stride_tricks.sliding_window_view(image.astype(float), (kh, kw))[::stride, ::stride]
    return np.einsum("ijkl,kl->ij", windows, kernel)


def check_conv2d_valid(conv2d_valid: Callable, quiet: bool = False) -> None:
    """conv2d_valid(image (H, W), kernel (KH, KW)) -> (H-KH+1, W-KW+1) cross-correlation."""
    rng = np.random.default_rng(3)
    cases = []
    for image_shape, kernel in (((5, 5), np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])),
                                ((6, 4), np.array([[-1, 1], [-1, 1]])), ((4, 7), rng.normal(size=(1, 3)))):
        image = rng.integers(0, 10, image_shape).astype(float)
        cases.append(((image, kernel), _reference_conv(image, kernel)))
    run_check("conv2d_valid", conv2d_valid, cases, quiet=quiet, hint=CONV2D_HINT)


def check_max_pool(max_pool: Callable, quiet: bool = False) -> None:
    """max_pool(image (H, W), size) -> (H // size, W // size) maxima of non-overlapping windows."""
    example = np.array([[1, 3, 10, 2], [5, 4, 6, 14], [1, 2, 17, 8], [3, 3, 10, 12]])
    rng = np.random.default_rng(4)
    odd = rng.integers(0, 50, (7, 9))
    expected_odd = odd[:6, :9].reshape(2, 3, 3, 3).max(axis=(1, 3))
    run_check("max_pool", max_pool, [((example, 2), np.array([[5, 14], [3, 17]])), ((odd, 3), expected_odd)],
              quiet=quiet, hint=MAX_POOL_HINT)


def check_output_size(output_size: Callable, quiet: bool = False) -> None:
    """output_size(input_size, kernel_size, padding, stride) -> floor((I - K + 2P) / S) + 1."""
    cases = [((28, 3, 1, 1), 28), ((28, 3, 1, 3), 10), ((256, 4, 1, 2), 128), ((5, 3, 1, 2), 3), ((28, 3, 0, 2), 13),
             ((222, 4, 1, 2), 111), ((31, 5, 0, 3), 9)]
    run_check("output_size", output_size, cases, quiet=quiet, hint=OUTPUT_SIZE_HINT)


def predict_stack_answer() -> tuple[int, int]:
    """(output height, receptive field) of :data:`PREDICT_STACK` on a :data:`PREDICT_INPUT_SIZE` input."""
    size, field, jump = PREDICT_INPUT_SIZE, 1, 1
    for _, kernel, stride in PREDICT_STACK:
        size = (size - kernel) // stride + 1
        field += (kernel - 1) * jump
        jump *= stride
    return size, field


def check_predicted_stack(predicted_stack: Callable, quiet: bool = False) -> None:
    """predicted_stack() -> (output height, receptive field) of the exercise's stack; then shows the real values.

    The real output height is also read from a Keras model of the stack, so the learner sees the library agree.
    """
    import keras  # here, so that importing the checks stays fast

    exercise = "predicted_stack"
    answer = call_answer(exercise, predicted_stack, hint=PREDICT_HINT)
    expected = predict_stack_answer()
    layers = [keras.Input((PREDICT_INPUT_SIZE, PREDICT_INPUT_SIZE, 1))]
    for name, kernel, stride in PREDICT_STACK:
        layers.append(keras.layers.MaxPooling2D(kernel, stride) if name.startswith("MaxPooling")
                      else keras.layers.Conv2D(1, kernel, strides=stride))
    keras_height = keras.Sequential(layers).output_shape[1]
    if keras_height != expected[0]:  # the check's own formula disagrees with Keras: a bug here, not the learner's
        raise RuntimeError(f"check_predicted_stack: expected height {expected[0]} but Keras gives {keras_height}")
    if not isinstance(answer, tuple) or len(answer) != 2 or not all(is_whole_number(v) for v in answer):
        fail(exercise, f"return a tuple of two whole numbers (output height, receptive field), got {answer!r}",
             PREDICT_HINT)
    wrong = [f"{name} {got}" for name, got, want in zip(("output height", "receptive field"), answer, expected)
             if got != want]
    if wrong:
        fail(exercise, f"your predicted {' and '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} not right",
             PREDICT_HINT)
    if not quiet:
        print(f"✅ {exercise}: correct - Keras builds the stack with a {keras_height}x{keras_height} output, and each "
              f"output pixel sees a {expected[1]}x{expected[1]} window of the input")


def design_receptive_field(layers: list[tuple[int, ...]]) -> tuple[int, int]:
    """(receptive field, total stride) of (kernel, stride) or (kernel, stride, dilation) layers."""
    field, jump = 1, 1
    for layer in layers:
        kernel, stride, dilation = (tuple(layer) + (1,))[:3]
        field += (kernel - 1) * dilation * jump
        jump *= stride
    return field, jump


def check_design_stack(design_stack: Callable, quiet: bool = False) -> None:
    """design_stack() -> a list of (kernel, stride) or (kernel, stride, dilation) layers that meet the constraints:

    receptive field >= DESIGN_MIN_FIELD, at most DESIGN_MAX_LAYERS layers, kernels at most DESIGN_MAX_KERNEL, and
    the product of the strides at most DESIGN_MAX_TOTAL_STRIDE.
    """
    exercise = "design_stack"
    layers = call_answer(exercise, design_stack, hint=DESIGN_HINT)
    if not isinstance(layers, (list, tuple)) or not layers:
        fail(exercise, f"return a non-empty list of layers such as [(3, 1), (3, 2, 2)], got {layers!r}", DESIGN_HINT)
    for index, layer in enumerate(layers):
        if (not isinstance(layer, (tuple, list)) or len(layer) not in (2, 3)
                or not all(is_whole_number(v) and v >= 1 for v in layer)):
            fail(exercise, f"layer {index} must be (kernel, stride) or (kernel, stride, dilation) with whole "
                           f"numbers >= 1, got {layer!r}", DESIGN_HINT)
        if layer[0] > DESIGN_MAX_KERNEL:
            fail(exercise, f"layer {index} has a {layer[0]}x{layer[0]} kernel; at most "
                           f"{DESIGN_MAX_KERNEL}x{DESIGN_MAX_KERNEL} is allowed", DESIGN_HINT)
    if len(layers) > DESIGN_MAX_LAYERS:
        fail(exercise, f"{len(layers)} layers; at most {DESIGN_MAX_LAYERS} are allowed", DESIGN_HINT)
    field, total_stride = design_receptive_field(layers)
    if total_stride > DESIGN_MAX_TOTAL_STRIDE:
        fail(exercise, f"the strides multiply to {total_stride}; at most {DESIGN_MAX_TOTAL_STRIDE} is allowed "
                       "(the output must keep at least half the input's resolution)", DESIGN_HINT)
    if field < DESIGN_MIN_FIELD:
        fail(exercise, f"the receptive field is {field}x{field}; it must be at least "
                       f"{DESIGN_MIN_FIELD}x{DESIGN_MIN_FIELD}", DESIGN_HINT)
    if not quiet:
        print(f"✅ {exercise}: correct - {len(layers)} layers, total stride {total_stride}, receptive field "
              f"{field}x{field}")


def check_conv2d_strided(conv2d_strided: Callable, quiet: bool = False) -> None:
    """conv2d_strided(image (H, W), kernel (KH, KW), stride) -> valid cross-correlation with that stride."""
    rng = np.random.default_rng(11)
    symmetric = np.full((3, 3), 1 / 9)
    asymmetric = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])
    cases = []
    for shape, kernel, stride in (((6, 6), symmetric, 1), ((7, 9), asymmetric, 1), ((9, 9), symmetric, 2),
                                  ((11, 8), asymmetric, 3), ((8, 13), rng.normal(size=(3, 2)), 2)):
        image = rng.integers(0, 10, shape).astype(float)
        cases.append(((image, kernel, stride), _reference_conv(image, kernel, stride)))
    run_check("conv2d_strided", conv2d_strided, cases, quiet=quiet, hint=DIAGNOSE_HINT)
