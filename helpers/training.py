"""Training runs that are timed and collected into one comparison table (chapters 4 and 5)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RunResult:
    name: str
    test_accuracy: float
    params: int
    seconds: float
    epochs: int
    train_accuracy: float | None = None
    val_accuracy: float | None = None
    macs: int | None = None


def train_and_evaluate(name: str, model, x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray,
                       y_test: np.ndarray, epochs: int, batch_size: int = 128, validation_split: float = 0.1,
                       validation_data: tuple[np.ndarray, np.ndarray] | None = None, callbacks: Sequence = (),
                       macs: int | None = None, verbose: int = 0):
    """Fit a compiled model, time it, evaluate on the test set; return (RunResult, History).

    ``x_train`` may also be a ``tf.data.Dataset`` of (images, labels) batches, with ``y_train=None``.
    ``validation_data`` overrides ``validation_split``. Epochs actually run (fewer with EarlyStopping)
    are recorded.
    """
    is_dataset = hasattr(x_train, "element_spec")  # a tf.data pipeline batches and shuffles by itself
    start = time.perf_counter()
    history = model.fit(x_train, y_train, epochs=epochs, batch_size=None if is_dataset else batch_size,
                        shuffle=not is_dataset,
                        validation_split=0.0 if validation_data is not None else validation_split,
                        validation_data=validation_data, callbacks=list(callbacks), verbose=verbose)
    seconds = time.perf_counter() - start
    test_accuracy = float(model.evaluate(x_test, y_test, verbose=0)[1])
    logs = history.history
    result = RunResult(
        name=name,
        test_accuracy=test_accuracy,
        params=model.count_params(),
        seconds=seconds,
        epochs=len(logs["loss"]),
        train_accuracy=float(logs["accuracy"][-1]) if "accuracy" in logs else None,
        val_accuracy=float(logs["val_accuracy"][-1]) if "val_accuracy" in logs else None,
        macs=macs,
    )
    return result, history


def results_table(results: Sequence[RunResult]) -> str:
    """A fixed-width table of runs: test accuracy, final train/validation accuracy, parameters, MACs, time."""
    show_macs = any(r.macs is not None for r in results)
    header = f"{'model':<36}{'test acc':>9}{'train acc':>10}{'val acc':>9}{'params':>11}"
    header += f"{'MACs':>14}" if show_macs else ""
    header += f"{'epochs':>7}{'time (s)':>10}"
    lines = [header, "-" * len(header)]

    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    for r in results:
        line = f"{r.name:<36}{r.test_accuracy:>9.3f}{fmt(r.train_accuracy):>10}{fmt(r.val_accuracy):>9}{r.params:>11,}"
        if show_macs:
            line += f"{'-' if r.macs is None else f'{r.macs:,}':>14}"
        line += f"{r.epochs:>7}{r.seconds:>10.1f}"
        lines.append(line)
    return "\n".join(lines)
