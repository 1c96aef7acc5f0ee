import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np

from helpers import set_seed
from helpers.training import RunResult, results_table, train_and_evaluate


def test_train_and_evaluate_on_a_learnable_toy_problem():
    set_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 4)).astype("float32")
    y = (x[:, 0] > 0).astype(int)  # the sign of the first feature
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    result, history = train_and_evaluate("toy", model, x[:300], y[:300], x[300:], y[300:], epochs=15)
    assert result.test_accuracy > 0.9 and result.params == 10 and result.epochs == 15
    assert result.seconds > 0 and result.val_accuracy is not None and len(history.history["val_loss"]) == 15


def test_results_table_lists_every_run():
    rows = [RunResult("baseline", 0.7, 528_054, 12.3, 5, 0.8, 0.71),
            RunResult("residual", 0.85, 1_000, 40.0, 3, None, None, macs=123_456)]
    table = results_table(rows).splitlines()
    assert "MACs" in table[0] and len(table) == 4
    assert "528,054" in table[2] and table[2].split()[1] == "0.700"
    assert "123,456" in table[3] and " - " in table[3]
    assert "MACs" not in results_table(rows[:1])
