"""Where a Discord object sits, as the ids and permission names the pure packages understand.

A post is judged by its place, ``(channel, parent, category)``: a thread or forum post
inherits from its parent and its category. The bot's permissions in a channel become
the names of the enforcement permissions it holds there.
"""

from __future__ import annotations

from functools import lru_cache

import discord

from bot.enforcement.plan import STEP_NEEDS


def place_ids(channel: discord.abc.Messageable) -> tuple[int, int | None, int | None]:
    """(channel, parent, category) ids: a thread or forum post inherits from its parent and its category."""
    if type(channel) is discord.TextChannel:  # most posts: every post in the bot's guilds asks this
        return channel.id, None, channel.category_id
    channel_id = getattr(channel, "id", 0)
    parent = getattr(channel, "parent", None) if isinstance(channel, discord.Thread) else None
    parent_id = parent.id if parent is not None else None
    category_id = getattr(parent if parent is not None else channel, "category_id", None)
    return channel_id, parent_id, category_id


def role_ids(author: discord.abc.User) -> frozenset[int]:
    return frozenset(role.id for role in getattr(author, "roles", ()))


# Every permission an enforcement step can need (bot.enforcement.plan.STEP_NEEDS), plus forum tagging.
ENFORCEMENT_PERMISSIONS = tuple(sorted({name for needs in STEP_NEEDS.values() for name in needs} | {"manage_threads"}))


_ENFORCEMENT_BITS = discord.Permissions(**dict.fromkeys(ENFORCEMENT_PERMISSIONS, True)).value


def granted_names(permissions: discord.Permissions) -> frozenset[str]:
    """The names of the enforcement permissions granted: every flagged post asks, in one of a few answers."""
    return _granted(permissions.value & _ENFORCEMENT_BITS)


@lru_cache(maxsize=1 << len(ENFORCEMENT_PERMISSIONS))  # an answer per combination of the bits, at most
def _granted(bits: int) -> frozenset[str]:
    permissions = discord.Permissions(bits)
    return frozenset(name for name in ENFORCEMENT_PERMISSIONS if getattr(permissions, name))
