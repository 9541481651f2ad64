"""Referrals list and detail: only allowed moves, outcome and reason asked where required."""

from __future__ import annotations

from dirkit import referral, settle
from textual.widgets import Button, Select, Static
from tuikit import SIZE, build_app, seed

from fieldwelfare.models import Referral
from fieldwelfare.screens.screens.confirm import ConfirmScreen
from fieldwelfare.screens.screens.referral_detail import ReferralDetailScreen
from fieldwelfare.screens.screens.referrals import ReferralsScreen
from fieldwelfare.screens.screens.text_prompt import TextPromptScreen
from fieldwelfare.screens.widgets import RecordTable
from fieldwelfare.store import Store


def stored(store: Store, rid: str) -> Referral:
    record = store.get("referral", rid)
    assert isinstance(record, Referral)
    return record


def buttons(screen: ReferralDetailScreen) -> list[str]:
    return [str(b.id) for b in screen.query("#actions Button").results(Button)]


async def test_detail_offers_only_the_allowed_moves(tui_store: Store) -> None:
    rid = referral(tui_store, seed(tui_store), "sent")
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ReferralDetailScreen(rid))
        await settle(app, pilot)
        assert buttons(app.screen) == ["to-accepted", "to-declined", "to-cancelled"]
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "Giulia Conti" in summary and "Spesa settimanale" in summary


async def test_complete_asks_for_the_outcome_and_stores_it(tui_store: Store) -> None:
    rid = referral(tui_store, seed(tui_store), "in_progress")
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ReferralDetailScreen(rid))
        await settle(app, pilot)
        assert buttons(app.screen) == ["to-completed", "to-cancelled"]
        await pilot.click("#to-completed")
        await settle(app, pilot)
        assert isinstance(app.screen, TextPromptScreen)
        await pilot.press("enter")  # empty: refused, the prompt stays
        await settle(app, pilot)
        assert isinstance(app.screen, TextPromptScreen)
        assert stored(tui_store, rid).status == "in_progress"
        await pilot.press(*"Spesa consegnata", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralDetailScreen)
        assert buttons(app.screen) == []
    record = stored(tui_store, rid)
    assert (record.status, record.outcome) == ("completed", "Spesa consegnata")
    assert [e.status for e in record.history] == ["sent", "accepted", "in_progress",
                                                  "completed"]


async def test_cancel_without_a_reason_stores_nothing(tui_store: Store) -> None:
    rid = referral(tui_store, seed(tui_store), "sent")
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ReferralDetailScreen(rid))
        await settle(app, pilot)
        await pilot.click("#to-cancelled")
        await settle(app, pilot)
        prompt = app.screen
        assert isinstance(prompt, TextPromptScreen)
        await pilot.press(*"rinuncia", "escape")  # typed text: asks before dropping it
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralDetailScreen)
    record = stored(tui_store, rid)
    assert (record.status, record.reason, len(record.history)) == ("sent", None, 1)


async def test_accept_needs_no_question(tui_store: Store) -> None:
    rid = referral(tui_store, seed(tui_store), "sent")
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ReferralDetailScreen(rid))
        await settle(app, pilot)
        await pilot.click("#to-accepted")
        await settle(app, pilot)
        assert buttons(app.screen) == ["to-in_progress", "to-cancelled"]
    assert stored(tui_store, rid).status == "accepted"


async def test_list_filters_by_status_and_opens_the_detail(tui_store: Store) -> None:
    ids = seed(tui_store)
    sent = referral(tui_store, ids, "sent")
    accepted = referral(tui_store, ids, "accepted")
    tui_store.update("referral", accepted, {"status": "cancelled", "reason": "rinuncia"})
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralsScreen)
        table = app.screen.query_one(RecordTable)
        assert (table.row_count, table.selected_key()) == (1, sent)
        app.screen.query_one("#status", Select).value = "cancelled"
        await settle(app, pilot)
        assert (table.row_count, table.selected_key()) == (1, accepted)
        app.screen.query_one("#status", Select).value = "all"
        await settle(app, pilot)
        assert table.row_count == 2
        table.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReferralDetailScreen)
        assert app.screen.query_one("#history").row_count >= 1  # type: ignore[attr-defined]


async def test_a_refused_move_is_a_notification(tui_store: Store) -> None:
    """Sending a proposed referral before the privacy notice: the store's message is shown."""
    ids = seed(tui_store)
    ferrari_need = tui_store.add("need", {
        "person_id": ids["ferrari"], "area": "poverty", "category": "meals",
        "description": "Pasti", "opened_on": "2025-06-01"})
    ref = tui_store.add("referral", {"need_id": ferrari_need.id, "volunteer_id": ids["giulia"],
                                     "brief": "Pasti", "status": "proposed"})
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ReferralDetailScreen(ref.id))
        await settle(app, pilot)
        await pilot.click("#to-sent")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("informativa privacy" in m for m in messages), messages
    assert stored(tui_store, ref.id).status == "proposed"


async def test_moves_by_keys_and_the_focus_stays_on_them(tui_store: Store) -> None:
    """F6 opens on the list (Enter opens a referral), the focus is on the first allowed
    move, no invisible stop before the buttons, and each move has a letter shown while it
    is allowed; after a move the focus is on the next moves (point 13)."""
    rid = referral(tui_store, seed(tui_store), "sent")
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        assert isinstance(app.focused, RecordTable)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReferralDetailScreen)
        assert app.focused is screen.query_one("#to-accepted")
        await pilot.press("shift+tab")
        assert app.focused is screen.query_one("#history")
        await pilot.press("tab")
        assert app.focused is screen.query_one("#to-accepted")  # one Tab, no hidden stop
        keys = {key for key, b in screen.active_bindings.items()
                if b.binding.action.startswith("move")}
        assert keys == {"a", "d", "x"}
        await pilot.press("a")
        await settle(app, pilot)
        assert stored(tui_store, rid).status == "accepted"
        assert app.focused is screen.query_one("#to-in_progress")
        await pilot.press("d")  # not allowed any more: nothing happens
        await pilot.press("enter")  # the focused button: start
        await settle(app, pilot)
        assert stored(tui_store, rid).status == "in_progress"
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, TextPromptScreen)
        await pilot.press(*"Spesa fatta", "enter")
        await settle(app, pilot)
    record = stored(tui_store, rid)
    assert (record.status, record.outcome) == ("completed", "Spesa fatta")
