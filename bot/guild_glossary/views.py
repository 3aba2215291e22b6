"""The interactive pieces of the glossary answers: the page buttons and the entry modal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.guild_glossary.answers import page_count
from bot.tree import answer_error

PageRenderer = Callable[[int], tuple[str | None, discord.Embed]]
ModalSubmit = Callable[[discord.Interaction, dict[str, str]], Awaitable[None]]

OTHERS_REFUSED = "These buttons belong to whoever ran the command; run it yourself to browse."


class EntryPager(discord.ui.View):
    """Previous/Next over a list of entries; only the member who asked can turn the pages."""

    def __init__(self, render: PageRenderer, total: int, owner_id: int, source: str) -> None:
        super().__init__(timeout=600)
        self.render = render
        self.pages = page_count(total)
        self.owner_id = owner_id
        self.source = source
        self.page = 1
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page <= 1
        self.next.disabled = self.page >= self.pages

    def first_page(self) -> dict[str, Any]:
        """Keyword arguments for the first answer; no buttons when everything fits on one page."""
        content, embed = self.render(1)
        return {"content": content, "embed": embed, "view": self if self.pages > 1 else discord.utils.MISSING}

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(OTHERS_REFUSED, ephemeral=True)
            return False
        return True

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item) -> None:
        await answer_error(interaction, error, f"A button of {self.source}")

    async def _show(self, interaction: discord.Interaction, page: int) -> None:
        self.page = min(max(1, page), self.pages)
        self._sync_buttons()
        content, embed = self.render(self.page)
        await interaction.response.edit_message(content=content, embed=embed, view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.page + 1)


class EntryModal(discord.ui.Modal):
    """The long fields of an entry; ``submit`` gets them by custom id (summary, definition, ...)."""

    def __init__(self, title: str, submit: ModalSubmit, source: str, values: dict[str, str] | None = None) -> None:
        super().__init__(title=title[:45], timeout=1800)
        self._submit = submit
        self._source = source
        values = values or {}

        def field(custom_id: str, label: str, *, long: bool, required: bool, max_length: int, hint: str) -> None:
            self.add_item(
                discord.ui.TextInput(
                    custom_id=custom_id,
                    label=label,
                    style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
                    required=required,
                    max_length=max_length,
                    placeholder=hint,
                    default=values.get(custom_id) or None,
                )
            )

        field(
            "summary",
            "Summary (one line)",
            long=False,
            required=True,
            max_length=200,
            hint="What it means, in one sentence",
        )
        field("definition", "Definition", long=True, required=True, max_length=1000, hint="A short paragraph")
        field(
            "aliases",
            "Other names (comma-separated)",
            long=False,
            required=False,
            max_length=1000,
            hint="NTR, 寝取られ",
        )
        field(
            "warnings",
            "Content warnings (comma-separated)",
            long=False,
            required=False,
            max_length=500,
            hint="NTR, infidelity",
        )
        field(
            "contrast",
            "Contrast, one 'dimension: text' a line",
            long=True,
            required=False,
            max_length=4000,
            hint="perspective: ...\ntone: ...",
        )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        values = {item.custom_id: item.value for item in self.children if isinstance(item, discord.ui.TextInput)}
        await self._submit(interaction, values)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await answer_error(interaction, error, f"The form of {self._source}")
