"""The SQLite driver: SQLCipher 4 (``sqlcipher3``, a drop-in for ``sqlite3``) where its
wheel exists, else the standard library's ``sqlite3`` (plaintext databases only).

Every module of the store imports the driver from here, so exceptions caught and rows
read are the driver's own: ``from fieldwelfare.store.dbapi import sqlite3``. For the
type checker it is the standard library module (same API).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3
else:
    try:
        from sqlcipher3 import dbapi2 as sqlite3
    except ImportError:  # no wheel for this platform (Intel macOS): plaintext only
        import sqlite3

HAS_CIPHER: bool = sqlite3.__name__.startswith("sqlcipher3")
"""True when databases can be encrypted on this machine."""

__all__ = ["HAS_CIPHER", "sqlite3"]
