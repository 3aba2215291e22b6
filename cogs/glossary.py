"""``/define``, ``/compare``, ``/glossary list`` and ``/glossary search``: members look terms up.

Answers follow the channel's marking rule, and adult entries go only to the asker
outside age-restricted places; every lookup is counted for ``/glossary stats``.
Moderators' editing of the server's glossary is ``cogs/glossary_admin.py``; both
cogs add their subcommands to the bot's shared ``/glossary`` group. The logic
lives in ``bot.guild_glossary``; this module wires it to Discord.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord
from discord import app_commands

from bot.adapters.long_answers import ListAnswer
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.errors import UserFacingError
from bot.formatting import make_inert
from bot.glossary import Glossary, GlossaryEntry
from bot.glossary.compare import compare_entries
from bot.guild_glossary.answers import (
    ADULT_NOTICE,
    COLOUR,
    PAGE_SIZE,
    AnswerStyle,
    adult_allowed,
    comparison_embed,
    entry_embed,
    entry_line,
    search_line,
    unknown_category_text,
    unknown_term_text,
)
from bot.guild_glossary.choices import Choices, category_choices, term_choices


class GlossaryCog(WardenCog, name="Glossary"):
    def __init__(self, bot: WardenBot) -> None:
        super().__init__(bot)
        self.list_pager = self.add_pager("glossary", self._listed)
        self.search_pager = self.add_pager("search", self._found)

    # -- helpers ------------------------------------------------------------

    def _glossary(self, interaction: discord.Interaction) -> Glossary:
        return self.bot.glossaries.glossary(interaction.guild_id)

    def _style(self, interaction: discord.Interaction) -> AnswerStyle:
        """The channel's rule for answers, judged by the guild's compiled policy as its posts are."""
        requirement = self.bot.answer_requirement(interaction.channel)
        if requirement == "none" or interaction.guild_id is None:
            return AnswerStyle()
        enforcement = self.bot.enforcement
        guild_id = interaction.guild_id
        return AnswerStyle(requirement, enforcement.policy(guild_id), enforcement.category_names(guild_id))

    async def _answer(
        self, interaction: discord.Interaction, style: AnswerStyle, embed: discord.Embed, *, adult: bool
    ) -> None:
        """Send an answer; one showing adult entries goes only to the asker outside age-restricted places."""
        private = adult and not adult_allowed(interaction)
        content, embed = style.settle(embed, ADULT_NOTICE if private else None)
        await interaction.response.send_message(content=content, embed=embed, ephemeral=private)

    async def _tell_unknown(self, interaction: discord.Interaction, glossary: Glossary, text: str) -> None:
        style = self._style(interaction)
        await interaction.response.send_message(unknown_term_text(text, glossary.suggest(text), style), ephemeral=True)

    # -- autocomplete ---------------------------------------------------------

    async def _terms(self, interaction: discord.Interaction, current: str) -> Choices:
        return term_choices(self._glossary(interaction), current)

    async def _categories(self, interaction: discord.Interaction, current: str) -> Choices:
        return category_choices(self._glossary(interaction), current)

    # -- members ------------------------------------------------------------

    @app_commands.command(name="define", description="Explain a genre term")
    @app_commands.describe(term="A term or any of its other names")
    async def define(self, interaction: discord.Interaction, term: app_commands.Range[str, 1, 100]) -> None:
        glossary = self._glossary(interaction)
        entry = glossary.lookup(term)
        if entry is None:
            await self._tell_unknown(interaction, glossary, term)
        else:
            style = self._style(interaction)
            await self._answer(interaction, style, entry_embed(entry, glossary, style), adult=entry.nsfw)
        # Counted after answering, so the database never delays the answer (for /glossary stats).
        await self.bot.glossaries.record_lookup(interaction.guild_id, term, entry)

    @app_commands.command(name="compare", description="Two genre terms side by side")
    @app_commands.describe(a="The first term", b="The second term")
    async def compare(
        self, interaction: discord.Interaction, a: app_commands.Range[str, 1, 100], b: app_commands.Range[str, 1, 100]
    ) -> None:
        glossary = self._glossary(interaction)
        left, right = glossary.lookup(a), glossary.lookup(b)
        if left is None or right is None:
            await self._tell_unknown(interaction, glossary, a if left is None else b)
        else:
            comparison = compare_entries(left, right)
            style = self._style(interaction)
            embed = comparison_embed(comparison, style)
            await self._answer(interaction, style, embed, adult=left.nsfw or right.nsfw)
        for text, entry in ((a, left), (b, right)):
            await self.bot.glossaries.record_lookup(interaction.guild_id, text, entry)

    define.autocomplete("term")(_terms)
    compare.autocomplete("a")(_terms)
    compare.autocomplete("b")(_terms)

    def _entry_answer(
        self, interaction: discord.Interaction, title: str, entries: Sequence[GlossaryEntry], lines: list[str],
        empty: str, style: AnswerStyle,
    ) -> ListAnswer:
        """Entries ten a page; over each page the CW line its entries need, and the adult notice."""
        notice = ADULT_NOTICE if self._private(interaction, entries) else None

        def settle(embed: discord.Embed, shown: range) -> tuple[str | None, discord.Embed]:
            return style.settle(embed, notice)

        return ListAnswer(
            title=title, lines=lines, empty=empty, filename="glossary.txt", noun=("entry", "entries"),
            per_page=PAGE_SIZE, embed=True, colour=COLOUR, settle=settle,
        )

    @staticmethod
    def _private(interaction: discord.Interaction, entries: Sequence[GlossaryEntry]) -> bool:
        return any(entry.nsfw for entry in entries) and not adult_allowed(interaction)

    async def _listed(self, interaction: discord.Interaction, category: str) -> ListAnswer:
        glossary = self._glossary(interaction)
        entries = glossary.by_category(category) if category else glossary.entries
        title = f"Glossary: {entries[0].category if entries else category}" if category else "Glossary"
        style = self._style(interaction)
        empty = f"The category “{make_inert(category)}” is empty now." if category else "The glossary is empty."
        return self._entry_answer(interaction, title, entries, [entry_line(e, style) for e in entries], empty, style)

    async def _found(self, interaction: discord.Interaction, text: str) -> ListAnswer:
        glossary = self._glossary(interaction)
        hits = glossary.search(text)
        style = self._style(interaction)
        lines = [search_line(hit, style) for hit in hits]
        empty = "Nothing in the glossary matches that; try fewer or shorter words."
        return self._entry_answer(
            interaction, f"Glossary search: {text}", [hit.entry for hit in hits], lines, empty, style
        )

    @app_commands.command(
        name="list", description="Every glossary entry, or those of one category, ten a page",
        extras={"parent": "glossary"},
    )
    @app_commands.describe(category="Only this category")
    async def list_entries(self, interaction: discord.Interaction, category: str | None = None) -> None:
        glossary = self._glossary(interaction)
        entries = glossary.by_category(category) if category else glossary.entries
        if category and not entries:
            raise UserFacingError(unknown_category_text(category, glossary))
        await self.list_pager.send(interaction, category or "", ephemeral=self._private(interaction, entries))

    list_entries.autocomplete("category")(_categories)

    @app_commands.command(
        name="search", description="Find entries by name, alias or words in their definition",
        extras={"parent": "glossary"},
    )
    @app_commands.describe(text="Words to look for")
    async def search(self, interaction: discord.Interaction, text: app_commands.Range[str, 1, 100]) -> None:
        hits = self._glossary(interaction).search(text)
        private = self._private(interaction, [hit.entry for hit in hits])
        await self.search_pager.send(interaction, text, ephemeral=private)


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(GlossaryCog(bot))
