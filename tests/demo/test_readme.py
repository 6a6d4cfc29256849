"""The README is the first five minutes: short, opening with the seed's flow as a sequence diagram whose every
arrow names a function that exists, and linking to docs/ pages that exist (so do their own links)."""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
DOCS = sorted((ROOT / "docs").rglob("*.md"))


def defined_names(path: Path) -> set[str]:
    return {node.name for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def test_it_fits_on_a_few_screens_and_opens_with_the_flow():
    assert len(README.splitlines()) <= 120
    first_section = README.split("\n## ")[1]
    assert first_section.startswith("The seed") and "```mermaid\nsequenceDiagram" in first_section


def test_every_arrow_names_a_function_that_exists():
    diagram = re.search(r"```mermaid\n(.*?)```", README, re.S).group(1)
    references = re.findall(r"\(([\w/]+\.py):(\w+)\)", diagram)
    assert len(references) >= 10
    missing = [f"{file}:{name}" for file, name in references
               if name not in defined_names(ROOT / "storefront" / file)]
    assert not missing


@pytest.mark.parametrize("page", [ROOT / "README.md", *DOCS], ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_leads_somewhere(page):
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text())
    broken = [link for link in links if not (page.parent / link).exists()]
    assert not broken
