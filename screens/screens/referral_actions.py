"""Changing a referral's status: only the allowed moves, asking for what the move requires.

Mixed into the referral detail and the volunteer home. What a move requires (an outcome to
complete, a reason to decline or cancel) is asked of the core rules, not repeated here.
"""

from __future__ import annotations

from typing import Any

from textual import work

from fieldwelfare.errors import FieldWelfareError, InvalidInput
from fieldwelfare.i18n import t
from fieldwelfare.models.vocabulary import REFERRAL_TRANSITIONS, ReferralStatus
from fieldwelfare.screens.messages import Saved, SaveFailed
from fieldwelfare.screens.screens.labels import label
from fieldwelfare.store import rules

ORDER = [s.value for s in ReferralStatus]


def allowed_moves(status: str) -> list[str]:
    """The statuses a referral can move to from ``status``, in the vocabulary's order."""
    try:
        allowed = REFERRAL_TRANSITIONS[ReferralStatus(status)]
    except ValueError:
        return []
    return [s for s in ORDER if s in allowed]


def required_field(status: str) -> str | None:
    """``"outcome"`` or ``"reason"`` if moving to ``status`` requires it, else None."""
    try:
        rules.check_referral_requirements(status, outcome=None, reason=None)
    except InvalidInput as error:
        return error.field
    return None


class ReferralActions:
    """For FwScreen subclasses. Call :meth:`move_referral`; handle ``Saved``/``SaveFailed``."""

    def move_referral(self, referral_id: str, status: str, new_status: str) -> None:
        screen: Any = self
        if new_status not in allowed_moves(status):
            screen.notify(t("err.transition", old=status, new=new_status,
                            allowed=", ".join(allowed_moves(status)) or "-"),
                          severity="error")
            return
        needed = required_field(new_status)
        if needed is None:
            self._store_move(referral_id, {"status": new_status})
            return
        from fieldwelfare.screens.screens.text_prompt import TextPromptScreen

        question = (t("ref.ask_outcome") if needed == "outcome"
                    else t("ref.ask_reason", status=label("referral_status", new_status)))

        def answered(text: str | None) -> None:
            if text:
                self._store_move(referral_id, {"status": new_status, needed: text})

        screen.app.push_screen(TextPromptScreen(question), answered)

    @work(thread=True, exclusive=True, group="referral-move", exit_on_error=False)
    def _store_move(self, referral_id: str, changes: dict[str, Any]) -> None:
        screen: Any = self
        try:
            record = screen.store.update("referral", referral_id, changes)
        except FieldWelfareError as error:
            screen.post_message(SaveFailed(str(error), getattr(error, "field", None)))
            return
        screen.post_message(Saved("referral", record.id, t(
            "ref.changed", status=label("referral_status", changes["status"]))))
