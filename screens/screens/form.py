"""What the forms share: errors shown next to the field they are about."""

from __future__ import annotations

from typing import Any

from textual.css.query import NoMatches

from fieldwelfare.errors import FieldWelfareError, InvalidInput
from fieldwelfare.screens.messages import Saved, SaveFailed
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.widgets import FormField, field_id


class FormMixin:
    """For FwScreen forms: ``show_error`` puts a message under its input, or notifies."""

    def clear_errors(self) -> None:
        screen: FwScreen[object] = self  # type: ignore[assignment]
        for form_field in screen.query(FormField):
            form_field.set_error(None)

    def show_error(self, field: str | None, message: str, *, focus: bool = True) -> None:
        screen: FwScreen[object] = self  # type: ignore[assignment]
        names = [field] if field else []
        if field and "/" in field:
            names = field.split("/")
        if field and "." in field:
            names.append(field.split(".")[0])
        for name in names:
            try:
                form_field = screen.query_one(f"#field-{field_id(name)}", FormField)
            except NoMatches:
                continue
            form_field.set_error(message)
            if focus:
                form_field.children[1].focus()
                form_field.scroll_visible()
            return
        screen.notify(message, severity="error")

    def on_save_failed(self, message: SaveFailed) -> None:
        """Every problem next to its field; the first one gets the focus."""
        problems = message.details or [(message.field, message.message)]
        for index, (field, text) in enumerate(problems):
            self.show_error(field, text, focus=index == 0)

    def write_record(self, kind: str, record_id: str | None, data: dict[str, Any],
                     summary: str = "") -> None:
        """Add (``record_id`` None) or update a record; call it from a worker thread.

        Posts :class:`Saved`, or :class:`SaveFailed` naming the field the store refused.
        """
        screen: FwScreen[object] = self  # type: ignore[assignment]
        try:
            if record_id is None:
                record = screen.store.add(kind, data)
            else:
                record = screen.store.update(kind, record_id, data)
        except FieldWelfareError as error:
            screen.post_message(SaveFailed(str(error), getattr(error, "field", None),
                                           details=list(getattr(error, "details", []))))
            return
        screen.post_message(Saved(kind, record.id, summary))

    def action_save(self) -> None:
        """Ctrl+S in a record form: the form's ``to_data`` (which may refuse what only the
        form can judge), then its ``_save`` worker. Nothing happens before the form loaded."""
        form: Any = self
        if not getattr(form, "loaded", True):
            return
        self.clear_errors()
        try:
            data = form.to_data()
        except InvalidInput as error:
            self.show_error(error.field, str(error))
            return
        form._save(data)
