"""Loading MNIST, Fashion-MNIST and CIFAR-10 the same way online and offline.

Each loader looks, in order, for

1. ``NAME.npz`` - the complete dataset - in the data folder(s) (``COURSE_DATA_DIR``, default ``<course>/data``);
2. ``NAME-subset.npz`` - a smaller, real subset (announced when used);
3. a download through ``keras.datasets``, saved as ``NAME.npz`` in the first data folder for next time;

and otherwise raises :class:`DatasetNotFoundError`, which says what is missing and how to fix it.
Every file is validated (keys, shapes, dtype, label range) and files whose checksum is known are
verified, so a damaged file is reported by name instead of giving silently wrong data.
Arrays come back in the layout of ``keras.datasets``: uint8 images, integer labels.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from helpers.paths import data_dirs, display_path

ARRAY_KEYS = ("x_train", "y_train", "x_test", "y_test")


class DatasetError(Exception):
    """Base class of the data layer's errors."""


class DatasetNotFoundError(DatasetError):
    """The dataset is neither in a data folder nor downloadable."""


class CorruptDataError(DatasetError):
    """A dataset file exists but cannot be read or holds the wrong content."""


@dataclass(frozen=True)
class DatasetSpec:
    name: str  # file stem: NAME.npz, NAME-subset.npz
    title: str
    image_shape: tuple[int, ...]
    labels_as_column: bool  # keras.datasets.cifar10 gives labels of shape (n, 1)
    complete_sizes: tuple[int, int]  # (train, test) of the complete dataset
    class_names: tuple[str, ...]
    keras_module: str  # keras.datasets.<keras_module>.load_data()


SPECS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec("mnist", "MNIST", (28, 28), False, (60_000, 10_000), tuple("0123456789"), "mnist"),
        DatasetSpec(
            "fashion-mnist", "Fashion-MNIST", (28, 28), False, (60_000, 10_000),
            ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
             "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            "fashion_mnist",
        ),
        DatasetSpec(
            "cifar10", "CIFAR-10", (32, 32, 3), True, (50_000, 10_000),
            ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
            "cifar10",
        ),
    )
}

#: Size in bytes and sha256 of the course's offline copies of the datasets. Only a file of exactly that name and size
#: is checked against the hash (a same-size file with other bytes is damaged); a file saved by a download
#: (``keras.datasets``) has another size and is validated by its arrays alone.
KNOWN_FILES = {
    "mnist-subset.npz": (3_290_125, "70169cb08fa3cc43ecf032380c9e8f704cce400c947492e28d5c2a145e816d54"),
    "fashion-mnist.npz": (30_869_925, "5b6d2c4c694a91887af8ab7d039c04f80af3c29378d731c93a538d2e831aa469"),
    "cifar10-subset.npz": (15_580_354, "4c7d58be3aafd09a5cf7f69dd2128f055510310fc0b2f91fd3b2f84f40eda907"),
}


@dataclass(frozen=True)
class Dataset:
    """A loaded dataset: uint8 images and integer labels in keras.datasets layout."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    source: Path
    is_subset: bool

    def __repr__(self) -> str:
        kind = "subset" if self.is_subset else "complete"
        return (f"Dataset({self.name!r}, {kind}: x_train {self.x_train.shape}, "
                f"x_test {self.x_test.shape}, {len(self.class_names)} classes)")


def load_mnist(download: bool = True) -> Dataset:
    """MNIST digits: x (n, 28, 28) uint8, y (n,) uint8 in 0-9."""
    return load_dataset("mnist", download=download)


def load_fashion_mnist(download: bool = True) -> Dataset:
    """Fashion-MNIST clothing: x (n, 28, 28) uint8, y (n,) uint8 in 0-9."""
    return load_dataset("fashion-mnist", download=download)


def load_cifar10(download: bool = True) -> Dataset:
    """CIFAR-10 photographs: x (n, 32, 32, 3) uint8 RGB, y (n, 1) uint8 in 0-9."""
    return load_dataset("cifar10", download=download)


def find_local_file(name: str) -> Path | None:
    """The file the loader would read for ``name`` without downloading, or None."""
    spec = _spec(name)
    for file_name in (f"{spec.name}.npz", f"{spec.name}-subset.npz"):
        for folder in data_dirs():
            if (folder / file_name).is_file():
                return folder / file_name
    return None


def load_dataset(name: str, download: bool = True) -> Dataset:
    """Load dataset ``name`` ('mnist', 'fashion-mnist' or 'cifar10'); see the module docstring."""
    spec = _spec(name)
    if not isinstance(download, bool):
        raise TypeError(f"download must be True or False, got {download!r}.")
    local = find_local_file(name)
    if local is not None:
        dataset = read_dataset_file(local, spec)
        if dataset.is_subset:
            full_train, full_test = spec.complete_sizes
            print(f"Using a subset of {spec.title} ({local.name}): {len(dataset.x_train):,} training and "
                  f"{len(dataset.x_test):,} test images (the complete set has {full_train:,} and {full_test:,}).")
        return dataset

    download_error = "downloading was switched off"
    if download:
        try:
            return _download(spec)
        except Exception as error:  # keras raises a bare Exception on network failure
            download_error = f"the download failed: {error}"
    folders = ", ".join(display_path(folder) for folder in data_dirs())
    raise DatasetNotFoundError(
        f"{spec.title} is not available: neither {spec.name}.npz nor {spec.name}-subset.npz is in the data "
        f"folder ({folders}), and {download_error}.\n"
        "Fix it in one of three ways:\n"
        f"  1. connect to the internet and run again: the dataset is downloaded with keras.datasets and saved "
        f"as {spec.name}.npz in the data folder (`make prefetch` or `python -m helpers.prefetch` downloads every "
        "dataset of the course at once);\n"
        f"  2. copy {spec.name}.npz (arrays x_train, y_train, x_test, y_test) into the data folder;\n"
        "  3. point the environment variable COURSE_DATA_DIR at the folder that has it (a path relative to the "
        "course folder, or absolute), then restart the kernel."
    )


def read_dataset_file(path: Path, spec: DatasetSpec | str) -> Dataset:
    """Read and validate one dataset file; raise CorruptDataError naming the file if anything is wrong."""
    spec = spec if isinstance(spec, DatasetSpec) else _spec(spec)
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or a pathlib.Path, got {type(path).__name__}.")
    path = Path(path)
    if path.is_dir():
        raise CorruptDataError(f"{display_path(path)} is a folder; a dataset file (.npz) is expected there.")
    if not path.is_file():
        raise DatasetNotFoundError(f"{display_path(path)} does not exist.")
    known_size, expected_hash = KNOWN_FILES.get(path.name, (None, None))
    if known_size == path.stat().st_size:
        actual_hash = _sha256(path)
        if actual_hash != expected_hash:
            raise CorruptDataError(
                f"{display_path(path)}: the checksum does not match the known file (sha256 {actual_hash[:12]}..., expected "
                f"{expected_hash[:12]}...). The file is damaged or incomplete: delete it and copy or download it again."
            )
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise CorruptDataError(f"{display_path(path)} holds a single array (.npy format), not an .npz "
                                   f"archive of the arrays {', '.join(ARRAY_KEYS)}.")
        with loaded as archive:
            missing = [key for key in ARRAY_KEYS if key not in archive.files]
            if missing:
                raise CorruptDataError(
                    f"{display_path(path)}: missing array(s) {', '.join(missing)}; a dataset file needs {', '.join(ARRAY_KEYS)}."
                )
            arrays = {key: archive[key] for key in ARRAY_KEYS}
    except CorruptDataError:
        raise
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as error:
        raise CorruptDataError(
            f"{display_path(path)} cannot be read as a .npz dataset file ({type(error).__name__}: {error}). It is probably "
            "truncated or damaged: delete it and copy or download it again."
        ) from error
    is_subset = path.name == f"{spec.name}-subset.npz"
    return _validated(spec, arrays, path, is_subset)


def _validated(spec: DatasetSpec, arrays: dict[str, np.ndarray], source: Path, is_subset: bool) -> Dataset:
    problems = []
    for part in ("train", "test"):
        x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
        if x.dtype != np.uint8:
            problems.append(f"x_{part} has dtype {x.dtype}, expected uint8")
        if x.ndim != 1 + len(spec.image_shape) or x.shape[1:] != spec.image_shape:
            problems.append(f"x_{part} has shape {x.shape}, expected (n, {', '.join(map(str, spec.image_shape))})")
        if not np.issubdtype(y.dtype, np.integer):
            problems.append(f"y_{part} has dtype {y.dtype}, expected integers")
        elif y.ndim not in (1, 2) or (y.ndim == 2 and y.shape[1] != 1):
            problems.append(f"y_{part} has shape {y.shape}, expected (n,) or (n, 1)")
        elif len(y) != len(x):
            problems.append(f"x_{part} has {len(x)} images but y_{part} has {len(y)} labels")
        elif y.size and (y.min() < 0 or y.max() >= len(spec.class_names)):
            problems.append(
                f"y_{part} has labels from {y.min()} to {y.max()}, expected 0 to {len(spec.class_names) - 1}"
            )
        if len(x) == 0:
            problems.append(f"x_{part} is empty")
    if not problems and not is_subset:
        sizes = (len(arrays["x_train"]), len(arrays["x_test"]))
        if sizes != spec.complete_sizes:
            problems.append(f"the complete {spec.title} has {spec.complete_sizes[0]:,} training and "
                            f"{spec.complete_sizes[1]:,} test images, this file has {sizes[0]:,} and {sizes[1]:,}")
    if problems:
        raise CorruptDataError(f"{display_path(source)} is not a valid {spec.title} file: " + "; ".join(problems) + ".")

    label_shape = (-1, 1) if spec.labels_as_column else (-1,)
    return Dataset(
        name=spec.name,
        x_train=arrays["x_train"],
        y_train=arrays["y_train"].astype(np.uint8).reshape(label_shape),
        x_test=arrays["x_test"],
        y_test=arrays["y_test"].astype(np.uint8).reshape(label_shape),
        class_names=spec.class_names,
        source=source,
        is_subset=is_subset,
    )


def _download(spec: DatasetSpec) -> Dataset:
    import keras

    (x_train, y_train), (x_test, y_test) = getattr(keras.datasets, spec.keras_module).load_data()
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    target = data_dirs()[0] / f"{spec.name}.npz"
    dataset = _validated(spec, arrays, target, is_subset=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with open(partial, "wb") as handle:  # write then rename, so an interrupted save leaves no half file
        np.savez_compressed(handle, **arrays)
    os.replace(partial, target)
    print(f"Saved {spec.title} to {display_path(target)} for next time.")
    return dataset


def _spec(name: str) -> DatasetSpec:
    if not isinstance(name, str):
        raise TypeError(f"The dataset name must be a string such as 'mnist', got {name!r}.")
    try:
        return SPECS[name]
    except KeyError:
        raise ValueError(f"Unknown dataset {name!r}; choose one of {', '.join(SPECS)}.") from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def stratified_subset(
    x: np.ndarray, y: np.ndarray, size: int | None, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A seeded random subset of ``size`` examples with the class proportions of ``y``.

    ``size=None`` (or a size >= len(x)) returns the arrays unchanged. Each class gets its share
    rounded by the largest-remainder method, so the total is exactly ``size``.
    """
    if size is not None and (isinstance(size, bool) or not isinstance(size, (int, np.integer))):
        raise TypeError(f"size must be a whole number of examples or None, got {size!r}.")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {seed!r}.")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} examples but y has {len(y)} labels.")
    if size is None or size >= len(x):
        return x, y
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size}.")
    labels = np.asarray(y).reshape(-1)
    classes, counts = np.unique(labels, return_counts=True)
    exact = counts * size / len(labels)
    shares = np.floor(exact).astype(int)
    for index in np.argsort(-(exact - shares), kind="stable")[: size - shares.sum()]:
        shares[index] += 1
    rng = np.random.default_rng(seed)
    chosen = np.concatenate([
        rng.choice(np.flatnonzero(labels == cls), share, replace=False) for cls, share in zip(classes, shares)
    ])
    rng.shuffle(chosen)
    return x[chosen], y[chosen]
