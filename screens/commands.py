"""The command palette reaches every registered screen (a Provider over the registry)."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from fieldwelfare.i18n import t
from fieldwelfare.screens import registry


class ScreensProvider(Provider):
    def _open(self, name: str) -> None:
        app = cast(Any, self.app)
        app.go(name)

    def _switch_language(self) -> None:
        cast(Any, self.app).action_switch_language()

    def _entries(self) -> list[registry.ScreenEntry]:
        """The screens this device's role may open."""
        role = cast(Any, self.app).store.identity.role
        return [entry for entry in registry.ENTRIES if entry.allowed(role)]

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(t(entry.title), partial(self._open, entry.name), help=t(entry.help))
        yield DiscoveryHit(t("lang.switch"), self._switch_language, help=t("lang.switch.help"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            title = t(entry.title)
            score = matcher.match(title) or matcher.match(t(entry.help)) / 2
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._open, entry.name),
                          help=t(entry.help))
        title = t("lang.switch")
        score = matcher.match(title) or matcher.match(t("lang.switch.help")) / 2
        if score > 0:
            yield Hit(score, matcher.highlight(title), self._switch_language,
                      help=t("lang.switch.help"))
