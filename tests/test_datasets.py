"""The data layer: lookup order, validation and the errors a learner sees."""

from pathlib import Path

import numpy as np
import pytest

from helpers import datasets
from helpers.datasets import (
    CorruptDataError,
    DatasetNotFoundError,
    load_dataset,
    read_dataset_file,
    stratified_subset,
)

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def write_fake(path: Path, n_train: int = 12, n_test: int = 6, shape=(28, 28), **overrides) -> Path:
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, *shape), dtype=np.uint8),
        "y_train": np.arange(n_train, dtype=np.uint8) % 10,
        "x_test": rng.integers(0, 256, (n_test, *shape), dtype=np.uint8),
        "y_test": np.arange(n_test, dtype=np.uint8) % 10,
    }
    arrays.update(overrides)
    with open(path, "wb") as handle:  # a handle, so numpy does not append ".npz" to the name
        np.savez(handle, **{k: v for k, v in arrays.items() if v is not None})
    return path


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(datasets, "KNOWN_FILES", {})  # the fake files below are not the real ones
    return tmp_path


@pytest.fixture
def no_network(monkeypatch):
    def fail(spec):
        raise Exception("URL fetch failure on https://example.invalid: [Errno -2] Name or service not known")

    monkeypatch.setattr(datasets, "_download", fail)


def test_subset_is_used_and_announced(data_dir, no_network, capsys):
    write_fake(data_dir / "mnist-subset.npz")
    data = load_dataset("mnist")
    assert data.is_subset and data.x_train.shape == (12, 28, 28) and data.y_train.shape == (12,)
    assert "Using a subset of MNIST (mnist-subset.npz): 12 training and 6 test images" in capsys.readouterr().out


def test_complete_file_wins_over_subset(data_dir, no_network, monkeypatch):
    spec = datasets.DatasetSpec("mnist", "MNIST", (28, 28), False, (12, 6), tuple("0123456789"), "mnist")
    monkeypatch.setitem(datasets.SPECS, "mnist", spec)
    write_fake(data_dir / "mnist.npz")
    write_fake(data_dir / "mnist-subset.npz", n_train=3, n_test=3)
    data = load_dataset("mnist")
    assert not data.is_subset and len(data.x_train) == 12


def test_cifar_labels_come_back_as_a_column(data_dir, no_network):
    write_fake(data_dir / "cifar10-subset.npz", shape=(32, 32, 3), y_train=np.arange(12) % 10)
    data = load_dataset("cifar10")
    assert data.x_train.shape == (12, 32, 32, 3) and data.y_train.shape == (12, 1)
    assert data.y_train.dtype == np.uint8 and data.class_names[0] == "airplane"


def test_several_data_folders_are_searched_in_order(tmp_path, monkeypatch, no_network):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    write_fake(second / "fashion-mnist-subset.npz")
    monkeypatch.setenv("COURSE_DATA_DIR", f"{first}:{second}")
    assert load_dataset("fashion-mnist").source == second / "fashion-mnist-subset.npz"


def test_no_file_and_no_network_says_what_to_do(data_dir, no_network):
    with pytest.raises(DatasetNotFoundError) as error:
        load_dataset("fashion-mnist")
    message = str(error.value)
    assert "fashion-mnist.npz" in message and f"…/{data_dir.name}" in message
    assert str(data_dir) not in message and "../" not in message  # no machine paths, no folders outside the course
    assert "Name or service not known" in message
    assert "connect to the internet" in message and "COURSE_DATA_DIR" in message and "copy" in message


def test_download_is_saved_for_next_time(data_dir, monkeypatch, capsys):
    import keras

    rng = np.random.default_rng(1)
    fake = ((rng.integers(0, 256, (5, 28, 28), dtype=np.uint8), np.arange(5, dtype=np.uint8)),
            (rng.integers(0, 256, (2, 28, 28), dtype=np.uint8), np.arange(2, dtype=np.uint8)))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: fake)
    spec = datasets.DatasetSpec("mnist", "MNIST", (28, 28), False, (5, 2), tuple("0123456789"), "mnist")
    monkeypatch.setitem(datasets.SPECS, "mnist", spec)
    first = load_dataset("mnist")
    assert (data_dir / "mnist.npz").is_file() and "Saved MNIST" in capsys.readouterr().out
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: pytest.fail("downloaded twice"))
    again = load_dataset("mnist")
    np.testing.assert_array_equal(first.x_train, again.x_train)


def test_download_can_be_switched_off(data_dir):
    with pytest.raises(DatasetNotFoundError, match="downloading was switched off"):
        load_dataset("cifar10", download=False)


def test_truncated_file_is_named(data_dir, no_network):
    path = write_fake(data_dir / "mnist-subset.npz")
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(CorruptDataError, match=r"mnist-subset\.npz cannot be read .* truncated or damaged"):
        load_dataset("mnist")


def test_truncated_unknown_file_cannot_be_read(tmp_path):
    path = write_fake(tmp_path / "whatever.npz")
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(CorruptDataError, match=r"whatever\.npz cannot be read .* truncated or damaged"):
        read_dataset_file(path, "mnist")


def test_checksum_mismatch_of_a_known_file(tmp_path, monkeypatch):
    path = write_fake(tmp_path / "fashion-mnist.npz")
    # A damaged offline copy: the known file's name and size, other bytes.
    monkeypatch.setitem(datasets.KNOWN_FILES, "fashion-mnist.npz", (path.stat().st_size, "0" * 64))
    with pytest.raises(CorruptDataError, match=r"fashion-mnist\.npz: the checksum does not match"):
        read_dataset_file(path, "fashion-mnist")


def test_a_downloaded_file_with_a_known_name_is_not_taken_for_a_damaged_copy(tmp_path, monkeypatch):
    # keras.datasets downloads are re-saved as fashion-mnist.npz: other bytes and size than the offline copy.
    spec = datasets.DatasetSpec("fashion-mnist", "Fashion-MNIST", (28, 28), False, (12, 6), tuple("0123456789"),
                                "fashion_mnist")
    monkeypatch.setitem(datasets.SPECS, "fashion-mnist", spec)
    path = write_fake(tmp_path / "fashion-mnist.npz")
    assert path.stat().st_size != datasets.KNOWN_FILES["fashion-mnist.npz"][0]
    assert read_dataset_file(path, "fashion-mnist").x_train.shape[1:] == (28, 28)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"x_train": np.zeros((12, 32, 32), np.uint8)}, r"x_train has shape \(12, 32, 32\), expected \(n, 28, 28\)"),
        ({"x_test": np.zeros((6, 28, 28), np.float32)}, "x_test has dtype float32, expected uint8"),
        ({"y_train": np.full(12, 10, np.uint8)}, "y_train has labels from 10 to 10, expected 0 to 9"),
        ({"y_test": np.array([0, 1, 2, -1, 4, 5])}, "y_test has labels from -1 to 5"),
        ({"y_train": np.zeros(11, np.uint8)}, "x_train has 12 images but y_train has 11 labels"),
        ({"y_test": np.zeros(6, np.float64)}, "y_test has dtype float64, expected integers"),
        ({"y_test": None}, "missing array.*y_test"),
    ],
)
def test_wrong_content_is_reported(tmp_path, overrides, expected):
    path = write_fake(tmp_path / "odd.npz", **overrides)
    with pytest.raises(CorruptDataError, match=r"odd\.npz.*" + expected):
        read_dataset_file(path, "mnist")


def test_a_complete_file_must_have_the_complete_sizes(tmp_path):
    path = write_fake(tmp_path / "mnist.npz")
    with pytest.raises(CorruptDataError, match="the complete MNIST has 60,000 training and 10,000 test images"):
        read_dataset_file(path, "mnist")


def test_pickled_arrays_are_refused(tmp_path):
    path = tmp_path / "pickled.npz"
    np.savez(path, x_train=np.array([{"a": 1}], dtype=object), y_train=np.zeros(1), x_test=np.zeros(1),
             y_test=np.zeros(1))
    with pytest.raises(CorruptDataError, match="pickled.npz cannot be read"):
        read_dataset_file(path, "mnist")


def test_unknown_dataset_name():
    with pytest.raises(ValueError, match="Unknown dataset 'svhn'; choose one of mnist, fashion-mnist, cifar10"):
        load_dataset("svhn")


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="the offline copies in ../shared/data are not here")
def test_the_shared_offline_folder_works_unchanged(monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(SHARED_DATA))
    fashion = datasets.load_fashion_mnist(download=False)
    assert not fashion.is_subset and fashion.x_train.shape == (60_000, 28, 28)
    mnist = datasets.load_mnist(download=False)
    assert mnist.is_subset and mnist.x_test.shape == (10_000, 28, 28)
    assert np.bincount(mnist.y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    cifar = datasets.load_cifar10(download=False)
    assert cifar.y_test.shape == (len(cifar.x_test), 1)


def test_stratified_subset_keeps_class_shares_and_is_seeded():
    y = np.repeat(np.arange(4), [50, 30, 15, 5])
    x = np.arange(len(y))
    x_small, y_small = stratified_subset(x, y, 20, seed=3)
    assert np.bincount(y_small).tolist() == [10, 6, 3, 1]
    np.testing.assert_array_equal(y[x_small], y_small)  # images stay with their labels
    np.testing.assert_array_equal(stratified_subset(x, y, 20, seed=3)[0], x_small)
    assert not np.array_equal(stratified_subset(x, y, 20, seed=4)[0], x_small)
    assert stratified_subset(x, y, None)[0] is x
    assert len(stratified_subset(x, y, 7)[0]) == 7  # rounding still gives the exact size


# ----------------------------------------------------------------------------- bad inputs


def test_a_folder_where_the_file_belongs(tmp_path):
    (tmp_path / "mnist.npz").mkdir()
    with pytest.raises(CorruptDataError, match=r"mnist\.npz is a folder; a dataset file \(\.npz\) is expected"):
        read_dataset_file(tmp_path / "mnist.npz", "mnist")


def test_a_missing_file(tmp_path):
    with pytest.raises(DatasetNotFoundError, match=r"mnist\.npz does not exist"):
        read_dataset_file(tmp_path / "mnist.npz", "mnist")


def test_a_single_array_instead_of_an_archive(tmp_path):
    path = tmp_path / "mnist.npz"
    with open(path, "wb") as handle:
        np.save(handle, np.zeros(3))
    with pytest.raises(CorruptDataError, match=r"holds a single array \(\.npy format\), not an \.npz archive"):
        read_dataset_file(path, "mnist")


def test_a_text_file_instead_of_an_archive(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_text("not an archive")
    with pytest.raises(CorruptDataError, match="cannot be read as a .npz dataset file"):
        read_dataset_file(path, "mnist")


@pytest.mark.parametrize(("call", "message"), [
    (lambda: load_dataset(None), "dataset name must be a string"),
    (lambda: load_dataset(3.0), "dataset name must be a string"),
    (lambda: load_dataset("mnist", download="yes"), "download must be True or False"),
    (lambda: read_dataset_file(None, "mnist"), "path must be a str or a pathlib.Path"),
    (lambda: stratified_subset(np.zeros(10), np.zeros(10), 2.5), "size must be a whole number"),
    (lambda: stratified_subset(np.zeros(10), np.zeros(10), float("nan")), "size must be a whole number"),
    (lambda: stratified_subset(np.zeros(10), np.zeros(10), 5, seed=None), "seed must be an integer"),
])
def test_wrongly_typed_arguments_are_named(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_subset_of_mismatched_arrays():
    with pytest.raises(ValueError, match="x has 10 examples but y has 9 labels"):
        stratified_subset(np.zeros(10), np.zeros(9), 5)
