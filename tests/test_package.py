"""The helpers package: importable module by module, no cycles, no sys.path tricks."""

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p.stem for p in (ROOT / "helpers").glob("*.py") if p.stem != "__init__")


def helper_imports(module: str) -> set[str]:
    tree = ast.parse((ROOT / "helpers" / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("helpers."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("helpers."))
    return found


def test_no_import_cycles():
    graph = {module: helper_imports(module) for module in MODULES}
    visiting, done = set(), set()

    def visit(module, path):
        assert module not in visiting, "import cycle: " + " -> ".join([*path, module])
        if module in done:
            return
        visiting.add(module)
        for dependency in graph.get(module, ()):
            visit(dependency, [*path, module])
        visiting.discard(module)
        done.add(module)

    for module in MODULES:
        visit(module, [])


def test_each_module_imports_alone():
    for module in MODULES:
        code = f"import helpers.{module}"
        subprocess.run([sys.executable, "-c", code], check=True, cwd="/")


def test_no_sys_path_manipulation_anywhere():
    manipulation = re.compile(r"sys\.path\.(insert|append|extend)|sys\.path\s*\+?=|PYTHONPATH")
    files = [*ROOT.glob("helpers/**/*.py"), *ROOT.glob("tests/**/*.py"), ROOT / "conftest.py",
             *ROOT.glob("notebooks/*.ipynb"), ROOT / "Makefile", ROOT / ".ci" / "run"]
    this_test = Path(__file__).resolve()  # holds the pattern itself
    assert [p.name for p in files if p.resolve() != this_test and manipulation.search(p.read_text())] == []


def test_helpers_is_installed_not_found_by_path():
    spec = importlib.util.find_spec("helpers")
    assert spec is not None and Path(spec.origin).resolve().parent == ROOT / "helpers"
    result = subprocess.run([sys.executable, "-c", "import helpers, sys; print(helpers.__file__)"],
                            cwd="/", capture_output=True, text=True, check=True)
    assert Path(result.stdout.strip()).resolve().parent == ROOT / "helpers"
