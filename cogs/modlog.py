"""``/warden modlog set|off``: where the bot writes its moderation log.

Setting a channel posts a first entry there, so a moderator learns at once, not
at the first incident, that the bot cannot write in it; the setting changes only
after that post went through.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.errors import UserFacingError
from bot.permissions import MODLOG_NEEDS, describe_permissions, missing_permissions, moderator_only
from bot.setting_keys import MODLOG_CHANNEL

log = logging.getLogger(__name__)


class ModLog(WardenCog):
    modlog = app_commands.Group(
        name="modlog", description="Where Genre Warden logs what it does", extras={"parent": "warden"}
    )

    @modlog.command(name="set", description="Log moderation actions in this channel")
    @app_commands.describe(channel="The text channel for the mod log")
    @moderator_only()
    async def set_channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        guild = interaction.guild
        assert guild is not None  # moderator_only() refuses DMs
        missing = missing_permissions(channel.permissions_for(guild.me), MODLOG_NEEDS)
        if missing:
            raise UserFacingError(
                f"I cannot write in {channel.mention}: I need {describe_permissions(missing)} there. "
                "Grant them and try again; the mod log setting was not changed."
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        embed = discord.Embed(
            title="Mod log enabled",
            description=f"Genre Warden will log its moderation actions here (set by {interaction.user.mention}).",
            colour=discord.Colour.dark_teal(),
        )
        try:
            await channel.send(embed=embed)
        except discord.Forbidden as exc:
            log.warning("Discord refused the mod-log test post in %s (code %s)", channel.id, exc.code)
            raise UserFacingError(
                f"Discord refused to let me post in {channel.mention} (a permission is missing there); "
                "the mod log setting was not changed. A moderator can run /warden doctor to see which."
            ) from None
        changed = await self.bot.guild_settings.set(guild.id, MODLOG_CHANNEL, channel.id, actor_id=interaction.user.id)
        verb = "now goes to" if changed else "already goes to"
        await interaction.followup.send(f"The mod log {verb} {channel.mention}.", ephemeral=True)

    @modlog.command(name="off", description="Stop writing the mod log")
    @moderator_only()
    async def turn_off(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        changed = await self.bot.guild_settings.reset(
            interaction.guild.id, MODLOG_CHANNEL, actor_id=interaction.user.id
        )
        text = "The mod log is now off." if changed else "The mod log was already off."
        await interaction.response.send_message(text, ephemeral=True)


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(ModLog(bot))
