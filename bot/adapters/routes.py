"""What the message path reads for each guild, kept in memory and rebuilt only after a change.

The enforcement configuration (from the guild's settings) and the compiled rule
policy (the shipped policy with the guild's own glossary) are built on first use
and dropped when the guild's settings or glossary change; the message path never
waits on the database. Both the enforcement and the glossary cogs read it, so it
lives here, owned by the bot, rather than in either cog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.enforcement.config import (
    EnforcementConfig,
    Requirement,
    WatchedPlace,
    config_from_settings,
)
from bot.enforcement.policies import GuildPolicies
from bot.guild_glossary.service import GuildGlossaries
from bot.rules import CompiledPolicy, GuildPolicy
from bot.store import SettingsRepository

UNKNOWN = object()  # a place not in a route table yet (None in a table means "not watched")
Place = tuple[int, int | None, int | None]  # (channel, parent, category) ids
# Places remembered per guild before the table starts over (threads come and go by the thousand).
ROUTES_PER_GUILD = 10_000


@dataclass(frozen=True, slots=True)
class Route:
    """How posts in one channel are judged, worked out once per channel instead of once per post."""

    place: WatchedPlace
    config: EnforcementConfig
    policy: CompiledPolicy
    requirement: Requirement | None  # None: the policy's own
    # Reading a member's roles costs more than the rest of the check; skip it when nobody is exempt.
    has_exemptions: bool
    # The policy's ``rules_out``, as the one call it comes down to (a clean post pays for little else).
    rules_out: Callable[[str], bool]


class EnforcementState:
    def __init__(self, settings: SettingsRepository, glossaries: GuildGlossaries, base_policy: GuildPolicy) -> None:
        self._settings = settings
        self._glossaries = glossaries
        self.base_policy = base_policy
        self.policies = GuildPolicies(base_policy, glossaries.shipped)
        self._configs: dict[int, EnforcementConfig] = {}
        self._compiled: dict[int, CompiledPolicy] = {}
        self._routes: dict[int, dict[Place, Route | None]] = {}
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

    @property
    def route_tables(self) -> dict[int, dict[Place, Route | None]]:
        """Each guild's route table, for the message handler to read before it calls ``route``.

        A guild's table may be missing, or miss the place (``UNKNOWN``); ``route`` fills it.
        """
        return self._routes

    def route(self, guild_id: int, channel_id: int, parent_id: int | None, category_id: int | None) -> Route | None:
        """The route for a channel in its place (None: not watched), from a per-guild table.

        The table is keyed by the whole place, so a channel moved to another category
        (which discord.py's cache knows as soon as the update is parsed) is simply
        looked up anew; a post in a thread the bot did not know yet (no parent seen)
        cannot leave a wrong answer behind for the thread. The table is dropped with
        the guild's settings and glossary, the only other things a route depends on.
        """
        table = self._routes.get(guild_id)
        if table is None:
            table = self._routes[guild_id] = {}
        place = (channel_id, parent_id, category_id)
        route = table.get(place, UNKNOWN)
        if route is UNKNOWN:
            if len(table) >= ROUTES_PER_GUILD:
                table.clear()
            route = table[place] = self._build_route(guild_id, channel_id, parent_id, category_id)
        return route

    def _build_route(
        self, guild_id: int, channel_id: int, parent_id: int | None, category_id: int | None
    ) -> Route | None:
        config = self.config(guild_id)
        place = config.place_for(channel_id, parent_id, category_id) if config.watched else None
        if place is None:
            return None
        policy = self.policy(guild_id)
        return Route(
            place=place,
            config=config,
            policy=policy,
            requirement=config.requirement_for(place),
            has_exemptions=bool(config.exempt_roles or config.exempt_members),
            rules_out=policy.clean_test(),
        )

    def requirement(self, guild_id: int, place: WatchedPlace) -> Requirement:
        """What ``place`` asks of a post: its own, else the guild's, else the policy's requirement."""
        return self.config(guild_id).requirement_for(place) or self.base_policy.requirement

    def category_names(self, guild_id: int) -> dict[str, str]:
        """Category ids as people spell them, the guild's own categories included."""
        return self.policies.category_names_for(self.config(guild_id))

    def forget_channel(self, guild_id: int, channel_id: int) -> None:
        """Drop the routes of a deleted channel, of the threads in it, and of the channels of a deleted category."""
        table = self._routes.get(guild_id)
        if table:
            for place in [place for place in table if channel_id in place]:
                del table[place]

    def forget(self, guild_id: int) -> None:
        self._configs.pop(guild_id, None)
        self._compiled.pop(guild_id, None)
        self._routes.pop(guild_id, None)
        self.policies.forget(guild_id)
