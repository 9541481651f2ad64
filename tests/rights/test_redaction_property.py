"""Convergence with redaction markers: the merge property's random histories (edits,
referral status changes with outcome and reason, bundles dropped, duplicated, reordered),
with the seeded referral redacted by random replicas at random times (so markers arrive
before the referral, after it, twice, together with erasures). After a full sync every
replica holds the same records, events, conflicts and markers, and none holds the
referral's free text in its records or change log.

Default: a few dozen examples; ``pytest --long``: many more.
"""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from replication_helpers import state
from test_erase_property import ERASE, base_id, kept_log
from test_merge_property import ACTIONS, DEVICES, SLOTS, Net, build

from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.rights.erase import erase
from fieldwelfare.store import Store
from fieldwelfare.store.redaction import redact_referrals

REDACT = st.tuples(st.just("redact"), st.integers(0, DEVICES))
WITH_REDACTIONS = st.one_of(ACTIONS, REDACT, REDACT, ERASE)
TEXT_LEFT = (
    "SELECT tbl, field, value FROM change WHERE (tbl = 'referral' AND field IN "
    "('brief', 'outcome', 'reason') AND value NOT IN ('\"[cancellato]\"', 'null')) OR "
    "(tbl = 'referral_event' AND field = 'note' AND value != 'null')")


def run_history(actions: list[tuple[Any, ...]]) -> tuple[Net, bool]:
    net = build()
    base = base_id(net)
    redacted = False
    for action in actions:
        if action[0] == "redact":
            redact_referrals(net.actor(action[1]), [net.referral], "prova")
            redacted = True
        elif action[0] == "erase":
            _, who, index = action
            with contextlib.suppress(FieldWelfareError):  # not known there, or erased
                erase(net.actor(who), SLOTS[index] if index < len(SLOTS) else base, "prova")
        else:
            net.act(action)
    net.full_sync()
    return net, redacted


def markers(store: Store) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in store.execute_read("SELECT * FROM redaction ORDER BY id")]


def check(actions: list[tuple[Any, ...]]) -> None:
    net, redacted = run_history(actions)
    stores = [net.hub, *net.devices]
    expected, log, marks = state(net.hub), kept_log(net.hub), markers(net.hub)
    for i, store in enumerate(stores):
        assert state(store) == expected, f"replica {i} differs"
        assert kept_log(store) == log, f"replica {i}: change log differs"
        assert markers(store) == marks, f"replica {i}: markers differ"
        assert store.integrity_check() == [], store.integrity_check()
        if redacted:
            assert [tuple(r) for r in store.execute_read(TEXT_LEFT)] == [], f"replica {i}"
            assert store.execute_read(
                "SELECT 1 FROM referral WHERE brief != '[cancellato]' OR outcome IS NOT NULL "
                "OR reason IS NOT NULL") == [], f"replica {i}"
    assert bool(marks) == redacted


def test_redactions_in_any_order_converge_and_leave_no_text(long_run: bool) -> None:
    @settings(max_examples=300 if long_run else 30, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(WITH_REDACTIONS, min_size=5, max_size=60 if long_run else 40))
    def run(actions: list[tuple[Any, ...]]) -> None:
        check(actions)

    run()


def test_a_known_redaction_scenario() -> None:
    """Fixed: the referral completed with an outcome on one device while another redacts
    it without having seen the outcome; a third redacts it too; then a late reason."""
    script: list[tuple[Any, ...]] = [
        ("pull", 0), ("deliver", 0, 0, False), ("referral", 0, "sent"),
        ("referral", 0, "accepted"), ("redact", 1), ("referral", 0, "in_progress"),
        ("referral", 0, "completed"), ("redact", DEVICES), ("sync", 1), ("sync", 0),
        ("referral", 2, "cancelled"), ("redact", 2),
    ]
    net, redacted = run_history(script)
    assert redacted and net.hub.get("referral", net.referral).brief == "[cancellato]"
    check(script)
