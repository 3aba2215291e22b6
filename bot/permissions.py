"""Permission checks for moderator commands, applied twice on purpose.

``default_permissions`` only hides a command in the Discord client, server admins
can change it, and Discord ignores it on subcommands; the run-time check is what
actually protects a moderator command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import discord
from discord import app_commands

MODERATOR_PERMISSION = "manage_guild"
# What the bot needs in the mod-log channel.
MODLOG_NEEDS = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)

T = TypeVar("T")


def is_moderator(interaction: discord.Interaction) -> bool:
    """True when the invoker holds Manage Server in this channel (administrators do)."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage()
    if not getattr(interaction.permissions, MODERATOR_PERMISSION):
        raise app_commands.MissingPermissions([MODERATOR_PERMISSION])
    return True


def moderator_only() -> Callable[[T], T]:
    """Mark a command for moderators: the client-side hint and the run-time check together."""

    def decorator(command: T) -> T:
        command = app_commands.guild_only()(command)
        command = app_commands.default_permissions(**{MODERATOR_PERMISSION: True})(command)
        return app_commands.check(is_moderator)(command)

    return decorator


# What the bot needs in the mod-log channel to write an entry.
MODLOG_NEEDS = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)


def permission_label(name: str) -> str:
    """``manage_guild`` -> ``Manage Server``: the name a person sees in Discord's settings."""
    special = {"manage_guild": "Manage Server", "read_messages": "View Channel", "view_channel": "View Channel"}
    return special.get(name) or name.replace("_", " ").title()


def describe_permissions(names: list[str]) -> str:
    """``["send_messages", "embed_links"]`` -> ``Send Messages and Embed Links``."""
    labels = [permission_label(name) for name in names]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def missing_permissions(granted: discord.Permissions, needed: discord.Permissions) -> list[str]:
    """The names of the permissions in ``needed`` that ``granted`` lacks."""
    return [name for name, wanted in needed if wanted and not getattr(granted, name)]


def invite_permissions() -> discord.Permissions:
    """What the bot asks for in its invite URL, each for a feature that needs it.

    view_channel, read_message_history: see the posts in watched channels;
    send_messages, send_messages_in_threads, embed_links: answer and write the mod log;
    add_reactions: the flag reaction; manage_messages: delete an untagged post;
    attach_files, manage_webhooks: repost a post spoilered under the author's name;
    manage_threads: tag forum posts and handle thread titles;
    moderate_members: time out repeat offenders (the escalation ladder).
    """
    return discord.Permissions(
        view_channel=True,
        read_message_history=True,
        send_messages=True,
        send_messages_in_threads=True,
        embed_links=True,
        add_reactions=True,
        manage_messages=True,
        attach_files=True,
        manage_webhooks=True,
        manage_threads=True,
        moderate_members=True,
    )
