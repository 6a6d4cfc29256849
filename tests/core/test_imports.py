"""No import circle in either app: two modules that need each other hide a third module both should use.

Every import counts, also those inside functions (a function-level import is how a circle usually hides)."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, package: str, modules: set[str]) -> set[str]:
    """The modules of `package` that the file at `path` imports, resolved like Python does."""
    here = module_name(path)
    base = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            origin = node.module or ""
            if node.level:
                origin = ".".join(base.split(".")[:len(base.split(".")) - node.level + 1] + ([origin] if origin else []))
            found.add(origin)
            found.update(f"{origin}.{alias.name}" for alias in node.names)  # `from . import orders`
    return {name for name in found if name in modules and name != here and name.split(".")[0] == package}


def circles(package: str) -> list[list[str]]:
    """Groups of modules that reach each other through imports (strongly connected components, Tarjan)."""
    files = {module_name(path): path for path in (ROOT / package).rglob("*.py")}
    # A package's __init__ importing its own submodules is how packages are built, not a circle.
    graph = {name: {target for target in imports_of(path, package, set(files))
                    if not (path.name == "__init__.py" and target.startswith(name + "."))}
             for name, path in files.items()}
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for target in graph[name]:
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in on_stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            group = []
            while not group or group[-1] != name:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                groups.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return groups


@pytest.mark.parametrize("package", ["storefront", "sandbox"])
def test_no_import_circle(package):
    assert circles(package) == [], "modules that import each other: " + "; ".join(" ↔ ".join(c) for c in circles(package))


def test_the_walk_finds_a_circle_when_there_is_one(tmp_path, monkeypatch):
    package = tmp_path / "loopy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from .b import g\n")
    (package / "b.py").write_text("from . import a\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert circles("loopy") == [["loopy.a", "loopy.b"]]


def test_no_test_module_imports_another():
    """Helpers, fixtures and test data live in tests/support/; a test module (or a package's conftest) importing
    another test module runs that module's tests' imports and makes one file's change break another's."""
    offenders = []
    for path in (ROOT / "tests").rglob("*.py"):
        if "node_modules" in path.parts or "support" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                last = name.split(".")[-1]
                if name.startswith("tests.") and name != "tests.conftest" and (
                        last.startswith("test_") or last == "conftest"):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, "\n".join(offenders)
