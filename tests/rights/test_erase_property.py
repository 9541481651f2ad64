"""Convergence with erasures: the merge property's random histories (edits, deletes,
visits, referral changes, conflict resolutions; bundles dropped, duplicated, reordered),
with erasures of random people by random replicas in random order. After a full sync every
replica holds the same records, events and conflicts, and no erased value survives in any
replica's records or change log.

Default: a few dozen examples; ``pytest --long``: many more.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from replication_helpers import state
from test_merge_property import ACTIONS, DEVICES, SLOTS, Net, build

from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.rights.erase import erase
from fieldwelfare.store import Store
from fieldwelfare.store import replication as rep

BASE = len(SLOTS)
"""Index of the seeded person who has the need and the referral (erasing them redacts it)."""
ERASE = st.tuples(st.just("erase"), st.integers(0, DEVICES), st.integers(0, BASE))
WITH_ERASURES = st.one_of(ACTIONS, ERASE)


def base_id(net: Net) -> str:
    return str(net.hub.execute_read("SELECT id FROM person WHERE given_name = 'Base'")[0][0])


def run_history(actions: list[tuple[Any, ...]]) -> tuple[Net, dict[str, str]]:
    net = build()
    base = base_id(net)
    erased: dict[str, str] = {}  # person id -> their unique given name
    for action in actions:
        if action[0] != "erase":
            net.act(action)
            continue
        _, who, index = action
        pid = SLOTS[index] if index < BASE else base
        try:
            erase(net.actor(who), pid, "prova")
            erased[pid] = f"P{index}" if index < BASE else "Base"
        except FieldWelfareError:
            pass  # not known there yet, or already erased
    net.full_sync()
    return net, erased


def kept_log(store: Store) -> list[tuple[Any, ...]]:
    """The change log but the emptied rows of erased records (a replica that never held a
    record has none of them)."""
    return sorted(tuple(r) for r in store.execute_read(
        "SELECT origin, hlc, tbl, rid, field, value FROM change WHERE tbl != '_purged'"))


def survivors(store: Store, erased: dict[str, str]) -> list[str]:
    out: list[str] = []
    for pid, name in erased.items():
        for sql, args in (
                ("SELECT 1 FROM person WHERE id = ?", (pid,)),
                ("SELECT 1 FROM visit WHERE person_id = ?", (pid,)),
                ("SELECT 1 FROM need WHERE person_id = ?", (pid,)),
                ("SELECT 1 FROM change WHERE tbl IN ('person', 'visit', 'need') AND "
                 "(rid = ? OR value = ?)", (pid, f'"{pid}"')),
                ("SELECT 1 FROM change WHERE value LIKE ?", (f'%"{name}"%',)),
                ("SELECT 1 FROM conflict WHERE rid = ?", (pid,))):
            if store.execute_read(sql, args):
                out.append(f"{name}: {sql}")
        if name == "Base":
            for sql in ("SELECT 1 FROM change WHERE value LIKE '%spesa%'",
                        "SELECT 1 FROM referral WHERE brief != '[cancellato]'",
                        "SELECT 1 FROM need"):
                if store.execute_read(sql):
                    out.append(f"Base: {sql}")
    return out


def check(actions: list[tuple[Any, ...]]) -> None:
    net, erased = run_history(actions)
    stores = [net.hub, *net.devices]
    expected = state(net.hub)
    log = kept_log(net.hub)
    for i, store in enumerate(stores):
        assert state(store) == expected, f"replica {i} differs"
        assert kept_log(store) == log, f"replica {i}: change log differs"
        assert store.integrity_check() == [], store.integrity_check()
        assert survivors(store, erased) == [], f"replica {i}"
        assert {r[0] for r in store.execute_read("SELECT id FROM purge")} == set(erased)
        assert rep.unsent_count(store) == 0 or store is net.hub


def test_erasures_in_any_order_converge_and_leave_nothing(long_run: bool) -> None:
    @settings(max_examples=300 if long_run else 30, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(WITH_ERASURES, min_size=5, max_size=60 if long_run else 40))
    def run(actions: list[tuple[Any, ...]]) -> None:
        check(actions)

    run()


def test_a_known_erasure_scenario() -> None:
    """Fixed: a person edited on two devices, erased on a third while a visit and an edit
    are queued, then a late re-creation attempt; and the base person with the referral."""
    script: list[tuple[Any, ...]] = [
        ("create", 3), ("push", 0), ("deliver", DEVICES, 0, False), ("pull", 1),
        ("deliver", 1, 0, False), ("edit", 1, 3, "phone", 0), ("visit", 1, 3), ("push", 1),
        ("erase", 2, 3), ("erase", 0, 3), ("sync", 2), ("referral", 1, "sent"),
        ("erase", DEVICES, BASE), ("deliver", DEVICES, 0, False), ("create", 3),
        ("sync", 1), ("sync", 0),
    ]
    _, erased = run_history(script)
    assert len(erased) == 2 and SLOTS[3] in erased
    check(script)
