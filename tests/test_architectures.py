import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from helpers.architectures import fashion_cnn, resnet9
from helpers.model_stats import count_macs


def test_fashion_cnn_shape_and_size():
    model = fashion_cnn()
    assert model.input_shape == (None, 28, 28, 1) and model.output_shape == (None, 10)
    assert model.count_params() == 421_930
    assert model.get_layer("block1_conv").kernel.shape == (3, 3, 1, 32)


def test_resnet9_scales_with_width():
    small, wide = resnet9(16), resnet9(32)
    assert small.output_shape == (None, 10) and small.get_layer("prep_conv").kernel.shape == (3, 3, 3, 16)
    assert count_macs(small) == 24_036_608
    assert 3.5 < count_macs(wide) / count_macs(small) < 4.1  # MACs grow with the square of the width
