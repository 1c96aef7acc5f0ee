"""What the JPEG copy of CIFAR-10 (quality 75) costs in test accuracy, measured on images whose exact pixels exist.

The complete CIFAR-10 that the course's build machines have offline is stored as JPEG (quality 75); the GPU
results in docs/benchmarks/ were measured on it. The exact pixels exist offline only for a subset: the first 932
images of each of the five training batches and the first 846 test images (``cifar10-subset.npz``). Both files
keep the original order, so the JPEG version of every subset image is known by its index; the script checks the
pairing (same labels, a small pixel error) before it trains.

For each seed it trains the airbench-style network of ``benchmarks.cifar10_airbench_style`` twice, on the
subset's exact pixels and on their JPEG versions (the same seed: the same initialisation, augmentation and order),
and tests both networks, with flip TTA, on the exact test images and on their JPEG versions. Both inputs are
normalised with the exact training images' mean and standard deviation, so the pixels are the only difference.

Two differences are reported, each as a mean over the seeds with a 95 % interval from the seed-to-seed spread
(Student's t):

* **training on JPEG**: exact-trained minus JPEG-trained, both tested on exact images;
* **the whole copy**: exact-trained tested on exact images minus JPEG-trained tested on JPEG images, which is what
  a run on the JPEG copy loses against the same run on the original CIFAR-10.

Run from the course root as a module (the data folders are the course loader's, ``COURSE_DATA_DIR``)::

    COURSE_DATA_DIR=data:../shared/data .venv/bin/python -m benchmarks.cifar10_jpeg_cost --seeds 0 1 2

It writes ``docs/benchmarks/cifar10_jpeg_cost_<backend>.md`` with the date, machine, command and commit.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
from scipy import stats

from benchmarks.cifar10_airbench_style import normaliser, train
from benchmarks.report import write_results
from helpers.airbench import AIRBENCH_L2
from helpers.datasets import SPECS, read_dataset_file
from helpers.paths import data_dirs, display_path

SUBSET_PER_BATCH = 932      # the subset holds the first 932 images of each training batch of 10,000
TRAIN_BATCH = 10_000
MAX_MEAN_PIXEL_ERROR = 12   # in 0-255 levels; the copy's README gives about 6


def find(file_name: str) -> Path:
    for folder in data_dirs():
        if (folder / file_name).is_file():
            return folder / file_name
    folders = ", ".join(display_path(folder) for folder in data_dirs())
    raise SystemExit(f"{file_name} is not in the data folders ({folders}): set COURSE_DATA_DIR to the folders that "
                     "hold cifar10-subset.npz (exact pixels) and cifar10.npz (the complete JPEG copy, decoded).")


def pair_up(exact, copy, per_batch: int = SUBSET_PER_BATCH, batch: int = TRAIN_BATCH) -> dict[str, np.ndarray]:
    """The subset's exact images and their versions in the complete copy: x_train / x_train_jpeg, y_train, and the
    same for test. ``exact`` and ``copy`` hold x_train, y_train, x_test, y_test; the subset's training images are the
    first ``per_batch`` of each ``batch`` training images, its test images the first ones. Every pair is checked."""
    n_train, n_test = len(exact.x_train), len(exact.x_test)
    train_index = (np.arange(n_train // per_batch)[:, None] * batch + np.arange(per_batch)).ravel()
    if len(train_index) != n_train or train_index[-1] >= len(copy.x_train) or n_test > len(copy.x_test):
        raise SystemExit(f"A subset of {n_train:,} training and {n_test:,} test images cannot be the first "
                         f"{per_batch} of each {batch:,} of a copy with {len(copy.x_train):,} training and "
                         f"{len(copy.x_test):,} test images.")
    pairs = {"x_train": exact.x_train, "x_train_jpeg": copy.x_train[train_index], "y_train": exact.y_train.ravel(),
             "x_test": exact.x_test, "x_test_jpeg": copy.x_test[:n_test], "y_test": exact.y_test.ravel()}
    for part, index in (("train", train_index), ("test", np.arange(n_test))):
        copy_labels = np.ravel(copy.y_train if part == "train" else copy.y_test)[index]
        if not np.array_equal(copy_labels, pairs[f"y_{part}"]):
            raise SystemExit(f"The {part} labels of the two files differ: they are not the same images in the same "
                             "order.")
        error = np.abs(pairs[f"x_{part}"].astype(int) - pairs[f"x_{part}_jpeg"].astype(int)).mean(axis=(1, 2, 3))
        if error.max() > 4 * MAX_MEAN_PIXEL_ERROR or error.mean() > MAX_MEAN_PIXEL_ERROR:
            raise SystemExit(f"The {part} images do not pair up: mean pixel error {error.mean():.1f}, worst "
                             f"{error.max():.1f} (0-255).")
        print(f"{part}: {len(index):,} pairs, mean absolute pixel error {error.mean():.2f} of 255 "
              f"(worst image {error.max():.2f})")
    return pairs


def flip_tta_correct(network, x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    logits = network.predict(x, batch_size=1000, verbose=0) + network.predict(x[:, :, ::-1], batch_size=1000, verbose=0)
    return logits.argmax(axis=1) == labels


def interval(differences: list[float]) -> str:
    mean = float(np.mean(differences))
    if len(differences) < 2:
        return f"{mean:+.4f} (one seed: no interval)"
    half = stats.t.ppf(0.975, len(differences) - 1) * np.std(differences, ddof=1) / np.sqrt(len(differences))
    return f"{mean:+.4f} (95 % interval {mean - half:+.4f} to {mean + half:+.4f})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--widths", default="16,64,64", help="channels of the airbench-style network's blocks")
    parser.add_argument("--epochs", type=float, default=15)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--images", type=int, default=0, help="training images of the subset to use (0: all)")
    parser.add_argument("--note", default="", help="a sentence written under the table")
    parser.add_argument("--output", type=Path, default=None,
                        help="default: docs/benchmarks/cifar10_jpeg_cost_<backend>.md")
    args = parser.parse_args(argv)

    pairs = pair_up(read_dataset_file(find("cifar10-subset.npz"), SPECS["cifar10"]),
                    read_dataset_file(find("cifar10.npz"), SPECS["cifar10"]))
    if args.images:
        keep = np.random.default_rng(0).permutation(len(pairs["y_train"]))[:args.images]
        for key in ("x_train", "x_train_jpeg", "y_train"):
            pairs[key] = pairs[key][keep]
    normalise = normaliser(pairs["x_train"])   # the exact images' statistics for both, so pixels are the only change
    widths = tuple(int(w) for w in args.widths.split(","))

    rows, training_cost, whole_cost = [], [], []
    for seed in args.seeds:
        correct = {}
        for trained_on, key in (("exact", "x_train"), ("JPEG", "x_train_jpeg")):
            print(f"seed {seed}, trained on {trained_on} images", flush=True)
            network, row = train(widths, normalise(pairs[key]), pairs["y_train"], args.epochs, args.batch_size,
                                 None, AIRBENCH_L2, seed, lookahead=True)
            for tested_on, test_key in (("exact", "x_test"), ("JPEG", "x_test_jpeg")):
                correct[trained_on, tested_on] = flip_tta_correct(network, normalise(pairs[test_key]), pairs["y_test"])
            rows.append({**row, "trained on": trained_on,
                         "tested on exact (flip TTA)": round(float(correct[trained_on, "exact"].mean()), 4),
                         "tested on JPEG (flip TTA)": round(float(correct[trained_on, "JPEG"].mean()), 4)})
            print(rows[-1], flush=True)
        training_cost.append(float(correct["exact", "exact"].mean() - correct["JPEG", "exact"].mean()))
        whole_cost.append(float(correct["exact", "exact"].mean() - correct["JPEG", "JPEG"].mean()))

    summary = (f"Over {len(args.seeds)} seed(s), on the {len(pairs['y_test']):,} exact test images: training on JPEG "
               f"costs {interval(training_cost)}; the whole copy (JPEG training and test images against exact ones) "
               f"costs {interval(whole_cost)} in flip-TTA accuracy. A positive number is accuracy lost to JPEG.")
    print(summary)
    write_results(
        rows, module="benchmarks.cifar10_jpeg_cost", argv=argv, output=args.output, default_name="cifar10_jpeg_cost",
        title="# What CIFAR-10's JPEG copy (quality 75) costs: the same network trained and tested on exact and "
              "JPEG pixels",
        data=f"{len(pairs['y_train']):,} training and {len(pairs['y_test']):,} test images with exact pixels "
             "(cifar10-subset.npz) and their JPEG versions from the complete copy (cifar10.npz), paired by index",
        footer=summary + "\n\ntrain (min) is the wall time of all epochs, without the test evaluation.",
        note=args.note)


if __name__ == "__main__":
    main()
