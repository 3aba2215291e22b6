"""``/warden history``: the settings audit log, for moderators, ten changes a page.

The pages go through ``bot.adapters.long_answers``: their buttons survive a
restart, and each press reads the log again.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.adapters.long_answers import ListAnswer
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.enforcement.config import setting_defaults
from bot.formatting import show_setting_value
from bot.permissions import moderator_only
from bot.store import AuditEntry

PAGE_SIZE = 10
GLOSSARY_PREFIX = "glossary:"


class Settings(WardenCog):
    def __init__(self, bot: WardenBot) -> None:
        super().__init__(bot)
        self.pager = self.add_pager("history", self._history)

    def show_value(self, key: str, value: Any) -> str:
        """A logged value; an empty one (the key was unset, or reset) is the default that applied then."""
        if value is not None:
            return show_setting_value(value)
        if key.startswith(GLOSSARY_PREFIX):  # no row of the server's: the shipped entry, if there is one
            shipped = self.bot.glossaries.shipped.get(key.removeprefix(GLOSSARY_PREFIX))
            return "the shipped entry" if shipped is not None else "not in the glossary"
        base = self.bot.enforcement.policies.base
        defaults = setting_defaults(base.requirement, base.cw_mode)
        return show_setting_value(defaults[key]) if key in defaults else "*unknown*"

    def history_line(self, entry: AuditEntry) -> str:
        return (
            f"<t:{int(entry.changed_at.timestamp())}:f> <@{entry.actor_id}> changed **{entry.key}**: "
            f"{self.show_value(entry.key, entry.old_value)} → {self.show_value(entry.key, entry.new_value)}"
        )

    async def _history(self, interaction: discord.Interaction, arg: str) -> ListAnswer:
        settings = self.bot.guild_settings
        entries = await settings.history(interaction.guild.id, limit=None)
        return ListAnswer(
            title="Settings history", lines=[self.history_line(entry) for entry in entries],
            empty="No settings have been changed on this server yet.", filename="settings-history.txt",
            noun=("change", "changes"), per_page=PAGE_SIZE, embed=True, colour=discord.Colour.dark_teal(),
        )

    @app_commands.command(
        name="history", description="Who changed which setting, and when", extras={"parent": "warden"}
    )
    @moderator_only()
    async def history(self, interaction: discord.Interaction) -> None:
        await self.pager.send(interaction)


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(Settings(bot))
