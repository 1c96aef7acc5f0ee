"""The benchmark scripts run end to end on a tiny budget and write their results file with its provenance; the
coupled-L2 recipe penalises every weight."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from benchmarks import cifar10_airbench_style, cifar10_jpeg_cost, cifar10_recipes


def test_recipes_benchmark_writes_its_table(tmp_path):
    output = tmp_path / "recipes.md"
    cifar10_recipes.main(["--synthetic", "--images", "256", "--epochs", "1", "--recipes", "w12-b256",
                          "--output", str(output)])
    text = output.read_text(encoding="utf-8")
    for line in ("- date: ", "- machine: ", "- commit: ", "--recipes w12-b256", "| w12-b256 | 12 | 256 | no |",
                 " ms per training step of chapter 5's network (`scripts/machine_speed.py`)"):
        assert line in text, f"{line!r} missing from the results file:\n{text}"
    speed = next(line for line in text.splitlines() if line.startswith("- machine speed after the run: "))
    assert float(speed.split(": ")[1].split(" ms")[0]) > 0, speed


@pytest.mark.parametrize("augmentation", ["numpy", "layers"])
def test_airbench_style_benchmark_trains_and_scores(tmp_path, monkeypatch, augmentation):
    from benchmarks import report

    monkeypatch.setattr(report, "measure_in_subprocess", lambda: None)   # the probe failing: the file says so
    output = tmp_path / "airbench.md"
    cifar10_airbench_style.main(["--widths", "8,16,16", "--images", "1024", "--epochs", "1", "--augmentation",
                                 augmentation, "--output", str(output)])
    text = output.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| 8,16,16 |"))
    assert f"| yes | {augmentation} |" in row, row
    accuracies = [float(cell) for cell in row.strip("| ").split(" | ")[-3:]]
    assert all(0.0 <= accuracy <= 1.0 for accuracy in accuracies), row
    assert "- commit: " in text and "--widths 8,16,16" in text
    assert "- machine speed after the run: not measured (the probe failed)" in text


def test_results_files_name_the_commit_and_mark_uncommitted_changes(tmp_path):
    import subprocess

    from benchmarks import report

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=tmp_path,
                       check=True, capture_output=True)

    (tmp_path / "recipe.py").write_text("width = 16\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "start")
    head = report.commit(tmp_path)
    assert len(head) == 40
    (tmp_path / "untracked.md").write_text("results\n")   # a new results file is no change to the code
    assert report.commit(tmp_path) == head
    (tmp_path / "recipe.py").write_text("width = 32\n")
    assert report.commit(tmp_path) == head + " with uncommitted changes to tracked files"
    assert report.commit(tmp_path / "not-a-repo") == "unknown"


def test_cutout_blanks_one_square_per_image_in_training_only():
    images = np.ones((64, 32, 32, 3), dtype="float32")
    cutout = cifar10_recipes.Cutout(8, seed=0)
    blanked = np.asarray(cutout(images, training=True))
    per_image = (blanked[..., 0] == 0).reshape(64, -1).sum(axis=1)
    assert per_image.max() == 64 and per_image.min() >= 16, per_image     # 8 x 8, or clipped by a border to >= 4 x 4
    assert (blanked == blanked[..., :1]).all()                          # all channels of a pixel alike
    rows_hit = (blanked[..., 0] == 0).any(axis=2)                        # (image, row)
    assert (rows_hit.sum(axis=1) <= 8).all() and len({tuple(r) for r in rows_hit}) > 1   # one square, varying place
    np.testing.assert_array_equal(np.asarray(cutout(images, training=False)), images)


def test_coupled_l2_recipe_penalises_every_weight_and_drops_keras_decay():
    model, network = cifar10_recipes.build(cifar10_recipes.RECIPES["w16-b64-l2"], steps=10)
    penalty = float(sum(np.asarray(loss) for loss in model.losses))
    squares = sum(float((np.asarray(v) ** 2).sum()) for v in network.trainable_variables)
    np.testing.assert_allclose(penalty, 5e-4 / 2 * squares, rtol=1e-4)     # gradient 5e-4 x weight
    assert model.optimizer.weight_decay is None
    plain, _ = cifar10_recipes.build(cifar10_recipes.RECIPES["w16-b64"], steps=10)
    assert not plain.losses and plain.optimizer.weight_decay == 5e-4


def test_ema_recipe_ends_with_the_averaged_weights():
    import keras

    model, network = cifar10_recipes.build(cifar10_recipes.RECIPES["w16-b64-ema"], steps=4)
    assert model.optimizer.use_ema and model.optimizer.ema_momentum == 0.99
    rng = np.random.default_rng(0)
    x, y = rng.random((128, 32, 32, 3), dtype=np.float32), keras.utils.to_categorical(rng.integers(0, 10, 128), 10)
    before = [np.asarray(v).copy() for v in network.trainable_variables]
    model.fit(x, y, batch_size=64, epochs=2, verbose=0)
    averages = model.optimizer._model_variables_moving_average
    assert len(averages) == len(network.trainable_variables)
    for variable, average in zip(network.trainable_variables, averages):
        np.testing.assert_array_equal(np.asarray(variable), np.asarray(average))   # fit() swapped the average in
    assert any(not np.allclose(np.asarray(v), b) for v, b in zip(network.trainable_variables, before))
    assert not cifar10_recipes.build(cifar10_recipes.RECIPES["w16-b64"], steps=4)[0].optimizer.use_ema


def test_batch_norm_recalibration_re_estimates_the_statistics_and_nothing_else():
    import keras

    from helpers.architectures import resnet9

    network = resnet9(8)
    images = np.random.default_rng(0).random((256, 32, 32, 3), dtype=np.float32)
    batch_norm = network.get_layer("prep_bn")
    batch_norm.moving_mean.assign(np.full(8, 100.0))          # statistics that belong to other weights
    batch_norm.moving_variance.assign(np.full(8, 100.0))
    weights = [np.asarray(v).copy() for v in network.trainable_variables]
    cifar10_recipes.recalibrate_batch_norm(network, images, batch_size=64)
    features = np.asarray(keras.Model(network.input, network.get_layer("prep_conv").output)(images))
    np.testing.assert_allclose(np.asarray(batch_norm.moving_mean), features.mean(axis=(0, 1, 2)), atol=0.02)
    np.testing.assert_allclose(np.asarray(batch_norm.moving_variance), features.var(axis=(0, 1, 2)), rtol=0.1)
    for variable, before in zip(network.trainable_variables, weights):
        np.testing.assert_array_equal(np.asarray(variable), before)
    recipe = cifar10_recipes.RECIPES["w16-b64-ema-bn"]
    assert recipe.ema == 0.99 and recipe.recalibrate_bn


def test_progressive_resizing_trains_on_smaller_images_first_with_one_schedule():
    recipe = cifar10_recipes.RECIPES["w16-b64-prog"]
    assert recipe.early_sizes == (16, 24)
    model, network = cifar10_recipes.build(recipe, steps=8)
    small = cifar10_recipes.training_model_for(recipe, network, model.layers[:-1], model.optimizer, 16)
    assert small.layers[-1] is network and small.optimizer is model.optimizer
    assert tuple(small.layers[-2].compute_output_shape((None, 32, 32, 3))) == (None, 16, 16, 3)
    images = np.random.default_rng(0).random((4, 32, 32, 3), dtype=np.float32)
    assert small.predict(images, verbose=0).shape == (4, 10)
    data = cifar10_recipes.load_data(128, synthetic=True)
    row = cifar10_recipes.measure(recipe, data, timed_epochs=0, accuracy_epochs=3)
    assert row["sizes"] == "16, 24, 32" and 0.0 <= row["test acc, flip TTA"] <= 1.0
    assert row["steps"] == 3 * 2    # 128 images in batches of 64, 3 epochs: the phases share one optimizer
    with pytest.raises(ValueError, match="train more epochs"):
        cifar10_recipes.measure(recipe, data, timed_epochs=0, accuracy_epochs=2)
    with pytest.raises(ValueError, match="cannot be combined"):
        cifar10_recipes.build(cifar10_recipes.Recipe("both", 8, 64, ema=0.9, early_sizes=(16,)), steps=8)


def test_jpeg_cost_pairs_the_subset_with_the_copy_by_index_and_refuses_a_mismatch():
    rng = np.random.default_rng(0)
    images = lambda n: rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)  # noqa: E731
    copy = SimpleNamespace(x_train=images(50), y_train=rng.integers(0, 10, (50, 1)), x_test=images(8),
                           y_test=rng.integers(0, 10, (8, 1)))
    index = np.array([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42])   # the first 3 of each batch of 10
    noise = lambda x: np.clip(x.astype(int) + rng.integers(-3, 4, x.shape), 0, 255).astype(np.uint8)  # noqa: E731
    exact = SimpleNamespace(x_train=noise(copy.x_train[index]), y_train=copy.y_train[index],
                            x_test=noise(copy.x_test[:5]), y_test=copy.y_test[:5])
    pairs = cifar10_jpeg_cost.pair_up(exact, copy, per_batch=3, batch=10)
    np.testing.assert_array_equal(pairs["x_train_jpeg"], copy.x_train[index])
    np.testing.assert_array_equal(pairs["x_test_jpeg"], copy.x_test[:5])
    assert pairs["y_train"].shape == (15,)
    shuffled = SimpleNamespace(**{**vars(exact), "x_train": exact.x_train[::-1], "y_train": exact.y_train[::-1]})
    with pytest.raises(SystemExit, match="differ|do not pair up"):
        cifar10_jpeg_cost.pair_up(shuffled, copy, per_batch=3, batch=10)
