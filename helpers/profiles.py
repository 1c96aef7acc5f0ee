"""Size profiles: every dataset size and epoch count the notebooks use, in one place.

Choose one with the environment variable ``COURSE_PROFILE``:

* ``quick``    - for CI and a first look: small subsets, 1-3 epochs; the whole test suite runs in minutes.
* ``standard`` - the default for learners: each notebook finishes within about 15 minutes on a laptop CPU.
* ``full``     - the book-scale runs, meant for a GPU.

A size of ``None`` means "everything available".
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_PROFILE = "standard"


class UnknownProfileError(ValueError):
    """COURSE_PROFILE names a profile that does not exist."""


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    # Chapter 1: images used to compute standardisation statistics.
    stats_sample_size: int | None
    # Chapter 2: the MLP on MNIST.
    mnist_train_size: int | None
    mnist_test_size: int | None
    mlp_epochs: int
    # Chapter 2: an MLP on CIFAR-10, for comparison with the CNNs of chapter 5.
    cifar_mlp_train_size: int | None
    cifar_mlp_epochs: int
    # Chapter 4: convolutional networks on Fashion-MNIST and MNIST.
    fashion_train_size: int | None
    fashion_test_size: int | None
    cnn_epochs: int
    comparison_train_size: int | None
    comparison_epochs: int
    # Chapter 5: CIFAR-10 (train + validation images; the validation part is 10 % of them).
    cifar_train_size: int | None
    cifar_baseline_epochs: int
    cifar_variant_epochs: int
    cifar_best_width: int
    cifar_best_epochs: int
    cifar_best_batch_size: int
    # Chapter 6: gradient-ascent steps per visualised filter.
    maximize_steps: int
    # Chapter 3: the convolution timing sweep (image sizes from 32 px, doubling up to the largest; the Python loop
    # only up to its own, smaller, largest size) and the repeats each median is taken over.
    conv_timing_max_size: int
    conv_timing_loop_max_size: int
    conv_timing_repeats: int
    # Chapter 3: the largest channel count of the layer-shaped timing (a batch of 32x32 images, C -> C channels).
    conv_timing_max_channels: int

    def describe(self) -> str:
        return f"Profile '{self.name}': {self.description}"


PROFILES: dict[str, Profile] = {
    "quick": Profile(
        name="quick",
        description="small subsets and 1-3 epochs, for CI and a first look",
        stats_sample_size=2_000,
        mnist_train_size=3_000,
        mnist_test_size=2_000,
        mlp_epochs=3,
        cifar_mlp_train_size=4_000,
        cifar_mlp_epochs=3,
        fashion_train_size=3_000,
        fashion_test_size=2_000,
        cnn_epochs=3,
        comparison_train_size=2_000,
        comparison_epochs=3,
        cifar_train_size=4_000,
        cifar_baseline_epochs=6,
        cifar_variant_epochs=3,
        cifar_best_width=16,
        cifar_best_epochs=4,
        cifar_best_batch_size=256,
        maximize_steps=15,
        conv_timing_max_size=256,
        conv_timing_loop_max_size=64,
        conv_timing_repeats=5,
        conv_timing_max_channels=16,
    ),
    "standard": Profile(
        name="standard",
        description="the learner's default: each notebook runs within about 15 minutes on a laptop CPU",
        stats_sample_size=None,
        mnist_train_size=None,
        mnist_test_size=None,
        mlp_epochs=10,
        cifar_mlp_train_size=20_000,
        cifar_mlp_epochs=10,
        fashion_train_size=None,
        fashion_test_size=None,
        cnn_epochs=10,
        comparison_train_size=10_000,
        comparison_epochs=5,
        cifar_train_size=None,
        cifar_baseline_epochs=10,
        cifar_variant_epochs=4,
        cifar_best_width=16,
        cifar_best_epochs=12,
        cifar_best_batch_size=256,
        maximize_steps=60,
        conv_timing_max_size=1024,
        conv_timing_loop_max_size=256,
        conv_timing_repeats=15,
        conv_timing_max_channels=64,
    ),
    "full": Profile(
        name="full",
        description="book-scale runs on all data, meant for a GPU",
        stats_sample_size=None,
        mnist_train_size=None,
        mnist_test_size=None,
        mlp_epochs=20,
        cifar_mlp_train_size=None,
        cifar_mlp_epochs=30,
        fashion_train_size=None,
        fashion_test_size=None,
        cnn_epochs=20,
        comparison_train_size=None,
        comparison_epochs=15,
        cifar_train_size=None,
        cifar_baseline_epochs=50,
        cifar_variant_epochs=20,
        cifar_best_width=64,
        cifar_best_epochs=24,
        cifar_best_batch_size=512,
        maximize_steps=120,
        conv_timing_max_size=1024,
        conv_timing_loop_max_size=256,
        conv_timing_repeats=15,
        conv_timing_max_channels=64,
    ),
}


def get_profile(name: str | None = None) -> Profile:
    """Return the profile called ``name``, or the one chosen by ``COURSE_PROFILE`` (default: standard)."""
    chosen = name if name is not None else os.environ.get("COURSE_PROFILE", "").strip() or DEFAULT_PROFILE
    try:
        return PROFILES[chosen.lower()]
    except KeyError:
        valid = ", ".join(PROFILES)
        raise UnknownProfileError(
            f"Unknown course profile {chosen!r}. Valid profiles: {valid}. "
            f"Set COURSE_PROFILE to one of them (or unset it for '{DEFAULT_PROFILE}')."
        ) from None

