"""The directory import and export words (Italian first, English)."""

from __future__ import annotations

from fieldwelfare.i18n import register

MESSAGES: dict[str, tuple[str, str]] = {
    "import.row": ("riga", "row"),
    "import.duplicate": ("già presente ({where}): non creato di nuovo",
                         "already there ({where}): not created twice"),
    "import.err.columns": (
        "colonne obbligatorie mancanti: {missing} (trovate: {found})",
        "required columns missing: {missing} (found: {found})"),
    "import.err.no_organisation": ("organizzazione inesistente", "no such organisation"),
    "import.summary": (
        "{file}: {rows} righe, {bad} non valide, {duplicates} doppioni, {created} create",
        "{file}: {rows} rows, {bad} bad, {duplicates} duplicates, {created} created"),
    "import.dry_run": ("prova (--dry-run): nulla è stato scritto",
                       "dry run: nothing was written"),
    "import.refused": (
        "{bad} righe non valide: nulla è stato scritto (correggere il file, o --skip-bad "
        "per importare le altre)",
        "{bad} bad rows: nothing was written (fix the file, or --skip-bad to import the "
        "others)"),
    "import.ignored": ("colonne ignorate: {columns}", "columns ignored: {columns}"),
    "import.col.row": ("Riga", "Row"),
    "import.col.column": ("Colonna", "Column"),
    "import.col.value": ("Valore", "Value"),
    "import.col.why": ("Motivo", "Why"),
    "import.bad_title": ("Righe non valide", "Bad rows"),
    "import.duplicates_title": ("Doppioni (non creati)", "Duplicates (not created)"),
    "directory.written": ("scritto {path}", "written {path}"),
    "directory.out_folder": (
        "--format {format} scrive una cartella (organisations e volunteers): indicarne una, "
        "non il file {path}",
        "--format {format} writes a folder (organisations and volunteers): give one, not "
        "the file {path}"),
    "directory.out_file": (
        "--format xlsx scrive un file .xlsx: indicarne uno, non {path}",
        "--format xlsx writes one .xlsx file: give one, not {path}"),
}

register(MESSAGES)
