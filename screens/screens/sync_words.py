"""The sync library's refusals in the sync screens' words: what to do where the user is,
never a command line option or an internal code."""

from __future__ import annotations

from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.i18n import t
from fieldwelfare.sync.errors import BundleRefused, SyncError


def is_no_hub(error: FieldWelfareError) -> bool:
    return isinstance(error, SyncError) and str(error) == t("sync.dev.no_hub")


def said(error: FieldWelfareError) -> str:
    """The sync library's refusal in this screen's words: what to do here, no command line
    options, no internal codes."""
    if isinstance(error, BundleRefused):
        if error.code == "not_enrolled":
            return t("syncui.not_enrolled")
        if error.args and error.args[0] != error._message():  # the hub's own words
            return t("syncui.refused", reason=str(error.args[0]))
        return t("syncui.refused", reason=t(f"sync.refused.{error.code}", detail=error.detail))
    if is_no_hub(error):
        return t("syncui.need_url")
    return str(error)
