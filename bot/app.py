"""The Bot subclass and ``create_bot``, the one factory the CLI and the tests both call."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.command_sync import sync_if_changed
from bot.enforcement.policies import GuildPolicies, shipped_guild_policies
from bot.settings import Settings
from bot.store import Database, SettingsRepository
from bot.store.bot_state import BotStateRepository
from bot.tree import WardenTree

log = logging.getLogger(__name__)

MessageGate = Callable[[discord.Message], bool]

# Every feature is a cog in the top-level ``cogs`` package, loaded in this order.
DEFAULT_EXTENSIONS: tuple[str, ...] = (
    "cogs.meta", "cogs.settings", "cogs.modlog", "cogs.watch", "cogs.policy_admin", "cogs.enforcement",
)


def required_intents() -> discord.Intents:
    """Only what the features use: guilds and their channels, guild messages and their text.

    Message Content is privileged (enable it in the Developer Portal); enforcement
    cannot read a post without it. No member list, no presences, no DMs.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = True
    return intents


class WardenBot(commands.Bot):
    """The production bot; tests drive this same class through SimCord."""

    def __init__(self, settings: Settings, *, extensions: Sequence[str] = DEFAULT_EXTENSIONS) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=required_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=WardenTree,
        )
        self.settings = settings
        self.version = __version__
        self.feature_extensions = tuple(extensions)
        self.started_monotonic = time.monotonic()
        self._shared_groups: dict[str, app_commands.Group] = {}
        warden = app_commands.Group(name="warden", description="Genre Warden: status and server settings")
        self._shared_groups[warden.name] = warden
        self.tree.add_command(warden)
        self._database: Database | None = None
        self._guild_settings: SettingsRepository | None = None
        self._message_gates: list[MessageGate] = []
        self._guild_policies: GuildPolicies | None = None

    # -- shared pieces the cogs use ---------------------------------------

    def shared_group(self, name: str) -> app_commands.Group:
        return self._shared_groups[name]

    @property
    def store_is_open(self) -> bool:
        return self._database is not None

    @property
    def database(self) -> Database:
        if self._database is None:
            raise RuntimeError("the database is opened in setup_hook; it is not open yet")
        return self._database

    @property
    def guild_settings(self) -> SettingsRepository:
        if self._guild_settings is None:
            raise RuntimeError("the settings repository is created in setup_hook; it does not exist yet")
        return self._guild_settings

    @property
    def guild_policies(self) -> GuildPolicies:
        """The shipped policy and glossary, loaded on first use and shared by the cogs that judge or edit policy."""
        if self._guild_policies is None:
            self._guild_policies = shipped_guild_policies()
        return self._guild_policies

    def add_message_gate(self, gate: MessageGate) -> None:
        """Let ``gate(message)`` decide, synchronously and from memory, whether a new message needs work.

        A message no gate wants is never dispatched: no ``on_message`` task is
        created for it, and listeners and ``wait_for("message")`` do not see it.
        """
        self._message_gates.append(gate)

    def remove_message_gate(self, gate: MessageGate) -> None:
        self._message_gates.remove(gate)

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        # Most messages need nothing from this bot, which has no prefix commands;
        # commands.Bot would still schedule a task per message to look for one,
        # which cost more than discord.py's own parsing (benchmarks/gateway_throughput.py).
        if event_name == "message" and not any(gate(args[0]) for gate in self._message_gates):
            return
        super().dispatch(event_name, *args, **kwargs)

    def uptime_seconds(self) -> float:
        return time.monotonic() - self.started_monotonic

    # -- lifecycle ----------------------------------------------------------

    async def load_features(self) -> None:
        """Load every feature cog; needs no database or network (``genre-warden commands`` uses it)."""
        for extension in self.feature_extensions:
            await self.load_extension(extension)

    async def open_store(self) -> None:
        """Open the database and load the settings cache; does nothing when already open.

        ``genre-warden run`` calls it before connecting, so a bad database file is
        reported without a round trip to Discord; ``setup_hook`` calls it too.
        """
        if self._database is not None:
            return
        self._database = await Database.open(self.settings.database_path)
        self._guild_settings = SettingsRepository(self._database)
        await self._guild_settings.load()

    async def setup_hook(self) -> None:
        await self.open_store()
        await self.load_features()
        await sync_if_changed(
            self.tree,
            BotStateRepository(self.database),
            application_id=self.application_id,
            dev_guild_id=self.settings.dev_guild_id,
        )
        self.started_monotonic = time.monotonic()

    async def on_ready(self) -> None:
        log.info("Connected as %s (id %s) to %d server(s)", self.user, self.user.id if self.user else "?", len(self.guilds))

    async def close(self) -> None:
        """Stop the gateway first so no new work starts, then close the store."""
        try:
            await super().close()
        finally:
            if self._database is not None:
                await self._database.close()
                log.info("Database closed")


def create_bot(settings: Settings, *, extensions: Sequence[str] = DEFAULT_EXTENSIONS) -> WardenBot:
    """Build the bot exactly as ``genre-warden run`` does."""
    return WardenBot(settings, extensions=extensions)
