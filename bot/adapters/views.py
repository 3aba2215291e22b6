"""Views (buttons) that belong to one member, with errors answered like command errors."""

from __future__ import annotations

import discord

from bot.tree import answer_error


class OwnedView(discord.ui.View):
    """Only ``owner_id`` may press this view's buttons; anyone else is told so, privately."""

    refusal = "These buttons belong to whoever ran the command."

    def __init__(self, owner_id: int, *, timeout: float | None = 300) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(self.refusal, ephemeral=True)
            return False
        return True

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item) -> None:
        await answer_error(interaction, error, f"Button {getattr(item, 'label', item)!r}")
