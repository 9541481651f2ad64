"""Organisations: directory search, new organisation, edit."""

from __future__ import annotations

from dirkit import settle
from textual.widgets import Input, Select, SelectionList, Static
from tuikit import SIZE, build_app, seed

from fieldwelfare.models import Organisation
from fieldwelfare.screens.screens.organisation_form import OrganisationFormScreen
from fieldwelfare.screens.screens.organisations import OrganisationsScreen
from fieldwelfare.screens.widgets import RecordTable
from fieldwelfare.store import Store


async def test_new_organisation_is_stored(tui_store: Store) -> None:
    seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f8")
        await settle(app, pilot)
        assert isinstance(app.screen, OrganisationsScreen)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, OrganisationFormScreen)
        await pilot.press(*"Auser Merate")
        await pilot.press("ctrl+s")  # no kind yet: refused next to it
        await settle(app, pilot)
        assert str(form.query_one("#err-kind", Static).render())
        assert tui_store.count("organisation") == 1
        form.query_one("#kind", Select).value = "odv"
        form.query_one("#categories", SelectionList).select("transport")
        form.query_one("#comuni", SelectionList).select("097048")
        form.query_one("#contact", Input).value = "039 123456"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not form.is_dirty()
    (auser,) = tui_store.list_records("organisation", search="auser")
    assert isinstance(auser, Organisation)
    assert (auser.kind, auser.categories, auser.comuni, auser.contact) == (
        "odv", ["transport"], ["097048"], "039 123456")


async def test_search_and_edit_an_organisation(tui_store: Store) -> None:
    seed(tui_store)
    app = build_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f8")
        await settle(app, pilot)
        await pilot.press(*"carit")
        await settle(app, pilot)
        table = app.screen.query_one(RecordTable)
        assert table.total == 1
        table.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, OrganisationFormScreen)
        assert form.query_one("#name", Input).value == "Caritas Lecco"
        form.query_one("#name", Input).value = "Caritas Decanato di Lecco"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    (caritas,) = tui_store.list_records("organisation")
    assert isinstance(caritas, Organisation)
    assert (caritas.name, caritas.categories) == ("Caritas Decanato di Lecco",
                                                 ["meals", "shopping"])
