"""Confusion matrix, the shift experiment and the plot helpers."""

import matplotlib

matplotlib.use("Agg")  # unit tests draw off-screen; notebooks keep the inline backend

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.metrics import confusion_matrix, per_class_accuracy
from helpers.plotting import plot_confusion_matrix, plot_history, plot_shift_accuracy, show_images
from helpers.shifts import accuracy_under_shift, shift_images


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_confusion_matrix_matches_a_hand_computed_one():
    y_true = [0, 0, 1, 1, 1, 2, 2, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 2, 2, 0, 2]
    expected = np.array([[1, 1, 0],
                         [0, 2, 1],
                         [1, 0, 3]])
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred), expected)
    np.testing.assert_allclose(per_class_accuracy(expected), [1 / 2, 2 / 3, 3 / 4])


def test_confusion_matrix_accepts_column_labels_and_fixed_class_count():
    matrix = confusion_matrix(np.array([[3], [0]]), np.array([3, 1]), num_classes=5)
    assert matrix.shape == (5, 5) and matrix[3, 3] == 1 and matrix[0, 1] == 1 and matrix.sum() == 2


def test_confusion_matrix_errors():
    with pytest.raises(ValueError, match="y_true has 2 labels but y_pred has 3"):
        confusion_matrix([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="num_classes=2"):
        confusion_matrix([0, 2], [0, 1], num_classes=2)


def test_per_class_accuracy_of_an_absent_class_is_nan():
    assert np.isnan(per_class_accuracy(np.array([[2, 0], [0, 0]]))[1])


def test_shift_moves_content_and_fills_with_zeros():
    images = np.arange(2 * 4 * 4).reshape(2, 4, 4) + 1
    right = shift_images(images, dx=1)
    np.testing.assert_array_equal(right[:, :, 1:], images[:, :, :-1])
    assert (right[:, :, 0] == 0).all()
    down_left = shift_images(images, dx=-2, dy=1)
    np.testing.assert_array_equal(down_left[0, 1:, :2], images[0, :-1, 2:])
    assert (down_left[0, 0] == 0).all() and (down_left[0, :, 2:] == 0).all()
    np.testing.assert_array_equal(shift_images(images[..., None], 0, 0)[..., 0], images)


def test_shift_errors():
    with pytest.raises(ValueError, match="out of the frame"):
        shift_images(np.zeros((1, 4, 4)), dx=4)
    with pytest.raises(ValueError, match="Expected a batch"):
        shift_images(np.zeros((4, 4)), dx=1)


def test_accuracy_under_shift_with_a_position_dependent_classifier():
    images = np.zeros((3, 5, 5))
    images[:, 2, 2] = 1  # a dot in the centre

    def dot_in_centre(batch):  # "class 1" exactly when the centre pixel is lit
        return (batch[:, 2, 2] > 0).astype(int)

    accuracy = accuracy_under_shift(dot_in_centre, images, np.ones(3), shifts=[0, 1, 2], direction="diagonal")
    np.testing.assert_array_equal(accuracy, [1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="direction must be one of right, down, diagonal"):
        accuracy_under_shift(dot_in_centre, images, np.ones(3), [0], direction="up")


@pytest.mark.parametrize("image", [np.zeros((28, 28)), np.zeros((28, 28, 1)), np.zeros((32, 32, 3), np.uint8)])
def test_show_images_accepts_a_single_image(image):
    fig = show_images(image, titles=["one"])
    assert len(fig.axes) == 1 and fig.axes[0].get_title() == "one"


def test_show_images_grid_layout_and_errors():
    fig = show_images(np.zeros((10, 28, 28)), ncols=4)
    assert len(fig.axes) == 12  # 3 rows of 4, the last two empty
    assert fig.get_size_inches()[0] <= 10
    with pytest.raises(ValueError, match="Got 2 images but 1 titles"):
        show_images([np.zeros((8, 8)), np.zeros((8, 8))], titles=["a"])
    with pytest.raises(ValueError, match="at least one image"):
        show_images([])
    with pytest.raises(ValueError, match=r"Image 0 has shape \(8, 8, 5\)"):
        show_images([np.zeros((8, 8, 5))])


def test_plot_history_with_and_without_validation():
    fig = plot_history({"loss": [1.0, 0.5], "accuracy": [0.5, 0.8], "val_loss": [1.1, 0.7]})
    assert len(fig.axes) == 2
    assert len(fig.axes[0].lines) == 2 and len(fig.axes[1].lines) == 1
    fig = plot_history({"loss": [0.3]})  # one epoch, one metric
    assert len(fig.axes) == 1
    with pytest.raises(ValueError, match="None of"):
        plot_history({"mae": [1.0]})


def test_plot_confusion_matrix_and_shift_plot():
    fig = plot_confusion_matrix(np.eye(3, dtype=int), ["a", "b", "c"])
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="one row per class name"):
        plot_confusion_matrix(np.eye(3), ["a", "b"])
    fig = plot_shift_accuracy([0, 1], {"MLP": [0.9, 0.5], "CNN": [0.95, 0.9]})
    assert len(fig.axes[0].lines) == 2
    with pytest.raises(ValueError, match="3 accuracies for 2 shifts"):
        plot_shift_accuracy([0, 1], {"MLP": [1, 1, 1]})


def test_show_images_centres_diverging_maps_on_zero():
    fig = show_images([np.array([[-1.0, 3.0], [0.0, 1.0]] * 4), np.full((8, 2), 2.0), np.ones((8, 2))],
                      cmap=["RdBu_r", "RdBu_r", "gray"], centre_zero=True)
    assert fig.axes[0].images[0].get_clim() == (-3.0, 3.0)
    assert fig.axes[1].images[0].get_clim() == (-2.0, 2.0)  # non-negative maps are centred too
    assert fig.axes[2].images[0].get_cmap().name == "gray" and fig.axes[2].images[0].get_clim() == (1.0, 1.0)
    with pytest.raises(ValueError, match="2 images but 3 colour maps"):
        show_images([np.ones((8, 8))] * 2, cmap=["gray"] * 3)
