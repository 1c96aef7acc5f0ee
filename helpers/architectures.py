"""Networks that several chapters share: built in chapters 4 and 5, opened up in chapter 6.

Layers have fixed names, so a model loaded from disk and a freshly built one can be inspected the same way.
"""

from __future__ import annotations


def conv_bn_relu(x, filters: int, name: str, kernel_size: int = 3):
    """Conv (no bias: batch norm adds its own shift) -> BatchNormalization -> ReLU."""
    import keras

    x = keras.layers.Conv2D(filters, kernel_size, padding="same", use_bias=False, name=f"{name}_conv")(x)
    x = keras.layers.BatchNormalization(momentum=0.9, name=f"{name}_bn")(x)  # settles within a few dozen steps
    return keras.layers.ReLU(name=f"{name}_relu")(x)


def fashion_cnn():
    """Chapter 4's best Fashion-MNIST network: 28 x 28 x 1 -> 10 classes, 421,930 parameters."""
    import keras

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


def resnet9(width: int = 16):
    """A ResNet-9-style CIFAR-10 network (32 x 32 x 3 -> 10 classes).

    Stages of conv-BN-ReLU double the channels (width, 2w, 4w, 8w) and halve the resolution with max pooling;
    two residual blocks add x + F(x); global max pooling and a dense layer whose outputs are scaled by 1/8
    (it keeps early training calm) give the class probabilities.
    """
    import keras

    def residual(x, filters, name):
        h = conv_bn_relu(conv_bn_relu(x, filters, f"{name}a"), filters, f"{name}b")
        return keras.layers.Add(name=f"{name}_add")([x, h])

    inputs = keras.Input((32, 32, 3), name="image")
    x = conv_bn_relu(inputs, width, "prep")
    x = keras.layers.MaxPooling2D(2, name="layer1_pool")(conv_bn_relu(x, 2 * width, "layer1"))
    x = residual(x, 2 * width, "res1")
    x = keras.layers.MaxPooling2D(2, name="layer2_pool")(conv_bn_relu(x, 4 * width, "layer2"))
    x = keras.layers.MaxPooling2D(2, name="layer3_pool")(conv_bn_relu(x, 8 * width, "layer3"))
    x = residual(x, 8 * width, "res2")
    x = keras.layers.GlobalMaxPooling2D(name="global_pool")(x)
    x = keras.layers.Rescaling(0.125, name="scale")(keras.layers.Dense(10, name="logits")(x))
    outputs = keras.layers.Activation("softmax", dtype="float32", name="classes")(x)
    return keras.Model(inputs, outputs, name=f"resnet9_w{width}")
