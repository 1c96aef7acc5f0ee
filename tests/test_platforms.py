"""Every supported platform and Python gets an installable set of wheels from PyPI.

uv resolves the requirement files for each target (platform markers evaluated for that target, wheels only, as a
learner's pip would need them) using the package index's metadata, without downloading the wheels. A pin without a
wheel for one of the platforms the README lists fails here. The resolutions start in the background as soon as
the tests are collected (tests/platform_resolution.py); here they are only awaited. Skipped, with a message, where
PyPI cannot be reached.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.platform_resolution import PLATFORMS, REFUSED, TARGETS, Job, skip_reason, start


@pytest.fixture(scope="module")
def resolutions(request) -> dict[Job, subprocess.CompletedProcess]:
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    return {job: future.result() for job, future in start(request.config).items()}


@pytest.mark.parametrize(("requirements", "platform_name", "python", "tensorflow"), TARGETS,
                         ids=[f"{req}-{name}-py{python}" for req, name, python, _ in TARGETS])
def test_requirements_resolve_to_wheels(resolutions, requirements, platform_name, python, tensorflow):
    result = resolutions[(requirements, PLATFORMS[platform_name][0], python)]
    assert result.returncode == 0, f"{requirements} on {platform_name}, Python {python}:\n{result.stderr[-3000:]}"
    resolved = {line.split("==")[0]: line.split("==")[1] for line in result.stdout.splitlines() if "==" in line}
    assert resolved.get(tensorflow) == "2.21.0", f"{tensorflow} 2.21.0 not selected: {sorted(resolved)}"
    other = "tensorflow" if tensorflow == "tensorflow-cpu" else "tensorflow-cpu"
    assert other not in resolved, f"both tensorflow and tensorflow-cpu would be installed on {platform_name}"


@pytest.mark.parametrize(("requirements", "triple", "python"), REFUSED, ids=["intel-mac", "python3.14"])
def test_refused_setups_really_have_no_wheels(resolutions, requirements, triple, python):
    result = resolutions[(requirements, triple, python)]
    assert result.returncode != 0, f"{triple} with Python {python} resolves now: support it instead of refusing"
