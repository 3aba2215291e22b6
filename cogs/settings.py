"""``/warden history``: the settings audit log, for moderators, a page at a time."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.adapters.views import OwnedView
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.formatting import show_setting_value
from bot.permissions import moderator_only
from bot.store import AuditEntry, SettingsRepository

PAGE_SIZE = 10


def render_history_page(entries: list[AuditEntry], page: int, total: int) -> discord.Embed:
    pages = max(1, -(-total // PAGE_SIZE))
    embed = discord.Embed(title="Settings history", colour=discord.Colour.dark_teal())
    if not entries:
        embed.description = "No settings have been changed on this server yet."
    else:
        embed.description = "\n".join(
            f"<t:{int(entry.changed_at.timestamp())}:f> <@{entry.actor_id}> changed **{entry.key}**: "
            f"{show_setting_value(entry.old_value)} → {show_setting_value(entry.new_value)}"
            for entry in entries
        )
    embed.set_footer(text=f"Page {page} of {pages} · {total} change{'s' if total != 1 else ''}")
    return embed


class HistoryPager(OwnedView):
    """Previous/next buttons that only the moderator who asked can press."""

    def __init__(self, settings: SettingsRepository, guild_id: int, owner_id: int, total: int) -> None:
        super().__init__(owner_id)
        self.settings = settings
        self.guild_id = guild_id
        self.total = total
        self.page = 1
        self._sync_buttons()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page <= 1
        self.next.disabled = self.page >= self.pages

    async def show(self, interaction: discord.Interaction) -> None:
        entries = await self.settings.history(self.guild_id, limit=PAGE_SIZE, offset=(self.page - 1) * PAGE_SIZE)
        self._sync_buttons()
        await interaction.response.edit_message(embed=render_history_page(entries, self.page, self.total), view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.page = max(1, self.page - 1)
        await self.show(interaction)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.page = min(self.pages, self.page + 1)
        await self.show(interaction)


class Settings(WardenCog):
    @app_commands.command(
        name="history", description="Who changed which setting, and when", extras={"parent": "warden"}
    )
    @moderator_only()
    async def history(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None  # moderator_only() refuses DMs
        settings = self.bot.guild_settings
        total = await settings.count_history(interaction.guild.id)
        entries = await settings.history(interaction.guild.id, limit=PAGE_SIZE)
        view = HistoryPager(settings, interaction.guild.id, interaction.user.id, total)
        await interaction.response.send_message(
            embed=render_history_page(entries, 1, total),
            view=view if view.pages > 1 else discord.utils.MISSING,
            ephemeral=True,
        )


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(Settings(bot))
