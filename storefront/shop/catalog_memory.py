"""What a worker remembers of the catalog, for exactly as long as the catalog does not change.

Each page that shows the catalog first reads one value, the catalog version (models.CatalogVersion), which
triggers in the database change in the same transaction as any product or category: changed by the app, by
`flask seed` or by SQL typed by hand. While the version stays the same, the categories, the pages of the grid
and the products come from memory; when it changes, all of it is forgotten at once. A price on a page is
therefore always the catalog's price at the moment of the request, and a catalog or product page costs one
round trip to the database instead of three (measured: on PostgreSQL, round trips were most of a page's cost).

Without a version row (a database emptied by hand) nothing is remembered and every page reads the catalog.
"""
from collections.abc import Callable, Hashable
from typing import Any

MAX_ENTRIES = 4096  # then start over: a bound on memory, however many pages of a large catalog are browsed


class CatalogMemory:
    def __init__(self) -> None:
        self.forget()

    def forget(self) -> None:
        self.version: str | None = None
        self.entries: dict[Hashable, Any] = {}

    def recall(self, version: str | None, key: Hashable, load: Callable[[], Any]) -> Any:
        """What `load()` answers for `key`, remembered under `version`."""
        if version is None:
            return load()
        if version != self.version:
            self.version, self.entries = version, {}
        entries = self.entries
        if key not in entries:
            if len(entries) >= MAX_ENTRIES:
                entries.clear()
            entries[key] = load()
        return entries[key]
