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
from helpers.exercises.chapter4 import (check_conv_params, check_fixed_setup, check_flatten_dense_params, check_mnist_cnn,
                                        check_predicted_flatten_and_params, check_small_wide_view_cnn)
from helpers.exercises.chapter5 import (check_baseline_model, check_class_accuracies, check_conv_macs,
                                        check_flip_tta, check_predicted_se_parameters, check_prelu,
                                        check_small_net_design)
from helpers.exercises.chapter6 import (check_first_kernel, check_grad_cam_map, check_predicted_map_size,
                                        check_rescale_for_display, check_sharper_grad_cam_cnn, check_strongest_filter)
from helpers.exercises.core import NOT_ATTEMPTED, compare, run_check
