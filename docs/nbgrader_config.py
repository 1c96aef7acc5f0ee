# nbgrader configuration for grading this course (nbgrader 0.9.6). Copy it into your nbgrader course directory
# (the folder that holds source/, release/, submitted/, autograded/ and gradebook.db); docs/teaching.md explains
# the workflow. tests/test_nbgrader.py grades every chapter with this file.
import os

c = get_config()  # noqa: F821 - nbgrader provides get_config() when it reads this file

c.CourseDirectory.course_id = "cnn-course"

# Grade in the quick profile: small subsets and 1-3 epochs, so a whole chapter runs in minutes on a CPU. The
# kernels that validate and autograde start from nbgrader's environment, so setting it here reaches them. Point
# COURSE_DATA_DIR at the course's datasets (relative folders are taken from the course root) if they are not in
# <course root>/data, for example: COURSE_DATA_DIR=/srv/cnn-course-data nbgrader autograde 02_mlp_mnist
os.environ.setdefault("COURSE_PROFILE", "quick")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keeps TensorFlow's C++ start-up messages off stderr

# nbgrader's default of 30 s per cell is far too short for the training cells: in the quick profile the longest
# cell takes about a minute on a 2-core laptop, in the standard profile chapter 5's longest about 11 minutes.
# 900 s is what the course's own notebook tests allow (nbval's --nbval-cell-timeout).
c.Execute.timeout = 900
