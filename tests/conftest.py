"""Fixtures of the unit tests: ``graded_course``, every chapter through nbgrader (see nbgrader_course.py)."""

from nbgrader_course import graded_course  # noqa: F401 - a pytest fixture, found by its name
