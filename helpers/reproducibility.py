"""One call to make a run repeatable."""

from __future__ import annotations

import os

DEFAULT_SEED = 42


def set_seed(seed: int = DEFAULT_SEED, deterministic_ops: bool = True) -> None:
    """Seed Python's ``random``, NumPy and Keras/TensorFlow, and switch TensorFlow op determinism on or off.

    Determinism makes repeated runs on the same machine identical; different CPUs can still
    differ in the last digits, which is why the notebooks check results against thresholds.
    Pass ``deterministic_ops=False`` before compiling a model with ``jit_compile=True``: Keras refuses XLA
    while op determinism is on (with only a warning) and silently trains without it.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)  # seeds random, numpy and the backend
    if deterministic_ops:
        tf.config.experimental.enable_op_determinism()
    else:
        from tensorflow.python.framework import config as tf_config  # no public "disable" in TF 2.21

        tf_config.disable_op_determinism()
