"""pad_canvas and shift_images together: the shift experiment of chapters 2 and 4 without cropped ink."""

import numpy as np
import pytest

from helpers.shifts import accuracy_under_shift, pad_canvas, shift_images


def test_pad_canvas_centres_the_images_on_a_larger_zero_canvas():
    images = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4) + 1
    padded = pad_canvas(images, 2)
    assert padded.shape == (2, 7, 8) and padded.dtype == images.dtype
    np.testing.assert_array_equal(padded[:, 2:5, 2:6], images)
    assert padded.sum() == images.sum()
    colour = pad_canvas(np.ones((1, 3, 3, 3)), 1)
    assert colour.shape == (1, 5, 5, 3) and colour[0, 0, 0].sum() == 0
    np.testing.assert_array_equal(pad_canvas(images, 0), images)


@pytest.mark.parametrize("bad_pad", [-1, 1.5, True, "2"])
def test_pad_canvas_rejects_a_pad_that_is_not_a_whole_number(bad_pad):
    with pytest.raises(ValueError, match="pad must be"):
        pad_canvas(np.zeros((1, 4, 4)), bad_pad)


def test_pad_canvas_rejects_a_single_image():
    with pytest.raises(ValueError, match="batch"):
        pad_canvas(np.zeros((4, 4)), 1)


def test_shifts_within_the_padding_keep_every_pixel():
    rng = np.random.default_rng(0)
    digits = rng.random((5, 28, 28)).astype("float32")
    padded = pad_canvas(digits, 6)
    for dx in range(-6, 7):
        for dy in (-6, 0, 6):
            shifted = shift_images(padded, dx=dx, dy=dy)
            np.testing.assert_allclose(shifted.sum(axis=(1, 2)), digits.sum(axis=(1, 2)), rtol=1e-5)
            np.testing.assert_array_equal(shifted[:, 6 + dy:34 + dy, 6 + dx:34 + dx], digits)
    # One pixel beyond the padding loses ink: that is what the old, cropping experiment measured too.
    assert shift_images(padded, dx=7).sum() < padded.sum()


def test_a_position_bound_classifier_fails_on_shifted_padded_images():
    images = pad_canvas(np.ones((4, 2, 2)), 3)

    def ink_in_the_middle(batch):
        return (batch[:, 3:5, 3:5].sum(axis=(1, 2)) == 4).astype(int)

    accuracy = accuracy_under_shift(ink_in_the_middle, images, np.ones(4), shifts=[-3, -1, 0, 1, 3])
    np.testing.assert_array_equal(accuracy, [0, 0, 1, 0, 0])
