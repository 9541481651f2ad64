"""The directory in and out: HSDS valid against the published schemas, spreadsheets that
round-trip, and the exact report of a file with bad rows."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from fieldwelfare.directory import export, hsds, importer
from fieldwelfare.directory.importer import Problem
from fieldwelfare.store import Store, open_store

HSDS = resources.files("fieldwelfare.schema").joinpath("hsds")


def validator(table: str) -> Draft202012Validator:
    resources_ = [(p.name, Resource(json.loads(p.read_text("utf-8")), DRAFT202012))
                  for p in HSDS.iterdir() if p.name.endswith(".json")]
    registry: Registry[Any] = Registry().with_resources(resources_)
    schema = json.loads(HSDS.joinpath(f"{table}.json").read_text("utf-8"))
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def test_hsds_export_is_valid(demo_store: Store, tmp_path: Path) -> None:
    paths = hsds.write(demo_store, tmp_path / "hsds")
    assert sorted(p.name for p in paths) == sorted(f"{n}.json" for n in hsds.FILES)
    data = {p.stem: json.loads(p.read_text("utf-8")) for p in paths}
    schemas = {"organizations": "organization", "services": "service",
               "taxonomy": "taxonomy", "taxonomy_terms": "taxonomy_term"}
    for name, table in schemas.items():
        check = validator(table)
        for item in data[name]:
            errors = [e.message for e in check.iter_errors(item)]
            assert errors == [], (name, item["id"], errors)
    orgs = demo_store.list_records("organisation", limit=None)
    assert len(data["organizations"]) == len(orgs)
    offered = sum(len(o.categories) for o in orgs)  # type: ignore[attr-defined]
    assert len(data["services"]) == offered
    assert any(s["schedules"] for s in data["services"])
    assert any(o["locations"] for o in data["organizations"])
    again = hsds.build(demo_store)
    assert again["services"] == data["services"]  # same ids on every export


def _directory(store: Store) -> dict[str, list[dict[str, Any]]]:
    drop = {"created_at", "updated_at", "created_by"}
    return {kind: sorted(({k: v for k, v in r.model_dump(mode="json").items() if k not in drop}
                          for r in store.list_records(kind, limit=None)),
                         key=lambda d: d["id"])
            for kind in ("organisation", "volunteer")}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_into_an_empty_database(demo_store: Store, tmp_path: Path,
                                           fmt: str) -> None:
    if fmt == "xlsx":
        path = tmp_path / "directory.xlsx"
        export.write_xlsx(demo_store, path)
        files = {"organisations": path, "volunteers": path}
    else:
        export.write_csv_files(demo_store, tmp_path / "csv")
        files = {w: tmp_path / "csv" / f"{w}.csv" for w in ("organisations", "volunteers")}
    empty = open_store(tmp_path / "empty.db")
    for what in ("organisations", "volunteers"):
        report = importer.run(empty, what, files[what])
        assert report.bad == [] and report.duplicates == [] and report.written
    assert _directory(empty) == _directory(demo_store)
    again = importer.run(empty, "volunteers", files["volunteers"])
    assert again.created == 0 and len(again.duplicates) == again.rows
    empty.close()


BAD = """Nome;Cognome;Telefono;E-mail;Competenze;Comuni;Automunito;Note
Anna;Verdi;333 111 2222;;Trasporto, Spesa;Lecco, Valmadrera;sì;x
;Neri;333 111 3333;;spesa;Lecco;no;
Bruno;Gialli;;;;Lecco;no;
Carla;Blu;333 444 5555;;taxi;Atlantide;forse;
Dario;Rosa;+39 333 111 2222;;pasti;Lecco;;
"""


def test_bad_rows_give_the_exact_report_and_nothing_is_written(store: Store,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "volontari.csv"
    path.write_text(BAD, encoding="utf-8")
    report = importer.run(store, "volunteers", path)
    allowed = ("transport, shopping, companionship, meals, digital_support, homework_help, "
               "medical_escort, small_repairs, job_orientation, housing, financial_support, "
               "other")
    assert report.bad == [
        Problem(3, "Nome", "", "given_name: campo obbligatorio"),
        Problem(4, "Telefono", "", "phone/email: serve almeno un recapito (telefono o email)"),
        Problem(5, "Competenze", "taxi",
                f"skills: valore 'taxi' non ammesso; valori ammessi: {allowed}"),
        Problem(5, "Comuni", "Atlantide",
                "comuni: 'Atlantide' non è un codice ISTAT di comune (6 cifre)"),
        Problem(5, "Automunito", "forse",
                "has_car: sì o no (true o false; ricevuto 'forse')"),
    ]
    assert report.duplicates == [
        Problem(6, "Telefono", "+39 333 111 2222", "già presente (riga 2): non creato di nuovo")]
    assert report.ignored_columns == ["Note"]
    assert not report.written and store.count("volunteer") == 0

    skipped = importer.run(store, "volunteers", path, skip_bad=True)
    assert skipped.created == 1 and store.count("volunteer") == 1
    anna = store.list_records("volunteer")[0].model_dump()
    assert anna["skills"] == ["transport", "shopping"]
    assert anna["comuni"] == ["097042", "097083"] and anna["has_car"] is True


def test_dry_run_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("given name,family name,email\nLuca,Bianchi,luca@example.org\n")
    report = importer.run(store, "volunteers", path, dry_run=True)
    assert report.bad == [] and not report.written and store.count("volunteer") == 0
