"""Ranking volunteers and organisations for a need, with reasons a coordinator can read.

Who is considered
    Active, not deleted volunteers, and not deleted organisations. A target that already
    holds an open referral for this need (proposed, sent, accepted, in progress), or that
    declined it, is left out: it has been asked already.

Skill is a tier, not a filter
    Candidates offering the need's category (volunteer ``skills``, organisation
    ``categories``) always rank above candidates that do not. Candidates without the skill
    are *not* excluded: they only appear after every skilled candidate, so they fill the
    list when fewer than ``limit`` people offer the task (for example a need filed as
    ``other``). Their reasons say plainly that they do not offer the category.

Points inside a tier (see ``docs/matching.md``)
    - skill: 40 (it also fixes the tier);
    - place: 30 if they work in the need's comune, 15 in the same ambito, 0 elsewhere or
      when no comune is given;
    - car (only for categories that need one, ``vocab.car_categories()``): 20 for a
      volunteer with a car; an organisation offering the category is taken to have its
      own vehicles;
    - availability: weekly slots valid in the 14 days from ``today`` (each weekday occurs
      twice), up to 15 points at 12 hours or more. Organisations have their own opening
      hours and get half (7.5);
    - load: ``10 / (1 + open referrals)``: 10 with none, 5 with one, ...

Ties break on name, then id, so the order is stable. All counting happens in SQL
(indexes on referrals by target and status, availability by volunteer); Python only
formats the ``limit`` rows returned.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from fieldwelfare import matching_messages as _messages  # noqa: F401  (registers keys)
from fieldwelfare import vocab
from fieldwelfare.i18n import get_language, t
from fieldwelfare.models import Need
from fieldwelfare.models.vocabulary import OPEN_REFERRAL_STATUSES, ReferralStatus
from fieldwelfare.store import Store

WINDOW_DAYS = 14
SKILL_POINTS = 40.0
SAME_COMUNE_POINTS = 30.0
SAME_AMBITO_POINTS = 15.0
CAR_POINTS = 20.0
AVAILABILITY_POINTS = 15.0
AVAILABILITY_FULL_HOURS = 12.0
ORGANISATION_AVAILABILITY_POINTS = AVAILABILITY_POINTS / 2
LOAD_POINTS = 10.0

_OPEN = tuple(sorted(str(s) for s in OPEN_REFERRAL_STATUSES))
_ASKED = (*_OPEN, str(ReferralStatus.declined))
_FAR = "9999-12-31"

Kind = Literal["volunteer", "organisation"]


@dataclass
class Candidate:
    """One ranked volunteer or organisation for a need."""

    kind: Kind
    id: str
    name: str
    score: float
    rank: int
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_PARAM = re.compile(r":([a-z][a-z0-9_]*)")


def _positional(sql: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
    """Named ``:param`` SQL as ``?`` SQL and its ordered values (``execute_read`` is positional)."""
    values: list[Any] = []

    def take(found: re.Match[str]) -> str:
        values.append(params[found.group(1)])
        return "?"

    return _PARAM.sub(take, sql), values


def _in_list(column: str, param: str) -> str:
    return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE value = :{param})"


def _placeholders(name: str, values: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    keys = [f"{name}{i}" for i in range(len(values))]
    return ", ".join(f":{k}" for k in keys), dict(zip(keys, values, strict=True))


def _window(today: dt.date) -> tuple[str, dict[str, Any]]:
    """``win(weekday, d0, d1)``: the two dates of each weekday in the 14-day window."""
    rows = []
    params: dict[str, Any] = {}
    for weekday in range(7):
        first = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
        params[f"w{weekday}a"] = first.isoformat()
        params[f"w{weekday}b"] = (first + dt.timedelta(days=7)).isoformat()
        rows.append(f"({weekday}, :w{weekday}a, :w{weekday}b)")
    return "win(weekday, d0, d1) AS (VALUES " + ", ".join(rows) + ")", params


def _score_sql(place_cols: str) -> str:
    return (
        f"skill * {SKILL_POINTS} + CASE WHEN same_comune THEN {SAME_COMUNE_POINTS} "
        f"WHEN same_ambito THEN {SAME_AMBITO_POINTS} ELSE 0 END {place_cols}"
        f" + {LOAD_POINTS} / (1 + load)"
    )


def _clock_minutes(column: str) -> str:
    """Minutes since midnight of an ``HH:MM`` column."""
    return (f"(CAST(substr({column}, 1, 2) AS INTEGER) * 60"
            f" + CAST(substr({column}, 4, 2) AS INTEGER))")


def _volunteer_sql(open_in: str, asked_in: str, window: str) -> str:
    end, start = _clock_minutes('a."end"'), _clock_minutes("a.start")
    minutes = f"({end} - {start})"
    occurs = (
        f"((w.d0 >= a.valid_from AND w.d0 <= COALESCE(a.valid_to, '{_FAR}'))"
        f" + (w.d1 >= a.valid_from AND w.d1 <= COALESCE(a.valid_to, '{_FAR}')))"
    )
    car = f"+ CASE WHEN :car_needed AND has_car THEN {CAR_POINTS} ELSE 0 END"
    avail = (
        f"+ MIN(minutes / 60.0, {AVAILABILITY_FULL_HOURS}) / {AVAILABILITY_FULL_HOURS}"
        f" * {AVAILABILITY_POINTS}"
    )
    return f"""
    WITH {window},
    slots AS (
        SELECT a.volunteer_id AS vid, SUM(occ) AS slots, SUM(occ * mins) AS minutes
        FROM (SELECT a.volunteer_id, {occurs} AS occ, {minutes} AS mins
              FROM availability a JOIN win w ON w.weekday = a.weekday
              WHERE a._deleted = 0 AND a.valid_from <= :window_end
                AND COALESCE(a.valid_to, '{_FAR}') >= :today) a
        GROUP BY a.volunteer_id
    ),
    base AS (
        SELECT v.id, v.given_name, v.family_name, v.comuni,
               COALESCE(v.has_car, 0) AS has_car,
               {_in_list("v.skills", "category")} AS skill,
               {_in_list("v.comuni", "comune")} AS same_comune,
               EXISTS (SELECT 1 FROM json_each(v.comuni)
                       WHERE value IN (SELECT value FROM json_each(:ambito_comuni))) AS same_ambito,
               (SELECT COUNT(*) FROM referral r WHERE r.volunteer_id = v.id
                  AND r.status IN ({open_in}) AND r._deleted = 0) AS load,
               COALESCE(s.slots, 0) AS slots, COALESCE(s.minutes, 0) AS minutes
        FROM volunteer v LEFT JOIN slots s ON s.vid = v.id
        WHERE v._deleted = 0 AND v.active = 1
          AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.need_id = :need_id
                          AND r.volunteer_id = v.id AND r._deleted = 0
                          AND r.status IN ({asked_in}))
    )
    SELECT *, {_score_sql(car + avail)} AS score FROM base
    ORDER BY skill DESC, score DESC, given_name || ' ' || family_name, id
    LIMIT :limit
    """


def _organisation_sql(open_in: str, asked_in: str) -> str:
    own = (
        f"+ CASE WHEN :car_needed AND skill THEN {CAR_POINTS} ELSE 0 END"
        f" + {ORGANISATION_AVAILABILITY_POINTS}"
    )
    return f"""
    WITH base AS (
        SELECT o.id, o.name, o.kind, o.comuni,
               {_in_list("o.categories", "category")} AS skill,
               {_in_list("o.comuni", "comune")} AS same_comune,
               EXISTS (SELECT 1 FROM json_each(o.comuni)
                       WHERE value IN (SELECT value FROM json_each(:ambito_comuni))) AS same_ambito,
               (SELECT COUNT(*) FROM referral r WHERE r.organisation_id = o.id
                  AND r.status IN ({open_in}) AND r._deleted = 0) AS load
        FROM organisation o
        WHERE o._deleted = 0
          AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.need_id = :need_id
                          AND r.organisation_id = o.id AND r._deleted = 0
                          AND r.status IN ({asked_in}))
    )
    SELECT *, {_score_sql(own)} AS score FROM base
    ORDER BY skill DESC, score DESC, name, id
    LIMIT :limit
    """


def _number(value: float) -> str:
    text = f"{round(value, 1):g}"
    return text.replace(".", ",") if get_language() == "it" else text


def _common_reasons(row: Any, need: Need, category: str) -> list[str]:
    reasons = [t("match.skill" if row["skill"] else "match.no_skill", category=category)]
    if row["same_comune"]:
        reasons.append(t("match.same_comune", comune=vocab.comune_name(need.comune)))
    elif row["same_ambito"]:
        reasons.append(t("match.same_ambito", ambito=vocab.ambito_of(need.comune)))
    elif row["comuni"] in (None, "[]"):
        reasons.append(t("match.no_area"))
    else:
        reasons.append(t("match.elsewhere"))
    return reasons


def _load_reason(load: int) -> str:
    if load == 0:
        return t("match.no_load")
    if load == 1:
        return t("match.one_load")
    return t("match.load", count=load)


def _volunteer(row: Any, need: Need, category: str, car_needed: bool) -> Candidate:
    reasons = _common_reasons(row, need, category)
    if car_needed:
        reasons.append(t("match.has_car" if row["has_car"] else "match.no_car",
                         category=category))
    if row["slots"]:
        key = "match.one_slot" if row["slots"] == 1 else "match.available"
        reasons.append(t(key, slots=row["slots"], hours=_number(row["minutes"] / 60)))
    else:
        reasons.append(t("match.not_available"))
    reasons.append(_load_reason(row["load"]))
    name = f"{row['given_name']} {row['family_name']}"
    return Candidate("volunteer", row["id"], name, round(row["score"], 2), 0, reasons)


def _organisation(row: Any, need: Need, category: str, car_needed: bool) -> Candidate:
    kind = vocab.label("organisation_kind", row["kind"], get_language())
    reasons = [t("match.organisation", kind=kind), *_common_reasons(row, need, category)]
    if car_needed and row["skill"]:
        reasons.append(t("match.own_vehicles", category=category))
    reasons.append(t("match.org_hours"))
    reasons.append(_load_reason(row["load"]))
    return Candidate("organisation", row["id"], row["name"], round(row["score"], 2), 0, reasons)


def match(
    store: Store, need_id: str, *, limit: int = 10, today: dt.date | None = None
) -> list[Candidate]:
    """The best ``limit`` volunteers and organisations for the need, best first.

    Raises :class:`fieldwelfare.errors.NotFound` if the need does not exist or is deleted.
    """
    need = store.get("need", need_id)
    assert isinstance(need, Need)
    if limit <= 0:
        return []
    today = today or store.today()
    ambito = vocab.ambito_of(need.comune)
    ambito_comuni = sorted(c for c, v in vocab.comuni().items() if ambito and v.ambito == ambito)
    car_needed = str(need.category) in vocab.car_categories()
    open_in, open_params = _placeholders("open", _OPEN)
    asked_in, asked_params = _placeholders("asked", _ASKED)
    window, window_params = _window(today)
    params: dict[str, Any] = {
        "need_id": need.id, "category": str(need.category), "comune": need.comune,
        "ambito_comuni": json.dumps(ambito_comuni), "car_needed": int(car_needed),
        "today": today.isoformat(),
        "window_end": (today + dt.timedelta(days=WINDOW_DAYS - 1)).isoformat(),
        "limit": limit, **open_params, **asked_params,
    }
    category = vocab.label("category", str(need.category), get_language())
    volunteers = store.execute_read(
        *_positional(_volunteer_sql(open_in, asked_in, window), {**params, **window_params}))
    organisations = store.execute_read(*_positional(_organisation_sql(open_in, asked_in), params))
    ranked: list[tuple[tuple[Any, ...], Candidate]] = []
    for row in volunteers:
        cand = _volunteer(row, need, category, car_needed)
        ranked.append(((-row["skill"], -row["score"], cand.name, cand.id), cand))
    for row in organisations:
        cand = _organisation(row, need, category, car_needed)
        ranked.append(((-row["skill"], -row["score"], cand.name, cand.id), cand))
    ranked.sort(key=lambda item: item[0])
    out = [cand for _, cand in ranked[:limit]]
    for rank, cand in enumerate(out, start=1):
        cand.rank = rank
    return out
