"""scripts/machine_speed.py: the probe of how fast the machine trains chapter 5's network."""

import subprocess
import sys

import pytest

from helpers.paths import COURSE_ROOT
from scripts import machine_speed

SCRIPT = COURSE_ROOT / "scripts" / "machine_speed.py"


def test_prints_one_positive_number_of_milliseconds():
    done = subprocess.run([sys.executable, str(SCRIPT), "--repeats", "1"], capture_output=True, text=True,
                          cwd=COURSE_ROOT, timeout=600, check=True)
    milliseconds = float(done.stdout.strip())
    # a training step of batch 64 through a 24 M-MAC network: well above a millisecond on any CPU, and far below a
    # minute on a working one
    assert 1 < milliseconds < 60_000


def test_rejects_a_number_of_rounds_below_one():
    with pytest.raises(ValueError, match="repeats must be at least 1, got 0"):
        machine_speed.training_step_ms(0)
    done = subprocess.run([sys.executable, str(SCRIPT), "--repeats", "0"], capture_output=True, text=True,
                          cwd=COURSE_ROOT, timeout=120)
    assert done.returncode == 2 and "--repeats must be at least 1, got 0" in done.stderr


def test_a_failing_probe_returns_none_and_says_why(monkeypatch, capsys):
    monkeypatch.setattr(machine_speed.sys, "executable", "/nonexistent/python")
    assert machine_speed.measure_in_subprocess() is None
    assert "machine_speed: the probe failed, so the speed is not recorded" in capsys.readouterr().err
