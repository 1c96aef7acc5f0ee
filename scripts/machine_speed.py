"""How fast this machine trains chapter 5's network now: milliseconds per training step, printed as one number.

usage: python scripts/machine_speed.py [--repeats N]

The probe is the network of chapter 5's best model in the ``standard`` profile (``resnet9(16)`` behind the
``flip_and_shift`` augmentation) taking SGD steps (Nesterov momentum, label smoothing 0.1) of batch 64 on random
pixels. Unlike chapter 5 it uses a constant learning rate, no weight decay and no metric, which change the cost of
a step little. One untimed round builds the training graph; then ``--repeats`` rounds of 40 steps are timed and the
median is printed. It takes about 10-20 s. It runs wherever TensorFlow runs: on the GPU, where there is one.

Why: the speed of a shared machine drifts. On the course's own 2-core build machines it swung about 2 times within
a session, and differed 3 to 4 times between the machines of different sessions, so a notebook's wall time alone
says little. ``make reference`` (``scripts/run_reference.py``) runs this before and after each notebook and records
both readings beside the wall time; a learner can run it to see how their machine compares with the one that made
the reference run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

STEPS_PER_ROUND = 40
BATCH_SIZE = 64
WIDTH = 16


def training_step_ms(repeats: int = 3) -> float:
    """The median over ``repeats`` rounds of the milliseconds one training step takes (after an untimed round)."""
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import numpy as np

    from helpers import set_seed
    from helpers.architectures import flip_and_shift, resnet9

    set_seed(0)
    model = keras.Sequential([keras.Input((32, 32, 3)), flip_and_shift(seed=0), resnet9(WIDTH)])
    model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
                  loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1), jit_compile=False)
    rng = np.random.default_rng(0)
    images = rng.random((STEPS_PER_ROUND * BATCH_SIZE, 32, 32, 3), dtype=np.float32)
    labels = keras.utils.to_categorical(rng.integers(0, 10, len(images)), 10)

    def one_round() -> float:
        start = time.perf_counter()
        model.fit(images, labels, batch_size=BATCH_SIZE, epochs=1, shuffle=False, verbose=0)
        return (time.perf_counter() - start) / STEPS_PER_ROUND * 1000

    one_round()   # builds the graph
    return statistics.median(one_round() for _ in range(repeats))


def measure_in_subprocess(timeout_s: float = 600) -> float | None:
    """``training_step_ms()`` run by this script in a fresh Python process, so that the caller neither loads
    TensorFlow nor has its own settings (a mixed-precision policy, seeds) changed or used; None if it fails."""
    command = [sys.executable, str(Path(__file__).resolve())]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s,
                              cwd=Path(__file__).resolve().parents[1])
        if done.returncode == 0:
            return float(done.stdout.strip().splitlines()[-1])
        failure = "\n".join(done.stderr.strip().splitlines()[-5:])   # the end of the traceback says why
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError) as error:
        failure = repr(error)
    print(f"machine_speed: the probe failed, so the speed is not recorded: {failure}", file=sys.stderr)
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed rounds of 40 steps (default 3)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {args.repeats}")
    print(f"{training_step_ms(args.repeats):.1f}")


if __name__ == "__main__":
    main()
