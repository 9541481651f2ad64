"""What a device may change, checked by the hub on every received change.

A volunteer's device may only change what it holds and owns: its own volunteer record,
its own availability, and the status, outcome and reason of the referrals addressed to it
(with the history events of those changes). Anything else in a volunteer's bundle refuses
the whole bundle. Social workers and coordinators are the network's professionals: their
changes are not restricted by table (docs/merge.md, "Who may change what"), except the
markers that remove data and the read log:

* redaction markers (a referral's texts removed) come only from the hub's retention run:
  a device's bundle holding one is refused;
* erasure markers (``purge``) come only from coordinators, as on the device itself;
* a read-log entry is written once, by the device that logged it: a change to an entry
  the hub already holds is refused (it could rewrite who read what, or backdate it so
  that retention removes it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fieldwelfare.store.changes import Change, PeerScope
from fieldwelfare.store.merge import ACCESS_TABLE, EVENT_TABLE, PURGE_TABLE, REDACTION_TABLE
from fieldwelfare.store.store import Store

REFERRAL_FIELDS = frozenset({"status", "outcome", "reason"})
"""What a volunteer may change of a referral addressed to them."""


class WriteOutOfScope(ValueError):
    """A change the sending device may not make."""


def _resent(store: Store, change: Change) -> bool:
    return bool(store.execute_read(
        "SELECT 1 FROM change WHERE tbl = ? AND rid = ? AND field = ? AND hlc = ? "
        "AND origin = ?", (change.tbl, change.rid, change.field, change.hlc, change.origin)))


def _professional(store: Store, peer: PeerScope, changes: Iterable[Change]
                  ) -> Iterator[Change]:
    """A social worker's or coordinator's changes: everything but the hub's markers,
    erasures by others than coordinators and rewrites of the read log."""
    fresh: set[str] = set()
    """Read-log entries this bundle creates (each of their fields is a change)."""
    for change in changes:
        where = f"{change.tbl} {change.rid} {change.field}"
        if change.tbl == REDACTION_TABLE:
            raise WriteOutOfScope(f"{where}: only the hub removes a referral's texts")
        if change.tbl == PURGE_TABLE and peer.role != "coordinator":
            raise WriteOutOfScope(f"{where}: only a coordinator erases a person")
        if change.tbl == ACCESS_TABLE and change.rid not in fresh and not _resent(store, change):
            if store.execute_read("SELECT 1 FROM access WHERE id = ?", (change.rid,)):
                raise WriteOutOfScope(f"{where}: a read-log entry is never changed")
            fresh.add(change.rid)
        yield change


def guard(store: Store, peer: PeerScope, changes: Iterable[Change]) -> Iterator[Change]:
    """``changes`` as they are, raising :class:`WriteOutOfScope` at the first change the
    peer may not make (the caller's transaction then rolls everything back)."""
    if peer.role != "volunteer":
        yield from _professional(store, peer, changes)
        return
    own = peer.volunteer_id
    new_rows: dict[tuple[str, str], bool] = {}
    """Rows created in this bundle: have they shown they belong to this volunteer?"""

    def existing(tbl: str, rid: str, column: str) -> tuple[bool, object]:
        rows = store.execute_read(f'SELECT "{column}" FROM {tbl} WHERE id = ?', (rid,))
        return (True, rows[0][0]) if rows else (False, None)

    def refuse(change: Change, why: str) -> WriteOutOfScope:
        return WriteOutOfScope(f"{change.tbl} {change.rid} {change.field}: {why}")

    for change in changes:
        tbl, rid, field = change.tbl, change.rid, change.field
        if _resent(store, change):
            yield change  # a resend of a change already accepted: the merge skips it
            continue
        if tbl == "volunteer":
            if rid != own:
                raise refuse(change, "not this volunteer's record")
        elif tbl == "availability":
            found, owner = existing("availability", rid, "volunteer_id")
            if found and owner != own:
                raise refuse(change, "another volunteer's availability")
            if field == "volunteer_id" and change.value != own:
                raise refuse(change, "availability for another volunteer")
            if not found:
                new_rows[(tbl, rid)] = new_rows.get((tbl, rid), False) or (
                    field == "volunteer_id" and change.value == own)
        elif tbl == "referral":
            found, target = existing("referral", rid, "volunteer_id")
            if not found or target != own:
                raise refuse(change, "not a referral addressed to this volunteer")
            if field not in REFERRAL_FIELDS:
                raise refuse(change, f"only {', '.join(sorted(REFERRAL_FIELDS))}")
        elif tbl == EVENT_TABLE:
            if existing(EVENT_TABLE, rid, "referral_id")[0]:
                raise refuse(change, "history events cannot be changed")
            if field == "referral_id":
                found, target = existing("referral", str(change.value), "volunteer_id")
                if not found or target != own:
                    raise refuse(change, "history of a referral not addressed to them")
            new_rows[(tbl, rid)] = new_rows.get((tbl, rid), False) or field == "referral_id"
        else:
            raise refuse(change, "a volunteer's device does not change this")
        yield change
    for (tbl, rid), shown in new_rows.items():
        if not shown:
            raise WriteOutOfScope(f"{tbl} {rid}: created without saying whose it is")
