"""The Bot subclass and ``create_bot``, the one factory the CLI and the tests both call."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.adapters.cleanup import CleanupScheduler
from bot.adapters.places import place_ids
from bot.adapters.routes import EnforcementState
from bot.command_sync import SYNC_FAILURES, describe_sync_failure, retry_sync, sync_if_changed
from bot.errors import StartupError
from bot.glossary import Glossary, GlossaryFileError, load_glossary
from bot.guild_glossary.marking import AnswerRequirement
from bot.guild_glossary.service import GuildGlossaries
from bot.resources import shipped_config_file
from bot.rules import GuildPolicy, PolicyError, policy_from_yaml
from bot.settings import Settings
from bot.store import Database, SettingsRepository
from bot.store.bot_state import BotStateRepository
from bot.store.cleanups import CleanupRepository
from bot.store.glossary_repo import GlossaryRepository
from bot.store.judged import JudgedLedger
from bot.tree import WardenTree

log = logging.getLogger(__name__)

# Called for every new message, synchronously and from memory only: None (nothing to do), or a
# decision that the handler's act coroutine function then carries out in a task.
Decide = Callable[[discord.Message], Any]
Act = Callable[[discord.Message, Any], Coroutine[Any, Any, None]]

# Every feature is a cog in the top-level ``cogs`` package, loaded in this order.
DEFAULT_EXTENSIONS: tuple[str, ...] = (
    "cogs.meta", "cogs.settings", "cogs.modlog", "cogs.glossary", "cogs.glossary_admin", "cogs.watch",
    "cogs.forumtags", "cogs.policy_admin", "cogs.configuration", "cogs.enforcement", "cogs.doctor",
)

# Groups that several cogs add subcommands to (bot/cogbase.py), with the description Discord shows.
# A group lists its subcommands in the order the cogs load, and that order is part of what is synced
# (bot/command_sync.py): cogs.glossary (lookups) loads before cogs.glossary_admin (editing) so that
# /glossary keeps the order it had when one cog held both.
SHARED_GROUPS: dict[str, str] = {
    "warden": "Genre Warden: status and server settings",
    "glossary": "Browse the genre glossary; moderators edit this server's",
}


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

    def __init__(
        self,
        settings: Settings,
        *,
        extensions: Sequence[str] = DEFAULT_EXTENSIONS,
        shipped_glossary: Glossary | None = None,
    ) -> None:
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
        self._shared_groups = {
            name: app_commands.Group(name=name, description=description) for name, description in SHARED_GROUPS.items()
        }
        for group in self._shared_groups.values():
            self.tree.add_command(group)
        self._database: Database | None = None
        self._guild_settings: SettingsRepository | None = None
        self._message_handlers: list[tuple[Decide, Act]] = []
        self._message_work: set[asyncio.Task[None]] = set()  # held so a running task is not collected
        # None: read config/glossary.yaml when the store opens (tests pass one loaded once per session).
        self._shipped_glossary = shipped_glossary
        self._glossaries: GuildGlossaries | None = None
        self._enforcement: EnforcementState | None = None
        self._judged: JudgedLedger | None = None
        self._cleanups: CleanupScheduler | None = None
        self._sync_retry: asyncio.Task[bool] | None = None

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


    def add_message_handler(self, decide: Decide, act: Act) -> None:
        """Let ``decide(message)`` say, synchronously and from memory, what a new message needs.

        It returns None (nothing: most messages) or a decision, and ``act(message,
        decision)`` then runs in a task of its own; as a pair, every message costs
        one Python call less than a handler that wraps ``decide`` would. New
        messages go to these handlers only: this bot has no prefix commands, so
        it never dispatches ``on_message``, and ``wait_for("message")``
        sees nothing. commands.Bot would schedule a task per message to look for a
        prefix command, which cost more than discord.py's own parsing, and a
        flagged post paid twice more for the listener machinery
        (benchmarks/gateway_throughput.py).
        """
        self._message_handlers.append((decide, act))

    def remove_message_handler(self, decide: Decide) -> None:
        self._message_handlers = [pair for pair in self._message_handlers if pair[0] != decide]

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        if event_name != "message":
            super().dispatch(event_name, *args, **kwargs)
            return
        message = args[0]
        for decide, act in self._message_handlers:
            decision = decide(message)
            if decision is not None:
                task = self.loop.create_task(act(message, decision))
                self._message_work.add(task)
                task.add_done_callback(self._message_work_done)

    def _message_work_done(self, task: asyncio.Task[None]) -> None:
        self._message_work.discard(task)
        log_task_failure(task, "Handling a new message")

    @property
    def glossaries(self) -> GuildGlossaries:
        if self._glossaries is None:
            raise RuntimeError("the glossaries are loaded in setup_hook; they are not loaded yet")
        return self._glossaries

    def answer_requirement(self, channel: object) -> AnswerRequirement:
        """How the bot's own glossary answers must mark terms that need a warning in ``channel``.

        In a watched place the bot obeys the place's rule like any member: the
        place's requirement ("spoiler", "cw", "either" or "both"); elsewhere "none".
        The glossary cog applies it with the guild's compiled policy
        (``bot.guild_glossary.marking`` says what each requirement gets).
        """
        guild = getattr(channel, "guild", None)
        if guild is None or self._enforcement is None:
            return "none"
        place = self._enforcement.config(guild.id).place_for(*place_ids(channel))
        if place is None:
            return "none"
        return self._enforcement.requirement(guild.id, place)

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
        self._glossaries = GuildGlossaries(self._load_shipped_glossary(), GlossaryRepository(self._database))
        await self._glossaries.load()
        self._enforcement = EnforcementState(self._guild_settings, self._glossaries, _load_shipped_policy())
        self._judged = JudgedLedger(self._database)
        await self._judged.load()
        self._cleanups = CleanupScheduler(self, CleanupRepository(self._database))

    @property
    def enforcement(self) -> EnforcementState:
        if self._enforcement is None:
            raise RuntimeError("the enforcement state is built when the store opens; it does not exist yet")
        return self._enforcement

    @property
    def judged(self) -> JudgedLedger:
        """What enforcement already acted on, and how far it read each channel (memory, saved as it goes)."""
        if self._judged is None:
            raise RuntimeError("the judged ledger is loaded when the store opens; it does not exist yet")
        return self._judged

    @property
    def cleanups(self) -> CleanupScheduler:
        """The one scheduler for messages the bot posts for a while only; it survives restarts."""
        if self._cleanups is None:
            raise RuntimeError("the clean-up scheduler is made when the store opens; it does not exist yet")
        return self._cleanups

    def _load_shipped_glossary(self) -> Glossary:
        if self._shipped_glossary is not None:
            return self._shipped_glossary
        try:
            path = shipped_config_file("glossary.yaml")
            return load_glossary(path)
        except FileNotFoundError as exc:
            raise StartupError(f"{exc}; reinstall genre-warden or run it from a full checkout.") from None
        except GlossaryFileError as exc:
            raise StartupError(
                f"the shipped glossary has problems ({exc}); run 'genre-warden glossary lint {path}'."
            ) from None

    async def setup_hook(self) -> None:
        await self.open_store()
        await self.load_features()
        await self.cleanups.resume()  # what the last run left to delete, overdue ones at once
        try:
            await self.sync_commands()
        except SYNC_FAILURES as error:
            # Discord keeps serving the commands it already has; a newer set can wait for a retry.
            log.warning(
                "Could not sync application commands: %s. Serving the commands Discord already has; "
                "retrying in the background.",
                describe_sync_failure(error),
            )
            self._sync_retry = self.loop.create_task(retry_sync(self.sync_commands))
            self._sync_retry.add_done_callback(lambda task: log_task_failure(task, "Retrying the command sync"))
        self.started_monotonic = time.monotonic()

    async def sync_commands(self) -> bool:
        """Sync the command tree when it changed since the last successful sync (see bot.command_sync)."""
        return await sync_if_changed(
            self.tree,
            BotStateRepository(self.database),
            application_id=self.application_id,
            dev_guild_id=self.settings.dev_guild_id,
        )

    async def on_ready(self) -> None:
        log.info(
            "Connected as %s (id %s) to %d server(s)", self.user, self.user.id if self.user else "?", len(self.guilds)
        )

    async def close(self) -> None:
        """Stop the gateway first so no new work starts, then close the store."""
        if self._sync_retry is not None and not self._sync_retry.done():
            self._sync_retry.cancel()
            await asyncio.gather(self._sync_retry, return_exceptions=True)
        try:
            await super().close()
        finally:
            if self._cleanups is not None:
                self._cleanups.stop()
            if self._database is not None:
                if self._judged is not None:
                    await self._judged.save_progress()
                await self._database.close()
                log.info("Database closed")


def log_task_failure(task: asyncio.Task[Any], what: str) -> None:
    """Done callback for a background task: retrieve its exception and log it once, with the traceback."""
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("%s failed", what, exc_info=error)


def _load_shipped_policy() -> GuildPolicy:
    try:
        path = shipped_config_file("policy.yaml")
        return policy_from_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise StartupError(f"{exc}; reinstall genre-warden or run it from a full checkout.") from None
    except PolicyError as exc:
        raise StartupError(
            f"the shipped policy has problems ({exc}); run 'genre-warden config validate {path}'."
        ) from None


def create_bot(
    settings: Settings,
    *,
    extensions: Sequence[str] = DEFAULT_EXTENSIONS,
    shipped_glossary: Glossary | None = None,
) -> WardenBot:
    """Build the bot exactly as ``genre-warden run`` does (which reads the shipped glossary itself)."""
    return WardenBot(settings, extensions=extensions, shipped_glossary=shipped_glossary)
