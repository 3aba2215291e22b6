"""What the message path reads for each guild, kept in memory and rebuilt only after a change.

The enforcement configuration (from the guild's settings) and the compiled rule
policy (the shipped policy with the guild's own glossary) are built on first use
and dropped when the guild's settings or glossary change; the message path never
waits on the database. Both the enforcement and the glossary cogs read it, so it
lives here, owned by the bot, rather than in either cog.
"""

from __future__ import annotations

from bot.enforcement.config import EnforcementConfig, Requirement, WatchedPlace, config_from_settings
from bot.enforcement.policies import GuildPolicies
from bot.guild_glossary import GuildGlossaries
from bot.rules import CompiledPolicy, GuildPolicy
from bot.store import SettingsRepository


class EnforcementState:
    def __init__(self, settings: SettingsRepository, glossaries: GuildGlossaries, base_policy: GuildPolicy) -> None:
        self._settings = settings
        self._glossaries = glossaries
        self.base_policy = base_policy
        self.policies = GuildPolicies(base_policy, glossaries.shipped)
        self._configs: dict[int, EnforcementConfig] = {}
        self._compiled: dict[int, CompiledPolicy] = {}
        settings.add_listener(lambda guild_id, _keys: self.forget(guild_id))
        glossaries.add_listener(self.forget)

    def config(self, guild_id: int) -> EnforcementConfig:
        config = self._configs.get(guild_id)
        if config is None:
            config = self._configs[guild_id] = config_from_settings(self._settings.snapshot(guild_id))
        return config

    def policy(self, guild_id: int) -> CompiledPolicy:
        compiled = self._compiled.get(guild_id)
        if compiled is None:  # every message reads this: build once, then one dict lookup
            compiled = self.policies.for_guild(guild_id, self.config(guild_id), self._glossaries.glossary(guild_id))
            self._compiled[guild_id] = compiled
        return compiled

    def requirement(self, guild_id: int, place: WatchedPlace) -> Requirement:
        """What ``place`` asks of a post: its own, else the guild's, else the policy's requirement."""
        return self.config(guild_id).requirement_for(place) or self.base_policy.requirement

    def category_names(self, guild_id: int) -> dict[str, str]:
        """Category ids as people spell them, the guild's own categories included."""
        return self.policies.category_names_for(self.config(guild_id))

    def forget(self, guild_id: int) -> None:
        self._configs.pop(guild_id, None)
        self._compiled.pop(guild_id, None)
        self.policies.forget(guild_id)
