"""The application-command payloads the bot registers, and syncing them only when they change.

``genre-warden commands`` prints the same payloads that ``sync`` would send, built
from the same tree, so operators can review what they grant without a token.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands

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
