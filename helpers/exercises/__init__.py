"""Exercise checks for every chapter: ``from helpers.exercises import check_one_hot``.

The machinery (comparison, feedback, what a wrong answer raises) is in :mod:`helpers.exercises.core`; each
chapter's checks are in ``chapterN``.
"""

from helpers.exercises.chapter1 import (check_accuracy_from_one_hot, check_one_hot, check_predicted_flat_index,
                                        check_scale_to_symmetric, check_stratified_split)
from helpers.exercises.chapter2 import (check_count_mlp_params, check_cross_entropy, check_digit_classifier,
                                        check_predicted_training_steps, check_small_mlp_design, check_softmax)
from helpers.exercises.chapter3 import (check_conv2d_strided, check_conv2d_valid, check_design_stack, check_max_pool,
                                        check_output_size, check_predicted_stack)
from helpers.exercises.chapter4 import check_conv_params, check_mnist_cnn, check_flatten_dense_params
from helpers.exercises.chapter5 import check_baseline_model, check_conv_macs, check_class_accuracies
from helpers.exercises.chapter6 import check_first_kernel, check_rescale_for_display, check_strongest_filter
from helpers.exercises.core import NOT_ATTEMPTED, compare, run_check
