"""An airbench-style CIFAR-10 network and the parts of its training recipe, in Keras, for any backend.

The fastest published CIFAR-10 recipe, airbench94 (Keller Jordan, "94% on CIFAR-10 in 3.29 Seconds on a Single
GPU", arXiv:2404.00498, 2024), written here from the paper's description and checked against its code
(``docs/benchmarks/README.md`` lists where this port follows it and where it departs):

* the first layer is a frozen 2 x 2 convolution initialised to whiten the image patches (24 filters: the 12
  eigenvectors of the patch covariance, largest eigenvalue first, scaled by 1/sqrt(eigenvalue), and their
  negatives), then GELU; its bias trains for the first few epochs only (``FreezeAfter``);
* three blocks of conv 3 x 3 -> max pool 2 -> batch norm -> GELU -> conv 3 x 3 -> batch norm -> GELU, with the
  convolutions initialised as the identity on matching channels (``PartialIdentity``) and batch norms without a
  learned scale, whose shift learns 64 times faster (``FastShift``); the running statistics keep 0.6 of their old
  value at each step;
* global max pooling, a bias-free dense layer whose logits are divided by 9;
* trained with Nesterov SGD (momentum 0.85), L2 on the weights, a triangular learning rate (``Triangular``) and
  lookahead (``Lookahead``).

``benchmarks/cifar10_airbench_style.py`` trains it and measures test accuracy per minute; its tests are in
``tests/test_airbench.py``.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers, ops

BIAS_SCALE = 8.0       # batch-norm shifts learn BIAS_SCALE**2 = 64 times faster
LOOKAHEAD_EVERY = 5    # steps between lookahead updates
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


@keras.saving.register_keras_serializable(package="course")
class PartialIdentity(keras.initializers.Initializer):
    """Output channel i < min(in, out) copies input channel i (PyTorch's ``dirac_``); the rest are uniform."""

    def __call__(self, shape, dtype=None):
        kernel_height, kernel_width, in_channels, out_channels = shape
        kernel = np.array(ops.convert_to_numpy(torch_default()(shape)))
        matching = np.arange(min(in_channels, out_channels))
        kernel[..., matching] = 0.0
        kernel[kernel_height // 2, kernel_width // 2, matching, matching] = 1.0
        return ops.convert_to_tensor(kernel, dtype=dtype)


@keras.saving.register_keras_serializable(package="course")
class FastShift(layers.Layer):
    """Adds a learned per-channel shift ``scale * b``, so that ``b``'s effective learning rate is scale**2 times."""

    def __init__(self, regularizer: keras.regularizers.Regularizer | None = None, scale: float = BIAS_SCALE,
                 **kwargs):
        super().__init__(**kwargs)
        self.regularizer, self.scale = keras.regularizers.get(regularizer), scale

    def build(self, input_shape):
        self.shift = self.add_weight(shape=(input_shape[-1],), initializer="zeros", name="shift",
                                     regularizer=self.regularizer)

    def call(self, inputs):
        return inputs + self.scale * self.shift

    def get_config(self):
        return {**super().get_config(), "scale": self.scale,
                "regularizer": keras.regularizers.serialize(self.regularizer)}


@keras.saving.register_keras_serializable(package="course")
class FrozenKernelConv2D(layers.Conv2D):
    """A convolution whose kernel never trains (its bias may): frozen when the layer is built, so also in a network
    loaded from a file, where a flag set on the variable afterwards would be lost."""

    def build(self, input_shape):
        super().build(input_shape)
        self.kernel.trainable = False


def airbench_style_network(widths: tuple[int, int, int], train_images: np.ndarray, l2: float = AIRBENCH_L2,
                           probabilities: bool = False) -> keras.Model:
    """The network for 32 x 32 x 3 images; ``train_images`` (n, 32, 32, 3), normalised as the network will see
    them, set the whitening layer (the first 5,000 are used). Outputs logits, or class probabilities with
    ``probabilities=True``. The layers are named ``image``, ``whiten``, ``whiten_gelu``, then for each block b = 1,
    2, 3: ``block{b}_1_conv``, ``block{b}_pool``, ``block{b}_1_{bn,shift,gelu}``, ``block{b}_2_{conv,bn,shift,gelu}``;
    then ``global_pool``, ``logits`` (the dense layer), ``scale`` (its outputs divided by 9) and, with
    ``probabilities=True``, ``classes`` (softmax)."""
    regularizer = keras.regularizers.L2(l2 / 2)   # gradient l2 * w, like PyTorch's weight_decay=l2

    def norm_gelu(x, name: str):
        # Keras' momentum is the share of the old running statistics: PyTorch's momentum 0.4 (airbench's 1 - 0.6)
        x = layers.BatchNormalization(momentum=0.6, epsilon=1e-12, center=False, scale=False, name=f"{name}_bn")(x)
        return layers.Activation("gelu", name=f"{name}_gelu")(FastShift(regularizer, name=f"{name}_shift")(x))

    def conv(x, filters: int, name: str):
        return layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_initializer=PartialIdentity(),
                             kernel_regularizer=regularizer, name=f"{name}_conv")(x)

    inputs = keras.Input((32, 32, 3), name="image")
    whiten = FrozenKernelConv2D(24, 2, name="whiten", bias_regularizer=regularizer)
    x = layers.Activation("gelu", name="whiten_gelu")(whiten(inputs))
    for block, filters in enumerate(widths, start=1):
        x = layers.MaxPooling2D(2, name=f"block{block}_pool")(conv(x, filters, f"block{block}_1"))
        x = norm_gelu(x, f"block{block}_1")
        x = norm_gelu(conv(x, filters, f"block{block}_2"), f"block{block}_2")
    x = layers.GlobalMaxPooling2D(name="global_pool")(x)
    dense = layers.Dense(10, use_bias=False, kernel_initializer=torch_default(), kernel_regularizer=regularizer,
                         name="logits")
    outputs = layers.Rescaling(1 / 9, name="scale")(dense(x))
    if probabilities:
        outputs = layers.Activation("softmax", dtype="float32", name="classes")(outputs)
    network = keras.Model(inputs, outputs, name="airbench_style_" + "_".join(map(str, widths)))
    whiten.kernel.assign(whitening_kernel(train_images[:5000]))
    return network


@keras.saving.register_keras_serializable(package="course")
class Triangular(keras.optimizers.schedules.LearningRateSchedule):
    """0.2 x peak rising linearly to the peak over the first 23 % of the steps, then falling to 0.07 x peak."""

    def __init__(self, peak: float, total_steps: int):
        self.peak, self.total_steps, self.warmup = peak, total_steps, max(1, int(0.23 * total_steps))

    def __call__(self, step):
        step = ops.cast(step, "float32")
        rising = 0.2 + 0.8 * step / self.warmup
        falling = 1.0 - 0.93 * (step - self.warmup) / max(1, self.total_steps - self.warmup)
        return self.peak * ops.where(step < self.warmup, rising, ops.maximum(falling, 0.0))

    def get_config(self):
        return {"peak": self.peak, "total_steps": self.total_steps}


class Lookahead(keras.callbacks.Callback):
    """Every few steps: slow = d * slow + (1 - d) * weights, then weights = slow (d grows over the run).

    It averages the weights of ``network`` (the model that ``fit`` trains when None): naming the network keeps the
    average to its weights even when the model that ``fit`` trains puts layers with weights around it."""

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

    def on_epoch_end(self, epoch, logs=None):   # counted across fit calls, which may run one epoch each
        self.epoch += 1
        if self.epoch == self.epochs:
            self.frozen = ops.convert_to_numpy(self.variable)

    def on_train_batch_end(self, batch, logs=None):
        if self.frozen is not None:
            self.variable.assign(self.frozen)
            if self.lookahead is not None:
                self.lookahead.hold(self.variable, self.frozen)
