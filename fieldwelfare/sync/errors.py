"""Why a bundle was refused: one stable code (docs/bundle-format.md) and one sentence."""

from __future__ import annotations

from fieldwelfare.errors import FieldWelfareError
from fieldwelfare.i18n import t
from fieldwelfare.sync import messages as _messages  # noqa: F401  (registers the keys)

REFUSAL_CODES = (
    "truncated", "not_a_bundle", "header", "too_large", "unsupported", "upgrade_required",
    "unknown_sender", "revoked", "bad_signature", "not_for_me", "decrypt", "bag", "tar_name",
    "bomb", "change", "origin", "enroll_code", "enroll_expired", "enroll_used", "enroll_mac",
    "hub_key", "wrong_kind", "not_enrolled", "scope", "clock",
)


class BundleRefused(FieldWelfareError):
    """A bundle that is not applied. Nothing was written; the file is left where it was."""

    exit_code = 3

    def __init__(self, code: str, detail: str = "", *, path: str | None = None) -> None:
        assert code in REFUSAL_CODES, code
        self.code = code
        self.detail = detail
        self.path = path
        super().__init__(self._message())

    def _message(self) -> str:
        reason = t(f"sync.refused.{self.code}", detail=self.detail)
        where = f"{self.path}: " if self.path else ""
        return t("sync.refused", where=where, code=self.code, reason=reason)

    def public_message(self) -> str:
        """The sentence without the file's path (what the HTTP hub answers)."""
        reason = t(f"sync.refused.{self.code}", detail=self.detail)
        return t("sync.refused", where="", code=self.code, reason=reason)

    @classmethod
    def from_hub(cls, code: str, message: str) -> BundleRefused:
        """The hub's refusal of our bundle, as the hub worded it."""
        error = cls(code if code in REFUSAL_CODES else "bag", message)
        error.args = (message,)
        return error

    def at(self, path: str) -> BundleRefused:
        """The same refusal, naming the file."""
        self.path = path
        self.args = (self._message(),)
        return self


class SyncError(FieldWelfareError):
    """A transport problem that is not a refused bundle (no hub, network down, ...)."""

    exit_code = 1


class HubRefused(SyncError):
    """The server is not the enrolled hub (its TLS certificate is not a pinned one): the
    connection was closed before anything was sent. Exit 3, like a refused bundle."""

    exit_code = 3

    def __init__(self, code: str, fpr: str) -> None:
        self.code = code
        self.fpr = fpr
        super().__init__(t(f"sync.dev.{code}", fpr=fpr or "-"))
