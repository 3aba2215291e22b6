"""The entry modal of the glossary commands (their page buttons are ``bot.adapters.long_answers``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot.tree import answer_error

ModalSubmit = Callable[[discord.Interaction, dict[str, str]], Awaitable[None]]


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
