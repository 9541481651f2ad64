"""Text that comes from records, other devices and files is shown as typed.

Textual parses markup in plain strings: a name like ``Rossi [/]`` crashed the app, ``[bold
red]Anna`` restyled itself, and ``[@click=app.quit]Mario[/]`` synced from another device
became a clickable action. Every free-text field here holds such a string; every screen
that shows them is opened, and each must show the text as typed (brackets included), not
crash, and do nothing when the text is clicked.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dirkit import DEVICE_A, DEVICE_B, settle
from rich.cells import cell_len
from textual.strip import Strip
from textual.widgets import Input, OptionList, Select, TextArea
from tuikit import LECCO, build_app, open_tui_store, tui_clock

from fieldwelfare.hlc import format_stamp
from fieldwelfare.screens.app import FieldWelfareApp
from fieldwelfare.screens.screens.conflicts import ConflictsScreen
from fieldwelfare.screens.screens.help import HelpScreen
from fieldwelfare.screens.screens.import_dialog import ImportScreen
from fieldwelfare.screens.screens.match import MatchScreen
from fieldwelfare.screens.screens.need_detail import NeedDetailScreen
from fieldwelfare.screens.screens.organisation_form import OrganisationFormScreen
from fieldwelfare.screens.screens.person_detail import PersonDetailScreen
from fieldwelfare.screens.screens.person_form import PersonFormScreen
from fieldwelfare.screens.screens.person_rights import EraseDialog, ExportDialog
from fieldwelfare.screens.screens.referral_detail import ReferralDetailScreen
from fieldwelfare.screens.screens.referral_form import ReferralScreen
from fieldwelfare.screens.screens.reports import ReportsScreen
from fieldwelfare.screens.screens.sync import SyncScreen
from fieldwelfare.screens.screens.text_prompt import TextPromptScreen
from fieldwelfare.screens.screens.visit_log import VisitLogScreen
from fieldwelfare.screens.screens.volunteer_form import VolunteerFormScreen
from fieldwelfare.screens.screens.volunteer_home import VolunteerHomeScreen
from fieldwelfare.store import Store, vault
from fieldwelfare.store import replication as rep

CLOSE = "Rossi [/]"
"""Textual's markup: an auto closing tag with nothing to close (MarkupError)."""
STYLE = "[bold red]Anna"
CLICK = "[@click=app.quit]Mario[/]"
LINK = "x [link=http://e.vil]y[/link]"
NOTE = "[/] [b]nota[/b]"
OPERATOR = "[@click=app.quit]Op[/] [/]"
DEVICE = "pc [/] [b]uno[/b]"
ORG = "[link=http://e.vil]Lecco[/link]"
WIDE = (160, 50)
"""Wide enough that table cells and lines are not cut before the brackets."""
NOTICE = {"version": "[b]2024[/b]", "given_on": "2025-06-02", "given_by": "[/] Bianchi"}


def hostile_seed(store: Store) -> dict[str, str]:
    """A person, a need, a volunteer, an organisation and a referral whose every free-text
    field is markup (as if typed so, or synced from another device)."""
    person = store.add("person", {
        "given_name": STYLE, "family_name": CLOSE, "comune": LECCO, "address": LINK,
        "phone": CLICK, "notes": NOTE, "privacy_notice": NOTICE})
    visit = store.add("visit", {"person_id": person.id, "date": "2025-06-02", "kind": "home",
                                "notes": NOTE})
    need = store.add("need", {
        "person_id": person.id, "visit_id": visit.id, "area": "elderly",
        "category": "shopping", "urgency": "high", "description": CLICK,
        "opened_on": "2025-06-02"})
    org = store.add("organisation", {"name": ORG, "kind": "odv", "comuni": [LECCO],
                                     "categories": ["shopping"], "contact": NOTE})
    volunteer = store.add("volunteer", {
        "given_name": CLICK, "family_name": CLOSE, "phone": NOTE, "skills": ["shopping"],
        "comuni": [LECCO], "organisation_id": org.id})
    referral = store.add("referral", {"need_id": need.id, "volunteer_id": volunteer.id,
                                      "brief": LINK, "status": "sent"})
    store.update("referral", referral.id, {"status": "declined", "reason": NOTE})
    return {"person": person.id, "need": need.id, "volunteer": volunteer.id, "org": org.id,
            "referral": referral.id}


@pytest.fixture
def hostile_store(tmp_path: Path) -> Iterator[Store]:
    store = open_tui_store(tmp_path / "hostile.db")
    store.set_identity(device_name=DEVICE, operator=OPERATOR, role="coordinator",
                       ambito="Lecco")
    yield store
    store.close()


# --------------------------------------------------------------------------- what is seen
def screen_strips(app: FieldWelfareApp) -> list[Strip]:
    """The current screen as the terminal shows it, line by line (toasts included)."""
    return app.screen._compositor.render_strips()


def assert_shown(strips: list[Strip], *texts: str) -> None:
    shown = "\n".join(strip.text for strip in strips)
    for text in texts:
        assert text in shown, f"{text!r} is not on screen:\n{shown}"


def actions_in(strips: list[Strip]) -> list[str]:
    """Clickable actions and links drawn (Textual's own widgets here have none)."""
    found = []
    for strip in strips:
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            meta = style.meta or {}
            if "@click" in meta:
                found.append(f"{segment.text!r}: @click={meta['@click']}")
            if style.link:
                found.append(f"{segment.text!r}: link={style.link}")
    return found


class Watch:
    """What clicking on data must never do: quit the app or open a link."""

    def __init__(self, app: FieldWelfareApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.done: list[str] = []
        monkeypatch.setattr(app, "action_quit", lambda: self.done.append("quit"))
        monkeypatch.setattr(app, "open_url", lambda url, **_: self.done.append(url))


async def click_text(pilot: Any, strips: list[Strip], text: str) -> None:
    """Click on the first place the screen shows ``text``."""
    for y, strip in enumerate(strips):
        x = strip.text.find(text)
        if x >= 0:
            await pilot.click(offset=(cell_len(strip.text[:x]) + 1, y))
            await pilot.pause()
            return
    raise AssertionError(f"{text!r} is not on screen")


async def check(app: FieldWelfareApp, pilot: Any, watch: Watch, *texts: str,
                click: str | None = None) -> None:
    """The texts are on screen as typed, nothing drawn is an action, a click does nothing."""
    await settle(app, pilot)
    strips = screen_strips(app)
    assert_shown(strips, *texts)
    assert actions_in(strips) == []
    if click is not None:
        await click_text(pilot, strips, click)
        await settle(app, pilot)
    assert watch.done == []
    assert app.is_running


def notified(app: FieldWelfareApp) -> list[str]:
    return [n.message for n in app._notifications]


# --------------------------------------------------------------------------- the screens
async def test_people_needs_and_referrals_show_markup_as_typed(
        hostile_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = hostile_seed(hostile_store)
    app = build_app(hostile_store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        watch = Watch(app, monkeypatch)
        await check(app, pilot, watch, OPERATOR, DEVICE, click="Op[/]")  # home's greeting
        # the people list, its count line quoting a search, a person's card and its help
        await pilot.press("f3")
        await check(app, pilot, watch, CLOSE, STYLE, CLICK)
        await pilot.press(*"zz[/]")  # nobody: the count line quotes the search
        await check(app, pilot, watch, "zz[/]", click="zz[/]")
        app.push_screen(PersonDetailScreen(ids["person"]))
        await check(app, pilot, watch, f"{CLOSE} {STYLE}", LINK, CLICK, NOTICE["given_by"],
                    NOTICE["version"], NOTE, click="Mario")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await check(app, pilot, watch, f"{CLOSE} {STYLE}")
        await pilot.press("escape")
        # the export dialog, and the notification that names the file written
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        await check(app, pilot, watch, f"{STYLE} {CLOSE}")
        out = tmp_path / "[@click=app.quit]dati.json"
        app.screen.query_one("#export-path", Input).value = str(out)
        app.screen.query_one("#export-format", Select).value = "json"
        await pilot.press("enter")
        await settle(app, pilot)
        assert out.exists() and any(str(out) in m for m in notified(app))
        await check(app, pilot, watch, out.name, click="quit]dati")
        # a form's refusal that quotes what was typed
        app.push_screen(PersonFormScreen())
        await settle(app, pilot)
        app.screen.query_one("#family_name", Input).value = CLOSE
        app.screen.query_one("#birth_year", Input).value = "[/]"
        app.screen.query_one("#comune", Input).value = STYLE
        await pilot.press("ctrl+s")
        await check(app, pilot, watch, f"«{STYLE}»")
        app.screen.query_one("#comune", Input).value = ""
        await pilot.press("ctrl+s")
        await check(app, pilot, watch, "'[/]'")
        app.screen.discard()
        await pilot.press("escape")
        # the visit form's person picker
        app.push_screen(VisitLogScreen())
        await settle(app, pilot)
        await pilot.press(*"Rossi")
        await settle(app, pilot)
        assert app.screen.query_one("#person-results", OptionList).option_count == 1
        await check(app, pilot, watch, f"{CLOSE} {STYLE}")
        app.screen.discard()
        await pilot.press("escape")
        await settle(app, pilot)
        # needs, a need's card, matching and a new referral
        await pilot.press("f5")
        await check(app, pilot, watch, CLICK)
        app.push_screen(NeedDetailScreen(ids["need"]))
        await check(app, pilot, watch, f"{CLOSE} {STYLE}", CLICK, LINK, click="Mario")
        app.push_screen(MatchScreen(ids["need"]))
        await check(app, pilot, watch, ORG)  # (the volunteer was asked already)
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralScreen)
        await check(app, pilot, watch, ORG)
        app.screen.query_one("#brief", TextArea).text = NOTE
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert any(ORG in m for m in notified(app))
        await check(app, pilot, watch, ORG, click="Lecco[")
        assert isinstance(app.screen, MatchScreen)
        # referrals, a referral's card and its history
        await pilot.press("f6")
        await settle(app, pilot)
        app.screen.query_one("#status", Select).value = "all"
        await check(app, pilot, watch, LINK, NOTE, ORG[:23], CLICK[:23])  # (cut)
        app.push_screen(ReferralDetailScreen(ids["referral"]))
        await check(app, pilot, watch, LINK, NOTE, OPERATOR, f"{CLICK} {CLOSE}", click="Mario")
        # erasing the person: the dialog names them, and the card goes
        app.push_screen(PersonDetailScreen(ids["person"]))
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, EraseDialog)
        await check(app, pilot, watch, f"{STYLE} {CLOSE}")
        await pilot.click("#erase-reason")
        await pilot.press(*"[/]")
        await pilot.click("#erase")
        await check(app, pilot, watch)
        assert not isinstance(app.screen, PersonDetailScreen)
    assert watch.done == []


async def test_directory_screens_show_markup_as_typed(
        hostile_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = hostile_seed(hostile_store)
    app = build_app(hostile_store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        watch = Watch(app, monkeypatch)
        await settle(app, pilot)
        await pilot.press("f7")
        await check(app, pilot, watch, f"{CLOSE} {CLICK}")
        await pilot.press(*"zz[/]")  # nobody: the count line quotes the search
        await check(app, pilot, watch, "zz[/]")
        app.push_screen(VolunteerFormScreen(ids["volunteer"]))
        await check(app, pilot, watch, CLICK, CLOSE, NOTE, ORG, click="Lecco")
        await pilot.press("ctrl+s")  # saved: the notification names the volunteer
        await check(app, pilot, watch, f"{CLICK} {CLOSE}", click="Mario")
        await pilot.press("f8")
        await check(app, pilot, watch, ORG)
        app.push_screen(OrganisationFormScreen(ids["org"]))
        await check(app, pilot, watch, ORG, NOTE)
        await pilot.press("ctrl+s")
        await check(app, pilot, watch, ORG, click="Lecco[")
        app.go("reports")
        await settle(app, pilot)
        assert isinstance(app.screen, ReportsScreen)
        app.screen.query_one("#report-name", Select).value = "referrals"
        await settle(app, pilot)
        app.screen.query_one("#report-by", Select).value = "target"
        await check(app, pilot, watch, f"{CLICK} {CLOSE}"[:24])  # (bar labels are cut)
    assert watch.done == []


CSV = ("nome,cognome,competenze,[@click=app.quit]colonna[/]\n"
       f"\"{STYLE}\",\"{CLOSE}\",spesa,x\n"
       f"Luca,Bianchi,\"{CLOSE}\",y\n")


def conflict_from(store: Store, operator: str) -> None:
    """Two devices change a person's family name without seeing each other; the values
    and the operators are markup."""
    wall = 1_749_546_000_000
    rid = "0197a000-0000-7000-8000-000000000009"

    def change(field: str, value: Any, minutes: int, origin: str,
               base: str | None = None) -> rep.Change:
        return rep.Change("person", rid, field, value, format_stamp(wall + minutes * 60_000, 0),
                          origin, operator, base)

    created = [change(f, v, 0, DEVICE_A) for f, v in (
        ("created_at", "2025-06-10T09:00:00.000Z"), ("created_by", operator),
        ("given_name", STYLE), ("family_name", "Mauri"), ("comune", LECCO))]
    for bundle, sender, changes in (
            ("a1", DEVICE_A, created),
            ("a2", DEVICE_A, [change("family_name", CLICK, 5, DEVICE_A, created[0].hlc)]),
            ("b1", DEVICE_B, [change("family_name", CLOSE, 7, DEVICE_B, created[0].hlc)])):
        rep.apply_changes(store, changes, bundle_id=f"bundle-{bundle}", sender=sender,
                          file_sha256="0" * 64, kind="device-push")


async def test_sync_conflicts_and_import_show_markup_as_typed(
        hostile_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conflict_from(hostile_store, OPERATOR)
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "to-pc_b_uno_b_-[@click=app.quit]x.fwb").write_bytes(b"[/] not a bundle")
    sheet = tmp_path / "[b]volontari.csv"
    sheet.write_text(CSV, encoding="utf-8")
    app = build_app(hostile_store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        watch = Watch(app, monkeypatch)
        await settle(app, pilot)
        app.push_screen(ConflictsScreen())
        await check(app, pilot, watch, CLOSE, CLICK, OPERATOR, click="Mario")
        await pilot.press("2")  # keep the other one: the notification quotes it
        await check(app, pilot, watch, CLICK)
        assert any(CLICK in m for m in notified(app))
        await pilot.press("f9")
        await settle(app, pilot)
        assert isinstance(app.screen, SyncScreen)
        await check(app, pilot, watch, DEVICE)
        app.screen.query_one("#folder", Input).value = str(usb)
        await pilot.click("#import")
        await check(app, pilot, watch, "[@click=app.quit]x.fwb", click="quit]x")
        app.go("import")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#import-file", Input).value = str(sheet)
        await pilot.click("#import-check")
        await check(app, pilot, watch, sheet.name, "[@click=app.quit]colonna[/]", CLOSE,
                    click="colonna")
    assert watch.done == []


async def test_a_volunteers_device_shows_markup_as_typed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_tui_store(tmp_path / "volunteer.db")
    store.set_identity(device_name=DEVICE, operator=OPERATOR, role="coordinator",
                       ambito="Lecco")
    ids = hostile_seed(store)  # written as a coordinator would (it arrives by sync)
    store.add("referral", {"need_id": ids["need"], "volunteer_id": ids["volunteer"],
                           "brief": CLICK, "status": "sent"})
    store.set_identity(device_name=DEVICE, operator=CLOSE, role="volunteer", ambito="Lecco")
    store.set_meta({"volunteer_id": ids["volunteer"]})
    app = build_app(store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        watch = Watch(app, monkeypatch)
        await settle(app, pilot)
        assert isinstance(app.screen, VolunteerHomeScreen)
        await check(app, pilot, watch, f"{CLICK} {CLOSE}", CLICK, click="Mario")
        await pilot.press("tab")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralDetailScreen)
        await check(app, pilot, watch, CLICK, click="Mario")
        await pilot.press("d")  # decline: the reason asked, then the move stored
        await settle(app, pilot)
        assert isinstance(app.screen, TextPromptScreen)
        await pilot.press(*NOTE, "enter")
        await check(app, pilot, watch, NOTE)
    store.close()


async def test_the_unlock_screen_shows_operator_names_as_typed(tmp_path: Path) -> None:
    from fieldwelfare.screens.screens.unlock import UnlockScreen
    from fieldwelfare.screens.unlock_app import UnlockApp
    from fieldwelfare.store import keyslots

    path = tmp_path / "[b]enc.db"
    store, _recovery = vault.create(path, operator=CLOSE, passphrase="una frase lunga qui",
                                    clock=tui_clock())
    keyslots.add_operator(path, vault.key_of(store), CLICK, "un'altra frase lunga",
                          "2025-06-16T08:30:00.000Z")
    store.close()
    app = UnlockApp(path)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        app.screen.query_one("#operator", Select).value = CLICK
        await pilot.pause()
        strips = screen_strips(app)
        assert_shown(strips, CLICK, path.name)
        assert actions_in(strips) == []
        await click_text(pilot, strips, "Mario")
        await pilot.press("enter")  # no passphrase: refused, and said so
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running


# --------------------------------------------------------------------------- the sources
SCREENS = Path(__file__).resolve().parents[2] / "screens"


def _calls(tree: ast.AST, names: set[str]) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else \
                func.attr if isinstance(func, ast.Attribute) else ""
            if name in names:
                yield node


def _fixed_text(call: ast.Call) -> bool:
    """Shows a catalogue text or a literal that nothing can find by id to change."""
    if any(k.arg == "id" for k in call.keywords) or len(call.args) != 1:
        return False
    (arg,) = call.args
    if isinstance(arg, ast.Constant):
        return isinstance(arg.value, str)
    return (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "t"
            and not arg.keywords and len(arg.args) == 1 and isinstance(arg.args[0], ast.Constant))


def test_statics_labels_and_option_lists_never_parse_markup() -> None:
    """What a Static, a Label or an OptionList shows, at once or after ``update``, may quote a
    record, a file or another device: they are built with ``markup=False``, unless they show
    one fixed catalogue text (an OptionList always: its options come later)."""
    missing = []
    for path in sorted(SCREENS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _calls(tree, {"Static", "Label", "OptionList"}):
            plain = any(k.arg == "markup" and isinstance(k.value, ast.Constant)
                        and k.value.value is False for k in call.keywords)
            fixed = isinstance(call.func, ast.Name) and call.func.id != "OptionList" \
                and _fixed_text(call)
            if not (plain or fixed):
                missing.append(f"{path.relative_to(SCREENS)}:{call.lineno}")
    assert missing == []


async def test_notifications_are_plain_text(hostile_store: Store,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    app = build_app(hostile_store)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        watch = Watch(app, monkeypatch)
        await settle(app, pilot)
        app.notify(CLOSE)
        app.screen.notify(LINK, title=STYLE)
        await check(app, pilot, watch, CLOSE, LINK, STYLE, click="y[/link]")
