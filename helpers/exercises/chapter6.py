"""Checks for the exercises of chapter 6."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.exercises.core import call_answer, fail, run_check, silenced_stderr

FIRST_KERNEL_HINT = ("find the first layer that is a keras.layers.Conv2D; get_weights()[0] has the axes "
                     "(height, width, input channels, filters)")
RESCALE_HINT = "subtract the smallest value first, then divide by the range (largest minus smallest)"
STRONGEST_HINT = "average each filter's map over the two spatial axes, then take the position of the largest mean"
MAP_SIZE_HINT = ("count how many times the network halves the resolution before its last block (a 32 x 32 image "
                 "ends as a 4 x 4 map); the convolutions keep the size ('same' padding)")
GRAD_CAM_HINT = ("Grad-CAM has one weight per channel (a mean over the positions), and the map keeps only the "
                 "evidence FOR the class")


def check_first_kernel(first_kernel: Callable, model, quiet: bool = False) -> None:
    """first_kernel(model) -> the (KH, KW) kernel of filter 0, input channel 0, of the first Conv2D layer."""
    import keras

    layer = next(layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D))
    expected = np.asarray(layer.get_weights()[0])[:, :, 0, 0]
    run_check("first_kernel", first_kernel, [((model,), expected)], quiet=quiet, hint=FIRST_KERNEL_HINT)


def check_rescale_for_display(rescale: Callable, quiet: bool = False) -> None:
    """rescale(kernel) -> the kernel stretched linearly to the range 0-1 (min -> 0, max -> 1)."""
    kernel = np.random.default_rng(5).normal(size=(3, 3, 3))
    expected = (kernel - kernel.min()) / (kernel.max() - kernel.min())
    run_check("rescale_for_display", rescale, [((kernel,), expected)], quiet=quiet, hint=RESCALE_HINT)


def check_strongest_filter(strongest_filter: Callable, quiet: bool = False) -> None:
    """strongest_filter(feature_maps (H, W, F)) -> index of the filter with the largest mean activation."""
    maps = np.random.default_rng(6).random((5, 5, 8))
    maps[..., 5] += 0.5
    other = np.random.default_rng(7).random((3, 4, 6))
    run_check("strongest_filter", strongest_filter,
              [((maps,), 5), ((other,), int(other.mean(axis=(0, 1)).argmax()))], quiet=quiet, hint=STRONGEST_HINT)


def last_feature_map_shape(model) -> tuple[int, int]:
    """(height, width) of the last layer whose output is still a feature map (4-D): Grad-CAM's resolution."""
    last = [layer for layer in model.layers if len(layer.output.shape) == 4][-1]
    return int(last.output.shape[1]), int(last.output.shape[2])


def check_predicted_map_size(predicted_map_size: Callable, model, side: int = 64, quiet: bool = False) -> None:
    """predicted_map_size() -> (height, width) of the Grad-CAM map for a side x side input; then shows it.

    The network ends in global pooling, so it accepts larger inputs; the map shrinks by the same factor as for
    the model's own input size.
    """
    exercise = "predicted_map_size"
    input_side = int(model.input_shape[1])
    map_height, map_width = last_feature_map_shape(model)
    factor = input_side // map_height
    expected = (side // factor, side // (input_side // map_width))
    run_check(exercise, predicted_map_size, [((), expected)], quiet=True, hint=MAP_SIZE_HINT)
    if not quiet:
        print(f"✅ {exercise}: correct - each side shrinks by {factor} ({input_side} -> {map_height}), so a "
              f"{side} x {side} image gives a {expected[0]} x {expected[1]} Grad-CAM map")


def check_grad_cam_map(grad_cam_map: Callable, quiet: bool = False) -> None:
    """grad_cam_map(block_output (H, W, K), gradients (H, W, K)) -> the (H, W) Grad-CAM map, before upsampling."""
    rng = np.random.default_rng(16)
    cases = []
    for shape in ((4, 4, 8), (2, 3, 5)):
        block_output = np.maximum(rng.normal(size=shape), 0)  # after a ReLU, like a real block output
        gradients = rng.normal(size=shape)
        weights = gradients.mean(axis=(0, 1))
        expected = np.maximum(np.tensordot(block_output, weights, axes=([2], [0])), 0)
        cases.append(((block_output, gradients), expected))
    run_check("grad_cam_map", grad_cam_map, cases, tolerance=1e-6, quiet=quiet, hint=GRAD_CAM_HINT)


DESIGN_HINT = ("each 2 x 2 pooling halves the map, so two of them leave 8 x 8 of a 32 x 32 image; more 3 x 3 "
               "convolutions after each pooling widen the view without shrinking the map; end with "
               "GlobalAveragePooling2D and one Dense layer so the read-out stays small")
DESIGN_MAX_PARAMS = 60_000
DESIGN_MIN_MAP_SIDE = 8
DESIGN_MIN_FIELD = 18


def check_sharper_grad_cam_cnn(sharper_grad_cam_cnn: Callable, quiet: bool = False) -> None:
    """sharper_grad_cam_cnn() -> a Keras model 32x32x3 -> 10 with <= 60,000 parameters whose last feature map (the
    Grad-CAM map) is at least 8 x 8 and sees a receptive field of at least 18 pixels."""
    import keras

    from helpers.visualize import receptive_field

    exercise = "sharper_grad_cam_cnn"
    with silenced_stderr():
        model = call_answer(exercise, sharper_grad_cam_cnn, hint=DESIGN_HINT)
        if not isinstance(model, keras.Model):
            fail(exercise, f"wrong type: expected a Keras model, got {type(model).__name__}", DESIGN_HINT)
        problems, report = [], []
        if tuple(model.input_shape[1:]) != (32, 32, 3):
            problems.append(f"the input is {tuple(model.input_shape[1:])}, not a 32 x 32 x 3 image")
        if tuple(model.output_shape[1:]) != (10,):
            problems.append(f"the output is {tuple(model.output_shape[1:])}, not 10 class scores")
        params = model.count_params()
        report.append(f"{params:,} parameters")
        if params > DESIGN_MAX_PARAMS:
            problems.append(f"{params:,} parameters, more than {DESIGN_MAX_PARAMS:,}")
        feature_maps = [layer for layer in model.layers if len(layer.output.shape) == 4]
        if not feature_maps:
            fail(exercise, "the model has no layer with a feature-map output (height, width, channels)", DESIGN_HINT)
        last = feature_maps[-1]
        side = min(int(last.output.shape[1]), int(last.output.shape[2]))
        field, _ = receptive_field(model, last.name)
        report += [f"Grad-CAM map {int(last.output.shape[1])} x {int(last.output.shape[2])}",
                   f"receptive field {field} px"]
        if side < DESIGN_MIN_MAP_SIDE:
            problems.append(f"the last feature map is {side} pixels on a side, smaller than {DESIGN_MIN_MAP_SIDE}")
        if field < DESIGN_MIN_FIELD:
            problems.append(f"its units see {field} x {field} pixels, fewer than {DESIGN_MIN_FIELD}")
    if problems:
        fail(exercise, "; ".join(problems) + f" (your model: {', '.join(report)})", DESIGN_HINT)
    if not quiet:
        print(f"✅ {exercise}: correct - {', '.join(report)}")
