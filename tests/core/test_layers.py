"""The shape of the code, held by tests: Smartpay's folder stands alone, no import runs back up the layers (in
either app), every table is in a models.py, and only entry points (views, commands, jobs) end a unit of work."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "storefront"
# From the bottom up: a module may import from its own layer and the ones below, never from one above.
LAYERS = [
    {"config", "extensions", "statuses", "models", "request_id", "i18n", "fields", "address", "security", "limits",
     "labels", "catalog_data", "catalog_memory", "jobs", "cart", "mail", "orders", "tax",
     "refund_rates"},
    {"checkout"},                       # the form and the registry of payment methods (checkout/methods.py)
    {"smartpay"},                       # the integration a merchant copies
    {"bank_transfer", "subscriptions", "legal", "receipts"},  # features that plug in (they may use Smartpay, not each other)
    {"shop", "health", "admin", "demo", "demo_reset", "worker", "cli", "__init__"},  # the app around them
]
SIBLINGS_APART = {"bank_transfer", "subscriptions", "legal", "receipts"}
# The sandbox, the same way: Smartpay's records, then what moves money, then its HTTP faces, then the app.
SANDBOX_LAYERS = [
    {"extensions", "errors", "ids", "paths", "signing", "security", "i18n", "locking", "validation"},
    {"models", "clock", "scenarios", "promotions", "webhooks", "serialize", "http"},
    {"ledger", "tokens", "idempotency", "resources", "consent", "deliverer"},  # every write, under the account's lock
    {"api", "token_api", "promotion_api", "consumer_api", "scenario_routes", "hosted", "dashboard"},
    {"__init__", "cli", "__main__"},
]
APPS = {"storefront": (LAYERS, SIBLINGS_APART), "sandbox": (SANDBOX_LAYERS, set())}
# Entry points: where a request, a command or a job begins and ends, so where its units of work are committed.
ENTRY_MODULES = {"views.py", "commands.py", "cli.py", "jobs.py", "worker.py", "demo_reset.py", "health.py"}
ENTRY_PACKAGES = {"admin"}  # the admin's modules are its views, split by concern
ENTRY_FILES = {"__init__.py"}  # the app factory's crash handler rolls back what the failed request left


def top_of(path: Path, root: Path = ROOT) -> str:
    relative = path.relative_to(root)
    return relative.parts[0].removesuffix(".py") if len(relative.parts) > 1 or relative.name != "__init__.py" \
        else "__init__"


def layer_of(top: str, layers=LAYERS) -> int:
    return next(index for index, names in enumerate(layers) if top in names)


def app_imports(path: Path, root: Path = ROOT) -> set[str]:
    """The top-level modules of the app at `root` that `path` imports (relative imports resolved)."""
    package = list(path.relative_to(root).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                parts = base + (node.module.split(".") if node.module else [])
                names = [parts[0]] if parts else [alias.name for alias in node.names]
            elif node.module and node.module.startswith(f"{root.name}."):
                names = [node.module.split(".")[1]]
            else:
                names = []
            found.update(names)
    return found


def modules(root: Path = ROOT):
    return sorted(root.rglob("*.py"))


@pytest.mark.parametrize("app", APPS)
def test_every_module_has_a_layer(app):
    root, (layers, _apart) = ROOT.parent / app, APPS[app]
    assert not [path for path in modules(root) if not any(top_of(path, root) in names for names in layers)]


def test_smartpay_imports_nothing_of_the_features_the_demo_or_the_admin():
    found = {(str(path.relative_to(ROOT)), name) for path in (ROOT / "smartpay").rglob("*.py")
             for name in app_imports(path) if name in {"bank_transfer", "subscriptions", "demo", "admin"}}
    assert not found


@pytest.mark.parametrize("app", APPS)
def test_no_import_runs_back_up_the_layers(app):
    root, (layers, apart) = ROOT.parent / app, APPS[app]
    upward = []
    for path in modules(root):
        top = top_of(path, root)
        for name in app_imports(path, root) - {top}:
            if name in {"__init__"} or not any(name in layer for layer in layers):
                continue
            if layer_of(name, layers) > layer_of(top, layers) or (top in apart and name in apart):
                upward.append(f"{path.relative_to(root)} imports {name}")
    assert not upward


def is_entry_point(path: Path) -> bool:
    relative = path.relative_to(ROOT)
    return path.name in ENTRY_MODULES or relative.parts[0] in ENTRY_PACKAGES or str(relative) in ENTRY_FILES


def test_only_entry_points_commit_or_roll_back():
    """Domain code that must undo its own work uses a savepoint (`with db.session.begin_nested():`)."""
    found = []
    for path in modules():
        if is_entry_point(path):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr in ("commit", "rollback") and ast.unparse(node.func.value) == "db.session":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}()")
    assert not found


def test_every_table_lives_in_a_models_module():
    """The core's in storefront/models.py, a feature's in its own package's models.py: one place to look."""
    found = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(ast.unparse(base) == "db.Model" for base in node.bases) \
                    and path.name != "models.py":
                found.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert not found
