"""Test accuracy per minute of an airbench-style CIFAR-10 recipe, narrowed for a CPU, on any Keras backend.

Chapter 5's best model is a ResNet-9 trained with a warm-up + cosine schedule. The fastest published CIFAR-10
recipes reach far more per epoch; airbench94 (Keller Jordan, "94% on CIFAR-10 in 3.29 Seconds on a Single GPU",
arXiv:2404.00498, 2024) is the reference. This script measures what its ideas buy on the course's hardware, written
here in Keras from the paper's description (not a copy of its code):

* the first layer is a frozen 2 x 2 convolution initialised to whiten the image patches (24 filters: the 12
  eigenvectors of the patch covariance, largest eigenvalue first, scaled by 1/sqrt(eigenvalue), and their
  negatives), then GELU; its bias trains for the first 3 epochs only;
* three blocks of conv 3 x 3 -> max pool 2 -> batch norm -> GELU -> conv 3 x 3 -> batch norm -> GELU, with the
  convolutions initialised as the identity on matching channels (output channel i copies input channel i; the
  other output channels get PyTorch's default uniform initialisation) and batch norms without a learned scale,
  whose shift learns 64 times faster (``y = x + 8 b``: a gradient step on ``b`` moves ``y`` 8 x 8 times as far)
  but decays as fast as the weights; the running statistics keep 0.6 of their old value at each step;
* global max pooling, a bias-free dense layer (PyTorch's default initialisation) whose logits are divided by 9;
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
from keras import layers, ops

from benchmarks.report import write_results
from helpers.architectures import flip_and_shift
from helpers.model_stats import count_macs

TRANSLATE = 2          # pixels of random translation during training
BIAS_SCALE = 8.0       # batch-norm shifts learn BIAS_SCALE**2 = 64 times faster
LOOKAHEAD_EVERY = 5    # steps between lookahead updates
WHITEN_BIAS_EPOCHS = 3  # epochs during which the whitening layer's bias trains
AIRBENCH_L2 = 0.0153 / 11.5   # airbench94's weight decay over its learning rate: the L2 gradient coefficient


def whitening_kernel(images: np.ndarray, epsilon: float = 5e-4) -> np.ndarray:
    """(2, 2, 3, 24) kernel whitening the 2 x 2 patches of ``images`` (n, 32, 32, 3), and its negative."""
    patches = np.lib.stride_tricks.sliding_window_view(images, (2, 2), axis=(1, 2))   # n, 31, 31, 3, 2, 2
    patches = patches.transpose(0, 1, 2, 4, 5, 3).reshape(-1, 12).astype("float64")   # (row, col, channel)
    eigenvalues, eigenvectors = np.linalg.eigh(patches.T @ patches / len(patches))
    eigenvalues, eigenvectors = eigenvalues[::-1], eigenvectors[:, ::-1]   # largest first, as airbench94 orders them
    filters = (eigenvectors / np.sqrt(eigenvalues + epsilon)).T.reshape(12, 2, 2, 3).transpose(1, 2, 3, 0)
    return np.concatenate([filters, -filters], axis=-1).astype("float32")


def torch_default() -> keras.initializers.Initializer:
    """PyTorch's default initialisation, U(+-1/sqrt(fan_in)), as a new initializer for each layer. A Keras
    initializer made without a seed fixes one when it is made (from Python's random state), so one shared instance
    would give every layer of a shape, and every run in the process, the same weights, whatever the run's seed."""
    return keras.initializers.VarianceScaling(1 / 3, "fan_in", "uniform")


class PartialIdentity(keras.initializers.Initializer):
    """Output channel i < min(in, out) copies input channel i (PyTorch's ``dirac_``); the rest are uniform."""

    def __call__(self, shape, dtype=None):
        kernel_height, kernel_width, in_channels, out_channels = shape
        kernel = np.array(ops.convert_to_numpy(torch_default()(shape)))
        matching = np.arange(min(in_channels, out_channels))
        kernel[..., matching] = 0.0
        kernel[kernel_height // 2, kernel_width // 2, matching, matching] = 1.0
        return ops.convert_to_tensor(kernel, dtype=dtype)


class FastShift(layers.Layer):
    """Adds a learned per-channel shift ``scale * b``, so that ``b``'s effective learning rate is scale**2 times."""

    def __init__(self, regularizer: keras.regularizers.Regularizer, scale: float = BIAS_SCALE, **kwargs):
        super().__init__(**kwargs)
        self.regularizer, self.scale = regularizer, scale

    def build(self, input_shape):
        self.shift = self.add_weight(shape=(input_shape[-1],), initializer="zeros", name="shift",
                                     regularizer=self.regularizer)

    def call(self, inputs):
        return inputs + self.scale * self.shift


def norm_gelu(x, regularizer: keras.regularizers.Regularizer):
    # Keras' momentum is the share of the old running statistics: PyTorch's momentum 0.4 (airbench's 1 - 0.6)
    x = layers.BatchNormalization(momentum=0.6, epsilon=1e-12, center=False, scale=False)(x)
    return layers.Activation("gelu")(FastShift(regularizer)(x))


def airbench_style_network(widths: tuple[int, int, int], train_images: np.ndarray, l2: float) -> keras.Model:
    regularizer = keras.regularizers.L2(l2 / 2)   # gradient l2 * w, like PyTorch's weight_decay=l2
    conv = lambda filters: layers.Conv2D(filters, 3, padding="same", use_bias=False,  # noqa: E731
                                         kernel_initializer=PartialIdentity(), kernel_regularizer=regularizer)
    inputs = keras.Input((32, 32, 3))
    whiten = layers.Conv2D(24, 2, name="whiten", bias_regularizer=regularizer)
    x = layers.Activation("gelu")(whiten(inputs))
    for filters in widths:
        x = norm_gelu(layers.MaxPooling2D(2)(conv(filters)(x)), regularizer)
        x = norm_gelu(conv(filters)(x), regularizer)
    x = layers.GlobalMaxPooling2D()(x)
    dense = layers.Dense(10, use_bias=False, kernel_initializer=torch_default(), kernel_regularizer=regularizer)
    logits = layers.Rescaling(1 / 9)(dense(x))
    network = keras.Model(inputs, logits, name="airbench_style_" + "_".join(map(str, widths)))
    whiten.kernel.assign(whitening_kernel(train_images[:5000]))
    whiten.kernel.trainable = False
    return network


class Triangular(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, peak: float, total_steps: int):
        self.peak, self.total_steps, self.warmup = peak, total_steps, max(1, int(0.23 * total_steps))

    def __call__(self, step):
        step = ops.cast(step, "float32")
        rising = 0.2 + 0.8 * step / self.warmup
        falling = 1.0 - 0.93 * (step - self.warmup) / max(1, self.total_steps - self.warmup)
        return self.peak * ops.where(step < self.warmup, rising, ops.maximum(falling, 0.0))


class Lookahead(keras.callbacks.Callback):
    """Every few steps: slow = d * slow + (1 - d) * weights, then weights = slow (d grows over the run).

    It averages the weights of ``network`` (the model that ``fit`` trains when None); a network trained inside a
    model with augmentation layers is named here, so that the augmentation's random state is not averaged."""

    def __init__(self, total_steps: int, network: keras.Model | None = None):
        super().__init__()
        self.total_steps, self.step, self.slow, self.network = total_steps, 0, None, network

    def on_train_begin(self, logs=None):
        if self.network is None:
            self.network = self.model
        if self.slow is None:   # the slow weights start at the initial weights
            self.slow = [ops.convert_to_numpy(v) for v in self.network.weights]

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        if self.step % LOOKAHEAD_EVERY == 0:
            self.pull(0.95 ** 5 * (self.step / self.total_steps) ** 3)

    def pull(self, decay: float):
        for variable, slow in zip(self.network.weights, self.slow):
            slow *= decay
            slow += (1 - decay) * ops.convert_to_numpy(variable)
            variable.assign(slow)

    def hold(self, variable, value: np.ndarray):
        """Set ``variable``'s slow copy to ``value`` (a frozen variable must not drift through the slow weights)."""
        index = next(i for i, weight in enumerate(self.network.weights) if weight is variable)
        self.slow[index][...] = value


class FreezeAfter(keras.callbacks.Callback):
    """Keeps ``variable`` at its value from the end of epoch ``epochs`` on (airbench's whitening bias), in the
    lookahead's slow weights too. The optimizer still computes a step for it (making it untrainable would change the
    list of variables that the optimizer was built with, which the JAX backend refuses); each step is undone."""

    def __init__(self, variable, epochs: int, lookahead: Lookahead | None = None):
        super().__init__()
        self.variable, self.epochs, self.lookahead, self.epoch, self.frozen = variable, epochs, lookahead, 0, None

    def on_epoch_end(self, epoch, logs=None):   # fit runs one epoch per call here, so count the calls
        self.epoch += 1
        if self.epoch == self.epochs:
            self.frozen = ops.convert_to_numpy(self.variable)

    def on_train_batch_end(self, batch, logs=None):
        if self.frozen is not None:
            self.variable.assign(self.frozen)
            if self.lookahead is not None:
                self.lookahead.hold(self.variable, self.frozen)


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
        "lookahead": "yes" if lookahead else "no", "augmentation": augmentation, "params": network.count_params(), "MACs": count_macs(network),
        "seed": seed,
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
