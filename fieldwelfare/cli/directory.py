"""``fieldwelfare directory export`` and ``fieldwelfare import``: the directory in and out."""

from __future__ import annotations

from pathlib import Path

import click

from fieldwelfare.cli import output
from fieldwelfare.cli.context import get_store, handle_errors
from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.text import visible


@click.group(help="Rubrica di organizzazioni e volontari (directory of organisations and "
                  "volunteers).")
def directory() -> None:
    pass


@directory.command("export", help="Esporta la rubrica (export the directory): hsds = Open "
                   "Referral HSDS 3.0 JSON in una cartella; csv = organisations.csv e "
                   "volunteers.csv in una cartella; xlsx = un file con un foglio ciascuno. "
                   "Celle protette dalle formule (formula-safe).\n\n\b\nEsempio:\n"
                   "  fieldwelfare directory export --format hsds --out hsds/")
@click.option("--format", "fmt", type=click.Choice(["hsds", "csv", "xlsx"]), required=True,
              help="hsds | csv (cartella, folder) | xlsx (file).")
@click.option("--out", type=click.Path(path_type=Path), required=True, metavar="PATH",
              help="Cartella (hsds, csv) o file .xlsx (folder, or .xlsx file).")
@handle_errors
def export_cmd(fmt: str, out: Path) -> None:
    from fieldwelfare.directory import export, hsds
    from fieldwelfare.directory import messages as _messages  # noqa: F401

    _check_out(fmt, out)
    store = get_store()
    if fmt == "hsds":
        written = hsds.write(store, out)
    elif fmt == "csv":
        written = export.write_csv_files(store, out)
    else:
        written = export.write_xlsx(store, out)
    for path in written:
        click.echo(t("directory.written", path=path))


def _check_out(fmt: str, out: Path) -> None:
    """hsds and csv write a folder, xlsx one file: a path of the other sort is refused
    (``--out rubrica.csv`` made a folder called rubrica.csv)."""
    if fmt == "xlsx":
        if out.is_dir() or out.suffix.lower() != ".xlsx":
            raise InvalidInput(t("directory.out_file", path=out), field="out")
    elif out.is_file() or out.suffix.lower() in (".csv", ".json", ".xlsx", ".xls"):
        raise InvalidInput(t("directory.out_folder", path=out, format=fmt), field="out")


@click.command("import", help="Importa volontari o organizzazioni da CSV o XLSX (import "
               "volunteers or organisations). Colonne riconosciute per nome, in italiano o "
               "inglese; ogni riga è controllata come un record; con righe non valide non "
               "scrive nulla (exit 2) salvo --skip-bad; i doppioni (stesso codice fiscale, "
               "e-mail o telefono) sono segnalati e non creati.\n\n\b\nEsempio:\n"
               "  fieldwelfare import volunteers volontari.xlsx --dry-run")
@click.argument("what", type=click.Choice(["volunteers", "organisations"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Controlla soltanto, non scrive (check only).")
@click.option("--skip-bad", is_flag=True,
              help="Importa le righe valide anche se altre non lo sono (import the good rows).")
@click.option("--sheet", metavar="NAME", help="Foglio XLSX (default: WHAT, o il primo).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text | json (il resoconto, the report).")
@handle_errors
def import_cmd(what: str, file: Path, dry_run: bool, skip_bad: bool, sheet: str | None,
               fmt: str) -> None:
    from fieldwelfare.directory import importer

    report = importer.run(get_store(), what, file, dry_run=dry_run, skip_bad=skip_bad,
                          sheet=sheet)
    if fmt == "json":
        output.echo_json(report.as_dict())
    else:
        _print(report)
        if dry_run:
            click.echo(t("import.dry_run"))
    if report.bad and not skip_bad:
        raise InvalidInput(t("import.refused", bad=report.bad_rows), field="file")


def _print(report: object) -> None:
    from fieldwelfare.directory.importer import ImportReport

    assert isinstance(report, ImportReport)
    headers = [t(f"import.col.{c}") for c in ("row", "column", "value", "why")]
    for title, problems in (("import.bad_title", report.bad),
                            ("import.duplicates_title", report.duplicates)):
        if problems:
            output.print_table(headers, [[str(p.row), p.column, p.value, p.why]
                                         for p in problems], title=t(title), no_wrap=())
    if report.ignored_columns:
        click.echo(t("import.ignored", columns=", ".join(report.ignored_columns)))
    click.echo(t("import.summary", file=visible(str(report.file)), rows=report.rows,
                 bad=report.bad_rows, duplicates=len(report.duplicates), created=report.created))


COMMANDS: list[click.Command] = [directory, import_cmd]
