"""Size profiles: every dataset size and epoch count the notebooks use, in one place.

Choose one with the environment variable ``COURSE_PROFILE``:

* ``quick``    - for CI and a first look: small subsets, 1-3 epochs; the whole test suite runs in minutes.
* ``standard`` - the default for learners: each notebook finishes within about 15 minutes on a laptop CPU
  (chapter 5, the project, in about 20).
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
    fashion_test_size: int | None
    comparison_train_size: int | None
    comparison_epochs: int
    # Chapter 4's own budget: epochs and Fashion-MNIST training images of its networks; the controlled experiments
    # (pooling vs stride, dropout, batch norm, optimizers, learning rates: images, epochs, seeds per setting);
    # the translation and permutation experiments on MNIST (training digits, epochs, test digits per shift).
    chapter4_epochs: int
    chapter4_fashion_train_size: int | None
    ablation_train_size: int | None
    ablation_epochs: int
    seeds_per_setting: int
    shift_train_size: int | None
    shift_epochs: int
    shift_test_size: int | None
    # Chapter 5: CIFAR-10 (train + validation images; the validation part is 10 % of them); the walk-through
    # baseline's epochs; chapter 6's stand-in epochs (cifar_variant_epochs); the best model (width, epochs, batch
    # size; the width and batch size are also the ladder's, and the width sets the efficient units' channels); the
    # ablation ladder and the efficient-unit comparison (training images and epochs of both, seeds per rung, seeds
    # per unit).
    cifar_train_size: int | None
    cifar_baseline_epochs: int
    cifar_variant_epochs: int
    cifar_best_width: int
    cifar_best_epochs: int
    cifar_best_batch_size: int
    cifar_ladder_train_size: int | None
    cifar_ladder_epochs: int
    cifar_ladder_seeds: int
    cifar_units_seeds: int
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
        fashion_test_size=2_000,
        comparison_train_size=2_000,
        comparison_epochs=3,
        chapter4_epochs=3,
        chapter4_fashion_train_size=3_000,
        ablation_train_size=1_000,
        ablation_epochs=2,
        seeds_per_setting=2,
        shift_train_size=1_000,
        shift_epochs=2,
        shift_test_size=1_000,
        cifar_train_size=3_840,  # 3,456 training + 384 validation images: whole batches of 64
        cifar_baseline_epochs=3,
        cifar_variant_epochs=3,
        cifar_best_width=8,
        cifar_best_epochs=2,
        cifar_best_batch_size=64,
        cifar_ladder_train_size=1_024,
        cifar_ladder_epochs=2,
        cifar_ladder_seeds=1,
        cifar_units_seeds=1,
        maximize_steps=15,
        conv_timing_max_size=256,
        conv_timing_loop_max_size=64,
        conv_timing_repeats=5,
        conv_timing_max_channels=16,
    ),
    "standard": Profile(
        name="standard",
        description="the learner's default: each notebook runs within about 15 minutes on a laptop CPU (chapter 5: 20)",
        stats_sample_size=None,
        mnist_train_size=None,
        mnist_test_size=None,
        mlp_epochs=10,
        cifar_mlp_train_size=20_000,
        cifar_mlp_epochs=10,
        fashion_test_size=None,
        comparison_train_size=10_000,
        comparison_epochs=5,
        chapter4_epochs=4,
        chapter4_fashion_train_size=30_000,
        ablation_train_size=4_000,
        ablation_epochs=4,
        seeds_per_setting=2,
        shift_train_size=4_000,
        shift_epochs=4,
        shift_test_size=2_000,
        cifar_train_size=None,
        cifar_baseline_epochs=5,
        cifar_variant_epochs=4,
        cifar_best_width=16,
        cifar_best_epochs=3,
        cifar_best_batch_size=64,
        cifar_ladder_train_size=2_000,
        cifar_ladder_epochs=6,
        cifar_ladder_seeds=2,
        cifar_units_seeds=1,
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
        fashion_test_size=None,
        comparison_train_size=None,
        comparison_epochs=15,
        chapter4_epochs=20,
        chapter4_fashion_train_size=None,
        ablation_train_size=None,
        ablation_epochs=15,
        seeds_per_setting=3,
        shift_train_size=None,
        shift_epochs=15,
        shift_test_size=None,
        cifar_train_size=None,
        cifar_baseline_epochs=30,
        cifar_variant_epochs=20,
        cifar_best_width=64,
        cifar_best_epochs=24,
        cifar_best_batch_size=512,
        cifar_ladder_train_size=None,
        cifar_ladder_epochs=12,
        cifar_ladder_seeds=3,
        cifar_units_seeds=3,
        maximize_steps=120,
        conv_timing_max_size=1024,
        conv_timing_loop_max_size=256,
        conv_timing_repeats=15,
        conv_timing_max_channels=64,
    ),
}


def get_profile(name: str | None = None) -> Profile:
    """Return the profile called ``name``, or the one chosen by ``COURSE_PROFILE`` (default: standard)."""
    if name is not None and not isinstance(name, str):
        raise TypeError(f"The profile name must be a string such as 'quick', got {name!r}.")
    chosen = name if name is not None else os.environ.get("COURSE_PROFILE", "").strip() or DEFAULT_PROFILE
    try:
        return PROFILES[chosen.lower()]
    except KeyError:
        valid = ", ".join(PROFILES)
        raise UnknownProfileError(
            f"Unknown course profile {chosen!r}. Valid profiles: {valid}. "
            f"Set COURSE_PROFILE to one of them (or unset it for '{DEFAULT_PROFILE}')."
        ) from None

