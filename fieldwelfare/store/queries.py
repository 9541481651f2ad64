"""Read queries: filters (``--where``), full-text search, ordering and paging."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from typing import Any, get_args

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.models import Record
from fieldwelfare.store.codec import BOOL_FIELDS, JSON_FIELDS
from fieldwelfare.store.dbapi import sqlite3
from fieldwelfare.store.migrations import FTS_FIELDS

SEARCHABLE = tuple(FTS_FIELDS)
_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """User text as an FTS5 query: every word must match as a prefix (search as you type)."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return None
    return " ".join(f'"{tok}"*' for tok in tokens)


MAX_WORDS = 32
"""A search has at most this many words."""

TRIGRAM = 3
"""The trigram index finds words of at least three letters anywhere inside a field."""


def _word_sources(kind: str, token: str) -> list[tuple[str, str]]:
    """The full-text indexes that find one typed word, each with its MATCH argument."""
    sources = [(f"{kind}_fts", f'"{token}"*')]
    if len(token) >= TRIGRAM:
        sources.append((f"{kind}_tri", f'"{token}"'))
    return sources


def _source_sql(table: str, cap: int | None) -> str:
    if cap is None:
        return f"SELECT rowid FROM {table} WHERE {table} MATCH ?"
    return (f"SELECT rowid FROM (SELECT rowid FROM {table} WHERE {table} MATCH ? "
            f"ORDER BY rowid DESC LIMIT {int(cap)})")


def search_clause(kind: str, text: str, alias: str = "t",
                  cap: int | None = None) -> tuple[str, list[str]] | None:
    """Every word typed must match, either as the start of a word (accents ignored: the
    ``_fts`` index) or, from three letters, anywhere inside one (the ``_tri`` index):
    "ghil" finds Anghileri, "castel" finds Via del Castello. ``cap``: each index gives only
    its ``cap`` newest matches (see :func:`select`)."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return None
    if len(tokens) > MAX_WORDS:  # (a thousand words pass SQLite's expression depth)
        raise InvalidInput(t("err.search_words", max=MAX_WORDS), field="search")
    clauses, params = [], []
    for token in tokens:
        sources = _word_sources(kind, token)
        clause = (f"{alias}._rowid IN ("
                  + " UNION ".join(_source_sql(table, cap) for table, _ in sources) + ")")
        params += [match for _, match in sources]
        codes = comuni_named(token) if kind in COMUNE_KINDS else []
        if codes:  # "Castello" also finds who lives in Castello di Brianza
            clause = (f"({clause} OR {alias}.comune IN "
                      f"({', '.join('?' * len(codes))}))")
            params += codes
        clauses.append(clause)
    return " AND ".join(clauses), params


COMUNE_KINDS = frozenset({"person", "need"})
"""Kinds with one ``comune`` (an ISTAT code): a search word may be the comune's name."""


def comuni_named(token: str) -> list[str]:
    """ISTAT codes of the comuni whose name has a word starting with ``token`` (or, from
    three letters, containing it), accents and case aside."""
    from fieldwelfare import vocab

    wanted = _fold(token)
    found = []
    for code, comune in vocab.comuni().items():
        words = _TOKEN.findall(_fold(comune.name))
        if any(w.startswith(wanted) or (len(wanted) >= TRIGRAM and wanted in w)
               for w in words):
            found.append(code)
    return found


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _enum_of(model: type[Record], field: str) -> type[StrEnum] | None:
    annotation = model.model_fields[field].annotation
    stack = [annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, StrEnum):
            return current
        stack.extend(get_args(current))
    return None


def _coerce(model: type[Record], field: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    enum = _enum_of(model, field)
    if enum is not None and value not in enum.__members__.values():
        allowed = [e.value for e in enum]
        raise InvalidInput(
            t("err.not_allowed_value", field=field, value=repr(value), allowed=", ".join(allowed)),
            field=field, allowed=allowed,
        )
    if field in BOOL_FIELDS.get(model.KIND, ()):
        lowered = value.lower()
        if lowered not in ("true", "false", "1", "0", "yes", "no", "si", "sì"):
            raise InvalidInput(
                t("err.not_allowed_value", field=field, value=repr(value),
                  allowed="true, false"), field=field, allowed=["true", "false"])
        return int(lowered in ("true", "1", "yes", "si", "sì"))
    annotation = str(model.model_fields[field].annotation)
    if "int" in annotation and "list" not in annotation:
        try:
            return int(value)
        except ValueError:
            raise InvalidInput(t("err.wrong_type", field=field, detail="integer"),
                               field=field) from None
    return value


MANY = 50
"""More values than this for one field are passed as one JSON array: SQLite refuses a chain
of a thousand ORs (its expression depth limit) and a list of ids can be that long."""


def where_clause(
    model: type[Record], where: Mapping[str, Any] | None, search: str | None, alias: str = "t",
    cap: int | None = None,
) -> tuple[str, list[Any]]:
    clauses = [f"{alias}._deleted = 0"]
    params: list[Any] = []
    for field, raw in (where or {}).items():
        if field not in model.model_fields or field in model.computed():
            raise InvalidInput(
                t("err.unknown_field", field=field, kind=model.KIND,
                  allowed=", ".join(f for f in model.model_fields if f not in model.computed())),
                field=field,
            )
        values = raw if isinstance(raw, list) else [raw]
        if not values:  # an empty list matches nothing
            clauses.append("0")
            continue
        if len(values) > MANY and field not in JSON_FIELDS.get(model.KIND, ()) \
                and all(isinstance(v, str) for v in values):  # (ids: one parameter, no
            clauses.append(f'{alias}."{field}" IN (SELECT value FROM json_each(?))')  # tree
            params.append(json.dumps([_coerce(model, field, v) for v in values]))  # of ORs)
            continue
        ors = []
        for value in values:
            coerced = _coerce(model, field, value)
            if field in JSON_FIELDS.get(model.KIND, ()):
                ors.append(f'EXISTS (SELECT 1 FROM json_each({alias}."{field}") WHERE value = ?)')
                params.append(coerced)
            elif coerced is None or (isinstance(coerced, str) and coerced.lower() == "null"):
                ors.append(f'{alias}."{field}" IS NULL')
            else:
                ors.append(f'{alias}."{field}" = ?')
                params.append(coerced)
        clauses.append("(" + " OR ".join(ors) + ")")
    if search is not None and search.strip():
        if model.KIND not in FTS_FIELDS:
            raise InvalidInput(
                t("err.no_search", kind=model.KIND, allowed=", ".join(SEARCHABLE)),
                field="search", allowed=list(SEARCHABLE),
            )
        found = search_clause(model.KIND, search, alias, cap)
        if found is not None:
            clauses.append(found[0])
            params.extend(found[1])
    return " AND ".join(clauses), params


def order_clause(model: type[Record], order_by: str | None, alias: str = "t") -> str:
    if not order_by:
        return f"{alias}._rowid DESC"
    parts = []
    for item in order_by.split(","):
        desc = item.startswith("-")
        field = item.lstrip("-")
        if field not in model.model_fields or field in model.computed():
            raise InvalidInput(t("err.unknown_field", field=field, kind=model.KIND,
                                 allowed=", ".join(model.model_fields)), field=field)
        column = f'{alias}."{field}"'
        enum = _enum_of(model, field)
        if enum is not None:  # a vocabulary sorts in its own order (low ... urgent)
            column = "CASE " + column + "".join(
                f" WHEN '{member.value}' THEN {rank}" for rank, member in enumerate(enum)
            ) + " END"
        parts.append(f'{column} {"DESC" if desc else "ASC"}')
    return ", ".join([*parts, f"{alias}._rowid DESC"])


ORDERED_INDEXES: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    ("need", "-urgency,opened_on"): ("need_by_urgency", frozenset({"status"})),
}
"""Orders with an index that gives their rows already sorted (migration m015), and the
filters it serves. SQLite's planner prefers the status index and then sorts every open need
(80-120 ms at 200,000 needs) where walking the ordered index finds the first page in under a
millisecond; it is told to walk it when nothing more selective is asked (no search, no
filter but the status)."""


def _index_hint(model: type[Record], where: Mapping[str, Any] | None, search: str | None,
                order_by: str | None) -> str:
    index = ORDERED_INDEXES.get((model.KIND, order_by or ""))
    if index is None or (search and search.strip()) or not set(where or {}) <= index[1]:
        return ""
    return f" INDEXED BY {index[0]}"


def select(
    conn: sqlite3.Connection, model: type[Record], *, where: Mapping[str, Any] | None,
    search: str | None, limit: int | None, offset: int, order_by: str | None,
) -> list[sqlite3.Row]:
    if search and not order_by and limit and len(_TOKEN.findall(search)) == 1:
        with _snapshot(conn):  # the page and where the indexes were cut: one moment
            newest = _newest_matches(conn, model, where, search, limit, offset)
        if newest is not None:
            return newest
    clause, params = where_clause(model, where, search)
    hint = _index_hint(model, where, search, order_by)
    sql = (f"SELECT t.* FROM {model.KIND} t{hint} WHERE {clause} "
           f"ORDER BY {order_clause(model, order_by)}")
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params.extend([limit, offset])
    return conn.execute(sql, params).fetchall()


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """Several reads that see the database at one moment (a read transaction, unless one
    is already open): another process's write between them would make them disagree."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


SEARCH_CAP = 500
"""A search page first asks each full-text index for the rows it shows and this many more of
its newest matches (for the filters and the deleted)."""


def _newest_matches(conn: sqlite3.Connection, model: type[Record],
                    where: Mapping[str, Any] | None, search: str, limit: int,
                    offset: int) -> list[sqlite3.Row] | None:
    """A page of a one-word search, newest first, without reading every match: a
    one-letter word matches a third of 100,000 people, and SQLite gathers them all before
    the first row (4-9 ms a keystroke; from the second word on, the words narrow each
    other and this is not needed). Each index gives only its newest matches; the page is
    right if it is full and reaches no lower than where a cut index stopped (``None``
    otherwise: the caller asks again without the cut). Capping only removes matches, so
    what it finds is always found, and above every cut it misses nothing."""
    cap = offset + limit + SEARCH_CAP
    clause, params = where_clause(model, where, search, cap=cap)
    rows = conn.execute(f"SELECT t.* FROM {model.KIND} t WHERE {clause} "
                        "ORDER BY t._rowid DESC LIMIT ? OFFSET ?",
                        [*params, limit, offset]).fetchall()
    floor = None
    for token in _TOKEN.findall(search):
        for table, match in _word_sources(model.KIND, token):
            found, lowest = conn.execute(
                f"SELECT count(*), min(rowid) FROM ({_source_sql(table, cap)})", [match]
            ).fetchone()
            if found >= cap:  # cut: below ``lowest`` this index may know more
                floor = lowest if floor is None else max(floor, lowest)
    if floor is None or (len(rows) == limit and rows[-1]["_rowid"] >= floor):
        return rows
    return None


def count(conn: sqlite3.Connection, model: type[Record], *, where: Mapping[str, Any] | None,
          search: str | None, at_most: int | None = None) -> int:
    """How many records match; with ``at_most``, counting stops there (a search that
    matches half of 100,000 people is counted in milliseconds, not tens of them)."""
    clause, params = where_clause(model, where, search)
    sql = f"SELECT count(*) FROM {model.KIND} t WHERE {clause}"
    if at_most is not None:
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {model.KIND} t WHERE {clause} LIMIT ?)"
        params.append(at_most)
    return int(conn.execute(sql, params).fetchone()[0])
