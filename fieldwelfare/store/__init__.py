"""The store: the one owner of SQLite (connection, migrations, change log, audit log)."""

from fieldwelfare.store.identity import Identity
from fieldwelfare.store.store import Store, model_for, open_store

__all__ = ["Identity", "Store", "model_for", "open_store"]
