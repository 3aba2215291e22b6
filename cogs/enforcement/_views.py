"""The "Repost fixed" button under a flag reply: only the post's author may press it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot.adapters.places import granted_names
from bot.adapters.views import OwnedView
from bot.errors import UserFacingError

# Reposts the flagged post, fixed; handed over by the actions that posted the view, so this module imports none.
Repost = Callable[[], Awaitable[None]]


class RepostFixedView(OwnedView):
    """The button under a flag reply: only the author may repost their post, fixed."""

    refusal = "Only the author of the post can repost it."

    def __init__(self, message: discord.Message, repost: Repost, timeout: float) -> None:
        super().__init__(message.author.id, timeout=timeout)
        self.message = message
        self._repost = repost

    @discord.ui.button(label="Repost fixed", style=discord.ButtonStyle.primary)
    async def repost(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        granted = granted_names(self.message.channel.permissions_for(self.message.guild.me))
        if not {"manage_messages", "manage_webhooks"} <= granted:
            raise UserFacingError("I cannot repost here; please copy the fixed text above and edit your post.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._repost()
        button.disabled = True
        self.stop()
        await interaction.followup.send("Done: your post is back, with spoilers added.", ephemeral=True)
