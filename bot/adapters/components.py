"""The "Delete" button under a post the bot reposted fixed: only its author may press it.

A ``DynamicItem`` carries the author's id in its ``custom_id``, so the button keeps
working after a restart, when no view object from before is left in memory.
"""

from __future__ import annotations

import re

import discord

from bot.adapters.failures import DISCORD_FAILURES
from bot.errors import UserFacingError
from bot.tree import answer_error


class DeleteRepostButton(discord.ui.DynamicItem[discord.ui.Button], template=r"warden:repost:delete:(?P<author>\d+)"):
    def __init__(self, author_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Delete", style=discord.ButtonStyle.secondary, custom_id=f"warden:repost:delete:{author_id}"
            )
        )
        self.author_id = author_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> DeleteRepostButton:
        return cls(int(match["author"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.author_id:
            await interaction.response.send_message("Only the author of this post can delete it.", ephemeral=True)
            return False
        return True

    async def callback(self, interaction: discord.Interaction) -> None:
        # discord.py only logs what a dynamic item raises, so the refusal is answered here.
        try:
            await interaction.message.delete()
        except DISCORD_FAILURES:
            error = UserFacingError("I could not delete that post; ask a moderator to remove it.")
            await answer_error(interaction, error, "Button 'Delete' under a repost")
            return
        await interaction.response.send_message("Deleted.", ephemeral=True)


def repost_view(author_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(DeleteRepostButton(author_id))
    return view
