"""Convergence property: devices edit, delete and resolve while bundles are dropped,
duplicated and reordered through a relaying hub; after a full sync every replica holds the
same records, events, change log and conflict records (SYNC.md 6.5 #19).

Default: a few dozen examples; ``pytest --long``: many more.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from replication_helpers import LECCO, PRIVACY, new_store, scope_of, state

from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.ids import uuid7
from fieldwelfare.store import Store, ingest
from fieldwelfare.store import replication as rep

DEVICES = 3
SLOTS = [str(uuid.UUID(int=(0x0190_0000_0000_7000_8000_0000_0000_0000 + i))) for i in range(6)]
SEEDED = 3
"""Slots 0-2 are created by the hub and synced everywhere before the run; 3-5 by devices."""
FIELDS = {"phone": ["111", "222", None], "notes": ["a", "b"], "household_size": [1, 2, 3]}
STATUS_EXTRA = {"sent": {}, "accepted": {}, "in_progress": {},
                "completed": {"outcome": "fatto"}, "declined": {"reason": "no"},
                "cancelled": {"reason": "annullato"}}

actor = st.integers(0, DEVICES)  # DEVICES = the hub itself acting as a workstation
queue = st.integers(0, DEVICES)  # DEVICES = the hub's inbox
EDIT = st.tuples(st.just("edit"), actor, st.integers(0, SEEDED),
                st.sampled_from(sorted(FIELDS)), st.integers(0, 2))
ACTIONS = st.one_of(
    EDIT, EDIT, EDIT, EDIT,  # weighted: concurrent edits are what the property is about
    st.tuples(st.just("create"), st.integers(SEEDED, len(SLOTS) - 1)),
    st.tuples(st.just("edit"), actor, st.integers(0, len(SLOTS) - 1),
              st.sampled_from(sorted(FIELDS)), st.integers(0, 2)),
    st.tuples(st.just("delete"), actor, st.integers(0, len(SLOTS) - 1)),
    st.tuples(st.just("visit"), actor, st.integers(0, len(SLOTS) - 1)),
    st.tuples(st.just("referral"), actor, st.sampled_from(sorted(STATUS_EXTRA))),
    st.tuples(st.just("resolve"), actor, st.integers(0, 5), st.sampled_from(["current", "other"])),
    st.tuples(st.just("push"), st.integers(0, DEVICES - 1)),
    st.tuples(st.just("pull"), st.integers(0, DEVICES - 1)),
    st.tuples(st.just("deliver"), queue, st.integers(0, 7), st.booleans()),
    st.tuples(st.just("sync"), st.integers(0, DEVICES - 1)),
    st.tuples(st.just("drop"), queue, st.integers(0, 7)),
)


@dataclass
class Net:
    hub: Store
    devices: list[Store]
    referral: str
    inbox: list[list[tuple[Any, ...]]] = field(default_factory=list)  # per device, then hub
    cursor: dict[str, int] = field(default_factory=dict)

    def actor(self, i: int) -> Store:
        return self.hub if i == DEVICES else self.devices[i]

    # ------------------------------------------------------------- messages
    def push(self, i: int) -> bool:
        dev = self.devices[i]
        pairs = list(rep.outbox(dev))
        if pairs:
            self.inbox[DEVICES].append(("bundle", i, uuid7(), [c for _, c in pairs],
                                        pairs[-1][0]))
        return bool(pairs)

    def pull(self, i: int) -> None:
        dev = self.devices[i]
        since = self.cursor.get(dev.identity.device_id, 0)
        upto = rep.last_seq(self.hub)
        changes = [c for _, c in rep.changes_for_peer(self.hub, scope_of(dev), since_seq=since)]
        self.inbox[i].append(("hub-bundle", uuid7(), changes, since, upto))

    def deliver(self, q: int, msg: tuple[Any, ...]) -> None:
        if q == DEVICES:
            if msg[0] == "bundle":
                _, i, bundle_id, changes, upto = msg
                rep.apply_changes(self.hub, changes, bundle_id=bundle_id,
                                  sender=self.devices[i].identity.device_id,
                                  file_sha256="0" * 64, kind="device-push")
                self.inbox[i].append(("ack", upto))
            else:  # the device confirms what it applied: the hub's cursor may move
                _, device_id, since, upto = msg
                if since <= self.cursor.get(device_id, 0):
                    self.cursor[device_id] = max(self.cursor.get(device_id, 0), upto)
            return
        dev = self.devices[q]
        if msg[0] == "ack":
            rep.acknowledge(dev, msg[1])
        else:
            _, bundle_id, changes, since, upto = msg
            rep.apply_changes(dev, changes, bundle_id=bundle_id, sender="hub",
                              file_sha256="0" * 64, kind="hub-push", received_from_hub=True)
            self.inbox[DEVICES].append(("confirm", dev.identity.device_id, since, upto))

    def full_sync(self) -> None:
        for _ in range(2):
            for i in range(DEVICES):
                self.push(i)
                while self.inbox[DEVICES]:
                    self.deliver(DEVICES, self.inbox[DEVICES].pop())
            for i in range(DEVICES):
                self.pull(i)
                while self.inbox[i]:
                    self.deliver(i, self.inbox[i].pop(0))
                while self.inbox[DEVICES]:
                    self.deliver(DEVICES, self.inbox[DEVICES].pop())

    # ------------------------------------------------------------- edits
    def act(self, action: tuple[Any, ...]) -> None:
        name = action[0]
        try:
            if name == "create":
                slot = action[1]
                self.devices[slot % DEVICES].add("person", {
                    "id": SLOTS[slot], "given_name": f"P{slot}", "family_name": "Rossi",
                    "comune": LECCO})
            elif name == "edit":
                _, who, slot, fname, k = action
                values = FIELDS[fname]
                self.actor(who).update("person", SLOTS[slot],  # actors tend to disagree
                                       {fname: values[(k + who) % len(values)]})
            elif name == "delete":
                self.actor(action[1]).delete("person", SLOTS[action[2]])
            elif name == "visit":
                self.actor(action[1]).add("visit", {"person_id": SLOTS[action[2]]})
            elif name == "referral":
                _, who, status = action
                self.actor(who).update("referral", self.referral,
                                       {"status": status, **STATUS_EXTRA[status]})
            elif name == "resolve":
                _, who, k, keep = action
                store = self.actor(who)
                open_ = rep.list_conflicts(store)
                if open_:
                    rep.resolve_conflict(store, open_[k % len(open_)].id, keep)
            elif name == "sync":  # one device syncs reliably, other mail stays queued
                i = action[1]
                if self.push(i):
                    self.deliver(DEVICES, self.inbox[DEVICES].pop())
                self.pull(i)
                self.deliver(i, self.inbox[i].pop())
            elif name == "push":
                self.push(action[1])
            elif name == "pull":
                self.pull(action[1])
            elif name in ("deliver", "drop"):
                _, q, k = action[:3]
                box = self.inbox[q]
                if box:
                    msg = box[k % len(box)]
                    if name == "drop" or not action[3]:
                        box.remove(msg)
                    if name == "deliver":
                        self.deliver(q, msg)
        except FieldWelfareError:
            pass  # the operator's edit was refused locally (record missing, rule, ...)


def build() -> Net:
    hub = new_store(name="hub")
    devices = [new_store(name=f"d{i}") for i in range(DEVICES)]
    p = hub.add("person", {"given_name": "Base", "family_name": "Persona", "comune": LECCO,
                           "privacy_notice": PRIVACY}).id
    n = hub.add("need", {"person_id": p, "area": "elderly", "category": "shopping",
                         "description": "spesa settimanale"}).id
    v = hub.add("volunteer", {"given_name": "Lia", "family_name": "Neri", "phone": "1"}).id
    r = hub.add("referral", {"need_id": n, "volunteer_id": v, "brief": "spesa"}).id
    for slot in range(SEEDED):
        hub.add("person", {"id": SLOTS[slot], "given_name": f"P{slot}", "family_name": "Bianchi",
                           "comune": LECCO})
    net = Net(hub, devices, r, inbox=[[] for _ in range(DEVICES + 1)])
    net.full_sync()
    return net


def check(actions: list[tuple[Any, ...]]) -> None:
    net = build()
    for action in actions:
        net.act(action)
    net.full_sync()
    stores = [net.hub, *net.devices]
    expected = state(net.hub)
    logs = [sorted((r[0], r[1], r[2], r[3], r[4], r[5]) for r in s.execute_read(
        "SELECT origin, hlc, tbl, rid, field, value FROM change")) for s in stores]
    for i, store in enumerate(stores):
        assert state(store) == expected, f"replica {i} differs"
        assert logs[i] == logs[0]
        assert store.integrity_check() == []
        assert rep.unsent_count(store) == 0 or store is net.hub


def test_replicas_converge_with_identical_conflicts(long_run: bool) -> None:
    @settings(max_examples=400 if long_run else 40, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(ACTIONS, min_size=5, max_size=60 if long_run else 40))
    def run(actions: list[tuple[Any, ...]]) -> None:
        check(actions)

    run()


def test_replicas_converge_whatever_the_batching(long_run: bool,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The same property with every import cut into small batches (ingest.BATCH of 1-4, drawn
    per import): records, conflict pairs and repeats are split across batch boundaries."""
    real = rep.apply_changes
    default = ingest.BATCH
    sizes: list[int] = [1]
    turn = itertools.count()

    def batched(*args: Any, **kw: Any) -> rep.ApplyReport:
        monkeypatch.setattr(ingest, "BATCH", sizes[next(turn) % len(sizes)])
        try:
            return real(*args, **kw)
        finally:
            monkeypatch.setattr(ingest, "BATCH", default)

    monkeypatch.setattr(rep, "apply_changes", batched)

    @settings(max_examples=200 if long_run else 20, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(ACTIONS, min_size=5, max_size=60 if long_run else 40),
           st.lists(st.integers(1, 4), min_size=1, max_size=8))
    def run(actions: list[tuple[Any, ...]], drawn: list[int]) -> None:
        sizes[:] = drawn
        check(actions)

    run()


def test_a_known_conflict_scenario_converges() -> None:
    """A fixed script, so that the property's machinery is known to produce conflicts."""
    script: list[tuple[Any, ...]] = [
        ("create", 3), ("push", 0), ("deliver", DEVICES, 0, False), ("pull", 1),
        ("deliver", 1, 0, False), ("pull", 2), ("deliver", 2, 0, False),
        ("delete", 0, 3), ("edit", 1, 3, "phone", 0), ("edit", 2, 3, "phone", 1),
        ("edit", 2, 3, "notes", 0), ("edit", 0, 1, "notes", 1), ("edit", 1, 1, "notes", 1),
        ("referral", 1, "sent"), ("referral", 2, "cancelled"),
        ("push", 2), ("push", 2), ("deliver", DEVICES, 1, True), ("drop", DEVICES, 0),
    ]
    net = build()
    for action in script:
        net.act(action)
    net.full_sync()
    conflicts = rep.list_conflicts(net.hub, status=None)
    kinds = sorted(c.kind for c in conflicts)
    assert kinds.count("edit_after_delete") == 3 and kinds.count("concurrent_edit") == 3
    for store in net.devices:
        assert state(store) == state(net.hub)
    open_ = rep.list_conflicts(net.devices[0])
    rep.resolve_conflict(net.devices[0], open_[0].id, "other")
    net.full_sync()
    for store in net.devices:
        assert state(store) == state(net.hub)
        assert len(rep.list_conflicts(store)) < len(open_)
