"""Builders for the scenes behaviour tests need again and again.

Each builder arranges the simulated Discord (SimCord's builders are the narrator:
no permission checks) and hands back named handles, so a test reads as the story
it checks: a genre server, a moderator, an ordinary member.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import discord
from discord import app_commands
from simcord import Env
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle, GuildHandle, RoleHandle
from simcord.http import router as simcord_router

from bot.permissions import invite_permissions

INVITE_PERMISSIONS = invite_permissions()


@dataclass
class GenreServer:
    """A server with a genre channel, a general channel, a forum with CW tags, a moderator and a member."""

    env: Env
    guild: GuildHandle
    moderator_role: RoleHandle
    genre: ChannelHandle
    general: ChannelHandle
    forum: ChannelHandle
    moderator: MemberActor
    member: MemberActor

    def add_member(self, name: str, *roles: RoleHandle) -> MemberActor:
        return self.guild.add_member(self.env.create_user(name), roles=list(roles))

    def set_bot_permissions(self, permissions: discord.Permissions) -> None:
        """Give the bot's own (managed) role exactly ``permissions``.

        SimCord gives the bot a managed role with every permission but
        administrator; there is no builder to change it, so this edits the role in
        SimCord's backend, which announces the change over the gateway as Discord does.
        """
        role = next(role for role in self.guild.me.roles if role.managed)
        self.env.backend.edit_role(self.guild.id, role.id, {"permissions": permissions.value})

    def forum_tag_id(self, name: str) -> int:
        tags = self.env.backend.get_channel(self.forum.id).available_tags
        return int(next(tag["id"] for tag in tags if tag["name"] == name))

    def open_thread(
        self, author: MemberActor, parent: ChannelHandle, title: str, tags: tuple[str, ...] = (), *,
        announce: bool = True,
    ) -> ChannelHandle:
        """``author`` opens a thread (in a forum: a post) called ``title``, announced to the bot as THREAD_CREATE.

        SimCord lets only the bot author a forum post's starter; this creates the
        thread in its backend instead, so the starter is then sent as the member's
        first message in it (see tests/README.md). ``announce=False`` keeps the bot
        unaware of the thread (discord.py then gives its posts a PartialMessageable)
        until ``self.env.backend.announce_thread_create``.
        """
        tag_ids = [self.forum_tag_id(name) for name in tags]
        thread = self.env.backend.create_thread(parent.id, title, author.id, applied_tags=tag_ids, broadcast=False)
        if announce:
            self.env.backend.announce_thread_create(thread)
        return ChannelHandle(self.env, self.guild, thread)

    def age_restrict(self, channel: ChannelHandle) -> None:
        """Make ``channel`` age-restricted (NSFW) as the bot sees it.

        SimCord's channels have no ``nsfw`` flag (see tests/README.md, "SimCord gaps"),
        so this sets it on the bot's cached channel, which is what discord.py reads
        for ``is_nsfw()``; a later CHANNEL_UPDATE for the channel would clear it.
        """
        cached = self.env.bot.get_channel(channel.id)
        assert isinstance(cached, discord.TextChannel), f"{channel!r} is not a text channel the bot knows"
        cached.nsfw = True

    def move(self, channel: ChannelHandle, category: ChannelHandle | None) -> None:
        """A moderator drags ``channel`` into ``category`` (None: out of any category).

        SimCord has no builder or actor to move a channel (see tests/README.md, "SimCord
        gaps"); this edits its backend, which announces the move to the bot as a
        CHANNEL_UPDATE with the new ``parent_id``, as Discord does.
        """
        self.env.backend.edit_channel(channel.id, {"parent_id": category.id if category else None})

    def close_dms(self, member: MemberActor | None = None) -> None:
        """From now on the bot's DMs to ``member`` (the ordinary member by default) fail with 50007.

        SimCord has no per-user DM privacy setting; the refusal is injected on that
        DM channel's message route instead (see tests/README.md).
        """
        dm_channel = self.env.backend.get_dm_channel((member or self.member).id)
        self.env.inject_error(
            "POST",
            f"/channels/{dm_channel.id}/messages",
            status=403,
            code=50007,
            message="Cannot send messages to this user",
            times=None,
        )


def handled_errors(env: Env) -> list[str]:
    """The names of the errors the bot handled so far, in order, each unwrapped from discord.py's CommandInvokeError.

    SimCord captures every error the bot swallows and re-raises it at teardown unless
    the test read ``env.errors``; reading them here acknowledges them, and the test
    asserts they are exactly the refusals it expected.
    """
    return [
        type(error.original if isinstance(error, app_commands.CommandInvokeError) else error).__name__
        for error in env.errors
    ]


FORUM_TAGS = ("CW: NTR", "Spoilers", "Recommendation")


def add_forum_tags(env: Env, forum: ChannelHandle, names: tuple[str, ...]) -> None:
    """Give a forum its available tags.

    SimCord's forum builder takes no tags; this sets them in its backend, which
    announces the change to the bot as a CHANNEL_UPDATE, as Discord would.
    """
    tags = [
        {"id": str(env.backend.snowflake()), "name": name, "moderated": False, "emoji_id": None, "emoji_name": None}
        for name in names
    ]
    env.backend.edit_channel(forum.id, {"available_tags": tags})


def build_genre_server(env: Env, *, bot_permissions: discord.Permissions = INVITE_PERMISSIONS) -> GenreServer:
    guild = env.create_guild("Genre Corner")
    moderator_role = guild.create_role(
        "Moderators", permissions=discord.Permissions(manage_guild=True, manage_messages=True)
    )
    server = GenreServer(
        env=env,
        guild=guild,
        moderator_role=moderator_role,
        genre=guild.create_text_channel("ntr-discussion"),
        general=guild.create_text_channel("general"),
        forum=guild.create_forum_channel("recommendations"),
        moderator=guild.add_member(env.create_user("mod-mika"), roles=[moderator_role]),
        member=guild.add_member(env.create_user("reader-ren")),
    )
    server.set_bot_permissions(bot_permissions)
    add_forum_tags(env, server.forum, FORUM_TAGS)
    return server


@dataclass
class NetworkFaults:
    """Calls to matching routes fail as if the connection did: no answer from Discord at all.

    ``env.inject_error`` makes Discord *answer* with an error status; it cannot make the
    connection fail (see tests/README.md, "SimCord gaps"). This wraps the dispatcher that
    SimCord's HTTP client and webhook adapter both call, so a matching request raises
    ``error()`` before it reaches SimCord's backend (and is not in ``env.http_requests``,
    as a request that never reached Discord would not be).
    """

    faults: list[dict[str, Any]] = field(default_factory=list)

    def inject(
        self, method: str, path: str, *, error: Callable[[], BaseException] = lambda: aiohttp.ClientConnectionError(
            "Cannot connect to host discord.com:443"
        ), times: int | None = 1,
    ) -> None:
        """``path`` is an fnmatch pattern as for ``env.inject_error``; ``times=None`` lasts the whole test."""
        self.faults.append({"method": method, "path": path, "error": error, "times": times})

    def wrap(self, dispatch: Callable[..., Any]) -> Callable[..., Any]:
        def dispatch_unless_the_network_fails(backend: Any, method: str, path: str, **kwargs: Any) -> Any:
            for fault in list(self.faults):
                if fault["method"] in (method, "*") and fnmatch.fnmatch(path, fault["path"]):
                    if fault["times"] is not None:
                        fault["times"] -= 1
                        if fault["times"] <= 0:
                            self.faults.remove(fault)
                    raise fault["error"]()
            return dispatch(backend, method, path, **kwargs)

        return dispatch_unless_the_network_fails


def install_network_faults(monkeypatch) -> NetworkFaults:
    """Put ``NetworkFaults`` in front of SimCord's dispatcher for one test (pytest's ``monkeypatch`` undoes it)."""
    faults = NetworkFaults()
    monkeypatch.setattr(simcord_router, "dispatch", faults.wrap(simcord_router.dispatch))
    return faults
