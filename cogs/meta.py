"""``/warden about``: proof of life once the bot is invited."""

from __future__ import annotations

import math

import discord
from discord import app_commands

from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.formatting import human_bytes, human_duration


class Meta(WardenCog):
    @app_commands.command(
        name="about", description="What this bot is, and how it is doing", extras={"parent": "warden"}
    )
    async def about(self, interaction: discord.Interaction) -> None:
        bot = self.bot
        latency = bot.latency
        latency_text = f"{latency * 1000:.0f} ms" if math.isfinite(latency) else "not measured yet"
        embed = discord.Embed(
            title="Genre Warden",
            description="Glossary, content-warning and spoiler enforcement, and audited settings for genre servers.",
            colour=discord.Colour.blurple(),
        )
        embed.add_field(name="Version", value=bot.version)
        embed.add_field(name="Uptime", value=human_duration(bot.uptime_seconds()))
        embed.add_field(name="Gateway latency", value=latency_text)
        embed.add_field(name="Database size", value=human_bytes(bot.database.size_bytes()))
        embed.add_field(name="Servers", value=str(len(bot.guilds)))
        embed.add_field(name="Features loaded", value=", ".join(sorted(bot.cogs)) or "none", inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(Meta(bot))
