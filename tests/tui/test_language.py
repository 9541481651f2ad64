"""Italian all the way (and English in English): Textual's and pydantic's own words never
reach the user (point 10)."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input, Select, Static
from tuikit import SIZE, build_app, seed

from fieldwelfare.screens.screens.availability import AvailabilityScreen
from fieldwelfare.screens.screens.help import HelpScreen
from fieldwelfare.screens.screens.person_form import PersonFormScreen
from fieldwelfare.screens.screens.text_prompt import TextPromptScreen
from fieldwelfare.store import Store

ENGLISH = ("Copy selected text", "Dismiss menu", "Search for commands", "Focus Next",
           "Theme", "Screenshot", "Input should", "String should")


def footer_text(app: object) -> str:
    return " ".join(str(getattr(k, "description", ""))
                    for k in app.screen.query("FooterKey"))  # type: ignore[attr-defined]


async def settle(app: object, pilot: object) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]


async def test_textual_words_are_italian(tui_store: Store) -> None:
    seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = " ".join(description for _, description in app.screen.keys)
        assert "Copia il testo selezionato" in keys
        await pilot.press("escape", "f5")
        await settle(app, pilot)
        app.screen.query_one("#f-urgency", Select).focus()
        await pilot.press("enter")  # the dropdown
        await settle(app, pilot)
        assert "Chiudi il menu" in footer_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(Input).placeholder == "Cerca un comando o una schermata…"
        await pilot.press(*"e")
        await settle(app, pilot)
        shown = " ".join(str(o.prompt) for o in palette.query_one("CommandList").options)  # type: ignore[attr-defined]
        assert "Esci" in shown
        for words in ENGLISH:
            assert words not in shown and words not in footer_text(app)


async def test_pydantic_words_become_ours(tui_store: Store) -> None:
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(PersonFormScreen())
        await settle(app, pilot)
        form = app.screen
        for name, value in (("family_name", "Rossi"), ("given_name", "Anna"),
                            ("comune", "Lecco"), ("birth_year", "abc")):
            form.query_one(f"#{name}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        error = str(form.query_one("#err-birth_year", Static).render())
        assert "serve un numero intero" in error
        assert "Input should" not in error
    assert tui_store.count("person") == 0


async def test_decimals_with_a_comma(tui_store: Store) -> None:
    ids = seed(tui_store)
    tui_store.add("availability", {"volunteer_id": ids["giulia"], "weekday": 3,
                                   "start": "09:00", "end": "09:30",
                                   "valid_from": "2025-01-01"})
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(AvailabilityScreen(ids["giulia"]))
        await settle(app, pilot)
        assert "3,5 ore" in str(app.screen.query_one("#total", Static).render())


async def test_english_is_english(tui_store: Store) -> None:
    from dirkit import referral

    from fieldwelfare.screens.screens.referral_detail import ReferralDetailScreen

    rid = referral(tui_store, seed(tui_store), "sent")
    app = build_app(tui_store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Ambito" not in app.title
        await pilot.press("f5")
        await settle(app, pilot)
        prompts = [str(s.prompt) for s in app.screen.query("#filters Select").results(Select)]
        assert prompts[:2] == ["Municipality", "District"]  # not "Comune", "Ambito"
        await pilot.press("f2")
        await settle(app, pilot)
        app.push_screen(ReferralDetailScreen(rid))
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, TextPromptScreen)
        assert app.screen.question == "Reason (required for “Declined”)"
