"""The workshop guide names files and functions; every one must exist, so a rename breaks the build, not the
workshop. Each exercise with a starter test is listed in the guide, and both languages have every page."""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "workshop"
REFERENCE = re.compile(r"`((?:storefront|sandbox|templates|static|tests|scripts|benchmarks)/[\w./-]+?)(?::(\w+))?`")


def references() -> list[tuple[str, str, str | None]]:
    found = []
    for page in sorted(GUIDE.glob("*.md")):
        for path, name in REFERENCE.findall(page.read_text()):
            found.append((page.name, path, name or None))
    return found


def defined_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def test_the_guide_names_code_at_all():
    assert len(references()) > 40


@pytest.mark.parametrize("page, path, name", references(), ids=lambda value: str(value))
def test_every_file_and_function_the_guide_names_exists(page, path, name):
    target = ROOT / path
    assert target.exists(), f"{page} names {path}, which does not exist"
    if name:
        assert name in defined_names(target), f"{page} names {path}:{name}, which is not defined there"


def test_every_page_exists_in_both_languages():
    english = {p.name for p in GUIDE.glob("*.md") if not p.name.endswith(".ja.md")} - {"glossary.md"}
    assert english == {"README.md", "seed-in-code.md", "exercises.md"}
    for name in english:
        assert (GUIDE / name.replace(".md", ".ja.md")).exists(), f"{name} has no Japanese page"


def test_each_exercise_with_code_has_a_starter_test_and_a_solution():
    for number in (4, 5, 6):
        assert (ROOT / "tests" / "workshop" / f"test_exercise_{number}.py").exists()
        assert (GUIDE / "solutions" / f"exercise-{number}.patch").exists()
        for page in ("exercises.md", "exercises.ja.md"):
            assert f"make exercise {number}" in (GUIDE / page).read_text()
