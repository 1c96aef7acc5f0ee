"""Chapter 6 must pass nbval even when chapters 4 and 5 never ran: it then trains stand-ins itself."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_chapter6_passes_nbval_with_an_empty_artifacts_folder(tmp_path):
    env = {**os.environ, "COURSE_ARTIFACTS_DIR": str(tmp_path / "artifacts"), "COURSE_PROFILE": "quick",
           "TF_CPP_MIN_LOG_LEVEL": "2"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "notebooks/06_visualizing_kernels.ipynb"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-4000:]
    assert not (tmp_path / "artifacts" / "models" / "fashion_cnn.keras").exists()  # nothing was loaded or saved
