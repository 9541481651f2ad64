"""TLS without a certificate authority (#8): the hub's self-signed certificate, pinned by
the enrollment code and by the hub's signed replies. The hub is served over TLS on
127.0.0.1 in a thread; every test is written as the attack or the operation it checks."""

from __future__ import annotations

import os
import socket
import ssl
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from synckit import PERSON, Net, open_db

from fieldwelfare.cli import cli
from fieldwelfare.errors import InvalidInput
from fieldwelfare.store import Store, open_store
from fieldwelfare.store.replication import unsent_count
from fieldwelfare.sync import device, enrollment, hub, tls
from fieldwelfare.sync.errors import HubRefused
from fieldwelfare.sync.http import serve_in_thread
from fieldwelfare.sync.keys import EnrollCode
from fieldwelfare.sync.run import run
from fieldwelfare.sync.serving import RunningHub


@contextmanager
def served(store: Store, *, plain: bool = False) -> Iterator[str]:
    """The hub on 127.0.0.1 (random port), over TLS with its own certificate."""
    options = {}
    if not plain:
        own = tls.served(store)
        assert own is not None
        options = {"tls_cert": own[0].cert, "tls_key": own[0].key}
    running: RunningHub
    running, _ = serve_in_thread(store, **options)
    try:
        yield f"{'http' if plain else 'https'}://127.0.0.1:{running.server_address[1]}"
    finally:
        running.shutdown()


@pytest.fixture
def fpr(net: Net) -> str:
    made, staged = tls.make(net.hub)
    assert not staged
    return made


def _store(net: Net, name: str) -> Store:
    dev = open_store(net.tmp / f"{name}.db")
    net.devices[name] = dev
    return dev


def _enroll(net: Net, url: str, name: str) -> Store:
    code = enrollment.issue_code(net.hub, device=name, role="social_worker", ambito="Lecco")
    dev = _store(net, name)
    enrollment.start(dev, code)
    run(dev, url)
    return dev


def _inbox(store: Store) -> list[Path]:
    inbox = hub.bundles_dir(store) / "inbox"
    return sorted(inbox.iterdir()) if inbox.exists() else []


def _attacker(net: Net) -> Store:
    """Another 'hub' with a valid-looking self-signed certificate of its own (same names)."""
    evil = open_store(net.tmp / "evil" / "hub.db")
    hub.init(evil, "Consorzio Lecco")
    tls.make(evil)
    return evil


@contextmanager
def recorder(cert: tls.CertFiles) -> Iterator[tuple[str, list[bytes]]]:
    """A bare TLS server with ``cert`` that records every byte a client sends it."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert.cert, cert.key)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    got: list[bytes] = []

    def serve() -> None:
        try:
            conn, _ = listener.accept()
            with context.wrap_socket(conn, server_side=True) as tls_conn:
                tls_conn.settimeout(5)
                while block := tls_conn.recv(65536):
                    got.append(block)
        except (OSError, ssl.SSLError):
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}", got
    finally:
        thread.join(10)
        listener.close()


# ---------------------------------------------------------------------------- the certificate
def test_hub_certificate_is_self_signed_p256_with_names_and_a_private_key(net: Net) -> None:
    fpr, _ = tls.make(net.hub, hosts=["hub.consorzio.local", "10.0.0.5"], days=30)
    files = tls.files(net.hub)
    assert files.cert.parent == Path(net.hub.path).resolve().parent / "hub-tls"
    assert stat.S_IMODE(os.stat(files.key).st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
    assert cert.issuer == cert.subject
    key = cert.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
    alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert alt.get_values_for_type(x509.DNSName) == ["hub.consorzio.local"]
    assert [str(ip) for ip in alt.get_values_for_type(x509.IPAddress)] == ["10.0.0.5"]
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 30
    assert net.hub.meta()["tls_fpr"] == fpr == tls.file_fingerprint(files.cert)
    assert tls.served(net.hub) == (files, fpr)


def test_a_certificate_swapped_or_lost_on_disk_is_not_served(net: Net, fpr: str) -> None:
    evil = _attacker(net)
    tls.files(net.hub).cert.write_bytes(tls.files(evil).cert.read_bytes())
    with pytest.raises(InvalidInput, match="hub-tls"):
        tls.served(net.hub)
    evil.close()
    for path in tls.files(net.hub).__dict__.values():
        path.unlink()
    with pytest.raises(InvalidInput, match="hub-tls"):  # not plain HTTP instead, silently
        tls.served(net.hub)


# ---------------------------------------------------------------------------- the code
def test_fw1_codes_read_as_before() -> None:
    old = "FW1-BINSYPKO-AAAQEAYE-AUDAOCAJ-BIFQYDIO-B7YPB4HQ-6DYPB4HQ-6DYPB4HQ-6DYJJLZE"
    code = EnrollCode.parse(old)  # made by the code before this change
    assert code == EnrollCode("0a1b2c3d4e", bytes(range(16)), "f0" * 16, None)
    assert code.text() == old


def test_fw2_code_pins_the_certificate(net: Net, fpr: str) -> None:
    text = enrollment.issue_code(net.hub, device="anna", role="social_worker", ambito="Lecco")
    assert text.startswith("FW2-") and len(text.replace("-", "")) == 3 + 96
    code = EnrollCode.parse(text)
    assert code.tls_pin == fpr[:40]
    assert code.hub_kid == enrollment.hub_keys(net.hub).kid
    typo = text[:-3] + ("A" if text[-3] != "A" else "B") + text[-2:]
    with pytest.raises(InvalidInput, match=r"enrollment code|codice"):
        EnrollCode.parse(typo)
    with pytest.raises(InvalidInput, match=r"enrollment code|codice"):
        EnrollCode.parse(text.replace("FW2", "FW1", 1))  # the version is not interchangeable


# ---------------------------------------------------------------------------- end to end
def test_enroll_and_sync_over_https_end_to_end(net: Net, fpr: str) -> None:
    with served(net.hub) as url:
        anna = _enroll(net, url, "anna")
        assert anna.identity.role == "social_worker"
        assert device.tls_pins(anna) == [fpr]  # the code's prefix, then the full pin
        bruno = _enroll(net, url, "bruno")
        person = anna.add("person", PERSON)
        run(anna)
        assert unsent_count(anna) == 0
        run(bruno)
        assert bruno.get("person", person.id).family_name == "Rossi"
    assert device.status(anna)["tls_pins"] == [fpr]


def test_a_man_in_the_middle_with_its_own_certificate_is_refused(net: Net, fpr: str) -> None:
    with served(net.hub) as url:
        anna = _enroll(net, url, "anna")
    anna.add("person", PERSON)
    evil = _attacker(net)
    with served(evil) as evil_url, pytest.raises(HubRefused) as info:
        run(anna, evil_url)
    assert info.value.code == "tls_pin" and info.value.exit_code == 3
    assert info.value.fpr == tls.current_pin(evil) and "tls_pin" in str(info.value)
    assert _inbox(evil) == []
    assert unsent_count(anna) > 0
    with recorder(tls.files(evil)) as (raw_url, got), pytest.raises(HubRefused):
        run(anna, raw_url)  # a bare TLS server with the attacker's certificate
    assert got == []  # the attacker saw not one byte
    evil.close()


def test_enrolling_with_a_pinned_code_refuses_another_server(net: Net, fpr: str) -> None:
    code = enrollment.issue_code(net.hub, device="anna", role="social_worker", ambito="Lecco")
    evil = _attacker(net)
    anna = _store(net, "anna")
    enrollment.start(anna, code)
    with served(evil) as evil_url, pytest.raises(HubRefused):
        run(anna, evil_url)
    assert _inbox(evil) == [] and not device.status(anna)["enrolled"]
    with served(net.hub) as url:  # the real hub still takes the code
        run(anna, url)
    assert device.status(anna)["enrolled"]
    evil.close()


def test_an_old_code_without_the_pin_still_enrolls_over_http(net: Net, fpr: str) -> None:
    pinned = EnrollCode.parse(enrollment.issue_code(net.hub, device="anna",
                                                    role="social_worker", ambito="Lecco"))
    old = EnrollCode(pinned.token_id, pinned.secret, pinned.hub_kid).text()
    assert old.startswith("FW1-")
    anna = _store(net, "anna")
    enrollment.start(anna, old)
    assert device.tls_pins(anna) == []
    with served(net.hub, plain=True) as url:
        run(anna, url)
    assert device.status(anna)["enrolled"]
    assert device.tls_pins(anna) == [fpr]  # learnt from the hub's signed reply
    with served(net.hub) as url:  # so https works from now on
        anna.add("person", PERSON)
        run(anna, url)
        assert unsent_count(anna) == 0


def test_plain_hub_issues_fw1_codes_and_http_is_unchanged(net: Net) -> None:
    with served(net.hub, plain=True) as url:
        anna = _enroll(net, url, "anna")
    assert device.tls_pins(anna) == []
    assert EnrollCode.parse(enrollment.issue_code(
        net.hub, device="bruno", role="social_worker", ambito="Lecco")).tls_pin is None


# ---------------------------------------------------------------------------- renewal
def test_renewed_certificate_reaches_devices_through_the_trusted_connection(
        net: Net, fpr: str) -> None:
    with served(net.hub) as url:
        anna = _enroll(net, url, "anna")
        bruno = _enroll(net, url, "bruno")
        new, staged = tls.make(net.hub, days=400)  # renewal: prepared, not yet served
        assert staged and new != fpr and tls.current_pin(net.hub) == fpr
        run(anna)  # over the certificate anna already trusts
        assert device.tls_pins(anna) == [fpr, new]
    assert tls.activate(net.hub) == new
    assert not tls.files(net.hub, staged=True).cert.exists()
    with served(net.hub) as url:  # `hub serve` restarted: the new certificate
        anna.add("person", PERSON)
        run(anna, url)
        assert unsent_count(anna) == 0 and device.tls_pins(anna) == [new]
        with pytest.raises(HubRefused):  # bruno slept through the renewal
            run(bruno, url)
        net.pull(bruno)  # a reply by USB is signed by the hub key: it carries the pin
        assert device.tls_pins(bruno) == [new]
        run(bruno, url)
        assert bruno.count("person") == 1
    with pytest.raises(InvalidInput, match="tls-cert"):
        tls.activate(net.hub)  # nothing prepared


# ---------------------------------------------------------------------------- the CLI
def _cli(db: Path, *args: str, lang: str = "en") -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--lang", lang, "--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_init_tls_renew_activate_and_a_refused_hub(tmp_path: Path) -> None:
    hub_db = tmp_path / "hub" / "hub.db"
    hub_db.parent.mkdir()
    code, out, _ = _cli(hub_db, "hub", "init", "--name", "Consorzio", "--tls",
                        "--tls-host", "localhost", "--tls-host", "127.0.0.1")
    assert code == 0 and "SHA-256" in out
    key = hub_db.parent / "hub-tls" / "hub.key"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    code, enroll_code, _ = _cli(hub_db, "hub", "enroll", "--device", "anna", "--role",
                                "social_worker", "--ambito", "Lecco")
    assert code == 0 and enroll_code.startswith("FW2-")
    hub_store = open_db(hub_db)
    try:
        with served(hub_store) as url:
            code, out, err = _cli(tmp_path / "anna.db", "enroll", enroll_code.strip(),
                                  "--hub", url)
            assert code == 0, err
        evil = open_store(tmp_path / "evil" / "hub.db")
        hub.init(evil, "Consorzio")
        tls.make(evil)
        with served(evil) as evil_url:
            for lang, words in (("it", "hub rifiutato [tls_pin]"),
                                ("en", "hub refused [tls_pin]")):
                code, _, err = _cli(tmp_path / "anna.db", "sync", "run", "--hub", evil_url,
                                    lang=lang)
                assert code == 3 and words in err and "Traceback" not in err
        evil.close()
    finally:
        hub_store.close()
    code, out, _ = _cli(hub_db, "hub", "tls-cert", "--days", "90", "--host", "hub.local")
    assert code == 0 and "next.crt" in out
    code, out, _ = _cli(hub_db, "hub", "tls-cert", "--activate")
    assert code == 0 and "restart" in out
    code, _, err = _cli(hub_db, "hub", "tls-cert", "--host", "bad host!")
    assert code == 2 and "bad host!" in err
    code, _, err = _cli(hub_db, "hub", "serve", "--no-tls", "--tls-cert", str(key),
                        "--tls-key", str(key))
    assert code == 2


def test_pinned_context_checks_nothing_but_the_pin() -> None:
    context = tls.pinned_context(["ab" * 32])
    assert context.verify_mode == ssl.CERT_NONE and not context.check_hostname
    with pytest.raises(ValueError):
        tls.pinned_context(["", "abc"])  # no empty or short pin ever matches everything
    assert not tls.matches("ab" * 32, ["", "ab"])


def test_hub_serve_uses_its_certificate_by_default(net: Net, fpr: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proc = subprocess.Popen(
        [sys.executable, "-m", "fieldwelfare", "--lang", "en", "--db", net.hub.path, "hub",
         "serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/v1/hub", timeout=1, verify=tls.pinned_context([fpr]))
                break
            except httpx.TransportError:
                time.sleep(0.2)
        anna = _enroll(net, url, "anna")
        anna.add("person", PERSON)
        run(anna)
        assert unsent_count(anna) == 0
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert f"{url}" in err.decode() and fpr in err.decode()


def _memory_handshake(client: ssl.SSLContext, cert: tls.CertFiles) -> None:
    """A TLS handshake over memory buffers (``wrap_bio``, as inside a proxy's tunnel)."""
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert.cert, cert.key)
    c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
    c = client.wrap_bio(c_in, c_out, server_hostname="127.0.0.1")
    s = server_context.wrap_bio(s_in, s_out, server_side=True)
    done = [False, False]
    for _ in range(20):
        for i, (obj, out, peer_in) in enumerate(((c, c_out, s_in), (s, s_out, c_in))):
            if not done[i]:
                try:
                    obj.do_handshake()
                    done[i] = True
                except ssl.SSLWantReadError:
                    pass
            peer_in.write(out.read())
        if all(done):
            return
    raise AssertionError("no handshake")


def test_tls_inside_a_proxy_tunnel_is_pinned_too(net: Net, fpr: str) -> None:
    _memory_handshake(tls.pinned_context([fpr]), tls.files(net.hub))
    evil = _attacker(net)
    with pytest.raises(tls.PinMismatch):
        _memory_handshake(tls.pinned_context([fpr]), tls.files(evil))
    evil.close()
