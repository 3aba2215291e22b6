"""The scene builders produce what the bot, through discord.py's cache, really sees."""

from __future__ import annotations

import discord

from bot.permissions import invite_permissions
from tests.behaviour.scenarios import FORUM_TAGS


async def test_the_genre_server_looks_right_from_the_bots_side(simcord_env, server, simcord_bot):
    guild = simcord_bot.get_guild(server.guild.id)
    assert {channel.name for channel in guild.text_channels} == {"ntr-discussion", "general"}
    forum = guild.get_channel(server.forum.id)
    assert isinstance(forum, discord.ForumChannel)
    assert tuple(tag.name for tag in forum.available_tags) == FORUM_TAGS
    # The bot's role holds exactly the invite's permissions; @everyone adds its defaults.
    bot_role = next(role for role in guild.me.roles if role.managed)
    assert bot_role.permissions == invite_permissions()
    assert guild.me.guild_permissions >= invite_permissions()
    assert not guild.me.guild_permissions.manage_guild
    moderator = guild.get_member(server.moderator.id) or await guild.fetch_member(server.moderator.id)
    assert moderator.guild_permissions.manage_guild
    member = guild.get_member(server.member.id) or await guild.fetch_member(server.member.id)
    assert not member.guild_permissions.manage_guild


async def test_closed_dms_refuse_the_bots_direct_messages(simcord_env, server, simcord_bot):
    server.close_dms()
    user = await simcord_bot.fetch_user(server.member.id)
    try:
        await user.send("Your post was held for you.")
    except discord.Forbidden as refusal:
        assert refusal.code == 50007
    else:
        raise AssertionError("the DM should have been refused")
