"""The "Repost fixed" button under a flag reply: only the post's author may press it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.enforcement_discord import granted_names
from bot.errors import UserFacingError
from bot.rules import Verdict
from bot.views import OwnedView

if TYPE_CHECKING:
    from cogs.enforcement._actions import Actions


class RepostFixedView(OwnedView):
    """The button under a flag reply: only the author may repost their post, fixed."""

    refusal = "Only the author of the post can repost it."

    def __init__(self, actions: Actions, message: discord.Message, verdict: Verdict, timeout: float) -> None:
        super().__init__(message.author.id, timeout=timeout)
        self.actions = actions
        self.message = message
        self.verdict = verdict

    @discord.ui.button(label="Repost fixed", style=discord.ButtonStyle.primary)
    async def repost(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        granted = granted_names(self.message.channel.permissions_for(self.message.guild.me))
        if not {"manage_messages", "manage_webhooks"} <= granted:
            raise UserFacingError("I cannot repost here; please copy the fixed text above and edit your post.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        config = self.actions.bot.enforcement.config(self.message.guild.id)
        await self.actions.replace(self.message, self.verdict, config, action="repost")
        button.disabled = True
        self.stop()
        await interaction.followup.send("Done: your post is back, with spoilers added.", ephemeral=True)
