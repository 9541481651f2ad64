"""Erasure on one replica: what goes, what stays, doctor stays clean, no byte survives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rightskit import SECRETS, files_of, found, full_file, other_person

from fieldwelfare.errors import InvalidInput, NotFound
from fieldwelfare.rights.erase import erase
from fieldwelfare.store import Store, open_store
from fieldwelfare.store.erasure import marker


@pytest.fixture
def coord(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "coord.db")
    s.set_identity(device_name="coord", operator="Carla Coordinatrice", role="coordinator",
                   ambito="Lecco")
    return s


def test_erase_removes_the_file_and_keeps_the_marker_and_bare_history(coord: Store) -> None:
    f = full_file(coord)
    maria = other_person(coord)
    assert found(files_of(Path(coord.path)))  # the secrets are there before
    done = erase(coord, f.person, "richiesta dell'interessata (art. 17)")
    assert done["records"] >= 5 and done["checkpointed"]
    for kind, rid in (("person", f.person), ("visit", f.visit), ("need", f.need)):
        with pytest.raises(NotFound):
            coord.get(kind, rid)
        assert not coord.execute_read(f"SELECT 1 FROM {kind} WHERE id = ?", (rid,))
    referral = coord.get("referral", f.referral)
    assert referral.brief == "[cancellato]" and referral.reason is None
    assert [e.status for e in referral.history] == ["sent", "declined"]
    assert all(e.note is None for e in referral.history)
    assert coord.search("Zorbaxiana") == [] and coord.search("Quixo") == []
    assert coord.get("person", maria).given_name == "Maria"
    mark = marker(coord, f.person)
    assert mark is not None and mark["by"] == "Carla Coordinatrice"
    assert coord.doctor() == []
    coord.close()
    assert found(files_of(Path(coord.path))) == []


def test_erasure_rows_keep_their_seq_and_are_never_sent(coord: Store) -> None:
    from fieldwelfare.store.replication import outbox

    f = full_file(coord)
    top = coord.execute_read("SELECT max(seq) FROM change")[0][0]
    erase(coord, f.person, "richiesta")
    assert coord.execute_read("SELECT max(seq) FROM change")[0][0] > top  # no seq reused
    sent = [c for _, c in outbox(coord)]
    assert not any(c.rid in (f.person, f.visit, f.need) and c.tbl != "purge" for c in sent)
    assert {c.field for c in sent if c.tbl == "purge"} == {"at", "by", "reason", "needs"}
    briefs = [c.value for c in sent if c.tbl == "referral" and c.field == "brief"]
    assert briefs == ["[cancellato]"]
    assert not [c for c in sent if any(s in json.dumps(c.value) for s in SECRETS)]


def test_the_purge_audit_entry_reseals_and_doctor_sees_tampering_after(coord: Store) -> None:
    f = full_file(coord)
    erase(coord, f.person, "richiesta")
    entry = coord.execute_read("SELECT detail FROM audit WHERE action = 'purge'")[0][0]
    assert json.loads(entry)["reseal"]
    assert coord.doctor() == []
    with coord.lock:
        coord.conn.execute("UPDATE change SET value = '\"x\"' WHERE tbl = 'referral' "
                           "AND field = 'brief'")
    assert any(p.area == "change" for p in coord.doctor())


def test_who_may_erase_and_what(coord: Store, tmp_path: Path) -> None:
    f = full_file(coord)
    with pytest.raises(InvalidInput):
        erase(coord, f.person, "  ")
    with pytest.raises(NotFound):
        erase(coord, "01890000-0000-7000-8000-000000000000", "richiesta")
    erase(coord, f.person, "richiesta")
    with pytest.raises(InvalidInput):
        erase(coord, f.person, "di nuovo")
    worker = open_store(tmp_path / "sw.db")
    worker.set_identity(device_name="sw", operator="Sara", role="social_worker",
                        ambito="Lecco")
    p = worker.add("person", {"given_name": "Ada", "family_name": "Neri", "comune": "097042"})
    with pytest.raises(InvalidInput):
        erase(worker, p.id, "richiesta")


def test_nothing_new_can_hang_on_an_erased_person(coord: Store) -> None:
    f = full_file(coord)
    erase(coord, f.person, "richiesta")
    with pytest.raises((InvalidInput, NotFound)):
        coord.add("visit", {"person_id": f.person, "notes": "dopo"})
    with pytest.raises(NotFound):
        coord.update("person", f.person, {"notes": "dopo"})


def test_cli_person_erase(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fieldwelfare.cli import cli

    db = tmp_path / "c.db"
    s = open_store(db)
    s.set_identity(device_name="c", operator="Carla", role="coordinator", ambito="Lecco")
    f = full_file(s)
    s.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db), "person", "erase", f.person, "--reason",
                                 "richiesta", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["person_id"] == f.person
    result = runner.invoke(cli, ["--db", str(db), "record", "get", "person", f.person])
    assert result.exit_code == 1
    result = runner.invoke(cli, ["--db", str(db), "doctor"])
    assert result.exit_code == 0, result.output
