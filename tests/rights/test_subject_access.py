"""Subject access: the export holds every record about the person and nothing about anyone
else; reading it is logged."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from rightskit import full_file, other_person

from fieldwelfare.cli import cli
from fieldwelfare.rights import subject
from fieldwelfare.store import open_store


def test_export_holds_the_whole_file_and_nobody_else(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    s = open_store(db)
    s.set_identity(device_name="pc-anna", operator="Anna", role="coordinator", ambito="Lecco")
    f = full_file(s)
    maria = other_person(s)
    org = s.add("organisation", {"name": "Caritas Lecco", "kind": "odv", "comuni": ["097042"],
                                 "categories": ["meals"], "contact": "caritas@example.org"})
    n2 = s.add("need", {"person_id": f.person, "category": "meals", "area": "elderly",
                        "description": "pasti"})
    s.add("referral", {"need_id": n2.id, "organisation_id": org.id, "brief": "pasti caldi"})
    s.close()
    runner = CliRunner()
    for fmt in ("json", "html"):
        out = tmp_path / f"sar.{fmt}"
        result = runner.invoke(cli, ["--db", str(db), "person", "export", f.person,
                                     "--format", fmt, "--out", str(out), "--why", "richiesta"])
        assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "sar.json").read_text())
    assert report["person"]["id"] == f.person
    assert report["person"]["privacy_notice"]["version"] == "2025-01"
    assert [v["id"] for v in report["visits"]] == [f.visit]
    assert {n["id"] for n in report["needs"]} == {f.need, n2.id}
    assert {r["id"] for r in report["referrals"]} == {f.referral, *(
        r["id"] for r in report["referrals"] if r["destination"]["kind"] == "organisation")}
    dests = sorted(r["destination"]["kind"] for r in report["referrals"])
    assert dests == ["organisation", "volunteer"]
    assert [e["status"] for r in report["referrals"] if r["id"] == f.referral
            for e in r["history"]] == ["sent", "declined"]
    assert {h["record"] for h in report["history"]} >= {"person", "visit", "need", "referral",
                                                        "referral_event"}
    assert all(h["by"] == "Anna" for h in report["history"])
    assert report["accesses"][-1]["via"] == "export"
    page = (tmp_path / "sar.html").read_text()
    assert "Zorbaxiana" in page and "Dati anagrafici" in page and "Caritas Lecco" in page
    for text in (json.dumps(report), page):
        for other in (maria, "Maria", "Rossi", "Luca", "Bianchi", f.volunteer, "333 1234567"):
            assert other not in text, other


def test_collect_refuses_an_unknown_person(tmp_path: Path) -> None:
    import pytest

    from fieldwelfare.errors import NotFound

    s = open_store(tmp_path / "x.db")
    with pytest.raises(NotFound):
        subject.collect(s, "01890000-0000-7000-8000-000000000000")


def test_export_never_replaces_the_databases_own_files(tmp_path: Path) -> None:
    """A mistyped --out must not destroy the database (found by the hostile test)."""
    db = tmp_path / "c.db"
    s = open_store(db)
    s.set_identity(device_name="pc-anna", operator="Anna", role="coordinator", ambito="Lecco")
    f = full_file(s)
    s.close()
    link = tmp_path / "link.html"
    link.symlink_to(db)
    before = db.read_bytes()
    runner = CliRunner()
    for out in (db, tmp_path / "c.db-wal", tmp_path / "c.db.keys", link,
                tmp_path / "sub" / ".." / "c.db"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        result = runner.invoke(cli, ["--db", str(db), "person", "export", f.person,
                                     "--out", str(out)])
        assert result.exit_code == 2, (out, result.output)
        assert "file del database" in result.output
    assert db.read_bytes()[:16] == before[:16]
    assert not (tmp_path / "c.db.keys").exists()  # a plaintext test database has none
    s = open_store(db)
    assert s.doctor() == []
    s.close()
    out = tmp_path / "sar.html"  # the CLI may write the same file again (scripts do)
    for _ in range(2):
        result = runner.invoke(cli, ["--db", str(db), "person", "export", f.person,
                                     "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o600
    as_json = tmp_path / "sar.json"  # no --format: the extension says json
    result = runner.invoke(cli, ["--db", str(db), "person", "export", f.person,
                                 "--out", str(as_json)])
    assert result.exit_code == 0 and json.loads(as_json.read_text())["person"]["id"] == f.person
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_the_ui_never_writes_over_an_existing_file(tmp_path: Path) -> None:
    import pytest

    from fieldwelfare.errors import InvalidInput

    s = open_store(tmp_path / "c.db")
    s.set_identity(device_name="pc-anna", operator="Anna", role="coordinator", ambito="Lecco")
    f = full_file(s)
    there = tmp_path / "lettera.html"
    there.write_text("una lettera")
    with pytest.raises(InvalidInput, match="esiste già"):
        subject.export(s, f.person, "html", there, via="tui", overwrite=False)
    assert there.read_text() == "una lettera"
    s.close()


def test_the_html_export_speaks_words_not_codes(tmp_path: Path) -> None:
    """Readable by the person (art. 15): field names, vocabulary words, comune names and
    dates as the UI shows them; the JSON keeps the codes for machines."""
    s = open_store(tmp_path / "c.db")
    s.set_identity(device_name="pc-anna", operator="Anna", role="coordinator", ambito="Lecco")
    f = full_file(s)
    out = tmp_path / "sar.html"
    subject.export(s, f.person, "html", out)
    page = out.read_text()
    for code in ("given_name", "follow_up_on", "in_progress", "097042", "deleted", ">open<",
                 "T09:"):
        assert code not in page, code
    assert "Cognome" in page and "Lecco" in page and "che la riguardano" in page
    subject.export(s, f.person, "json", tmp_path / "sar.json")
    assert json.loads((tmp_path / "sar.json").read_text())["person"]["comune"] == "097042"
    s.close()
