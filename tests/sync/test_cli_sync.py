"""Every sync command through the CLI (CliRunner): hub, enroll, sync, conflicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from synckit import PERSON, dump, open_db

from fieldwelfare.cli import cli
from fieldwelfare.sync.http import serve_in_thread


class Db:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(cli, ["--lang", "en", "--db", str(self.path), *args])

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.exit_code == 0, result.output
        return result.stdout


@pytest.fixture
def hub(tmp_path: Path) -> Db:
    db = Db(tmp_path / "hub.db")
    assert "Consorzio" in db.ok("hub", "init", "--name", "Consorzio")
    return db


def enroll(hub: Db, tmp_path: Path, name: str, *extra: str) -> Db:
    code = hub.ok("hub", "enroll", "--device", name, *extra).strip()
    assert "\n" not in code
    dev = Db(tmp_path / f"{name}.db")
    (request,) = dev.ok("enroll", code, "--out", str(tmp_path / "usb"),
                        "--operator", name.title()).split()
    assert "enrolled the device" in hub.ok("hub", "ingest", request)
    (reply,) = hub.ok("hub", "export", "--device", name, "--out", str(tmp_path / "usb")).split()
    assert f"as '{name}'" in dev.ok("sync", "import", reply)
    return dev


def test_full_usb_cycle_through_the_cli(hub: Db, tmp_path: Path) -> None:
    anna = enroll(hub, tmp_path, "anna", "--role", "social_worker", "--ambito", "Lecco")
    bruno = enroll(hub, tmp_path, "bruno", "--role", "coordinator", "--ambito", "Lecco")
    anna.ok("record", "add", "person", json.dumps(PERSON))
    status = json.loads(anna.ok("sync", "status", "--format", "json"))
    assert status["unsent"] > 0 and status["enrolled"]
    assert "Unsent changes" in anna.ok("sync", "status")
    (bundle,) = anna.ok("sync", "export", "--out", str(tmp_path / "usb")).split()
    assert "changes applied" in hub.ok("hub", "ingest", bundle)
    assert "already imported" in hub.ok("hub", "ingest", bundle)
    replies = hub.ok("hub", "export", "--all", "--out", str(tmp_path / "usb")).split()
    assert len(replies) == 2
    for reply, dev in zip(replies, (anna, bruno), strict=True):
        dev.ok("sync", "import", reply)
    assert "Rossi" in bruno.ok("record", "list", "person", "--format", "json")
    assert json.loads(anna.ok("sync", "status", "--format", "json"))["unsent"] == 0
    audit = hub.ok("hub", "unpack", bundle, "--out", str(tmp_path / "audit")).strip()
    assert (Path(audit) / "bagit.txt").exists()
    devices = json.loads(hub.ok("hub", "devices"))
    assert {d["name"] for d in devices} == {"anna", "bruno"}
    store = open_db(anna.path)
    assert store.identity.operator == "Anna"  # never the computer's user
    store.close()


def test_refused_bundle_exits_non_zero_with_reason(hub: Db, tmp_path: Path) -> None:
    anna = enroll(hub, tmp_path, "anna", "--role", "social_worker", "--ambito", "Lecco")
    anna.ok("record", "add", "person", json.dumps(PERSON))
    (bundle,) = anna.ok("sync", "export", "--out", str(tmp_path / "usb")).split()
    data = bytearray(Path(bundle).read_bytes())
    data[-3] ^= 4
    bad = tmp_path / "bad.fwb"
    bad.write_bytes(bytes(data))
    with open_db(hub.path) as store:
        before = dump(store)
    result = hub("hub", "ingest", str(bad))
    assert result.exit_code == 3
    assert "bad_signature" in result.stderr and "Traceback" not in result.output
    with open_db(hub.path) as store:
        assert dump(store) == before
    assert bad.exists()
    result = anna("sync", "import", bundle)
    assert result.exit_code == 3 and "wrong_kind" in result.stderr


def test_revoke_then_refused(hub: Db, tmp_path: Path) -> None:
    anna = enroll(hub, tmp_path, "anna", "--role", "social_worker", "--ambito", "Lecco")
    (bundle,) = anna.ok("sync", "export", "--out", str(tmp_path / "usb")).split()
    assert "revoked" in hub.ok("hub", "revoke", "--device", "anna")
    result = hub("hub", "ingest", bundle)
    assert result.exit_code == 3 and "revoked" in result.stderr
    assert hub("hub", "export", "--device", "anna", "--out", str(tmp_path)).exit_code == 2


def test_bad_options_are_bad_input(hub: Db, tmp_path: Path) -> None:
    result = hub("hub", "enroll", "--device", "x", "--role", "admin")
    assert result.exit_code == 2 and "social_worker" in result.stderr
    assert hub("hub", "export", "--out", str(tmp_path)).exit_code == 2
    assert hub("hub", "init", "--name", "again").exit_code == 2
    dev = Db(tmp_path / "dev.db")
    assert dev("enroll", "FW1-NOT-A-CODE").exit_code == 2
    assert not dev.path.exists()  # a mistyped code makes no database
    assert dev("init", "--device", "d", "--operator", "Anna Bianchi", "--role",
               "social_worker", "--ambito", "Lecco").exit_code == 0
    result = dev("sync", "export")  # nothing was received: not a refused bundle (exit 3)
    assert result.exit_code == 1 and "fieldwelfare enroll CODE" in result.stderr
    assert "refused" not in result.stderr and "not_enrolled" not in result.stderr
    assert dev("sync", "run").exit_code == 1


def test_hub_rotate_key_keeps_old_bundles_readable(hub: Db, tmp_path: Path) -> None:
    anna = enroll(hub, tmp_path, "anna", "--role", "social_worker", "--ambito", "Lecco")
    anna.ok("record", "add", "person", json.dumps(PERSON))
    (bundle,) = anna.ok("sync", "export", "--out", str(tmp_path / "usb")).split()
    assert "new hub key" in hub.ok("hub", "rotate-key")
    assert "changes applied" in hub.ok("hub", "ingest", bundle)


def test_sync_run_and_enroll_over_http(hub: Db, tmp_path: Path) -> None:
    store = open_db(hub.path)
    server, thread = serve_in_thread(store)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        code = hub.ok("hub", "enroll", "--device", "anna", "--role", "social_worker",
                      "--ambito", "Lecco").strip()
        anna = Db(tmp_path / "anna.db")
        assert "enrolled with the hub" in anna.ok("enroll", code, "--hub", url)
        anna.ok("record", "add", "person", json.dumps(PERSON))
        assert "changes applied" in anna.ok("sync", "run")
        assert json.loads(anna.ok("sync", "status", "--format", "json"))["hub_url"] == url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        store.close()


def test_conflicts_list_and_resolve(hub: Db, tmp_path: Path) -> None:
    anna = enroll(hub, tmp_path, "anna", "--role", "social_worker", "--ambito", "Lecco")
    bruno = enroll(hub, tmp_path, "bruno", "--role", "social_worker", "--ambito", "Lecco")
    person = json.loads(anna.ok("record", "add", "person", json.dumps(PERSON)))
    usb = str(tmp_path / "usb")

    def cycle(dev: Db, name: str) -> None:
        for path in dev.ok("sync", "export", "--out", usb).split():
            hub.ok("hub", "ingest", path)
        (reply,) = hub.ok("hub", "export", "--device", name, "--out", usb).split()
        dev.ok("sync", "import", reply)

    cycle(anna, "anna")
    cycle(bruno, "bruno")
    anna.ok("record", "update", "person", person["id"], '{"phone": "111"}')
    bruno.ok("record", "update", "person", person["id"], '{"phone": "222"}')
    cycle(anna, "anna")
    cycle(bruno, "bruno")
    found = json.loads(bruno.ok("conflicts", "list", "--format", "json"))
    assert len(found) == 1 and found[0]["field"] == "phone"
    table = bruno.ok("conflicts", "list")  # words in the table, codes in the JSON
    assert "concurrent edits" in table and "current value" in table and "open" in table
    assert "concurrent_edit" not in table
    italian = bruno.runner.invoke(cli, ["--lang", "it", "--db", str(bruno.path),
                                        "conflicts", "list"]).stdout
    assert "modifiche concorrenti" in italian and "aperto" in italian
    assert "valore attuale" in italian
    assert "resolved" in bruno.ok("conflicts", "resolve", found[0]["id"], "--keep", "other")
    assert json.loads(bruno.ok("conflicts", "list", "--format", "json")) == []
    assert "no open conflicts" in bruno.ok("conflicts", "list")
    assert bruno("conflicts", "resolve", found[0]["id"], "--keep", "other").exit_code == 2


@pytest.mark.parametrize("args", [
    ["hub", "--help"], ["sync", "--help"], ["conflicts", "--help"], ["enroll", "--help"],
    ["hub", "serve", "--help"], ["sync", "run", "--help"],
])
def test_help(tmp_path: Path, args: list[str]) -> None:
    assert Db(tmp_path / "x.db").ok(*args)
