"""The airbench-style network of chapter 5's benchmarks (``helpers/airbench.py``): its whitening layer whitens, its
convolutions start as PyTorch's would, the lookahead and the frozen bias behave, and a saved network loads again."""

from __future__ import annotations

import numpy as np

from helpers import airbench


def test_whitening_kernel_decorrelates_patches():
    rng = np.random.default_rng(0)
    noise = rng.normal(size=(300, 33, 33, 3))
    images = (noise[:, 1:, 1:] + noise[:, :-1, :-1] + 0.5 * noise[:, 1:, 1:, ::-1]).astype("float32")  # correlated
    kernel = airbench.whitening_kernel(images)
    assert kernel.shape == (2, 2, 3, 24)
    np.testing.assert_allclose(kernel[..., 12:], -kernel[..., :12])          # each filter and its negative
    patches = np.lib.stride_tricks.sliding_window_view(images, (2, 2), axis=(1, 2))    # n, 31, 31, 3, 2, 2
    patches = patches.transpose(0, 1, 2, 4, 5, 3).reshape(-1, 12)                      # (row, column, channel)
    before = patches.T @ patches / len(patches)
    assert np.abs(before - np.diag(np.diag(before))).max() > 0.5, "the test images should have correlated pixels"
    outputs = patches @ kernel[..., :12].reshape(12, 12)   # the first 12 filters applied to every 2 x 2 patch
    np.testing.assert_allclose(outputs.T @ outputs / len(outputs), np.eye(12), atol=0.01)


def test_partial_identity_copies_matching_channels_like_pytorch_dirac():
    kernel = np.asarray(airbench.PartialIdentity()((3, 3, 4, 6)))
    identity = np.zeros((3, 3, 4, 4))
    identity[1, 1, range(4), range(4)] = 1.0
    np.testing.assert_array_equal(kernel[..., :4], identity)     # output i copies input i, nothing else
    limit = 1 / np.sqrt(3 * 3 * 4)                                # PyTorch's default: U(+-1/sqrt(fan_in))
    assert np.abs(kernel[..., 4:]).max() <= limit and kernel[..., 4:].std() > limit / 4
    narrowing = np.asarray(airbench.PartialIdentity()((3, 3, 6, 4)))    # fewer outputs than inputs
    np.testing.assert_array_equal(narrowing[1, 1, :4, :4], np.eye(4))
    assert not narrowing[1, 1, 4:].any()


def test_random_initial_weights_follow_the_seed_and_differ_between_layers():
    import keras

    def first_kernels(seed):
        keras.utils.set_random_seed(seed)
        return [np.asarray(airbench.PartialIdentity()((3, 3, 4, 6))) for _ in range(2)]

    first, second = first_kernels(0)
    again, _ = first_kernels(0)
    other, _ = first_kernels(1)
    np.testing.assert_array_equal(first, again)                   # the same seed, the same weights
    assert not np.allclose(first[..., 4:], other[..., 4:])         # another seed, other weights
    assert not np.allclose(first[..., 4:], second[..., 4:])        # two layers of one shape start apart


def test_whitening_filters_come_largest_eigenvalue_first():
    # each filter is an eigenvector over sqrt(eigenvalue): the largest eigenvalue gives the shortest filter, and the
    # partial identity of the next layer copies the first channels, so the order decides what it copies
    images = np.random.default_rng(1).normal(size=(200, 32, 32, 3)).cumsum(axis=1).astype("float32")  # smooth rows
    norms = np.linalg.norm(airbench.whitening_kernel(images)[..., :12].reshape(12, 12), axis=0)
    assert np.all(np.diff(norms) > 0), norms


def test_frozen_bias_stays_frozen_through_lookahead_and_its_final_switch():
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.85), loss="mse")
    x, y = np.random.default_rng(0).normal(size=(20, 2)), np.ones((20, 1))      # 10 steps of 2 per epoch
    slow = airbench.Lookahead(total_steps=30)
    freeze = airbench.FreezeAfter(model.layers[0].bias, 1, slow)
    model.fit(x, y, batch_size=2, epochs=1, shuffle=False, callbacks=[slow, freeze], verbose=0)
    frozen = np.array(model.layers[0].bias)
    kernel_after_one_epoch = np.array(model.layers[0].kernel)
    for _ in range(2):
        model.fit(x, y, batch_size=2, epochs=1, shuffle=False, callbacks=[slow, freeze], verbose=0)
    slow.pull(1.0)
    np.testing.assert_array_equal(np.array(model.layers[0].bias), frozen)
    assert not np.allclose(np.array(model.layers[0].kernel), kernel_after_one_epoch)    # the rest still trains


def test_lookahead_averages_the_named_network_only():
    # fit trains an outer model: chapter 5's augmentation layers and a layer with weights of its own in front of the
    # network; the slow weights must be exactly the network's
    import keras

    from helpers.architectures import flip_and_shift

    keras.utils.set_random_seed(0)
    network = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(2, 3), keras.layers.GlobalMaxPooling2D()])
    outside = keras.layers.Conv2D(3, 1, name="outside")
    model = keras.Sequential([keras.Input((32, 32, 3)), flip_and_shift(2, seed=0), outside, network])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    slow = airbench.Lookahead(total_steps=10, network=network)
    x, y = np.random.default_rng(0).normal(size=(20, 32, 32, 3)).astype("float32"), np.ones((20, 2))
    model.fit(x, y, batch_size=2, epochs=1, callbacks=[slow], verbose=0)
    assert [s.shape for s in slow.slow] == [tuple(w.shape) for w in network.weights]
    outside_kernel = np.asarray(outside.kernel)
    slow.pull(1.0)   # the run ends on the slow weights: the network's weights are then exactly them
    for weight, slow_weight in zip(network.weights, slow.slow):
        np.testing.assert_array_equal(np.asarray(weight), slow_weight)
    np.testing.assert_array_equal(np.asarray(outside.kernel), outside_kernel)   # the outer layer is left alone


def small_network(probabilities: bool = False):
    import keras

    keras.utils.set_random_seed(0)
    images = np.random.default_rng(0).normal(size=(64, 32, 32, 3)).astype("float32")
    return airbench.airbench_style_network((4, 8, 8), images, probabilities=probabilities), images


def test_network_layers_have_the_documented_names_and_outputs():
    network, images = small_network()
    names = [layer.name for layer in network.layers]
    assert names[:3] == ["image", "whiten", "whiten_gelu"]
    assert names[3:9] == ["block1_1_conv", "block1_pool", "block1_1_bn", "block1_1_shift", "block1_1_gelu",
                          "block1_2_conv"]
    assert names[-3:] == ["global_pool", "logits", "scale"]
    assert not network.get_layer("whiten").kernel.trainable
    probabilities_network, _ = small_network(probabilities=True)
    assert probabilities_network.layers[-1].name == "classes"
    np.testing.assert_allclose(probabilities_network.predict(images[:4], verbose=0).sum(axis=1), 1.0, rtol=1e-5)


def test_saved_network_loads_and_predicts_alike(tmp_path):
    import keras

    network, images = small_network(probabilities=True)
    network.save(tmp_path / "net.keras")
    loaded = keras.models.load_model(tmp_path / "net.keras")
    np.testing.assert_allclose(loaded.predict(images[:8], verbose=0), network.predict(images[:8], verbose=0),
                               atol=1e-6)
    assert loaded.get_layer("block2_1_shift").scale == airbench.BIAS_SCALE
    assert not loaded.get_layer("whiten").kernel.trainable and loaded.get_layer("whiten").bias.trainable
    assert len(loaded.losses) == len(network.losses) > 0     # the L2 penalties came back too


def test_triangular_schedule_rises_to_the_peak_then_falls_to_seven_percent():
    schedule = airbench.Triangular(peak=1.0, total_steps=100)     # warm-up: the first 23 steps
    values = [float(schedule(step)) for step in (0, 23, 100)]
    np.testing.assert_allclose(values, [0.2, 1.0, 0.07], atol=1e-6)
