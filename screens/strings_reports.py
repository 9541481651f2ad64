"""Strings of the Reports screen and the import dialog (Italian first, English)."""

from __future__ import annotations

from fieldwelfare.i18n import register

STRINGS: dict[str, tuple[str, str]] = {
    "nav.reports": ("Report", "Reports"),
    "nav.reports.help": ("Report aggregati per il Piano di Zona, con grafici",
                         "Aggregate reports for the Piano di Zona, with charts"),
    "nav.import": ("Importa volontari o enti", "Import volunteers or organisations"),
    "nav.import.help": ("Da un file CSV o Excel, con il resoconto riga per riga",
                        "From a CSV or Excel file, with a row-by-row report"),
    "reports.report": ("Report", "Report"),
    "reports.by": ("Dettaglio", "Breakdown"),
    "reports.loading": ("Calcolo in corso…", "Computing…"),
    "reports.chart": ("{column} per {dim}", "{column} by {dim}"),
    "reports.trend": ("Andamento: {column} per {dim}", "Trend: {column} by {dim}"),
    "reports.no_chart": ("(grafico con un solo dettaglio)", "(chart with one breakdown)"),
    "reports.hidden": ("nascosto", "hidden"),
    "reports.export": ("Esporta XLSX", "Export XLSX"),
    "reports.export_to": ("Salva il report in (file .xlsx):", "Save the report to (.xlsx file):"),
    "reports.exported": ("Report salvato in {path}", "Report saved to {path}"),
    "import.kind": ("Cosa importare", "What to import"),
    "import.kind.volunteers": ("Volontari", "Volunteers"),
    "import.kind.organisations": ("Enti", "Organisations"),
    "import.file": ("File CSV o XLSX", "CSV or XLSX file"),
    "import.skip_bad": ("Importa le righe valide anche se altre non lo sono",
                        "Import the good rows even if others are bad"),
    "import.check": ("Controlla", "Check"),
    "import.run": ("Importa", "Import"),
    "import.no_file": ("File non trovato: {path}", "File not found: {path}"),
    "import.duplicate_row": ("doppione", "duplicate"),
    "import.done": ("{created} record creati", "{created} records created"),
}


def register_reports_strings() -> None:
    register(STRINGS)
