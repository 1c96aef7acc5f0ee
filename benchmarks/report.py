"""The results file every benchmark writes: title, date, machine, backend, exact command, commit, data, table."""

from __future__ import annotations

import datetime
import os
import platform
import shlex
import subprocess
import sys
from pathlib import Path

import keras

from helpers.paths import COURSE_ROOT
from scripts.machine_speed import measure_in_subprocess


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    accelerators = ""
    if keras.backend.backend() == "jax":
        import jax

        accelerators = ", ".join(sorted({d.device_kind for d in jax.devices() if d.platform != "cpu"}))
    elif keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        accelerators = ", ".join(d.name for d in tf.config.list_physical_devices("GPU"))
    return f"{cpu}, {os.cpu_count()} logical cores" + (f", {accelerators}" if accelerators else ", no GPU")


def speed() -> str:
    """How fast this machine trains chapter 5's network now (``scripts/machine_speed.py``, with TensorFlow, so on the
    GPU where TensorFlow has one), for comparing the timings of runs made on different machines or hours. Runs on
    other backends are not measured: the machines that run them may have no TensorFlow."""
    if keras.backend.backend() != "tensorflow":
        return "not measured (the probe runs on TensorFlow)"
    milliseconds = measure_in_subprocess()
    return ("not measured (the probe failed)" if milliseconds is None
            else f"{milliseconds:.1f} ms per training step of chapter 5's network (`scripts/machine_speed.py`)")


def commit(repo: Path = COURSE_ROOT) -> str:
    """The checked-out commit, marked when tracked files differ from it (then the run is not exactly that commit)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()

    try:
        head, changed = git("rev-parse", "HEAD"), git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with uncommitted changes to tracked files" if changed else "")


def markdown_table(rows: list[dict]) -> str:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(f"{row[c]:,}" if isinstance(row.get(c), int) else str(row.get(c, ""))
                                       for c in columns) + " |")
    return "\n".join(lines)


def write_results(rows: list[dict], *, module: str, argv: list[str] | None, output: Path | None, default_name: str,
                  title: str, data: str, footer: str, note: str = "") -> Path:
    """Write ``rows`` as a markdown table with the run's provenance to ``output``
    (default: ``docs/benchmarks/<default_name>_<backend>.md``) and return the path."""
    backend = keras.backend.backend()
    output = output or COURSE_ROOT / "docs" / "benchmarks" / f"{default_name}_{backend}.md"
    command = f"python -m {module} " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    lines = [
        title,
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- machine speed after the run: {speed()}",
        f"- backend: Keras {keras.__version__}, {backend}",
        f"- command: `KERAS_BACKEND={backend} {command}`",
        f"- commit: {commit()}",
        f"- data: {data}",
        "",
        markdown_table(rows),
        "",
        footer,
    ]
    if note:
        lines += ["", note]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {output.relative_to(COURSE_ROOT) if output.is_relative_to(COURSE_ROOT) else output}")
    return output
