"""Numbered, append-only schema migrations, applied on every open.

Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("fieldwelfare")

_COMMON = """
    _rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    created_at TEXT,
    updated_at TEXT,
    created_by TEXT,
"""
_SYNC = """
    _deleted INTEGER NOT NULL DEFAULT 0,
    _clock TEXT
"""

_TABLES = {
    "person": """
        given_name TEXT, family_name TEXT, birth_year INTEGER, sex TEXT, fiscal_code TEXT,
        comune TEXT, address TEXT, phone TEXT, household_size INTEGER, languages TEXT,
        privacy_notice TEXT, notes TEXT, owner TEXT,""",
    "visit": """
        person_id TEXT REFERENCES person(id), date TEXT, kind TEXT, duration_min INTEGER,
        notes TEXT, follow_up_on TEXT,""",
    "need": """
        person_id TEXT, comune TEXT, area TEXT, category TEXT, description TEXT,
        urgency TEXT, status TEXT, opened_on TEXT, closed_on TEXT, visit_id TEXT,""",
    "organisation": """
        name TEXT, kind TEXT, comuni TEXT, categories TEXT, contact TEXT,""",
    "volunteer": """
        given_name TEXT, family_name TEXT, phone TEXT, email TEXT, organisation_id TEXT,
        skills TEXT, comuni TEXT, languages TEXT, has_car INTEGER, active INTEGER,""",
    "availability": """
        volunteer_id TEXT REFERENCES volunteer(id), weekday INTEGER, start TEXT, "end" TEXT,
        valid_from TEXT, valid_to TEXT,""",
    "referral": """
        need_id TEXT, volunteer_id TEXT, organisation_id TEXT, brief TEXT, category TEXT,
        comune TEXT, status TEXT,
        outcome TEXT, reason TEXT,""",
}

_INDEXES = [
    "CREATE INDEX visit_person ON visit(person_id)",
    "CREATE INDEX visit_follow_up ON visit(follow_up_on)",
    "CREATE INDEX need_status ON need(status, urgency, _deleted)",
    "CREATE INDEX need_comune ON need(comune)",
    "CREATE INDEX need_person ON need(person_id)",
    "CREATE INDEX availability_volunteer ON availability(volunteer_id, weekday)",
    "CREATE INDEX referral_need ON referral(need_id)",
    "CREATE INDEX referral_volunteer ON referral(volunteer_id, status)",
    "CREATE INDEX referral_organisation ON referral(organisation_id, status)",
    "CREATE INDEX referral_status ON referral(status)",
    "CREATE INDEX person_name ON person(family_name, given_name, _deleted)",
]

FTS_FIELDS = {
    "person": ["given_name", "family_name", "fiscal_code", "address", "phone"],
    "need": ["description"],
    "volunteer": ["given_name", "family_name", "email", "phone"],
    "organisation": ["name", "contact"],
}


@migrations()
def m001_create_records(db: Database) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    for table, columns in _TABLES.items():
        db.execute(f"CREATE TABLE {table} ({_COMMON}{columns}{_SYNC})")
    db.execute(
        """CREATE TABLE referral_event (
            _rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            referral_id TEXT NOT NULL REFERENCES referral(id),
            status TEXT NOT NULL,
            at TEXT NOT NULL,
            by TEXT NOT NULL,
            note TEXT,
            hlc TEXT NOT NULL,
            origin TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX referral_event_referral ON referral_event(referral_id)")
    db.execute(
        """CREATE TABLE change (
            seq INTEGER PRIMARY KEY,
            tbl TEXT NOT NULL,
            rid TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT,
            hlc TEXT NOT NULL,
            origin TEXT NOT NULL,
            operator TEXT,
            base TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            device TEXT NOT NULL,
            operator TEXT,
            action TEXT NOT NULL,
            tbl TEXT,
            rid TEXT,
            detail TEXT,
            prev TEXT NOT NULL,
            hash TEXT NOT NULL
        )"""
    )
    for statement in _INDEXES:
        db.execute(statement)
    for table, fields in FTS_FIELDS.items():
        for statement in fts_statements(table, fields):
            db.execute(statement)


def fts_statements(table: str, fields: list[str]) -> list[str]:
    """An external-content FTS5 index with prefix indexes (search as you type) and triggers."""
    cols = ", ".join(fields)
    new = ", ".join(f"new.{f}" for f in fields)
    old = ", ".join(f"old.{f}" for f in fields)
    return [
        f"CREATE VIRTUAL TABLE {table}_fts USING fts5({cols}, content={table}, "
        f"content_rowid=_rowid, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {table}_fts(rowid, {cols}) VALUES (new._rowid, {new}); END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {table}_fts({table}_fts, rowid, {cols}) VALUES ('delete', old._rowid, {old});"
        " END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {table}_fts({table}_fts, rowid, {cols}) VALUES ('delete', old._rowid, {old});"
        f" INSERT INTO {table}_fts(rowid, {cols}) VALUES (new._rowid, {new}); END",
    ]


@migrations()
def m002_sync_transport(db: Database) -> None:
    """Sync transport: keys, hub device registry, enrollment codes, bundle ledger, hub peer."""
    from fieldwelfare.store.hubstate import SCHEMA_V1

    for statement in SCHEMA_V1:
        db.execute(statement)


@migrations()
def m003_sync_state(db: Database) -> None:
    """Replication: change identity and row lookups, applied-bundle ledger, conflicts,
    far-future clock flags, and the outbox acknowledgement mark (store/replication.py)."""
    for statement in (
        # One index serves both the row lookups of the merge (prefix tbl, rid) and the
        # uniqueness of a change's identity: a second index halved bulk write speed.
        "CREATE UNIQUE INDEX change_row ON change(tbl, rid, field, hlc, origin)",
        """CREATE TABLE applied_bundle (
            bundle_id TEXT PRIMARY KEY,
            sender TEXT NOT NULL,
            kind TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            received_from_hub INTEGER NOT NULL,
            applied_at TEXT NOT NULL,
            applied INTEGER NOT NULL,
            skipped INTEGER NOT NULL,
            conflicts INTEGER NOT NULL,
            flagged_future INTEGER NOT NULL,
            first_seq INTEGER,
            last_seq INTEGER
        )""",
        """CREATE TABLE conflict (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            tbl TEXT NOT NULL,
            rid TEXT NOT NULL,
            field TEXT NOT NULL,
            current_value TEXT,
            current_hlc TEXT NOT NULL,
            current_origin TEXT NOT NULL,
            other_value TEXT,
            other_hlc TEXT NOT NULL,
            other_origin TEXT NOT NULL,
            resolve_field TEXT NOT NULL,
            resolve_stamp TEXT NOT NULL
        )""",
        "CREATE INDEX conflict_row ON conflict(tbl, rid)",
        """CREATE TABLE clock_flag (
            _rowid INTEGER PRIMARY KEY,
            bundle_id TEXT NOT NULL,
            tbl TEXT NOT NULL,
            rid TEXT NOT NULL,
            field TEXT NOT NULL,
            hlc TEXT NOT NULL,
            origin TEXT NOT NULL,
            flagged_at TEXT NOT NULL
        )""",
        "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ):
        db.execute(statement)


@migrations()
def m004_list_indexes(db: Database) -> None:
    """Lists and counts of live rows without scanning the tables: open needs newest first
    come straight from ``need_live`` in rowid order, and counts read the small indexes.
    (People are counted on ``person_name``, which carries ``_deleted``: a separate index on
    ``_deleted`` made SQLite sort all people for the list by name.)"""
    for statement in (
        "CREATE INDEX need_live ON need(status, _deleted)",
        "CREATE INDEX need_deleted ON need(_deleted)",
    ):
        db.execute(statement)


@migrations()
def m005_integrity_anchors(db: Database) -> None:
    """Tamper evidence (``fieldwelfare doctor``): the audit head each device last showed
    the hub (``hub_device.audit_seq/audit_hash``) and, in ``meta``, the first change-log
    sequence covered by the audit log's ``changes`` digests (rows before this upgrade are
    not)."""
    db.execute("ALTER TABLE hub_device ADD COLUMN audit_seq INTEGER")
    db.execute("ALTER TABLE hub_device ADD COLUMN audit_hash TEXT")
    db.execute("INSERT OR REPLACE INTO meta (key, value) "
               "SELECT 'digest_from', coalesce(max(seq), 0) + 1 FROM change")


def trigram_statements(table: str, fields: list[str], tokenize: str = "trigram") -> list[str]:
    """A second external-content FTS5 index on the same columns, by trigrams: any three
    letters inside a word match ("ghil" finds Anghileri). The trigram tokenizer folds case;
    accents only from SQLite 3.45 (``remove_diacritics``, see m013)."""
    cols = ", ".join(fields)
    new = ", ".join(f"new.{f}" for f in fields)
    old = ", ".join(f"old.{f}" for f in fields)
    tri = f"{table}_tri"
    return [
        f"CREATE VIRTUAL TABLE {tri} USING fts5({cols}, content={table}, "
        f"content_rowid=_rowid, tokenize='{tokenize}')",
        f"CREATE TRIGGER {table}_tai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {tri}(rowid, {cols}) VALUES (new._rowid, {new}); END",
        f"CREATE TRIGGER {table}_tad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {tri}({tri}, rowid, {cols}) VALUES ('delete', old._rowid, {old}); END",
        f"CREATE TRIGGER {table}_tau AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {tri}({tri}, rowid, {cols}) VALUES ('delete', old._rowid, {old});"
        f" INSERT INTO {tri}(rowid, {cols}) VALUES (new._rowid, {new}); END",
        f"INSERT INTO {tri}({tri}) VALUES ('rebuild')",
    ]


@migrations()
def m008_trigram_search(db: Database) -> None:
    """Search inside words (issue #11): a trigram index next to each word-prefix index.
    Numbered 008: other branches add m005-m007."""
    for table, fields in FTS_FIELDS.items():
        for statement in trigram_statements(table, fields):
            db.execute(statement)


@migrations()
def m010_erasure(db: Database) -> None:
    """The right to erasure (docs/privacy.md, docs/merge.md "Erasure"): ``purge`` holds one
    marker per erased person (the fold of its replicated ``purge`` changes: when, who, why,
    no personal data); ``purged_record`` lists every record this replica erased (``mode``
    ``erase``: row gone, its change-log rows emptied) or redacted (``redact``: a referral or
    history event whose free text was removed), so a late change for it is dropped."""
    for statement in (
        """CREATE TABLE purge (
            id TEXT PRIMARY KEY,
            at TEXT,
            by TEXT,
            reason TEXT,
            needs TEXT,
            hlc TEXT NOT NULL,
            origin TEXT NOT NULL
        )""",
        """CREATE TABLE purged_record (
            tbl TEXT NOT NULL,
            rid TEXT NOT NULL,
            purge_id TEXT NOT NULL,
            mode TEXT NOT NULL,
            PRIMARY KEY (tbl, rid)
        )""",
        "CREATE INDEX purged_record_purge ON purged_record(purge_id)",
    ):
        db.execute(statement)


@migrations()
def m011_access_log(db: Database) -> None:
    """The read log (docs/privacy.md): who opened whose file, when, how and why. Each entry
    is replicated as changes of table ``access`` (no personal data but the person's id) and
    kept here as the fold of its changes; only the hub collects every device's."""
    db.execute(
        """CREATE TABLE access (
            id TEXT PRIMARY KEY,
            person_id TEXT,
            at TEXT,
            by TEXT,
            device TEXT,
            via TEXT,
            why TEXT,
            hlc TEXT NOT NULL,
            origin TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX access_person ON access(person_id, at)")


@migrations()
def m012_tls_pins(db: Database) -> None:
    """TLS without a certificate authority: the fingerprints of the hub's TLS certificate a
    device trusts over ``https://`` (``sync_hub.tls_pins``, space-separated SHA-256 hex;
    from an ``FW2`` enrollment code, then from the hub's signed replies)."""
    db.execute("ALTER TABLE sync_hub ADD COLUMN tls_pins TEXT")


TRIGRAM_ACCENTS = (3, 45)
"""The first SQLite whose trigram tokenizer can fold accents (``remove_diacritics``)."""


@migrations()
def m013_trigram_accents(db: Database) -> None:
    """Search inside words ignores accents too ("nicolo" finds Nicolò, "cantu" finds
    Cantù): the trigram indexes are rebuilt with ``remove_diacritics 1``. SQLCipher 4.19
    (SQLite 3.53) has it; the standard library's SQLite, used where no SQLCipher wheel
    exists, may not: there the indexes stay as they are (accents then count inside words,
    never at the start of one)."""
    version = str(db.execute("SELECT sqlite_version()").fetchone()[0])
    if tuple(int(part) for part in version.split(".")[:2]) < TRIGRAM_ACCENTS:
        return
    for table, fields in FTS_FIELDS.items():
        for trigger in ("tai", "tad", "tau"):
            db.execute(f"DROP TRIGGER IF EXISTS {table}_{trigger}")
        db.execute(f"DROP TABLE IF EXISTS {table}_tri")
        for statement in trigram_statements(table, fields, "trigram remove_diacritics 1"):
            db.execute(statement)


@migrations()
def m014_redaction(db: Database) -> None:
    """Retention of referrals' free text (docs/privacy.md, docs/merge.md "Redaction"):
    ``redaction`` holds one marker per referral whose brief, outcome, reason and history
    notes were removed (the fold of its replicated ``redaction`` changes: when, who, why).
    The redacted referral is listed in ``purged_record`` (mode ``redact``, ``purge_id`` =
    the referral's id), like the referrals of an erased person."""
    db.execute(
        """CREATE TABLE redaction (
            id TEXT PRIMARY KEY,
            at TEXT,
            by TEXT,
            reason TEXT,
            hlc TEXT NOT NULL,
            origin TEXT NOT NULL
        )""")


@migrations()
def m015_need_order(db: Database) -> None:
    """The needs list's default order (most urgent first, then the longest waiting) as an
    index, so its first page is read without sorting every open need
    (``queries.ORDERED_INDEXES``; the expression is ``order_clause``'s, a test keeps them
    equal)."""
    db.execute(
        "CREATE INDEX need_by_urgency ON need(CASE \"urgency\" WHEN 'low' THEN 0 "
        "WHEN 'medium' THEN 1 WHEN 'high' THEN 2 WHEN 'urgent' THEN 3 END DESC, "
        "\"opened_on\" ASC, _rowid DESC) WHERE _deleted = 0")


@migrations()
def m016_drop_need_deleted(db: Database) -> None:
    """``need_deleted`` (m004) made SQLite read a person's needs by scanning every live need
    (40 ms at 200,000 needs, not the 0.2 ms of ``need_person``): without statistics it
    takes any equality on an index as selective, and ``_deleted`` has two values. Counts of
    live needs read ``need_live`` instead."""
    db.execute("DROP INDEX IF EXISTS need_deleted")
