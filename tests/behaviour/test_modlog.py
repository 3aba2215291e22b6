"""``/warden modlog``: the setting changes only once the bot proved it can post there."""

from __future__ import annotations

import discord

from bot.setting_keys import MODLOG_CHANNEL
from tests.behaviour.scenarios import handled_errors


async def test_a_moderator_sets_the_mod_log_and_the_bot_posts_there(simcord_env, server, simcord_bot):
    logs = server.guild.create_text_channel("mod-log")

    result = await server.moderator.slash(server.general, "warden modlog set", channel=logs)

    assert result.ephemeral
    # The first followup after a deferred answer replaces the "thinking" message.
    assert result.response.content == f"The mod log now goes to <#{logs.id}>."
    assert logs.last_message.embeds[0].title == "Mod log enabled"
    assert simcord_bot.guild_settings.get(server.guild.id, MODLOG_CHANNEL) == logs.id
    (entry,) = await simcord_bot.guild_settings.history(server.guild.id)
    assert (entry.key, entry.old_value, entry.new_value, entry.actor_id) == (
        MODLOG_CHANNEL, None, logs.id, server.moderator.id,
    )


async def test_a_channel_the_bot_cannot_write_in_is_refused_before_trying(simcord_env, server, simcord_bot):
    closed = server.guild.create_text_channel(
        "staff-only", overwrites={server.guild.me: discord.PermissionOverwrite(send_messages=False)}
    )

    result = await server.moderator.slash(server.general, "warden modlog set", channel=closed)

    assert result.ephemeral
    assert result.response.content == (
        # Without Send Messages, Discord also withholds Embed Links in that channel.
        f"I cannot write in <#{closed.id}>: I need Send Messages and Embed Links there. "
        "Grant them and try again; the mod log setting was not changed."
    )
    assert closed.last_message is None
    assert simcord_bot.guild_settings.get(server.guild.id, MODLOG_CHANNEL) is None
    assert handled_errors(simcord_env) == ["UserFacingError"]


async def test_a_50013_from_discord_is_handled_and_the_old_setting_kept(simcord_env, server, simcord_bot):
    first = server.guild.create_text_channel("mod-log")
    await server.moderator.slash(server.general, "warden modlog set", channel=first)
    second = server.guild.create_text_channel("new-mod-log")
    # Permissions changed between the bot's check and its post: Discord answers 50013.
    simcord_env.inject_error(
        "POST", f"/channels/{second.id}/messages", status=403, code=50013, message="Missing Permissions"
    )

    result = await server.moderator.slash(server.general, "warden modlog set", channel=second)

    assert result.response.content.startswith(f"Discord refused to let me post in <#{second.id}>")
    assert result.ephemeral
    assert simcord_bot.guild_settings.get(server.guild.id, MODLOG_CHANNEL) == first.id
    assert [entry.new_value for entry in await simcord_bot.guild_settings.history(server.guild.id)] == [first.id]
    assert simcord_bot.is_ready() and not simcord_bot.is_closed()
    assert handled_errors(simcord_env) == ["UserFacingError"]


async def test_turning_the_mod_log_off_is_recorded(simcord_env, server, simcord_bot):
    logs = server.guild.create_text_channel("mod-log")
    await server.moderator.slash(server.general, "warden modlog set", channel=logs)

    result = await server.moderator.slash(server.general, "warden modlog off")
    again = await server.moderator.slash(server.general, "warden modlog off")

    assert result.response.content == "The mod log is now off."
    assert again.response.content == "The mod log was already off."
    assert simcord_bot.guild_settings.get(server.guild.id, MODLOG_CHANNEL) is None
    latest = (await simcord_bot.guild_settings.history(server.guild.id))[0]
    assert (latest.old_value, latest.new_value) == (logs.id, None)


async def test_members_cannot_change_the_mod_log(simcord_env, server, simcord_bot):
    result = await server.member.slash(server.general, "warden modlog off")
    assert result.response.content == "You need the Manage Server permission to use this command."
    assert await simcord_bot.guild_settings.count_history(server.guild.id) == 0
    assert handled_errors(simcord_env) == ["MissingPermissions"]
