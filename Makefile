# The course's commands. Each one creates the virtual environment .venv (pinned versions) when it
# is missing or requirements.txt changed, and reuses it otherwise.
#   make lab        set up and open the course in JupyterLab
#   make test       set up and run the whole test suite: unit tests, the learner edition, the browser
#                   test and every notebook under nbval
#   make student    build the learner edition (solutions replaced by stubs) into student/
#   make notebooks  re-execute the committed notebooks in place (quick profile) after editing them;
#                   NOTEBOOKS=notebooks/01_images_as_arrays.ipynb limits it to some
#   make reference  the reference run: every notebook (or NOTEBOOKS=...) in the standard profile, writing
#                   docs/results/chapterNN.json and key figures; executed copies in docs/results/executed/
#   make site       the static course site in _site/ from the committed notebooks (nothing is executed)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.course-installed

# The notebooks are committed with quick-profile outputs, so tests compare against that profile.
TEST_PROFILE ?= quick
export TF_CPP_MIN_LOG_LEVEL := 2
NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9]*.ipynb))

.PHONY: setup lab test unit notebooks student reference site clean-venv

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

lab: setup
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

test: setup
	COURSE_PROFILE=$${COURSE_PROFILE:-$(TEST_PROFILE)} $(BIN)/python -m pytest $(PYTEST_ARGS)

unit: setup
	COURSE_PROFILE=$${COURSE_PROFILE:-$(TEST_PROFILE)} $(BIN)/python -m pytest tests $(PYTEST_ARGS)

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
