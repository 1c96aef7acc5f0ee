# The course's commands. Each one creates the virtual environment .venv (pinned versions) when it
# is missing or a requirements file changed, and reuses it otherwise. The work is done by scripts/course.py,
# which also runs without make (Windows): python scripts/course.py lab|test|unit|gpu|prefetch.
#   make lab        set up (learner requirements only) and open the course in JupyterLab at its start page
#   make test       set up with the test tools and run the whole test suite: unit tests, the nbgrader round trip,
#                   the learner edition, the browser test and nbval's check of every notebook (each chapter is
#                   executed once, shared by the grading tests and nbval: tests/shared_execution.py)
#   make gpu        switch .venv to TensorFlow's CUDA build (Linux x86-64 with an NVIDIA driver)
#   make prefetch   download every dataset the course uses into the data folder (checksums verified)
#   make student    build the learner edition (solutions replaced by stubs) into student/
#   make notebooks  re-execute the committed notebooks in place (quick profile) after editing them;
#                   NOTEBOOKS=notebooks/01_images_as_arrays.ipynb limits it to some
#   make reference  the reference run: every notebook (or NOTEBOOKS=...) in the standard profile, writing
#                   docs/results/chapterNN.json and key figures; executed copies in docs/results/executed/
#   make site       the static course site in _site/ from the committed notebooks (nothing is executed)

# The newest supported Python found (TensorFlow 2.21: 3.10-3.13; the pinned NumPy and pandas: 3.11+);
# `make lab PYTHON=/path/to/python3.12` chooses one.
PYTHON ?= $(firstword $(foreach version,3.13 3.12 3.11,$(shell python$(version) -c "" 2>/dev/null && echo python$(version))))
VENV := .venv
BIN := $(VENV)/bin
COURSE := $(PYTHON) scripts/course.py

# The notebooks are committed with quick-profile outputs, so tests compare against that profile.
TEST_PROFILE ?= quick
export TF_CPP_MIN_LOG_LEVEL := 2
NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9]*.ipynb))

.PHONY: python setup lab test unit gpu prefetch notebooks student reference site clean-venv

python:
	@test -n "$(PYTHON)" || { echo "No supported Python found: the course needs python3.13, python3.12 or python3.11" \
	  "(TensorFlow 2.21 has no wheels for newer ones). Install one, or name it: make lab PYTHON=/path/to/python3.12" >&2; exit 2; }

# The test tools (requirements-dev.txt) for every maintainer target; `make lab` installs the learner packages only.
setup: python
	$(COURSE) setup --dev

lab: python
	$(COURSE) lab

test: python
	COURSE_PROFILE=$${COURSE_PROFILE:-$(TEST_PROFILE)} $(COURSE) test $(PYTEST_ARGS)

unit: python
	COURSE_PROFILE=$${COURSE_PROFILE:-$(TEST_PROFILE)} $(COURSE) unit $(PYTEST_ARGS)

gpu: python
	$(COURSE) gpu

prefetch: python
	$(COURSE) prefetch

notebooks: setup
	for nb in $(NOTEBOOKS); do \
	  COURSE_PROFILE=$${COURSE_PROFILE:-$(TEST_PROFILE)} $(BIN)/jupyter execute --inplace "$$nb" || exit 1; \
	  $(BIN)/python scripts/clean_notebook.py "$$nb" || exit 1; \
	done

student: setup
	$(BIN)/python scripts/make_student.py --out student

reference: setup
	$(BIN)/python scripts/run_reference.py $(NOTEBOOKS)

site: setup
	$(BIN)/python scripts/build_site.py --out _site

clean-venv:
	rm -rf $(VENV)
