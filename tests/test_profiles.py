from dataclasses import fields

import pytest

from helpers.profiles import PROFILES, Profile, UnknownProfileError, get_profile


def test_default_is_standard(monkeypatch):
    monkeypatch.delenv("COURSE_PROFILE", raising=False)
    assert get_profile().name == "standard"


def test_environment_variable_chooses(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "QUICK")
    assert get_profile().name == "quick"


def test_unknown_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(UnknownProfileError, match="Unknown course profile 'fast'. Valid profiles: quick, standard, full"):
        get_profile()


def test_profiles_grow_from_quick_to_full():
    sizes = [f.name for f in fields(Profile) if f.type in ("int | None", "int")]
    assert sizes
    for setting in sizes:
        quick, standard, full = (getattr(PROFILES[n], setting) for n in ("quick", "standard", "full"))
        as_number = [float("inf") if v is None else v for v in (quick, standard, full)]
        assert as_number == sorted(as_number), setting
