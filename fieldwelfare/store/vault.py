"""Encrypted databases: create, unlock, convert, re-key, back up and restore.

The key slots are in :mod:`.keyslots`; the cipher is SQLCipher 4 with a raw 256-bit key.
Every function here keeps the database whole at every instant: a new file is written
beside the old one and renamed over it, and what was plaintext is overwritten before it
is let go.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from fieldwelfare.clock import Clock, default_clock, iso
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.store import keyslots
from fieldwelfare.store.connection import connect, is_encrypted
from fieldwelfare.store.dbapi import HAS_CIPHER
from fieldwelfare.store.keyslots import Locked, Unreadable
from fieldwelfare.store.store import Store, open_store

SIDECARS = ("-wal", "-shm", "-journal")

Sleep = Callable[[float], None]


def _pragma_key(key: bytes) -> str:
    return f"\"x'{key.hex()}'\""


def create(path: Path | str, *, operator: str, passphrase: str,
           clock: Clock | None = None) -> tuple[Store, str]:
    """A new encrypted database at ``path`` with its first operator; returns the store
    and the recovery key's text (to print once, for paper)."""
    if not HAS_CIPHER:
        raise Locked(t("keys.no_cipher"))
    keyslots.check_passphrase(passphrase, names=(operator,))
    key = keyslots.new_key()
    now = iso((clock or default_clock()).now())
    store = open_store(path, clock=clock, key=key, operator=operator)
    recovery = keyslots.create(path, key, operator=operator, passphrase=passphrase, now=now)
    return store, recovery


def unlock(path: Path | str, *, operator: str | None = None, passphrase: str | None = None,
           recovery: str | None = None, clock: Clock | None = None,
           sleep: Sleep | None = None) -> Store:
    """Open an encrypted database with an operator's passphrase (or the recovery key).

    A failure is counted in the slots file and waited for (0, 1, 2, 4 ... 30 s as failures
    repeat) before :class:`Locked` is raised; the failures since the last success go to the
    audit log when the database is next opened."""
    now = iso((clock or default_clock()).now())
    try:
        if recovery is not None:
            key = keyslots.unlock_recovery(path, recovery)
        else:
            if not operator or passphrase is None:
                raise Locked(t("keys.need_passphrase"))
            key = keyslots.unlock(path, operator, passphrase)
    except Locked:
        failed = keyslots.record_failure(path, operator or keyslots.RECOVERY, now)
        (sleep or time.sleep)(keyslots.delay_after(failed))
        raise
    who = operator if recovery is None else keyslots.RECOVERY
    try:
        store = open_store(path, clock=clock, create=False, key=key,
                           operator=None if recovery is not None else who)
    except Locked:  # the slots gave the right key: it is the file that is wrong
        raise Unreadable(t("keys.unreadable", path=path)) from None
    failures = keyslots.take_failures(path)
    if failures:
        with store.writing() as w:
            for failure in failures:
                w.event("unlock_failed", json.dumps(failure, ensure_ascii=False,
                                                    separators=(",", ":")))
    return store


def key_of(store: Store) -> bytes:
    """The key of an open encrypted store (to add an operator's slot)."""
    key = getattr(store, "_key", None)
    if not isinstance(key, bytes):
        raise Locked(t("keys.not_encrypted"))
    return key


def _wipe(path: Path) -> None:
    """Overwrite a file with zeros, then remove it (what was plaintext is not left behind
    in the file system's free space as far as the file system allows)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with open(path, "r+b") as fh:
        fh.write(b"\0" * size)
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()


def encrypt_in_place(path: Path | str, *, operator: str, passphrase: str,
                     clock: Clock | None = None) -> str:
    """Convert a plaintext database to an encrypted one, atomically (``sqlcipher_export``
    into a new file, renamed over the old one); no plaintext copy, WAL or journal is left.
    Returns the recovery key's text. The app must be closed on this database."""
    target = Path(path)
    if not HAS_CIPHER:
        raise Locked(t("keys.no_cipher"))
    if is_encrypted(target):
        raise InvalidInput(t("keys.already_encrypted"), field="db")
    keyslots.check_passphrase(passphrase, names=(operator,))
    key = keyslots.new_key()
    part = target.with_name(target.name + ".encrypting")
    for leftover in (part, *(Path(f"{part}{s}") for s in SIDECARS)):
        leftover.unlink(missing_ok=True)
    conn = connect(target)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("BEGIN IMMEDIATE")  # no writer may slip in during the export
        conn.execute(f"ATTACH DATABASE ? AS fw_encrypted KEY {_pragma_key(key)}", (str(part),))
        conn.execute("SELECT sqlcipher_export('fw_encrypted')")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE fw_encrypted")
    finally:
        conn.close()
    os.chmod(part, 0o600)
    now = iso((clock or default_clock()).now())
    recovery = keyslots.create(target, key, operator=operator, passphrase=passphrase, now=now)
    with open(target, "r+b") as old:  # the plaintext inode, kept open across the rename
        size = os.fstat(old.fileno()).st_size
        with open(part, "rb") as new:
            os.fsync(new.fileno())
        part.replace(target)
        old.seek(0)
        old.write(b"\0" * size)
        old.flush()
        os.fsync(old.fileno())
    for suffix in SIDECARS:
        _wipe(Path(f"{target}{suffix}"))
    store = open_store(target, clock=clock, create=False, key=key, operator=operator)
    try:
        store.record_event("encrypt", None)
    finally:
        store.close()
    return recovery


def rekey(store: Store) -> None:
    """A new key for an open encrypted database, sealed to every remaining slot (after an
    operator is removed). Other processes must have closed the database."""
    old = key_of(store)
    new = keyslots.new_key()
    with store.lock:
        store.conn.execute(f"PRAGMA rekey = {_pragma_key(new)}")
    keyslots.reseal(store.path, new)
    store._key = new
    store.record_event("rekey", None)
    del old


def backup(store: Store, out: Path | str) -> Path:
    """An online, consistent copy (``VACUUM INTO``: one read transaction, the app may keep
    writing), encrypted with the same key, with a copy of the key slots beside it (so an
    operator's passphrase or the recovery key restores it)."""
    target = Path(out)
    if target.exists():
        raise InvalidInput(t("backup.exists", path=target), field="out")
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    with store.lock:
        store.conn.execute("VACUUM INTO ?", (str(part),))
    os.chmod(part, 0o600)
    if store.encrypted:
        keyslots.copy(store.path, target)
    part.replace(target)
    store.record_event("backup", target.name)
    return target


def restore(source: Path | str, db: Path | str, *, operator: str | None = None,
            passphrase: str | None = None, recovery: str | None = None,
            force: bool = False, clock: Clock | None = None,
            sleep: Sleep | None = None) -> list[str]:
    """Check a backup (it must open and pass ``doctor``) and only then put it at ``db``.
    Returns the problems found (nothing is replaced if there are any)."""
    source, target = Path(source), Path(db)
    if target.exists() and not force:
        raise InvalidInput(t("backup.target_exists", path=target), field="db")
    if is_encrypted(source):
        store = unlock(source, operator=operator, passphrase=passphrase, recovery=recovery,
                       clock=clock, sleep=sleep)
    else:
        store = open_store(source, clock=clock, create=False)
    try:
        problems = store.integrity_check()
    finally:
        store.close()
    if problems:
        return problems
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    part = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, part)
    os.chmod(part, 0o600)
    if keyslots.slots_path(source).exists():
        keyslots.copy(source, target)
    for suffix in SIDECARS:
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    part.replace(target)
    return []


def report(store: Store) -> tuple[list[str], list[str]]:
    """What ``doctor`` says about protection at rest: (facts, warnings)."""
    facts: list[str] = []
    warnings: list[str] = []
    path = Path(store.path)
    if store.encrypted:
        with store.lock:
            version = store.conn.execute("PRAGMA cipher_version").fetchone()
            page = store.conn.execute("PRAGMA cipher_page_size").fetchone()
            hmac = store.conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()
        facts.append(t("security.encrypted", version=version[0] if version else "?",
                       page=page[0] if page else "?", hmac=hmac[0] if hmac else "?"))
        for slot in keyslots.slots(path):
            facts.append(t("security.slot", name=slot.name, kind=slot.kind,
                           at=slot.created_at[:10]))
            if slot.weak:
                warnings.append(t("security.weak_slot", name=slot.name))
    elif store.path != ":memory:":
        warnings.append(t("security.plaintext"))
    files = [path, *(Path(f"{path}{s}") for s in SIDECARS), keyslots.slots_path(path)]
    for file in files:
        if file.exists() and file.stat().st_mode & 0o077:
            warnings.append(t("security.mode", path=file, mode=oct(file.stat().st_mode & 0o777)))
    folder = path.parent
    if store.path != ":memory:" and folder.stat().st_mode & 0o077:
        facts.append(t("security.folder_mode", path=folder,
                       mode=oct(folder.stat().st_mode & 0o777)))
    return facts, warnings
