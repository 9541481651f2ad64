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
from fieldwelfare.store.dbapi import HAS_CIPHER, sqlite3
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
            keys = keyslots.keys_for_recovery(path, recovery)
        else:
            if not operator or passphrase is None:
                raise Locked(t("keys.need_passphrase"))
            keys = keyslots.keys_for(path, operator, passphrase)
    except Locked:
        failed = keyslots.record_failure(path, operator or keyslots.RECOVERY, now)
        (sleep or time.sleep)(keyslots.delay_after(failed))
        raise
    who = operator if recovery is None else keyslots.RECOVERY
    store = _open_with(path, keys, clock=clock, operator=None if recovery is not None else who)
    failures = keyslots.take_failures(path)
    if failures:
        with store.writing() as w:
            for failure in failures:
                w.event("unlock_failed", json.dumps(failure, ensure_ascii=False,
                                                    separators=(",", ":")))
    return store


def _open_with(path: Path | str, keys: list[bytes], *, clock: Clock | None,
               operator: str | None) -> Store:
    """The first key that opens the file; the staged one means a re-key was interrupted
    after the file changed key: finish it (the staged key becomes the current one)."""
    for index, key in enumerate(keys):
        try:
            store = open_store(path, clock=clock, create=False, key=key, operator=operator)
        except Locked:
            continue
        if index:
            keyslots.promote(path)
        return store
    raise Unreadable(t("keys.unreadable", path=path))  # the slots are right, the file is not


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


def exclusive(conn: sqlite3.Connection) -> None:
    """Make sure no other connection has the database open (the app, ``hub serve``,
    another command): leaving WAL mode needs everyone else gone. Then keep the file locked
    by this connection alone until it closes."""
    conn.execute("PRAGMA busy_timeout = 500")
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = str(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]).lower()
    except sqlite3.OperationalError:
        mode = "busy"
    if mode != "delete":
        raise InvalidInput(t("keys.in_use"), field="db")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")


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
    now = iso((clock or default_clock()).now())
    slots = keyslots.slots_path(target)
    recovery = keyslots.create(part, key, operator=operator, passphrase=passphrase,
                               now=now)  # Argon2id, before the lock is taken
    recovery_slots = keyslots.slots_path(part)
    conn = connect(target)
    try:
        exclusive(conn)
        conn.execute(f"ATTACH DATABASE ? AS fw_encrypted KEY {_pragma_key(key)}", (str(part),))
        conn.execute("BEGIN EXCLUSIVE")  # held until the rename: nobody writes in between
        conn.execute("UPDATE meta SET value = value WHERE key = 'device_id'")
        conn.execute("SELECT sqlcipher_export('fw_encrypted')")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE fw_encrypted")
        os.chmod(part, 0o600)
        with open(part, "rb") as new:
            os.fsync(new.fileno())
        recovery_slots.replace(slots)
        with open(target, "r+b") as old:  # the plaintext inode, kept open across the rename
            size = os.fstat(old.fileno()).st_size
            part.replace(target)
            old.seek(0)
            old.write(b"\0" * size)
            old.flush()
            os.fsync(old.fileno())
    except BaseException:
        recovery_slots.unlink(missing_ok=True)
        part.unlink(missing_ok=True)
        raise
    finally:
        conn.close()
    for suffix in SIDECARS:
        _wipe(Path(f"{target}{suffix}"))
    store = open_store(target, clock=clock, create=False, key=key, operator=operator)
    try:
        store.record_event("encrypt", None)
    finally:
        store.close()
    return recovery


def check_alone(store: Store) -> None:
    """InvalidInput if another program has the database open (before a re-key)."""
    with store.lock:
        try:
            exclusive(store.conn)
        finally:
            store.conn.execute("PRAGMA locking_mode = NORMAL")
            store.conn.execute("PRAGMA journal_mode = WAL")


def rekey(store: Store) -> None:
    """A new key for an open encrypted database, sealed to every remaining slot (after an
    operator is removed). Refused while another process has the database open. Crash-safe:
    the new key is staged in every slot before the file changes key."""
    key_of(store)
    new = keyslots.new_key()
    keyslots.stage(store.path, new)  # first: a crash from here on leaves an openable file
    with store.lock:
        try:
            exclusive(store.conn)  # nobody else may hold the old key's pages
            store.conn.execute(f"PRAGMA rekey = {_pragma_key(new)}")
        finally:
            store.conn.execute("PRAGMA locking_mode = NORMAL")
            store.conn.execute("PRAGMA journal_mode = WAL")
    keyslots.promote(store.path)
    store._key = new  # the store keeps the key it was opened with
    store.record_event("rekey", None)


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
    """Check a backup (it must be a fieldwelfare database, open, and pass ``doctor``) and
    only then put it at ``db``. The backup itself is never written to: the checks run on a
    copy beside the target, which is what is renamed into place. A plaintext backup never
    replaces an encrypted database. Returns the problems found (nothing is replaced if
    there are any)."""
    source, target = Path(source), Path(db)
    if target.exists() and not force:
        raise InvalidInput(t("backup.target_exists", path=target), field="db")
    encrypted = is_encrypted(source)
    if target.exists() and is_encrypted(target) and not encrypted:
        raise InvalidInput(t("backup.plaintext_over_encrypted", source=source, path=target),
                           field="source")
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    part = target.with_name(target.name + ".restoring")
    for leftover in (part, keyslots.slots_path(part), *(Path(f"{part}{s}") for s in SIDECARS)):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(source, part)
    os.chmod(part, 0o600)
    if encrypted:
        keyslots.copy(source, part)
    try:
        if encrypted:
            store = unlock(part, operator=operator, passphrase=passphrase, recovery=recovery,
                           clock=clock, sleep=sleep)
        else:
            store = open_store(part, clock=clock, create=False)
        try:
            problems = store.integrity_check()
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            store.close()
        if problems:
            return problems
        for suffix in SIDECARS:
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        if encrypted:
            keyslots.slots_path(part).replace(keyslots.slots_path(target))
        part.replace(target)
        return []
    finally:
        for leftover in (part, keyslots.slots_path(part),
                         *(Path(f"{part}{s}") for s in SIDECARS)):
            leftover.unlink(missing_ok=True)


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
