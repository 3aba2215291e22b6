"""The "Repost fixed" button under a flag reply: only the post's author may press it.

A ``DynamicItem``: its ``custom_id`` carries the post's channel, id and author, so the
button keeps working after a restart, when no view object from before is left in
memory. Pressing it judges the post again as it is now (it may have been edited) under
the guild's current rules; that work is the enforcement cog's, which this module finds
through the client (``RepostFixed``) rather than importing the actions back.
"""

from __future__ import annotations

import re
from typing import Protocol

import discord

from bot.errors import UserFacingError
from bot.tree import answer_error

COG_NAME = "Enforcement"  # the cog that does the work (cogs/enforcement/_cog.py)


class RepostFixed(Protocol):
    async def repost_fixed(self, guild: discord.Guild, channel_id: int, message_id: int) -> str:
        """Repost the post fixed; return the private answer, or raise ``UserFacingError``."""


class RepostFixedButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"warden:repost:fixed:(?P<channel>\d+):(?P<message>\d+):(?P<author>\d+)",
):
    refusal = "Only the author of the post can repost it."

    def __init__(self, channel_id: int, message_id: int, author_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Repost fixed", style=discord.ButtonStyle.primary,
                custom_id=f"warden:repost:fixed:{channel_id}:{message_id}:{author_id}",  # at most 83 characters
            )
        )
        self.channel_id = channel_id
        self.message_id = message_id
        self.author_id = author_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> RepostFixedButton:
        return cls(int(match["channel"]), int(match["message"]), int(match["author"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.author_id:
            await interaction.response.send_message(self.refusal, ephemeral=True)
            return False
        return True

    async def callback(self, interaction: discord.Interaction) -> None:
        # discord.py only logs what a dynamic item raises: every failure is answered here.
        try:
            handler: RepostFixed | None = interaction.client.get_cog(COG_NAME)  # type: ignore[assignment]
            if handler is None or interaction.guild is None:
                raise UserFacingError("I cannot repost right now; please copy the fixed text above and edit your post.")
            await interaction.response.defer(ephemeral=True, thinking=True)
            answer = await handler.repost_fixed(interaction.guild, self.channel_id, self.message_id)
        except Exception as error:
            await answer_error(interaction, error, "Button 'Repost fixed'")
            return
        await interaction.followup.send(answer, ephemeral=True)


def flag_reply_view(message: discord.Message) -> discord.ui.View:
    """The view under a flag reply: it holds no state, so nothing of it is lost with a restart."""
    view = discord.ui.View(timeout=None)
    view.add_item(RepostFixedButton(message.channel.id, message.id, message.author.id))
    return view
