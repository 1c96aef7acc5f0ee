"""Chapter 6 must run, and pass nbval, even when chapters 4 and 5 never ran: it then trains stand-ins itself.

The graded course executes every chapter in an empty artifacts folder of its own (tests/nbgrader_course.py), so
its chapter 6 run is that case; `make test` compares that run's outputs with the committed ones
(tests/shared_execution.py), and this test checks that it really was the stand-in path.
"""

CHAPTER = "06_visualizing_kernels"


def test_chapter6_trains_stand_ins_when_the_models_are_missing(graded_course):
    run = graded_course.executed[CHAPTER]["solved"]
    printed = "".join(out.get("text", "") for cell in run.cells if cell.cell_type == "code" for out in cell.outputs
                      if out.output_type == "stream")
    assert "fashion_cnn.keras not found: training a stand-in" in printed
    assert "cifar10_best.keras not found: training a stand-in" in printed
    assert not any(out.output_type == "error" for cell in run.cells[:graded_course.first_difference[CHAPTER]]
                   if cell.cell_type == "code" for out in cell.outputs)
    models = graded_course.artifacts(CHAPTER) / "models"
    assert not (models / "fashion_cnn.keras").exists() and not (models / "cifar10_best.keras").exists()
