"""Test accuracy per minute of an airbench-style CIFAR-10 recipe, narrowed for a CPU, on any Keras backend.

Chapter 5's best model is a ResNet-9 trained with a warm-up + cosine schedule. The fastest published CIFAR-10
recipes reach far more per epoch; airbench94 (Keller Jordan, "94% on CIFAR-10 in 3.29 Seconds on a Single GPU",
arXiv:2404.00498, 2024) is the reference. This script measures what its ideas buy on the course's hardware, written
here in Keras from the paper's description (not a copy of its code), trained as follows:

* the network of ``helpers/airbench.py``: a frozen whitening first layer (its bias trains for the first 3 epochs
  only), three blocks of two 3 x 3 convolutions initialised as partial identities, batch norms whose shift learns 64
  times faster, global max pooling and a bias-free dense layer whose logits are divided by 9;
* Nesterov SGD (momentum 0.85) with L2 on the weights, a triangular learning rate (0.2 -> 1 over the first 23 %
  of the steps, then -> 0.07), label smoothing 0.2, batches of 512. Airbench94 sums the loss over batches of
  1,024, with a step of 11.5 / (1024 (1 + 1 / (1 - 0.85))) per summed example; with the mean loss that is a peak
  learning rate of 1.5 x batch / 1024 (0.75 for batches of 512) and an L2 gradient coefficient of 0.0153 / 11.5;
* lookahead: every 5 steps the weights are pulled towards a slow average of themselves, starting from the
  initial weights (decay rising as the cube of the progress, to 0.95**5), and the run ends on that average;
* augmentation in NumPy, once per epoch: a random translation of up to 2 pixels (reflected border) and a left-right
  flip that is random in the first epoch and then alternates for each image (``--augmentation layers`` uses
  chapter 5's augmentation layers inside the model instead: random flips, shifts of up to 2 pixels, per step);
* test-time augmentation: the average logits over the image, its mirror image, and both shifted by one pixel up-left
  and down-right (6 views), beside plain and flip-only accuracy.

The widths (``--widths``, airbench94 uses 64,256,256) are the knob for a CPU. All 50,000 training images are used,
as in the paper (chapter 5 holds 5,000 out for validation). Run from the course root as a module::

    COURSE_DATA_DIR=data .venv/bin/python -m benchmarks.cifar10_airbench_style --widths 16,64,64 --epochs 8

It writes ``docs/benchmarks/cifar10_airbench_style_<backend>.md`` with the date, machine, command and commit.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np

from benchmarks.report import write_results
from helpers.airbench import AIRBENCH_L2, FreezeAfter, Lookahead, Triangular, airbench_style_network
from helpers.architectures import flip_and_shift
from helpers.model_stats import count_macs

TRANSLATE = 2          # pixels of random translation during training
WHITEN_BIAS_EPOCHS = 3  # epochs during which the whitening layer's bias trains


def translate_and_flip(images: np.ndarray, flip: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    padded = np.pad(images, ((0, 0), (TRANSLATE, TRANSLATE), (TRANSLATE, TRANSLATE), (0, 0)), mode="reflect")
    offsets = rng.integers(0, 2 * TRANSLATE + 1, size=(len(images), 2))
    out = np.empty_like(images)
    for dy in range(2 * TRANSLATE + 1):
        for dx in range(2 * TRANSLATE + 1):
            chosen = np.flatnonzero((offsets[:, 0] == dy) & (offsets[:, 1] == dx))
            out[chosen] = padded[chosen, dy:dy + 32, dx:dx + 32]
    out[flip] = out[flip, :, ::-1]
    return out


def accuracies_on_test_set(network: keras.Model, x_test: np.ndarray, labels: np.ndarray) -> dict:
    predict = lambda x: network.predict(x, batch_size=1000, verbose=0)  # noqa: E731
    plain, mirrored = predict(x_test), predict(x_test[:, :, ::-1])
    padded = np.pad(x_test, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="reflect")
    shifted = [padded[:, :32, :32], padded[:, 2:, 2:]]
    shifted_logits = np.mean([(predict(x) + predict(x[:, :, ::-1])) / 2 for x in shifted], axis=0)
    accuracy = lambda logits: round(float((logits.argmax(1) == labels).mean()), 4)  # noqa: E731
    return {"test acc": accuracy(plain), "flip TTA": accuracy(plain + mirrored),
            "6-view TTA": accuracy((plain + mirrored) / 4 + shifted_logits / 2)}


def train(widths, x_train: np.ndarray, y_train: np.ndarray, epochs: float, batch_size: int, peak: float | None,
          l2: float, seed: int, lookahead: bool, augmentation: str = "numpy") -> tuple[keras.Model, dict]:
    """Train the network on normalised images ``x_train`` (n, 32, 32, 3) with labels ``y_train`` (n,); return it
    with a row describing the run (no test accuracy).

    ``augmentation="numpy"`` is airbench94's: each epoch's images are translated and flipped on the host before
    the epoch, the flips alternating per image from epoch to epoch. ``"layers"`` is chapter 5's: the network trains
    inside a model whose first layers flip at random and shift by up to TRANSLATE pixels, a new draw per image and
    step, on whatever device runs the model."""
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    network = airbench_style_network(widths, x_train, l2)
    model = network
    if augmentation == "layers":
        model = keras.Sequential([keras.Input((32, 32, 3)), flip_and_shift(TRANSLATE, seed=seed), network])
    peak = 1.5 * batch_size / 1024 if peak is None else peak
    steps_per_epoch = len(x_train) // batch_size
    total_steps = int(np.ceil(epochs * steps_per_epoch))   # airbench94: ceil(48 x 9.9) = 476 steps
    model.compile(optimizer=keras.optimizers.SGD(Triangular(peak, total_steps), momentum=0.85, nesterov=True),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2))
    slow_weights = Lookahead(total_steps, network) if lookahead else None
    freeze = FreezeAfter(network.get_layer("whiten").bias, WHITEN_BIAS_EPOCHS, slow_weights)
    # the lookahead first, then the freeze, which undoes any move of the frozen bias, in the slow weights too
    callbacks = [slow_weights, freeze] if lookahead else [freeze]
    one_hot = keras.utils.to_categorical(y_train, 10)
    flip = rng.random(len(x_train)) < 0.5
    start, done, epoch_seconds = time.perf_counter(), 0, []
    while done < total_steps:
        epoch_start = time.perf_counter()
        steps = min(steps_per_epoch, total_steps - done)
        if augmentation == "numpy":
            images = translate_and_flip(x_train, flip if len(epoch_seconds) % 2 == 0 else ~flip, rng)
        else:
            images = x_train
        order = rng.permutation(len(x_train))[:steps * batch_size]   # whole batches only
        history = model.fit(images[order], one_hot[order], batch_size=batch_size, epochs=1, shuffle=False,
                            callbacks=callbacks, verbose=0)
        done += steps
        epoch_seconds.append(time.perf_counter() - epoch_start)
        print(f"  epoch {len(epoch_seconds)}: loss {history.history['loss'][-1]:.3f}, {epoch_seconds[-1]:.0f} s",
              flush=True)
    if slow_weights is not None:
        slow_weights.pull(1.0)   # end on the slow weights
    train_seconds = time.perf_counter() - start
    return network, {
        "widths": ",".join(map(str, widths)), "epochs": epochs, "batch": batch_size, "peak lr": peak,
        "lookahead": "yes" if lookahead else "no", "augmentation": augmentation, "params": network.count_params(),
        "MACs": count_macs(network), "seed": seed,
        "s/epoch (median)": round(float(np.median(epoch_seconds)), 1), "train (min)": round(train_seconds / 60, 1)}


def run(widths, data, epochs: float, batch_size: int, peak: float | None, l2: float, seed: int,
        lookahead: bool, augmentation: str = "numpy") -> dict:
    x_train, y_train, x_test, y_test = data
    network, row = train(widths, x_train, y_train, epochs, batch_size, peak, l2, seed, lookahead, augmentation)
    return {**row, **accuracies_on_test_set(network, x_test, y_test)}


def normaliser(reference: np.ndarray):
    """A function mapping uint8 images to float32 with ``reference``'s per-channel mean 0 and standard deviation 1."""
    mean = reference.reshape(-1, 3).mean(axis=0) / 255
    std = reference.reshape(-1, 3).std(axis=0) / 255
    return lambda u8: ((u8.astype("float32") / 255 - mean) / std).astype("float32")


def load_data(images: int | None):
    from helpers import load_cifar10, stratified_subset

    cifar = load_cifar10()
    x, y = stratified_subset(cifar.x_train, cifar.y_train, images, seed=0)
    normalise = normaliser(x)
    return normalise(x), y[:, 0], normalise(cifar.x_test), cifar.y_test[:, 0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--widths", nargs="+", default=["16,64,64"], help="channels of the three blocks, per run")
    parser.add_argument("--epochs", type=float, default=8)
    parser.add_argument("--batch-size", type=int, default=512)
    parser.add_argument("--peak-learning-rate", type=float, default=None,
                        help="per mean loss; default airbench94's, 1.5 x batch / 1024")
    parser.add_argument("--l2", type=float, default=AIRBENCH_L2, help="L2 gradient coefficient of the weights")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--no-lookahead", action="store_true")
    parser.add_argument("--augmentation", choices=["numpy", "layers"], default="numpy",
                        help="numpy: airbench94's, on the host, alternating flips; layers: chapter 5's layers, in the "
                             "model (random flips, shifts of up to 2 pixels)")
    parser.add_argument("--images", type=int, default=0, help="training images (0: all 50,000)")
    parser.add_argument("--note", default="", help="a sentence written under the table")
    parser.add_argument("--output", type=Path, default=None,
                        help="default: docs/benchmarks/cifar10_airbench_style_<backend>.md")
    args = parser.parse_args(argv)

    data = load_data(args.images or None)
    rows = []
    for widths in args.widths:
        for seed in args.seeds:
            print(f"widths {widths}, seed {seed}", flush=True)
            rows.append(run(tuple(int(w) for w in widths.split(",")), data, args.epochs, args.batch_size,
                            args.peak_learning_rate, args.l2, seed, not args.no_lookahead, args.augmentation))
            print(rows[-1], flush=True)

    write_results(
        rows, module="benchmarks.cifar10_airbench_style", argv=argv, output=args.output,
        default_name="cifar10_airbench_style",
        title="# An airbench-style CIFAR-10 recipe, narrowed for a CPU: test accuracy per minute",
        data=f"{len(data[0]):,} training images, the 10,000 test images (CIFAR-10 as the loader found it)",
        footer="train (min) is the wall time of all epochs (augmentation included), without the test "
               "evaluation.",
        note=args.note)


if __name__ == "__main__":
    main()
