"""Reusable widgets of the fieldwelfare UI."""

from fieldwelfare.screens.widgets.app_footer import AppFooter
from fieldwelfare.screens.widgets.comune_input import ComuneInput, comune_code
from fieldwelfare.screens.widgets.error_line import ErrorLine
from fieldwelfare.screens.widgets.form_field import FormField, field_id
from fieldwelfare.screens.widgets.need_row import NeedRow
from fieldwelfare.screens.widgets.record_table import PAGE_SIZE, RecordTable

__all__ = [
    "PAGE_SIZE", "AppFooter", "ComuneInput", "ErrorLine", "FormField", "NeedRow", "RecordTable",
    "comune_code", "field_id",
]
