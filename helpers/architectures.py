"""Networks that several chapters share: built in chapters 4 and 5, opened up in chapter 6.

Layers have fixed names, so a model loaded from disk and a freshly built one can be inspected the same way.
Chapter 5's augmentation layer is here too, because ``benchmarks/cifar10_recipes.py`` trains the same recipe.
"""

from __future__ import annotations

import keras


@keras.saving.register_keras_serializable(package="course")
class RandomPadCrop(keras.layers.Layer):
    """Random translation by up to ``padding`` pixels: pad each image, then crop a random window per image.

    Written with ``keras.ops`` only, so it runs inside the model on the accelerator with any backend (and under
    XLA). Unlike ``keras.layers.RandomCrop``, which draws one window per batch, every image gets its own shift.
    At inference time it returns its input unchanged.

    The window is cut by two matrix products with one-hot selection matrices (row r of the output takes row
    ``offset + r`` of the padded image), which is exact. Measured on the course's 2-core CPU (ResNet-9 width 16,
    batch 256): a training step cost 3.70 ms per image with a gather (``take_along_axis``) here, 3.14 ms with
    these products and 3.19 ms with no augmentation at all.
    """

    def __init__(self, padding: int = 4, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.padding = padding
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=None):
        if not training:
            return images
        ops, pad = keras.ops, self.padding
        batch, height, width = ops.shape(images)[0], images.shape[1], images.shape[2]
        padded = ops.pad(images, [[0, 0], [pad, pad], [pad, pad], [0, 0]], mode="reflect")
        offsets = keras.random.randint((batch, 2), 0, 2 * pad + 1, seed=self.seed_generator)
        rows = offsets[:, 0:1] + ops.arange(height)[None, :]                  # (batch, height)
        cols = offsets[:, 1:2] + ops.arange(width)[None, :]                   # (batch, width)
        pick_rows = ops.one_hot(rows, height + 2 * pad, dtype=images.dtype)  # (batch, height, H + 2p)
        pick_cols = ops.one_hot(cols, width + 2 * pad, dtype=images.dtype)   # (batch, width, W + 2p)
        picked_rows = ops.einsum("bhH,bHWc->bhWc", pick_rows, padded)       # (batch, height, W + 2p, C)
        return ops.einsum("bwW,bhWc->bhwc", pick_cols, picked_rows)         # (batch, height, width, C)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "padding": self.padding, "seed": self.seed}


def flip_and_shift(padding: int = 4, seed: int | None = None):
    """Chapter 5's augmentation as layers: random horizontal flip and random shift by up to ``padding`` pixels."""
    return keras.Sequential([keras.layers.RandomFlip("horizontal", seed=seed),
                             RandomPadCrop(padding, seed=seed)], name="augmentation")


def conv_bn_relu(x, filters: int, name: str, kernel_size: int = 3):
    """Conv (no bias: batch norm adds its own shift) -> BatchNormalization -> ReLU."""

    x = keras.layers.Conv2D(filters, kernel_size, padding="same", use_bias=False, name=f"{name}_conv")(x)
    x = keras.layers.BatchNormalization(momentum=0.9, name=f"{name}_bn")(x)  # settles within a few dozen steps
    return keras.layers.ReLU(name=f"{name}_relu")(x)


def fashion_cnn():
    """Chapter 4's best Fashion-MNIST network: 28 x 28 x 1 -> 10 classes, 421,930 parameters."""
    inputs = keras.Input((28, 28, 1), name="image")
    x = conv_bn_relu(inputs, 32, "block1")
    x = keras.layers.MaxPooling2D(2, name="block1_pool")(x)
    x = conv_bn_relu(x, 64, "block2")
    x = keras.layers.MaxPooling2D(2, name="block2_pool")(x)
    x = keras.layers.Dropout(0.25, name="dropout1")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(128, activation="relu", name="dense")(x)
    x = keras.layers.Dropout(0.4, name="dropout2")(x)
    outputs = keras.layers.Dense(10, activation="softmax", name="classes")(x)
    return keras.Model(inputs, outputs, name="fashion_cnn")


def resnet9(width: int = 16, residual_connections: bool = True, image_size: int | None = 32):
    """A ResNet-9-style CIFAR-10 network (32 x 32 x 3 -> 10 classes).

    Stages of conv-BN-ReLU double the channels (width, 2w, 4w, 8w) and halve the resolution with max pooling;
    two residual blocks add x + F(x); global max pooling and a dense layer whose outputs are scaled by 1/8
    (it keeps early training calm) give the class probabilities. With ``residual_connections=False`` the two
    blocks return F(x) alone: the same layers and weights, a plain nine-layer stack (chapter 5's ablation).
    ``image_size=None`` accepts images of any size (the global pooling makes the weights independent of it), for
    training on smaller images first (progressive resizing, measured in ``benchmarks/cifar10_recipes.py``).
    """

    def residual(x, filters, name):
        h = conv_bn_relu(conv_bn_relu(x, filters, f"{name}a"), filters, f"{name}b")
        return keras.layers.Add(name=f"{name}_add")([x, h]) if residual_connections else h

    inputs = keras.Input((image_size, image_size, 3), name="image")
    x = conv_bn_relu(inputs, width, "prep")
    x = keras.layers.MaxPooling2D(2, name="layer1_pool")(conv_bn_relu(x, 2 * width, "layer1"))
    x = residual(x, 2 * width, "res1")
    x = keras.layers.MaxPooling2D(2, name="layer2_pool")(conv_bn_relu(x, 4 * width, "layer2"))
    x = keras.layers.MaxPooling2D(2, name="layer3_pool")(conv_bn_relu(x, 8 * width, "layer3"))
    x = residual(x, 8 * width, "res2")
    x = keras.layers.GlobalMaxPooling2D(name="global_pool")(x)
    x = keras.layers.Rescaling(0.125, name="scale")(keras.layers.Dense(10, name="logits")(x))
    outputs = keras.layers.Activation("softmax", dtype="float32", name="classes")(x)
    name = f"resnet9_w{width}" if residual_connections else f"plain9_w{width}"
    return keras.Model(inputs, outputs, name=name)
