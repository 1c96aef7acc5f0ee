"""Checks for the exercises of chapter 2."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.exercises.core import run_check

def check_count_mlp_params(count_mlp_params: Callable, quiet: bool = False) -> None:
    """count_mlp_params(layer_sizes: list[int]) -> total weights and biases of the Dense layers between them."""
    cases = [(([784, 512, 512, 10],), 669_706), (([784, 10, 10, 3],), 7_993), (([784, 5, 15, 3],), 4_063),
             (([784, 128, 128, 128, 10],), 134_794), (([3072, 1024],), 3_146_752)]
    run_check("count_mlp_params", count_mlp_params, cases, quiet=quiet)


def check_softmax(softmax: Callable, quiet: bool = False) -> None:
    """softmax(scores: 1-D array) -> probabilities (same shape, summing to 1)."""
    cases = []
    for scores in (np.array([9.0, 6.0]), np.array([1.0, 2.0, 3.0]), np.array([1000.0, 1000.0])):
        shifted = np.exp(scores - scores.max())
        cases.append(((scores,), shifted / shifted.sum()))
    run_check("softmax", softmax, cases, quiet=quiet)


def check_cross_entropy(cross_entropy: Callable, quiet: bool = False) -> None:
    """cross_entropy(probabilities, true_class) -> -ln(probability of the true class)."""
    probabilities = np.array([0.953, 0.047])
    cases = [((probabilities, 0), float(-np.log(0.953))), ((probabilities, 1), float(-np.log(0.047))),
             ((np.array([0.2, 0.5, 0.3]), 2), float(-np.log(0.3)))]
    run_check("cross_entropy", cross_entropy, cases, tolerance=1e-6, quiet=quiet)
