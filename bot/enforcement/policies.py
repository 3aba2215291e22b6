"""The compiled rule policy a guild's messages are judged by.

The shipped default policy plus the glossary's terms that need a warning, with
the guild's content-warning mode applied. ``compile_policy`` shares one compiled
index among every guild with the same inputs, so ten thousand guilds on the
defaults cost one index; this class only remembers which one each guild uses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from bot.enforcement.config import EnforcementConfig
from bot.glossary import Glossary
from bot.policy_sources import glossary_terms
from bot.rules import CompiledPolicy, GuildPolicy, compile_policy
from bot.rules.index import category_id


class GuildPolicies:
    def __init__(self, base: GuildPolicy, glossary: Glossary) -> None:
        self._base = base
        self._terms, self._labels = glossary_terms(glossary)
        self._by_guild: dict[int, CompiledPolicy] = {}
        # Findings carry a category's id (case-folded); people read it as the glossary or policy spells it.
        self.category_names: dict[str, str] = {
            category_id(term.category): term.category for term in (*base.terms, *self._terms)
        }

    def for_guild(self, guild_id: int, config: EnforcementConfig, glossary: Glossary | None = None) -> CompiledPolicy:
        """The guild's compiled policy (with the guild's own glossary, when given); built on first use and after ``forget``."""
        compiled = self._by_guild.get(guild_id)
        if compiled is None:
            compiled = self._by_guild[guild_id] = self.compile(config, glossary)
        return compiled

    def compile(self, config: EnforcementConfig, glossary: Glossary | None = None) -> CompiledPolicy:
        policy = self._base
        if config.cw_mode and config.cw_mode != policy.cw_mode:
            policy = dataclasses.replace(policy, cw_mode=config.cw_mode)
        terms, labels = (self._terms, self._labels) if glossary is None else glossary_terms(glossary)
        return compile_policy(policy, terms, labels)

    def forget(self, guild_id: int) -> None:
        self._by_guild.pop(guild_id, None)

    @property
    def category_labels(self) -> Mapping[str, tuple[str, ...]]:
        return self._labels
