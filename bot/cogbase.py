"""What every Genre Warden cog shares.

Several cogs contribute subcommands to one ``/warden`` group (``about`` from the
meta cog, ``history`` from the settings cog, more later), and two to ``/glossary``
(members' lookups and moderators' editing). discord.py gives each cog its own
top-level commands, so a cog marks a command for a shared group with
``extras={"parent": "warden"}`` (or ``"glossary"``; the groups are made in
``bot.app``) and this base class moves it there on load and takes it out again
on unload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.long_answers import ListPager, ListSource

if TYPE_CHECKING:
    from bot.app import WardenBot

PARENT_KEY = "parent"


class WardenCog(commands.Cog):
    def __init__(self, bot: WardenBot) -> None:
        self.bot = bot
        own, shared = [], []
        for command in self.__cog_app_commands__:
            (shared if command.extras.get(PARENT_KEY) else own).append(command)
        self.__cog_app_commands__ = own
        self._shared_group_commands: list[app_commands.Command | app_commands.Group] = shared
        self._pagers: list[ListPager] = []

    def add_pager(self, name: str, source: ListSource) -> ListPager:
        """A pager for one of this cog's lists; its buttons are registered while the cog is loaded."""
        pager = ListPager(name, source)
        self._pagers.append(pager)
        return pager

    async def cog_load(self) -> None:
        for command in self._shared_group_commands:
            self.bot.shared_group(command.extras[PARENT_KEY]).add_command(command)
        for pager in self._pagers:
            pager.register(self.bot)

    async def set_setting(
        self, interaction: discord.Interaction, key: str, value: Any, done: str, unchanged: str
    ) -> None:
        """Store one guild setting (audited) and tell the moderator whether it changed."""
        changed = await self.bot.guild_settings.set(interaction.guild.id, key, value, actor_id=interaction.user.id)
        await self.reply_change(interaction, changed, done, unchanged)

    async def reply_change(self, interaction: discord.Interaction, changed: bool, done: str, unchanged: str) -> None:
        await interaction.response.send_message(done if changed else unchanged, ephemeral=True)

    async def cog_unload(self) -> None:
        for pager in self._pagers:
            pager.unregister(self.bot)
        for command in self._shared_group_commands:
            self.bot.shared_group(command.extras[PARENT_KEY]).remove_command(command.name)
