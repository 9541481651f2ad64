"""This database's device identity and current operator (table ``meta``)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.ids import uuid7
from fieldwelfare.store.dbapi import sqlite3

MAX_OPERATOR = 120
"""An operator's or device's name: what a bundle's ``operator`` may carry (one limit for the
device that writes it and the hub that reads it)."""


def check_names(**names: str) -> None:
    """Refuse identity names a bundle could not carry (empty or over the limit)."""
    for field, value in names.items():
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_OPERATOR:
            raise InvalidInput(t("err.wrong_type", field=field,
                                 detail=f"1-{MAX_OPERATOR} characters"), field=field)


@dataclass(frozen=True)
class Identity:
    device_id: str
    device_name: str | None
    operator: str
    role: str | None
    ambito: str | None

    @property
    def initialised(self) -> bool:
        """True once ``init`` or enrollment named the device and the role."""
        return self.device_name is not None and self.role is not None


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return {k: v for k, v in conn.execute("SELECT key, value FROM meta")}


def write_meta(conn: sqlite3.Connection, values: dict[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def default_operator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on this platform
        return "operatore"


def load_identity(conn: sqlite3.Connection, meta: dict[str, str] | None = None) -> Identity:
    """The identity; a device id is created with the database and never changes (only
    then is this a write: the caller holds the write lock if the id may be missing)."""
    meta = read_meta(conn) if meta is None else meta
    if "device_id" not in meta:
        conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', ?)", (uuid7(),))
        meta = read_meta(conn)
    return Identity(
        device_id=meta["device_id"],
        device_name=meta.get("device_name"),
        operator=meta.get("operator") or default_operator(),
        role=meta.get("role"),
        ambito=meta.get("ambito"),
    )
