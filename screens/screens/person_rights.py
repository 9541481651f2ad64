"""The data subject's rights on the person screen: export (art. 15) and erase (art. 17).

Two dialogs and the workers that call the core (:mod:`fieldwelfare.rights`); the person
screen only binds the keys (``x`` export, ``c`` erase) and calls :func:`start_export` and
:func:`start_erase`. Erasing is for coordinators: the key is hidden for other roles
(:func:`may_erase`), the action refuses them, and the core refuses them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from fieldwelfare.errors import InvalidInput
from fieldwelfare.i18n import register, t
from fieldwelfare.screens.screens.base import FwModal
from fieldwelfare.screens.widgets import ErrorLine
from fieldwelfare.store import Store

register({
    "key.export": ("Esporta", "Export"),
    "key.erase": ("Cancella", "Erase"),
    "rights.export_title": ("Esporta tutti i dati di {name} (art. 15 GDPR)",
                            "Export everything held about {name} (GDPR art. 15)"),
    "rights.export_path": ("File da scrivere", "File to write"),
    "rights.export_go": ("Esporta", "Export"),
    "rights.exported": ("Dati esportati in {path}", "Data exported to {path}"),
    "rights.export_failed": ("Esportazione non riuscita: {error}", "Export failed: {error}"),
    "rights.path_required": ("Indicare il file da scrivere", "Give the file to write"),
    "rights.erase_question": (
        "Cancellare definitivamente {name} da questo e da ogni altro dispositivo? Persona, "
        "visite, bisogni, testi degli invii e storico delle modifiche saranno cancellati; "
        "non si può annullare.",
        "Erase {name} for good, here and on every other device? The person, visits, needs, "
        "referral texts and change history are erased; this cannot be undone."),
    "rights.erase_reason": ("Motivo (senza dati personali: arriva a ogni dispositivo)",
                            "Reason (no personal data: it reaches every device)"),
    "rights.erase_go": ("Cancella definitivamente", "Erase for good"),
    "rights.reason_required": ("Indicare il motivo della cancellazione",
                               "Give the reason for the erasure"),
    "rights.erased": ("{name} cancellata: la cancellazione arriverà agli altri dispositivi "
                      "con la prossima sincronizzazione",
                      "{name} erased: the erasure reaches the other devices with the next "
                      "sync"),
    "rights.erase_role": ("Solo un coordinatore può cancellare una persona",
                          "Only a coordinator may erase a person"),
})

COORDINATOR = "coordinator"


def may_erase(store: Store) -> bool:
    return store.identity.role == COORDINATOR


@dataclass(frozen=True)
class ExportChoice:
    path: Path
    fmt: str


class ExportDialog(FwModal[ExportChoice | None]):
    """Asks for the file and the format; dismissed with them, or None."""

    BINDINGS = [("escape", "cancel", "key.cancel")]

    def __init__(self, name: str, default: Path) -> None:
        super().__init__()
        self.person_name = name
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog rights"):
            yield Static(t("rights.export_title", name=self.person_name), classes="question",
                         markup=False)
            yield Label(t("rights.export_path"))
            yield Input(str(self.default), id="export-path")
            yield Select([("HTML", "html"), ("JSON", "json")], value="html",
                         allow_blank=False, id="export-format")
            yield ErrorLine(id="export-error")
            with Horizontal(classes="buttons"):
                yield Button(t("rights.export_go"), id="ok", variant="primary")
                yield Button(t("key.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer()

    def on_select_changed(self, event: Select.Changed) -> None:
        """The file's extension follows the format while it is the suggested one."""
        path = self.query_one("#export-path", Input)
        current = Path(path.value.strip())
        if current.suffix in (".html", ".json"):
            path.value = str(current.with_suffix(f".{event.value}"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._answer()
        else:
            self.dismiss(None)

    def _answer(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.query_one("#export-error", ErrorLine).show(t("rights.path_required"))
            return
        fmt = str(self.query_one("#export-format", Select).value)
        self.dismiss(ExportChoice(Path(text).expanduser(), fmt))

    def action_cancel(self) -> None:
        self.dismiss(None)


class EraseDialog(FwModal[str | None]):
    """Asks for the reason and confirms; dismissed with the reason, or None (nothing is
    written)."""

    BINDINGS = [("escape", "cancel", "key.cancel")]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.person_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog rights"):
            yield Static(t("rights.erase_question", name=self.person_name), classes="question",
                         markup=False)
            yield Label(t("rights.erase_reason"))
            yield Input(id="erase-reason", max_length=500)
            yield ErrorLine(id="erase-error")
            with Horizontal(classes="buttons"):
                yield Button(t("rights.erase_go"), id="erase", variant="error")
                yield Button(t("key.cancel"), id="cancel", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#erase-reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter does not erase: the red button does

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id != "erase":
            self.dismiss(None)
            return
        reason = self.query_one("#erase-reason", Input).value.strip()
        if not reason:
            self.query_one("#erase-error", ErrorLine).show(t("rights.reason_required"))
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)


# ---------------------------------------------------------------------------- workers
class Exported(Message):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class ExportFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class PersonErased(Message):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


def default_export_path(person_id: str) -> Path:
    """The user's home folder (never the data folder: the export is not encrypted)."""
    return Path.home() / f"dati-persona-{person_id[:8]}.html"


def start_export(screen: Screen[None], store: Store, person_id: str, name: str) -> None:
    """Ask, then write the report in a worker; the screen gets Exported or ExportFailed."""

    def write(choice: ExportChoice) -> None:
        from fieldwelfare.rights.subject import export

        try:  # never over an existing file from the UI (the CLI's --out may overwrite)
            path = export(store, person_id, choice.fmt, choice.path, via="export",
                          overwrite=False)
        except OSError as error:  # a folder that does not exist, no permission
            screen.post_message(ExportFailed(error.strerror or type(error).__name__))
            return
        except InvalidInput as error:  # the database's own files, an existing file
            screen.post_message(ExportFailed(str(error)))
            return
        screen.post_message(Exported(path))

    def chosen(choice: ExportChoice | None) -> None:
        if choice is not None:
            screen.run_worker(lambda: write(choice), thread=True, group="rights",
                              exit_on_error=False)

    screen.app.push_screen(ExportDialog(name, default_export_path(person_id)), chosen)


def start_erase(screen: Screen[None], store: Store, person_id: str, name: str) -> None:
    """Coordinators only: ask the reason and confirmation, then erase in a worker; the
    screen gets PersonErased (errors become notifications)."""
    if not may_erase(store):
        screen.notify(t("rights.erase_role"), severity="warning")
        return

    def erase_now(reason: str) -> None:
        from fieldwelfare.rights.erase import erase

        erase(store, person_id, reason)
        screen.post_message(PersonErased(name))

    def chosen(reason: str | None) -> None:
        if reason is not None:
            screen.run_worker(lambda: erase_now(reason), thread=True, group="rights",
                              exit_on_error=False)

    screen.app.push_screen(EraseDialog(name), chosen)


def log_opening(store: Store, person_id: str) -> None:
    """The read log: this operator opened the person's card (in a worker)."""
    from fieldwelfare.store.accesslog import record_access

    record_access(store, person_id, via="tui")
