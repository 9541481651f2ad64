"""Opening the SQLite file: the key (SQLCipher), WAL, busy timeout, foreign keys, explicit
transactions. A new file is made 0600 (SQLite gives its WAL and SHM the same mode)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fieldwelfare.i18n import t
from fieldwelfare.store.dbapi import HAS_CIPHER, sqlite3
from fieldwelfare.store.keyslots import Locked, Unreadable

BUSY_TIMEOUT_MS = 10_000


SQLITE_HEADER = b"SQLite format 3\x00"


def is_encrypted(path: Path | str) -> bool:
    """True for an existing, non-empty file that is not a plain SQLite database (SQLCipher
    leaves no recognisable header)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return bool(head) and head != SQLITE_HEADER


def connect(path: Path | str, key: bytes | None = None, *,
            adopt: bool = True) -> sqlite3.Connection:
    """Open ``path`` (``":memory:"`` allowed) in autocommit mode: transactions are explicit.
    ``key``: the raw 256-bit SQLCipher key of an encrypted database (None: plaintext).
    ``adopt=False``: refuse (before changing a byte) a file that is not already a
    fieldwelfare database: another program's database, or an empty file."""
    target = str(path)
    if key is not None and not HAS_CIPHER:
        raise Locked(t("keys.no_cipher"))
    if target != ":memory:":
        Path(target).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not os.path.exists(target):
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
    if HAS_CIPHER:  # a wrong key is our one message, not SQLCipher's log lines on stderr
        conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        conn.close()
        raise Locked(t("keys.wrong_key" if key is not None else "keys.encrypted",
                       path=target)) from None
    if not adopt and target != ":memory:" and not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = '_sqlite_migrations'").fetchone():
        conn.close()
        raise Unreadable(t("err.not_fieldwelfare", path=target))
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if target != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA secure_delete = ON")  # erasure: freed pages are zeroed
    return conn


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolls back on any error (if SQLite has not already)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
