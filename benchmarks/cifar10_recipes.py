"""Seconds per epoch (and, optionally, test accuracy) of chapter 5's CIFAR-10 training recipes, on any Keras backend.

The recipe is the course's own: ``helpers.architectures.resnet9`` behind the ``flip_and_shift`` augmentation layers
(inside the model, so they run on the accelerator), SGD with Nesterov momentum and weight decay, a linear warm-up
over the first 20 % of the steps then a cosine decay, label smoothing 0.1, and data fed as NumPy arrays. Each recipe
trains one untimed epoch first (graph building, XLA compilation), then ``--epochs`` timed epochs; the median is
reported. With ``--accuracy`` each recipe instead trains its full schedule and reports test accuracy, with and
without flip averaging.

Some recipes add one trick of the fast published recipes, to measure what it buys: Cutout, Page's coupled L2 decay,
a moving average of the weights (Keras' ``use_ema``, swapped in at the end of training) and progressive resizing
(the first epochs on downscaled images, which cost less; one schedule and optimizer across the sizes).

Run it from the course root as a module (it imports the course's ``helpers``)::

    .venv/bin/python -m benchmarks.cifar10_recipes --images 10000 --epochs 2
    KERAS_BACKEND=jax python -m benchmarks.cifar10_recipes --recipes w64-b512-xla --accuracy --train-epochs 24

The results table is written to ``docs/benchmarks/cifar10_recipes_<backend>.md`` with the date, machine, command
and commit. ``--note`` adds a sentence (e.g. that the machine was shared with other jobs).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np

from benchmarks.report import write_results
from helpers.architectures import flip_and_shift, resnet9


@dataclass(frozen=True)
class Recipe:
    name: str
    width: int
    batch_size: int
    jit_compile: bool = False
    mixed_precision: bool = False
    peak_learning_rate: float = 0.2
    cutout: int = 0          # side of the square that Cutout blanks in each training image (0: none)
    weight_decay: float = 5e-4   # Keras' decoupled decay: each step shrinks every weight by lr x weight_decay
    l2: float = 0.0          # coupled decay, as in PyTorch's SGD and Page's code: l2 x weight joins the gradient
    ema: float = 0.0         # momentum of a moving average of the weights, which replaces them at the end (0: none)
    recalibrate_bn: bool = False   # after the average is swapped in, re-estimate the batch norms' statistics
    early_sizes: tuple[int, ...] = ()   # progressive resizing: the image side of the first epochs, then 32


RECIPES = {recipe.name: recipe for recipe in [
    Recipe("w12-b256", 12, 256),
    Recipe("w16-b32", 16, 32, peak_learning_rate=0.025),
    Recipe("w16-b64", 16, 64, peak_learning_rate=0.05),
    Recipe("w16-b128", 16, 128, peak_learning_rate=0.1),
    Recipe("w16-b256", 16, 256),
    Recipe("w16-b512", 16, 512, peak_learning_rate=0.4),
    # bfloat16 on the CPU: oneDNN has bf16 kernels for CPUs with AVX512_BF16 (or AMX); does it pay at this width?
    Recipe("w16-b64-bf16", 16, 64, mixed_precision=True, peak_learning_rate=0.05),
    Recipe("w24-b256", 24, 256),
    Recipe("w32-b256", 32, 256),
    Recipe("w16-b256-xla", 16, 256, jit_compile=True),
    Recipe("w64-b512", 64, 512, peak_learning_rate=0.4),
    Recipe("w64-b512-xla", 64, 512, jit_compile=True, peak_learning_rate=0.4),
    Recipe("w64-b256-xla-bf16", 64, 256, jit_compile=True, mixed_precision=True, peak_learning_rate=0.2),
    Recipe("w64-b512-xla-bf16", 64, 512, jit_compile=True, mixed_precision=True, peak_learning_rate=0.4),
    Recipe("w64-b512-xla-bf16-cutout8", 64, 512, jit_compile=True, mixed_precision=True, peak_learning_rate=0.4,
           cutout=8),
    # Page's weight decay: 5e-4 x weight added to the gradient, which momentum 0.9 then amplifies up to 10 times
    Recipe("w16-b64-l2", 16, 64, peak_learning_rate=0.05, weight_decay=0.0, l2=5e-4),
    Recipe("w64-b512-xla-bf16-l2", 64, 512, jit_compile=True, mixed_precision=True, peak_learning_rate=0.4,
           weight_decay=0.0, l2=5e-4),
    # Keras' own weight averaging (SGD's use_ema): an exponential average with a time constant of 100 steps
    Recipe("w16-b64-ema", 16, 64, peak_learning_rate=0.05, ema=0.99),
    # Keras averages the trainable weights only: the batch norms' running statistics still belong to the last
    # weights, so this one re-estimates them for the averaged weights (as SWA does, Izmailov et al. 2018)
    Recipe("w16-b64-ema-bn", 16, 64, peak_learning_rate=0.05, ema=0.99, recalibrate_bn=True),
    # progressive resizing (fast.ai's DAWNBench entries): the first epoch on 16 x 16 images, the second on 24 x 24;
    # by their pixels 4 such epochs cost about as much as 3 at 32 x 32 (measured on the CPU: more, see the docs)
    Recipe("w16-b64-prog", 16, 64, peak_learning_rate=0.05, early_sizes=(16, 24)),
]}
DEFAULT_RECIPES = ["w16-b128", "w16-b256", "w16-b512", "w24-b256", "w32-b256"]


def load_data(images: int | None, synthetic: bool):
    """(x_train, y_train, x_test, y_test) as float32 in [0, 1] and one-hot labels; random pixels with --synthetic."""
    if synthetic:
        rng = np.random.default_rng(0)
        n = images or 50_000
        x = rng.random((n, 32, 32, 3), dtype=np.float32)
        y = rng.integers(0, 10, n)
        return x, keras.utils.to_categorical(y, 10), x[:1000], keras.utils.to_categorical(y[:1000], 10)
    from helpers import load_cifar10, stratified_subset

    cifar = load_cifar10()
    x, y = stratified_subset(cifar.x_train, cifar.y_train, images, seed=0)
    to_float = lambda a: a.astype("float32") / 255  # noqa: E731
    return (to_float(x), keras.utils.to_categorical(y[:, 0], 10), to_float(cifar.x_test),
            keras.utils.to_categorical(cifar.y_test[:, 0], 10))


class Cutout(keras.layers.Layer):
    """Blank a random ``size`` x ``size`` square of each training image (DeVries and Taylor, *Improved
    Regularization of Convolutional Neural Networks with Cutout*, 2017); the square's centre is anywhere in the
    image, so near a border only part of it falls inside. Not part of chapter 5's recipe: the benchmark measures
    what it would add. Identity outside training."""

    def __init__(self, size: int, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.size = size
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=None):
        if not training:
            return images
        ops = keras.ops
        batch, height, width = ops.shape(images)[0], images.shape[1], images.shape[2]
        centres = keras.random.randint((batch, 2), 0, max(height, width), seed=self.seed_generator)
        rows = ops.arange(height)[None, :] - centres[:, 0:1]                 # (batch, height)
        cols = ops.arange(width)[None, :] - centres[:, 1:2]                  # (batch, width)
        low, high = -(self.size // 2), self.size - self.size // 2            # the square covers [low, high)
        inside_rows = ops.logical_and(rows >= low, rows < high)
        inside_cols = ops.logical_and(cols >= low, cols < high)
        blank = ops.logical_and(inside_rows[:, :, None], inside_cols[:, None, :])   # (batch, height, width)
        return images * ops.cast(ops.logical_not(blank), images.dtype)[..., None]

    def compute_output_shape(self, input_shape):
        return input_shape


def build(recipe: Recipe, steps: int, seed: int = 0):
    """The training model (augmentation + network) compiled with the recipe; returns (model, network).

    With ``early_sizes`` the network accepts any image size, and ``training_model_for`` makes the training model
    of each smaller size around the same network and optimizer."""
    from helpers import set_seed

    if recipe.ema and recipe.early_sizes:
        # Keras replaces the weights by their average at the end of every fit(), so one average cannot span phases
        raise ValueError(f"{recipe.name}: a moving average of the weights cannot be combined with progressive resizing")
    if keras.backend.backend() == "tensorflow":
        set_seed(seed, deterministic_ops=not recipe.jit_compile)  # Keras refuses XLA under TF op determinism
    else:
        keras.utils.set_random_seed(seed)
    keras.mixed_precision.set_global_policy("mixed_bfloat16" if recipe.mixed_precision else "float32")
    network = resnet9(recipe.width, image_size=None if recipe.early_sizes else 32)
    if recipe.l2:
        for variable in network.trainable_variables:   # every weight, batch-norm scales and shifts included
            variable.regularizer = keras.regularizers.L2(recipe.l2 / 2)   # gradient l2 x weight
    augmentation = [flip_and_shift(seed=seed)] + ([Cutout(recipe.cutout, seed=seed)] if recipe.cutout else [])
    schedule = keras.optimizers.schedules.CosineDecay(0.0, decay_steps=steps - steps // 5, warmup_steps=steps // 5,
                                                      warmup_target=recipe.peak_learning_rate)
    ema = {"use_ema": True, "ema_momentum": recipe.ema} if recipe.ema else {}
    optimizer = keras.optimizers.SGD(schedule, momentum=0.9, nesterov=True, weight_decay=recipe.weight_decay or None,
                                     **ema)
    model = training_model_for(recipe, network, augmentation, optimizer, 32)
    return model, network


def training_model_for(recipe: Recipe, network, augmentation: list, optimizer, image_size: int):
    """The augmentation, a bilinear (antialiased) downscaling to ``image_size`` when it is not 32, and the network,
    compiled with the recipe's loss and the given optimizer (shared by every size, so the schedule runs on)."""
    resize = [keras.layers.Resizing(image_size, image_size, antialias=True)] if image_size != 32 else []
    model = keras.Sequential([keras.Input((32, 32, 3)), *augmentation, *resize, network],
                             name=f"training_model_{image_size}")
    model.compile(optimizer=optimizer,
                  loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1), metrics=["accuracy"],
                  jit_compile=recipe.jit_compile)
    if bool(model.jit_compile) != recipe.jit_compile:
        raise RuntimeError(f"{recipe.name}: asked for jit_compile={recipe.jit_compile}, Keras uses {model.jit_compile}")
    return model


def recalibrate_batch_norm(network, images, batch_size: int, batches: int = 100) -> None:
    """Re-estimate every batch norm's running mean and variance for the network's current weights: forward passes
    in training mode over ``batches`` batches of ``images`` (momentum 0.9 forgets the old values within them).
    Nothing else changes: the weights get no gradient step."""
    batch_norms = [layer for layer in network.layers if isinstance(layer, keras.layers.BatchNormalization)]
    if not batch_norms:
        raise ValueError(f"{network.name} has no batch norm to recalibrate")
    order = np.random.default_rng(0).permutation(len(images))
    for batch in range(batches):
        picked = order[np.arange(batch * batch_size, (batch + 1) * batch_size) % len(images)]
        network(images[picked], training=True)


class EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.start)

    def on_train_begin(self, logs=None):
        self.seconds = []


def measure(recipe: Recipe, data, timed_epochs: int, accuracy_epochs: int | None, seed: int = 0) -> dict:
    x_train, y_train, x_test, y_test = data
    epochs = accuracy_epochs or 1 + timed_epochs
    steps = int(np.ceil(len(x_train) / recipe.batch_size)) * epochs
    if len(recipe.early_sizes) >= epochs:
        raise ValueError(f"{recipe.name} resizes its first {len(recipe.early_sizes)} epochs; train more epochs than that")
    model, network = build(recipe, steps, seed)
    sizes = [*recipe.early_sizes, *[32] * (epochs - len(recipe.early_sizes))]
    timer = EpochTimer()
    start = time.perf_counter()
    if recipe.early_sizes:   # one fit() per image size, each with the training model of that size
        augmentation, seconds = model.layers[:-1], []   # build()'s model has no resizing: augmentation, network
        for size, run in itertools.groupby(sizes):
            phase_model = training_model_for(recipe, network, augmentation, model.optimizer, size)
            phase_model.fit(x_train, y_train, batch_size=recipe.batch_size, epochs=len(list(run)), callbacks=[timer],
                            verbose=0)
            seconds += timer.seconds
    else:
        model.fit(x_train, y_train, batch_size=recipe.batch_size, epochs=epochs, callbacks=[timer], verbose=0)
        seconds = timer.seconds
    if recipe.recalibrate_bn:
        recalibrate_batch_norm(network, x_train, recipe.batch_size)
    row = {"recipe": recipe.name, "width": recipe.width, "batch": recipe.batch_size,
           "XLA": "yes" if model.jit_compile else "no", "precision": keras.mixed_precision.global_policy().name,
           "cutout": recipe.cutout or "no",
           "decay": f"L2 {recipe.l2:g}" if recipe.l2 else f"decoupled {recipe.weight_decay:g}",
           "EMA": (f"{recipe.ema:g}" + (", BN re-estimated" if recipe.recalibrate_bn else "")) if recipe.ema else "no",
           "sizes": ", ".join(map(str, sizes)) if recipe.early_sizes else "32",
           "seed": seed, "steps": int(model.optimizer.iterations),
           "params": network.count_params(), "first epoch (s)": round(seconds[0], 1),
           "s/epoch (median)": round(statistics.median(seconds[1:] or seconds), 1)}
    if accuracy_epochs:
        labels = y_test.argmax(axis=1)
        plain = network.predict(x_test, batch_size=1000, verbose=0)
        flipped = network.predict(x_test[:, :, ::-1], batch_size=1000, verbose=0)
        row["train (s)"] = round(time.perf_counter() - start, 1)
        row["test acc"] = round(float((plain.argmax(1) == labels).mean()), 4)
        row["test acc, flip TTA"] = round(float(((plain + flipped).argmax(1) == labels).mean()), 4)
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipes", nargs="+", default=DEFAULT_RECIPES, choices=sorted(RECIPES))
    parser.add_argument("--images", type=int, default=10_000, help="training images (0: all 50,000)")
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs after the untimed first one")
    parser.add_argument("--accuracy", action="store_true", help="train the whole schedule and report test accuracy")
    parser.add_argument("--train-epochs", type=int, default=24, help="epochs of the schedule with --accuracy")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--synthetic", action="store_true", help="random pixels instead of CIFAR-10 (timing only)")
    parser.add_argument("--note", default="", help="a sentence written under the table")
    parser.add_argument("--output", type=Path, default=None,
                        help="default: docs/benchmarks/cifar10_recipes_<backend>.md")
    args = parser.parse_args(argv)

    data = load_data(args.images or None, args.synthetic)
    rows = []
    for name in args.recipes:
        for seed in args.seeds:
            row = measure(RECIPES[name], data, args.epochs, args.train_epochs if args.accuracy else None, seed)
            print(row, flush=True)
            rows.append(row)

    write_results(
        rows, module="benchmarks.cifar10_recipes", argv=argv, output=args.output, default_name="cifar10_recipes",
        title="# Chapter 5's CIFAR-10 recipes: time per epoch" + (" and accuracy" if args.accuracy else ""),
        data=f"{len(data[0]):,} training images ({'random pixels' if args.synthetic else 'CIFAR-10'}), as NumPy "
             "arrays; augmentation (flip + shift, and cutout where the table says so) inside the model",
        footer="The first epoch includes building the graph (and XLA compilation); the median is over the timed "
               "epochs. With progressive resizing (several sizes) the first epoch of each size builds its own "
               "training graph.",
        note=args.note)


if __name__ == "__main__":
    main()
