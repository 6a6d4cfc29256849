"""Where the sandbox keeps its database when told nothing."""
import os
from pathlib import Path


def default_database() -> str:
    """Beside the shop when run from its source tree (instance/, as `make run` always had it); otherwise in
    the user's data folder, since an installed package's own folder may not be writable."""
    source_tree = Path(__file__).resolve().parent.parent
    if (source_tree / "storefront").is_dir():
        return f"sqlite:///{source_tree / 'instance' / 'sandbox.sqlite3'}"
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "smartpay-sandbox"
    return f"sqlite:///{data / 'sandbox.sqlite3'}"
