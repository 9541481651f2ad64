"""Protection at rest, as a stolen laptop would test it: bytes on disk, wrong and missing
passphrases, operators, conversion of an old plaintext database, backups."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fieldwelfare.cli import cli
from fieldwelfare.store import keyslots, open_store, vault
from fieldwelfare.store.connection import is_encrypted
from fieldwelfare.store.keyslots import Locked

PASS = "una passphrase di prova"
SECRETS = ("Zebedeo", "Quintiliani", "RSSMRA80A01F205X", "VIVE-SOLO-CON-IL-GATTO",
           "SPESA-DEL-GIOVEDI")


def run(db: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], env=env)


def ok(db: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = run(db, *args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def new_laptop(tmp_path: Path) -> Path:
    db = tmp_path / "data" / "fieldwelfare.db"
    result = run(db, "init", "--device", "pc-anna", "--operator", "Anna Bianchi", "--role",
                 "social_worker", "--ambito", "Lecco")
    assert result.exit_code == 0, result.output
    assert "CHIAVE DI RECUPERO" in result.stderr
    return db


def recovery_of(result: Result) -> str:
    return result.stderr.split("\n")[1].strip()


def fill(db: Path) -> None:
    person = json.loads(ok(db, "record", "add", "person", json.dumps(
        {"given_name": SECRETS[0], "family_name": SECRETS[1], "fiscal_code": SECRETS[2],
         "comune": "097042", "notes": SECRETS[3]})))
    visit = json.loads(ok(db, "record", "add", "visit", json.dumps(
        {"person_id": person["id"], "kind": "home", "notes": SECRETS[3]})))
    ok(db, "record", "add", "need", json.dumps(
        {"person_id": person["id"], "visit_id": visit["id"], "area": "elderly",
         "category": "shopping", "description": SECRETS[4]}))


def leaks(folder: Path) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {s}" for s in SECRETS if s.encode() in data]
    return found


def enrolled_laptop(tmp_path: Path) -> Path:
    """A laptop enrolled at a hub by USB (every database encrypted), its outbox filled."""
    hub = tmp_path / "hub" / "hub.db"
    ok(hub, "hub", "init", "--name", "Consorzio", "--operator", "Admin Hub")
    code = ok(hub, "hub", "enroll", "--device", "pc-anna", "--role", "social_worker",
              "--ambito", "Lecco").strip()
    db = tmp_path / "data" / "fieldwelfare.db"
    usb = tmp_path / "usb"
    (request,) = ok(db, "enroll", code, "--operator", "Anna Bianchi", "--out",
                    str(usb)).split()
    ok(hub, "hub", "ingest", request)
    (reply,) = ok(hub, "hub", "export", "--device", "pc-anna", "--out", str(usb)).split()
    ok(db, "sync", "import", reply)
    fill(db)
    ok(db, "sync", "export")  # into the data folder's outbox
    return db


def test_nothing_personal_in_any_file_of_the_data_folder(tmp_path: Path) -> None:
    db = enrolled_laptop(tmp_path)
    assert list((db.parent / "bundles" / "outbox").glob("*.fwb")), "no outbox"
    store = vault.unlock(db, operator="Anna Bianchi", passphrase=PASS)  # WAL and SHM open
    store.add("person", {"given_name": "Altra", "family_name": SECRETS[1],
                         "comune": "097042"})
    assert Path(f"{db}-wal").exists()
    assert leaks(tmp_path) == []
    assert is_encrypted(db)
    for path in db.parent.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path
    assert db.parent.stat().st_mode & 0o077 == 0
    # the same data in a plaintext database does show: the test can see a leak
    plain = open_store(tmp_path / "plain" / "p.db")
    plain.add("person", {"given_name": SECRETS[0], "family_name": "X", "comune": "097042"})
    assert leaks(tmp_path / "plain")
    store.close()
    plain.close()


def test_wrong_and_missing_passphrase_exit_4_and_failures_are_audited(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = new_laptop(tmp_path)
    waits: list[float] = []
    monkeypatch.setattr("fieldwelfare.store.vault.time.sleep", waits.append)
    for _ in range(3):
        result = run(db, "record", "list", "person",
                     env={"FIELDWELFARE_PASSPHRASE": "non è questa la frase"})
        assert result.exit_code == 4
        assert result.stderr.strip() == "Errore: operatore o passphrase errati"
    assert waits == [0.0, 1.0, 2.0]  # growing
    monkeypatch.delenv("FIELDWELFARE_PASSPHRASE")
    result = run(db, "record", "list", "person")  # no terminal, no passphrase
    assert result.exit_code == 4 and "FIELDWELFARE_PASSPHRASE" in result.stderr
    monkeypatch.setenv("FIELDWELFARE_PASSPHRASE", PASS)
    ok(db, "record", "list", "person")
    store = vault.unlock(db, operator="Anna Bianchi", passphrase=PASS)
    failed = store.execute_read("SELECT detail FROM audit WHERE action = 'unlock_failed'")
    assert len(failed) == 3  # three wrong guesses; a missing passphrase is no guess
    assert json.loads(failed[0][0])["operator"] == "Anna Bianchi"
    assert keyslots.read(db)["failures"] == []
    store.close()


def test_passphrase_file_for_services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = new_laptop(tmp_path)
    monkeypatch.delenv("FIELDWELFARE_PASSPHRASE")
    secret = tmp_path / "passphrase"
    secret.write_text(PASS + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(db), "--passphrase-file", str(secret),
                                      "doctor"])
    assert result.exit_code == 0, result.output
    assert "cifrato: SQLCipher 4" in result.stdout


@pytest.mark.parametrize("weak", ["corta", "1234567890123", "aaaaaaaaaaaa", "password",
                                  "Anna Bianchi 1", "password123", "passwordpassword",
                                  "Password!!!!", "qwertyuiop"])
def test_obvious_passphrases_are_refused(tmp_path: Path, weak: str) -> None:
    result = run(tmp_path / "x.db", "init", "--device", "pc", "--operator", "Anna Bianchi",
                 "--role", "coordinator", "--ambito", "Lecco",
                 env={"FIELDWELFARE_PASSPHRASE": weak})
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "x.db").exists() or not is_encrypted(tmp_path / "x.db")
    if weak == "Anna Bianchi 1":  # the refusal says why
        assert "nome dell'operatore" in result.output


def test_operators_each_with_their_own_passphrase_and_rekey(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    db = new_laptop(tmp_path)
    monkeypatch.setenv("FIELDWELFARE_OPERATOR", "Anna Bianchi")
    refused = run(db, "operator", "add", "Bruno Neri")  # no new passphrase given: the one
    assert refused.exit_code == 2, refused.output      # that opened it is not Bruno's
    assert "FIELDWELFARE_NEW_PASSPHRASE" in refused.output
    assert run(db, "operator", "passwd").exit_code == 2
    ok(db, "operator", "add", "Bruno Neri",
       env={"FIELDWELFARE_NEW_PASSPHRASE": "la frase di Bruno"})
    assert [r["name"] for r in json.loads(ok(db, "operator", "list", "--format", "json"))] == [
        "Anna Bianchi", "recovery", "Bruno Neri"]
    bruno = {"FIELDWELFARE_OPERATOR": "Bruno Neri", "FIELDWELFARE_PASSPHRASE":
             "la frase di Bruno"}
    made = json.loads(ok(db, "record", "add", "person", json.dumps(
        {"given_name": "Da", "family_name": "Bruno", "comune": "097042"}), env=bruno))
    assert made["created_by"] == "Bruno Neri"  # the operator who unlocked, not the device's
    before = db.read_bytes()[:4096]
    ok(db, "operator", "remove", "Bruno Neri", "--rekey")
    assert db.read_bytes()[:4096] != before  # re-encrypted
    assert run(db, "record", "list", "person", env=bruno).exit_code == 4
    assert "Bruno" in ok(db, "record", "list", "person", "--format", "json")
    ok(db, "operator", "passwd", env={"FIELDWELFARE_NEW_PASSPHRASE": "nuova frase di Anna"})
    assert run(db, "doctor").exit_code == 4
    assert run(db, "doctor", env={"FIELDWELFARE_PASSPHRASE": "nuova frase di Anna"}
               ).exit_code == 0


def test_the_recovery_key_opens_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "r.db"
    result = run(db, "init", "--device", "pc", "--operator", "Anna Bianchi", "--role",
                 "coordinator", "--ambito", "Lecco")
    recovery = recovery_of(result)
    monkeypatch.delenv("FIELDWELFARE_PASSPHRASE")
    assert run(db, "doctor", env={"FIELDWELFARE_RECOVERY_KEY": recovery}).exit_code == 0
    wrong = recovery[:-4] + "AAAA"
    monkeypatch.setattr("fieldwelfare.store.vault.time.sleep", lambda s: None)
    assert run(db, "doctor", env={"FIELDWELFARE_RECOVERY_KEY": wrong}).exit_code == 4


def test_encrypt_converts_in_place_and_leaves_no_plaintext(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    ok(db, "init", "--plaintext", "--device", "pc", "--operator", "Anna Bianchi", "--role",
       "social_worker", "--ambito", "Lecco")
    fill(db)
    assert "NON cifrato" in ok(db, "doctor")
    assert leaks(tmp_path)  # plaintext today
    out = ok(db, "encrypt", "--operator", "Anna Bianchi")
    assert "CHIAVE DI RECUPERO" in out
    assert leaks(tmp_path) == []
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()
    listed = json.loads(ok(db, "record", "list", "need", "--format", "json"))
    assert listed[0]["description"] == SECRETS[4]
    assert "cifrato: SQLCipher" in ok(db, "doctor")
    assert run(db, "encrypt", "--operator", "Anna Bianchi").exit_code == 2  # already


def test_backup_while_open_and_restore_elsewhere(tmp_path: Path) -> None:
    db = new_laptop(tmp_path)
    fill(db)
    store = vault.unlock(db, operator="Anna Bianchi", passphrase=PASS)  # the app is open
    counts = {t: store.execute_read(f"SELECT count(*) FROM {t}")[0][0]
              for t in ("person", "visit", "need", "change", "audit")}
    ok(db, "backup", "--out", str(tmp_path / "usb" / "copia.db"))
    store.close()
    assert leaks(tmp_path / "usb") == []
    target = tmp_path / "new-laptop" / "fieldwelfare.db"
    assert run(target, "doctor").exit_code == 1  # nothing there yet
    out = CliRunner().invoke(cli, ["--db", str(target), "restore",
                                   str(tmp_path / "usb" / "copia.db")])
    assert out.exit_code == 0, out.output
    restored = vault.unlock(target, operator="Anna Bianchi", passphrase=PASS)
    after = {t: restored.execute_read(f"SELECT count(*) FROM {t}")[0][0]
             for t in ("person", "visit", "need", "change")}
    assert after == {k: v for k, v in counts.items() if k != "audit"}
    assert restored.execute_read("SELECT count(*) FROM audit")[0][0] >= counts["audit"]
    assert restored.doctor() == []
    restored.close()


def test_a_damaged_backup_is_refused_and_nothing_replaced(tmp_path: Path) -> None:
    db = new_laptop(tmp_path)
    fill(db)
    copy = tmp_path / "copia.db"
    ok(db, "backup", "--out", str(copy))
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    target = tmp_path / "target.db"
    result = CliRunner().invoke(cli, ["--db", str(target), "restore", str(copy)])
    assert result.exit_code == 1
    assert not target.exists()


def test_no_cipher_means_plaintext_only_on_request(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fieldwelfare.cli.unlock.HAS_CIPHER", False)
    db = tmp_path / "mac.db"
    result = run(db, "init", "--device", "pc", "--operator", "Anna Bianchi", "--role",
                 "coordinator", "--ambito", "Lecco")
    assert result.exit_code == 2 and "--plaintext" in result.stderr
    assert not db.exists()
    ok(db, "init", "--plaintext", "--device", "pc", "--operator", "Anna Bianchi", "--role",
       "coordinator", "--ambito", "Lecco")
    assert "NON cifrato" in ok(db, "doctor")


def test_a_wrong_key_never_opens_and_the_slots_check_themselves(tmp_path: Path) -> None:
    db = new_laptop(tmp_path)
    with pytest.raises(Locked):
        open_store(db)  # no key
    with pytest.raises(Locked):
        open_store(db, key=os.urandom(32))
    assert keyslots.key_check(keyslots.unlock(db, "Anna Bianchi", PASS)) == \
        keyslots.read(db)["key_check"]


def test_a_rekey_cut_short_still_opens_with_passphrase_and_recovery_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "k.db"
    result = run(db, "init", "--device", "pc", "--operator", "Anna Bianchi", "--role",
                 "coordinator", "--ambito", "Lecco")
    recovery = recovery_of(result)
    fill(db)
    store = vault.unlock(db, operator="Anna Bianchi", passphrase=PASS)

    def power_cut(path: object) -> None:
        raise OSError("power cut between the re-key and the slots")

    monkeypatch.setattr("fieldwelfare.store.keyslots.promote", power_cut)
    with pytest.raises(OSError):
        vault.rekey(store)
    store.close()
    monkeypatch.undo()
    monkeypatch.setenv("FIELDWELFARE_PASSPHRASE", PASS)
    assert SECRETS[0] in ok(db, "record", "list", "person", "--format", "json")
    assert "key_check_next" not in keyslots.read(db)  # the interrupted re-key finished
    monkeypatch.delenv("FIELDWELFARE_PASSPHRASE")
    assert run(db, "doctor", env={"FIELDWELFARE_RECOVERY_KEY": recovery}).exit_code == 0


def test_encrypt_and_rekey_refuse_while_another_program_has_it_open(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    ok(db, "init", "--plaintext", "--device", "pc", "--operator", "Anna Bianchi", "--role",
       "social_worker", "--ambito", "Lecco")
    app = open_store(db)  # the TUI, say
    result = run(db, "encrypt", "--operator", "Anna Bianchi")
    assert result.exit_code == 2 and "aperto da un altro programma" in result.stderr
    app.add("person", {"given_name": "Ancora", "family_name": "Qui", "comune": "097042"})
    app.close()
    assert not is_encrypted(db) and not keyslots.slots_path(db).exists()
    ok(db, "encrypt", "--operator", "Anna Bianchi")
    assert "Ancora" in ok(db, "record", "list", "person", "--format", "json")
    other = vault.unlock(db, operator="Anna Bianchi", passphrase=PASS)
    ok(db, "operator", "add", "Bruno Neri", env={"FIELDWELFARE_NEW_PASSPHRASE":
                                                  "piove sui tetti di Lecco",
                                                  "FIELDWELFARE_OPERATOR": "Anna Bianchi"})
    result = run(db, "operator", "remove", "Bruno Neri", "--rekey",
                 env={"FIELDWELFARE_OPERATOR": "Anna Bianchi"})
    assert result.exit_code == 2 and "aperto da un altro programma" in result.stderr
    assert "Bruno Neri" in keyslots.operators(db)  # nothing changed
    other.close()


def test_restore_never_writes_the_backup_nor_adopts_a_foreign_file(tmp_path: Path) -> None:
    db = new_laptop(tmp_path)
    fill(db)
    copy = tmp_path / "copia.db"
    ok(db, "backup", "--out", str(copy))
    before = copy.read_bytes(), keyslots.slots_path(copy).read_bytes()
    target = tmp_path / "elsewhere.db"
    result = CliRunner().invoke(cli, ["--db", str(target), "restore", str(copy)],
                                env={"FIELDWELFARE_PASSPHRASE": "non è questa"})
    assert result.exit_code == 4 and not target.exists()
    assert (copy.read_bytes(), keyslots.slots_path(copy).read_bytes()) == before
    empty = tmp_path / "vuoto.db"
    empty.write_bytes(b"")
    result = CliRunner().invoke(cli, ["--db", str(target), "restore", str(empty)])
    assert result.exit_code == 1 and "non è un database di fieldwelfare" in result.stderr
    assert empty.read_bytes() == b"" and not target.exists()
    plain = tmp_path / "plain.db"
    ok(plain, "init", "--plaintext", "--device", "pc", "--operator", "X Y", "--role",
       "coordinator", "--ambito", "Lecco")
    result = CliRunner().invoke(cli, ["--db", str(db), "restore", str(plain), "--force"])
    assert result.exit_code == 2 and "non è cifrata" in result.stderr
    assert is_encrypted(db)


def test_another_programs_database_is_never_adopted(tmp_path: Path) -> None:
    import sqlite3

    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE x (a)")
    conn.close()
    before = foreign.read_bytes()
    result = run(foreign, "record", "list", "person")
    assert result.exit_code == 1 and "non è un database di fieldwelfare" in result.stderr
    assert foreign.read_bytes() == before


def test_names_with_control_characters_print_escaped(tmp_path: Path) -> None:
    """A device or operator name with escape sequences (``ESC ] 2 ;`` sets a terminal's
    title, ``ESC [ 2 J`` clears it) is printed as ``\\x1b``, never raw."""
    db = tmp_path / "x.db"
    operator = "Anna\x1b[2J Bianchi"
    env = {"FIELDWELFARE_OPERATOR": operator}
    done = run(db, "init", "--device", "pc\x1b]2;T\x07", "--operator", operator, "--role",
               "coordinator", "--ambito", "Lecco", env=env)
    again = run(db, "init", "--device", "pc", "--operator", operator, "--role",
                "coordinator", "--ambito", "Lecco", env=env)
    listed = run(db, "operator", "list", env=env)
    assert done.exit_code == 0 and again.exit_code == 2 and listed.exit_code == 0
    for result in (done, again, listed):
        assert "\x1b" not in result.output and "\x07" not in result.output
    assert "pc\\x1b]2;T\\x07" in done.stdout and "pc\\x1b]2;T" in again.output
    assert "Anna\\x1b[2J Bianchi" in listed.stdout
