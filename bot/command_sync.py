"""The application-command payloads the bot registers, and syncing them only when they change.

``genre-warden commands`` prints the same payloads that ``sync`` would send, built
from the same tree, so operators can review what they grant without a token.

A sync that fails at start-up (Discord refuses it, rate-limits it, has an outage,
or the network drops) does not stop the bot: Discord keeps serving the commands it
already has, and ``retry_sync`` tries again in the background with a growing delay.
The fingerprint is stored only after a sync succeeds, so a later start retries too.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.adapters.failures import DISCORD_FAILURES, describe_failure
from bot.store.bot_state import BotStateRepository

log = logging.getLogger(__name__)


def command_payloads(
    tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None = None
) -> list[dict[str, Any]]:
    """The JSON Discord receives on sync, sorted by type then name for stable output."""
    payloads = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    return sorted(payloads, key=lambda payload: (payload.get("type", 1), payload["name"]))


def fingerprint(payloads: list[dict[str, Any]]) -> str:
    canonical = json.dumps(payloads, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def sync_if_changed(
    tree: app_commands.CommandTree,
    state: BotStateRepository,
    *,
    application_id: int | None,
    dev_guild_id: int | None,
) -> bool:
    """Sync to the development guild when set, else globally; skip when nothing changed.

    Discord rate-limits syncs tightly, so the fingerprint of what was last synced
    to each scope is kept in the database and compared first.
    """
    guild = discord.Object(id=dev_guild_id) if dev_guild_id else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    scope = f"guild:{dev_guild_id}" if guild is not None else "global"
    key = f"synced_commands:{application_id}:{scope}"
    current = fingerprint(command_payloads(tree, guild))
    if await state.get(key) == current:
        log.info("Application commands unchanged since the last sync (%s); not syncing", scope)
        return False
    synced = await tree.sync(guild=guild)
    await state.set(key, current)
    log.info("Synced %d application command(s) (%s)", len(synced), scope)
    return True


# What a sync can fail with and the bot survives: Discord's refusals and the network's failures,
# and discord.py's RateLimited (raised, not waited out, past ``max_ratelimit_timeout``).
SYNC_FAILURES: tuple[type[BaseException], ...] = (*DISCORD_FAILURES, discord.RateLimited)


def backoff_delays(first: float = 60.0, cap: float = 3600.0, tries: int = 10) -> tuple[float, ...]:
    """The waits before each retry: doubling from ``first``, never above ``cap``, ``tries`` of them."""
    return tuple(min(first * 2**n, cap) for n in range(tries))


RETRY_DELAYS = backoff_delays()  # 1, 2, 4, 8, 16, 32 minutes, then hourly: about 5 hours in all


def describe_sync_failure(error: BaseException) -> str:
    """One line on why a sync failed, with what to check; never a traceback, never a token."""
    if isinstance(error, discord.RateLimited):
        return f"Discord rate-limited it (retry after {error.retry_after:.0f} s)"
    said = describe_failure(error)
    if isinstance(error, discord.HTTPException):
        hints = {
            401: "; Discord did not accept the token for this call",
            403: "; was the bot invited with the applications.commands scope?",
            429: "; it is rate-limited",
        }
        return said + hints.get(error.status, "; Discord is having trouble" if error.status >= 500 else "")
    return said


async def retry_sync(
    sync: Callable[[], Awaitable[object]], delays: tuple[float, ...] = RETRY_DELAYS
) -> bool:
    """Call ``sync`` again after each delay until it succeeds; True when it did, False after the last try.

    Each failed try logs one line; cancelling (the bot closing) stops the retries at once.
    """
    for attempt, delay in enumerate(delays, start=1):
        await asyncio.sleep(delay)
        try:
            await sync()
        except SYNC_FAILURES as error:
            log.warning(
                "Command sync retry %d of %d failed: %s", attempt, len(delays), describe_sync_failure(error)
            )
            continue
        log.info("Command sync succeeded on retry %d", attempt)
        return True
    log.error(
        "Gave up syncing application commands after %d retries; members see the commands Discord "
        "already had. Restart the bot to try again.",
        len(delays),
    )
    return False
