"""The course's tests: a package, so the root conftest.py can load its pytest plugins (tests.nbgrader_course,
tests.shared_execution) and every test imports them by one name."""
