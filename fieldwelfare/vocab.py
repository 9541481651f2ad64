"""Reference vocabularies shipped as CSV in ``fieldwelfare.schema`` (see schema/SOURCES.md)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

ISTAT_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class Comune:
    istat_code: str
    belfiore_code: str
    name: str
    ambito: str


@dataclass(frozen=True)
class Term:
    vocabulary: str
    code: str
    label_it: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_it


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("fieldwelfare.schema").joinpath(filename).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def comuni() -> dict[str, Comune]:
    """The 84 comuni of the province of Lecco, by ISTAT code."""
    return {
        r["istat_code"]: Comune(r["istat_code"], r["belfiore_code"], r["name"], r["ambito"])
        for r in _rows("comuni.csv")
    }


def ambito_of(istat_code: str | None) -> str | None:
    if istat_code is None:
        return None
    comune = comuni().get(istat_code)
    return comune.ambito if comune else None


def comune_name(istat_code: str) -> str:
    comune = comuni().get(istat_code)
    return comune.name if comune else istat_code


def is_valid_istat_code(code: str) -> bool:
    """Six digits, with an ISTAT province part (001-111) and a progressive number (>= 001)."""
    if not ISTAT_CODE.match(code):
        return False
    return 1 <= int(code[:3]) <= 111 and int(code[3:]) >= 1


@cache
def terms() -> dict[str, dict[str, Term]]:
    """Every closed vocabulary (``vocabularies.csv`` + ``areas.csv`` + ``categories.csv``)."""
    out: dict[str, dict[str, Term]] = {}
    for r in _rows("vocabularies.csv"):
        out.setdefault(r["vocabulary"], {})[r["code"]] = Term(
            r["vocabulary"], r["code"], r["label_it"], r["label_en"]
        )
    for vocabulary, filename in (("area", "areas.csv"), ("category", "categories.csv")):
        for r in _rows(filename):
            out.setdefault(vocabulary, {})[r["code"]] = Term(
                vocabulary, r["code"], r["label_it"], r["label_en"]
            )
    return out


def codes(vocabulary: str) -> list[str]:
    return list(terms()[vocabulary])


def label(vocabulary: str, code: str, lang: str = "it") -> str:
    term = terms().get(vocabulary, {}).get(code)
    return term.label(lang) if term else code


@cache
def car_categories() -> frozenset[str]:
    """Categories whose tasks need a car (transport, medical escort)."""
    return frozenset(r["code"] for r in _rows("categories.csv") if r["needs_car"] == "1")


def ambiti() -> list[str]:
    return codes("ambito")
