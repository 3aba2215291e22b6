"""Moderator commands refuse members, at run time, whatever the client shows."""

from __future__ import annotations


async def test_a_member_without_manage_server_is_refused_privately(simcord_env, server):
    result = await server.member.slash(server.general, "warden history")

    assert result.ephemeral
    assert result.response.content == "You need the Manage Server permission to use this command."
    assert result.response.embeds == []
    assert [type(error).__name__ for error in simcord_env.errors] == ["MissingPermissions"]


async def test_a_moderator_sees_the_settings_history(simcord_env, server, simcord_bot):
    await simcord_bot.guild_settings.set(server.guild.id, "requirement", "spoiler", actor_id=server.moderator.id)

    result = await server.moderator.slash(server.general, "warden history")

    assert result.ephemeral
    embed = result.response.embeds[0]
    assert "changed **requirement**: either → spoiler" in embed.description  # the default it replaced
    assert f"<@{server.moderator.id}>" in embed.description
    assert embed.footer.text == "Page 1 of 1 · 1 change"
