"""Paged, search-as-you-type loading shared by the list screens.

Keystrokes are coalesced rather than delayed: the first query runs at once; while it runs,
newer queries replace each other, and only the latest runs next. A page that answers an
older query is dropped by the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events, work
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from fieldwelfare.i18n import t
from fieldwelfare.screens.messages import Counted, Page
from fieldwelfare.screens.widgets import PAGE_SIZE, RecordTable

if TYPE_CHECKING:
    from textual.screen import Screen

Rows = list[tuple[str, list[Any]]]

COUNT_CAP = 1000
"""Lists count their matches up to here and then say "50 di oltre 1.000": counting all
that a one-letter search finds among 100,000 people takes longer than a keystroke may."""
COUNT_AT_MOST = COUNT_CAP + 1
"""What :meth:`Listing.fetch` passes to ``Store.count(at_most=...)``."""


class Listing:
    """Mixed into an FwScreen with a :class:`RecordTable`; implement :meth:`fetch`."""

    _busy = False
    _pending: tuple[int, Any, int] | None = None

    def list_table(self) -> RecordTable:
        raise NotImplementedError

    def list_query(self) -> Any:
        """The current search text and filters (read on the UI thread)."""
        raise NotImplementedError

    def fetch(self, query: Any, offset: int, limit: int, count: bool) -> tuple[Rows, int]:
        """Runs in a worker thread: one page of rows and (if ``count``) the total, counted
        up to ``COUNT_AT_MOST`` (``limit`` 0: only the total)."""
        raise NotImplementedError

    _asked: Any = None
    """The query of the latest reload."""

    def reload(self, *, if_changed: bool = False) -> None:
        """Load the first page again (``if_changed``: only if the query changed)."""
        query = self.list_query()
        if if_changed and query == self._asked:
            return
        self._asked = query
        table = self.list_table()
        table.generation += 1
        self._pending = (table.generation, query, 0)
        self._next()

    def _next(self) -> None:
        if self._busy or self._pending is None:
            return
        self._busy = True
        generation, query, offset = self._pending
        self._pending = None
        table = self.list_table()
        self._load_page(generation, query, offset, table.total, table.exact)

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def _load_page(self, generation: int, query: Any, offset: int, total: int,
                   exact: bool) -> None:
        """One page; a first page is shown before its rows are counted (counting a search
        that matches thousands takes as long as reading the page)."""
        post = self.post_message  # type: ignore[attr-defined]
        rows, _ = self.fetch(query, offset, PAGE_SIZE, False)
        full = len(rows) == PAGE_SIZE
        if offset == 0:  # counted once painted (see on_page)
            post(Page(generation, 0, rows, len(rows) + full, not full, counted=not full))
            return
        if not exact:  # past where counting stopped: one more page while pages are full
            total = max(total, offset + len(rows) + 1) if full else offset + len(rows)
            exact = not full
        post(Page(generation, offset, rows, total, exact))

    def on_page(self, message: Page) -> None:
        table = self.list_table()
        if table.show_page(message):
            self.page_shown(message)
            if not message.counted:  # after the rows are on screen: not competing with them
                generation, query = message.generation, self._asked
                table.after_rows_painted(lambda: self._count_later(generation, query))

    def _count_later(self, generation: int, query: Any) -> None:
        table = self.list_table()
        if generation == table.generation:  # (a newer query counts itself)
            self._count(table, generation, query)

    @work(thread=True, group="count", exit_on_error=False)  # (not exclusive: a cancelled
    def _count(self, table: RecordTable, generation: int, query: Any) -> None:  # worker
        if generation != table.generation:  # fails wait_for_complete)
            return  # typed on meanwhile: the newer query counts for itself
        counted = self.fetch(query, 0, 0, True)[1]
        self.post_message(  # type: ignore[attr-defined]
            Counted(generation, counted, counted <= COUNT_CAP))

    def on_counted(self, message: Counted) -> None:
        if self.list_table().show_count(message):
            self.show_count()

    def _screen(self) -> Screen[Any]:
        return cast("Screen[Any]", self)

    def page_shown(self, page: Page) -> None:
        """Hook, called once a page is in the table: by default the ``#count`` line."""
        self.show_count()

    def show_count(self) -> None:
        """The ``#count`` line: "50 di 320", "50 di oltre 1.000", "50 di …" (counting)."""
        table = self.list_table()
        searched = [i.value.strip() for i in self._screen().query("#search").results(Input)]
        text = t("list.count", shown=table.row_count, total=table.total) if table.exact \
            else t("list.count_over", shown=table.row_count, total=f"{COUNT_CAP:,}".replace(
                ",", t("list.thousands")))
        if table.counting:
            text = t("list.count", shown=table.row_count, total="…")
        elif table.total == 0 and searched and searched[0]:
            text = t("list.none_for", query=searched[0])  # not a bare "0 di 0"
        elif table.total == 0:
            text = t("list.empty")
        for counter in self._screen().query("#count").results(Static):
            counter.update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Search as you type in the ``#search`` input."""
        if event.input.id == "search":
            self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box opens the highlighted row (the first one, unless the
        cursor moved): type, then Enter."""
        if event.input.id == "search":
            table = self.list_table()
            table.focus()
            if table.row_count:
                table.action_select_cursor()

    def on_key(self, event: events.Key) -> None:
        """Down from the search box goes to the list; a letter typed on the list goes to
        the search box (the needs list opens on its table, so Enter opens a need)."""
        screen = self._screen()
        searches = list(screen.query("#search").results(Input))
        if not searches:
            return
        search, focused = searches[0], screen.focused
        if event.key == "down" and focused is search and self.list_table().row_count:
            self.list_table().focus()
            event.stop()
        elif (focused is self.list_table() and event.is_printable and event.character
              and event.key not in screen.active_bindings):
            search.focus()  # (search boxes do not select their text on focus)
            search.cursor_position = len(search.value)
            search.insert_text_at_cursor(event.character)
            event.stop()

    def action_search(self) -> None:
        self._screen().query_one("#search", Input).focus()

    def on_record_table_more_wanted(self, message: RecordTable.MoreWanted) -> None:
        table = self.list_table()
        self._pending = self._pending or (table.generation, self.list_query(), message.offset)
        self._next()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "page" and event.state in (
            WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED
        ):
            self._busy = False
            self._next()


class SearchListing(Listing):
    """A list of one record kind searched as you type, with ``#search``, ``#table`` and
    ``#count``: set ``KIND`` and ``ORDER`` (when not searching), implement :meth:`row`."""

    KIND: ClassVar[str]
    ORDER: ClassVar[str | None] = None
    only: Callable[[Any], list[str]] | None = None
    """Set by a home card: the ids the list is limited to, read with the store in the
    worker at every page (the card's count and the list agree, and stay current)."""
    only_note: str = ""
    """What the limit means, shown above the list."""

    def limit_to(self, note: str, ids: Callable[[Any], list[str]]) -> None:
        """Show only the records ``ids(store)`` names, under the line ``note``."""
        self.only, self.only_note = ids, note

    def row(self, record: Any) -> tuple[str, list[Any]]:
        """A record as ``(id, cells)``."""
        raise NotImplementedError

    def list_where(self) -> dict[str, Any] | None:
        """Hook: a fixed filter on the list."""
        return None

    def on_mount(self) -> None:
        self._screen().query_one("#search", Input).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def list_table(self) -> RecordTable:
        return self._screen().query_one("#table", RecordTable)

    def list_query(self) -> str:
        return self._screen().query_one("#search", Input).value

    def fetch(self, query: Any, offset: int, limit: int, count: bool) -> tuple[Rows, int]:
        store = cast(Any, self).store
        search = str(query).strip() or None
        where = self.list_where()
        if self.only is not None:
            where = {**(where or {}), "id": self.only(store)}
        records = store.list_records(self.KIND, where=where, search=search, limit=limit,
                                     offset=offset, order_by=None if search else self.ORDER)
        total = store.count(self.KIND, where=where, search=search,
                            at_most=COUNT_AT_MOST) if count else 0
        return [self.row(record) for record in records], total
