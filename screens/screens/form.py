"""What the forms share: errors shown next to the field they are about."""

from __future__ import annotations

from textual.css.query import NoMatches

from fieldwelfare.screens.messages import SaveFailed
from fieldwelfare.screens.screens.base import FwScreen
from fieldwelfare.screens.widgets import FormField, field_id


class FormMixin:
    """For FwScreen forms: ``show_error`` puts a message under its input, or notifies."""

    def clear_errors(self) -> None:
        screen: FwScreen[object] = self  # type: ignore[assignment]
        for form_field in screen.query(FormField):
            form_field.set_error(None)

    def show_error(self, field: str | None, message: str) -> None:
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
            form_field.children[1].focus()
            form_field.scroll_visible()
            return
        screen.notify(message, severity="error")

    def on_save_failed(self, message: SaveFailed) -> None:
        self.show_error(message.field, message.message)
