"""Checks for the exercises of chapter 2.

Every reference answer is computed here, independently of the notebook.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.exercises.core import call_answer, fail, is_whole_number, run_check

COUNT_HINT = ("a Dense layer reading `inputs` values with `units` neurons has one weight per (input, neuron) pair "
              "plus one bias per neuron; add the layers between consecutive sizes.")
SOFTMAX_HINT = ("exponentiate the scores minus their maximum, then divide by the sum of those exponentials; the "
                "result has the same shape as the scores and sums to 1.")
CROSS_ENTROPY_HINT = ("the loss is minus the logarithm of the probability given to the true class. Keras uses the "
                      "natural logarithm; NumPy's np.log is natural, np.log10 is not. Return a Python float.")
STEPS_HINT = ("a step processes one batch; the last batch of an epoch may be smaller than the others, and it still "
              "counts as a step.")
DESIGN_HINT = ("most of the parameters sit in the first layer: it has (784 + 1) weights and biases per unit. Fix "
               "that layer's width first, then see what is left for the others.")
DIAGNOSE_HINT = ("`from_logits=True` tells the loss that the model's outputs are raw scores, so the loss applies "
                 "softmax itself. What happens when the last layer already applied softmax? Keep exactly one softmax.")

#: The "predict, then run" exercise: a training set of this size, this batch size, this many epochs.
STEPS_EXAMPLES, STEPS_BATCH_SIZE, STEPS_EPOCHS = 1_000, 64, 5

#: The "design under a constraint" exercise: 784 inputs, 10 outputs, at most this many parameters, at least this
#: many hidden layers of at least this many units each.
DESIGN_MAX_PARAMS = 50_000
DESIGN_MIN_HIDDEN_LAYERS = 2
DESIGN_MIN_UNITS = 16


def _dense_total(layer_sizes: list[int]) -> int:
    return sum(units * (inputs + 1) for inputs, units in zip(layer_sizes[:-1], layer_sizes[1:]))


def check_count_mlp_params(count_mlp_params: Callable, quiet: bool = False) -> None:
    """count_mlp_params(layer_sizes: list[int]) -> total weights and biases of the Dense layers between them."""
    sizes = ([784, 512, 512, 10], [784, 10, 10, 3], [784, 5, 15, 3], [784, 128, 128, 128, 10], [3072, 1024])
    cases = [((list(s),), _dense_total(list(s))) for s in sizes]
    run_check("count_mlp_params", count_mlp_params, cases, quiet=quiet, hint=COUNT_HINT)


def check_softmax(softmax: Callable, quiet: bool = False) -> None:
    """softmax(scores: 1-D array) -> probabilities (same shape, summing to 1)."""
    cases = []
    for scores in (np.array([9.0, 6.0]), np.array([1.0, 2.0, 3.0]), np.array([1000.0, 1000.0]),
                   np.array([-5.0, 0.0, 5.0, 1000.0])):
        shifted = np.exp(scores - scores.max())
        cases.append(((scores,), shifted / shifted.sum()))
    run_check("softmax", softmax, cases, quiet=quiet, hint=SOFTMAX_HINT)


def check_cross_entropy(cross_entropy: Callable, quiet: bool = False) -> None:
    """cross_entropy(probabilities, true_class) -> -ln(probability of the true class)."""
    probabilities = np.array([0.953, 0.047])
    cases = [((probabilities, 0), float(-np.log(0.953))), ((probabilities, 1), float(-np.log(0.047))),
             ((np.array([0.2, 0.5, 0.3]), 2), float(-np.log(0.3)))]
    run_check("cross_entropy", cross_entropy, cases, tolerance=1e-6, quiet=quiet, hint=CROSS_ENTROPY_HINT)


def check_predicted_training_steps(predicted_training_steps: Callable, quiet: bool = False) -> None:
    """predicted_training_steps() -> (steps per epoch, steps in all epochs); then shows the real counts."""
    exercise = "predicted_training_steps"
    answer = call_answer(exercise, predicted_training_steps, hint=STEPS_HINT)
    # Count the batches one epoch really has: the start index of every batch.
    batch_sizes = [len(range(start, min(start + STEPS_BATCH_SIZE, STEPS_EXAMPLES)))
                   for start in range(0, STEPS_EXAMPLES, STEPS_BATCH_SIZE)]
    real = (len(batch_sizes), len(batch_sizes) * STEPS_EPOCHS)
    if not (isinstance(answer, tuple) and len(answer) == 2 and all(is_whole_number(a) for a in answer)):
        fail(exercise, f"wrong type: expected a tuple of two whole numbers, got {answer!r}", STEPS_HINT)
    if tuple(int(a) for a in answer) != real:
        fail(exercise, f"you predicted {tuple(int(a) for a in answer)} steps (per epoch, in total); that is not "
                       f"what training on {STEPS_EXAMPLES:,} examples in batches of {STEPS_BATCH_SIZE} for "
                       f"{STEPS_EPOCHS} epochs does", STEPS_HINT)
    if not quiet:
        print(f"✅ {exercise}: correct - {real[0]} steps per epoch (the last batch has {batch_sizes[-1]} "
              f"examples), {real[1]} in {STEPS_EPOCHS} epochs")


def check_small_mlp_design(design_small_mlp: Callable, quiet: bool = False) -> None:
    """design_small_mlp() -> layer sizes [784, h1, ..., 10] within the parameter budget; checked by counting."""
    exercise = "design_small_mlp"
    sizes = call_answer(exercise, design_small_mlp, hint=DESIGN_HINT)
    if not isinstance(sizes, (list, tuple)) or not all(is_whole_number(s) for s in sizes):
        fail(exercise, f"wrong type: expected a list of whole numbers such as [784, ..., 10], got {sizes!r}",
             DESIGN_HINT)
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or sizes[0] != 784 or sizes[-1] != 10:
        fail(exercise, f"the list must start with the 784 inputs and end with the 10 outputs, got {sizes}",
             DESIGN_HINT)
    hidden = sizes[1:-1]
    if len(hidden) < DESIGN_MIN_HIDDEN_LAYERS:
        fail(exercise, f"{len(hidden)} hidden layer(s); at least {DESIGN_MIN_HIDDEN_LAYERS} are required",
             DESIGN_HINT)
    if min(hidden) < DESIGN_MIN_UNITS:
        fail(exercise, f"a hidden layer has {min(hidden)} units; each needs at least {DESIGN_MIN_UNITS}",
             DESIGN_HINT)
    total = _dense_total(sizes)
    if total > DESIGN_MAX_PARAMS:
        fail(exercise, f"{sizes} has {total:,} parameters, more than the {DESIGN_MAX_PARAMS:,} allowed",
             DESIGN_HINT)
    if not quiet:
        print(f"✅ {exercise}: correct - {sizes} has {total:,} parameters (limit {DESIGN_MAX_PARAMS:,})")


def _softmax_rows(values: np.ndarray) -> np.ndarray:
    shifted = np.exp(values - values.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def check_digit_classifier(build_digit_classifier: Callable, quiet: bool = False) -> None:
    """build_digit_classifier() -> a compiled Keras model whose loss is the cross-entropy of its own probabilities.

    The model reads (28, 28) images and gives 10 outputs, for integer labels 0-9. Its outputs are probabilities
    (rows >= 0 that sum to 1) or raw scores; either way the compiled loss must equal -mean(ln p(true class)) of
    the probabilities the model stands for.
    """
    import keras  # here, not at import time: the other checks need no TensorFlow

    exercise = "build_digit_classifier"
    model = call_answer(exercise, build_digit_classifier, hint=DIAGNOSE_HINT)
    if not isinstance(model, keras.Model):
        fail(exercise, f"wrong type: expected a Keras model, got {type(model).__name__}", DIAGNOSE_HINT)
    if model.loss is None:
        fail(exercise, "the model is not compiled: call model.compile(...) before returning it", DIAGNOSE_HINT)
    rng = np.random.default_rng(0)
    images = rng.random((16, 28, 28)).astype("float32")
    labels = np.arange(16) % 10
    try:
        outputs = np.asarray(model(images, training=False), dtype=np.float64)
    except Exception as error:  # wrong input shape, for example
        fail(exercise, f"the model could not read a batch of (28, 28) images: {type(error).__name__}: {error}",
             DIAGNOSE_HINT)
    if outputs.shape != (16, 10):
        fail(exercise, f"wrong shape: expected 10 outputs per image, got outputs of shape {outputs.shape[1:]}",
             DIAGNOSE_HINT)
    are_probabilities = bool((outputs >= 0).all() and np.allclose(outputs.sum(axis=1), 1, atol=1e-5))
    probabilities = outputs if are_probabilities else _softmax_rows(outputs)
    expected = float(-np.mean(np.log(probabilities[np.arange(16), labels])))
    try:
        loss = keras.losses.get(model.loss) if isinstance(model.loss, str) else model.loss
        got = float(np.mean(np.asarray(loss(labels, outputs))))
    except Exception as error:  # e.g. a loss that wants one-hot labels
        fail(exercise, f"the compiled loss fails on integer labels 0-9: {type(error).__name__}: {error}",
             DIAGNOSE_HINT)
    if not np.isfinite(got) or abs(got - expected) > 1e-4:
        kind = "probabilities" if are_probabilities else "raw scores (logits)"
        fail(exercise, f"the model outputs {kind}, whose cross-entropy on a test batch is {expected:.4f}, but "
                       f"the compiled loss reports {got:.4f}", DIAGNOSE_HINT)
    if not quiet:
        print(f"✅ {exercise}: correct - the loss matches the model's own probabilities ({got:.4f} on a test batch)")
