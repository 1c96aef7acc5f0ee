import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras

from helpers.model_stats import count_macs, layer_macs


def test_the_syllabus_mac_example():
    model = keras.Sequential([keras.Input((224, 224, 3)), keras.layers.Conv2D(64, 3),
                              keras.layers.ZeroPadding2D(1), keras.layers.Conv2D(64, 4, strides=2)])
    assert [layer_macs(layer) for layer in model.layers] == [85_162_752, 0, 807_469_056]
    assert count_macs(model) == 892_631_808


def test_depthwise_separable_and_dense():
    inputs = keras.Input((112, 112, 32))
    depthwise = keras.layers.DepthwiseConv2D(3, padding="same")(inputs)
    pointwise = keras.layers.Conv2D(32, 1)(depthwise)
    separable = keras.layers.SeparableConv2D(32, 3, padding="same")(inputs)
    pooled = keras.layers.GlobalAveragePooling2D()(pointwise)
    outputs = keras.layers.Dense(10)(pooled)
    model = keras.Model(inputs, [outputs, separable])
    macs = {layer.name: layer_macs(layer) for layer in model.layers}
    assert macs[depthwise._keras_history.operation.name] == 3_612_672
    assert macs[pointwise._keras_history.operation.name] == 12_845_056
    assert macs[separable._keras_history.operation.name] == 3_612_672 + 12_845_056
    assert count_macs(model) == 2 * (3_612_672 + 12_845_056) + 32 * 10


def test_nested_models_are_counted():
    inner = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3)])
    outer = keras.Sequential([keras.Input((8, 8, 3)), inner, keras.layers.Flatten(), keras.layers.Dense(2)])
    assert count_macs(outer) == 3 * 3 * 3 * 6 * 6 * 4 + 144 * 2
