"""``/define``, ``/compare`` and ``/glossary``: the genre glossary in chat, and its per-server editing.

Members look terms up; moderators change this server's glossary (``add``, ``edit``,
``remove``, ``reset``, ``import``), and every change is audited and reaches this
server only. The logic lives in ``bot.guild_glossary``; this module wires it to Discord.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import partial

import discord
from discord import app_commands

from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.errors import UserFacingError
from bot.formatting import count_of, escape_user_text, make_inert
from bot.glossary import Glossary, GlossaryEntry
from bot.glossary.compare import compare_entries
from bot.guild_glossary import layer_to_yaml
from bot.guild_glossary.answers import (
    ADULT_NOTICE,
    PAGE_SIZE,
    AnswerStyle,
    adult_allowed,
    comparison_embed,
    comparison_texts,
    entry_embed,
    entry_line,
    entry_texts,
    layer_summary,
    page_embed,
    search_line,
    stats_embed,
    unknown_category_text,
    unknown_term_text,
)
from bot.guild_glossary.forms import (
    check_import_size,
    edited_entry_fields,
    entry_from_form,
    form_values,
    new_entry_fields,
    read_import,
)
from bot.guild_glossary.views import EntryModal, EntryPager
from bot.permissions import moderator_only

Choices = list[app_commands.Choice[str]]


class GlossaryCog(WardenCog, name="Glossary"):
    glossary = app_commands.Group(
        name="glossary", description="Browse the genre glossary; moderators edit this server's"
    )

    # -- helpers ------------------------------------------------------------

    def _glossary(self, interaction: discord.Interaction) -> Glossary:
        return self.bot.glossaries.glossary(interaction.guild_id)

    def _style(self, interaction: discord.Interaction, glossary: Glossary) -> AnswerStyle:
        return AnswerStyle.for_glossary(self.bot.answer_requirement(interaction.channel), glossary)

    def _server_id(self, interaction: discord.Interaction) -> int:
        assert interaction.guild_id is not None  # moderator_only() refuses DMs
        return interaction.guild_id

    async def _answer(
        self,
        interaction: discord.Interaction,
        style: AnswerStyle,
        texts: Sequence[str],
        *,
        adult: bool,
        **message: object,
    ) -> None:
        """Send an answer; one showing adult entries goes only to the asker outside age-restricted places."""
        private = adult and not adult_allowed(interaction)
        content = style.content(texts, ADULT_NOTICE if private else None)
        await interaction.response.send_message(content=content, ephemeral=private, **message)

    async def _tell_unknown(self, interaction: discord.Interaction, glossary: Glossary, text: str) -> None:
        style = self._style(interaction, glossary)
        await interaction.response.send_message(unknown_term_text(text, glossary.suggest(text), style), ephemeral=True)

    # -- autocomplete ---------------------------------------------------------

    async def _terms(self, interaction: discord.Interaction, current: str) -> Choices:
        completions = self._glossary(interaction).autocomplete(current)
        return [app_commands.Choice(name=c.label, value=c.value) for c in completions]

    async def _categories(self, interaction: discord.Interaction, current: str) -> Choices:
        wanted = current.casefold().strip()
        names = [name for name in self._glossary(interaction).categories() if wanted in name.casefold()]
        return [app_commands.Choice(name=name, value=name) for name in names[:25]]

    async def _changed_ids(self, interaction: discord.Interaction, current: str) -> Choices:
        ids = self.bot.glossaries.resettable_ids(interaction.guild_id or 0)
        return [app_commands.Choice(name=i, value=i) for i in ids if current.casefold() in i][:25]

    # -- members ------------------------------------------------------------

    @app_commands.command(name="define", description="Explain a genre term")
    @app_commands.describe(term="A term or any of its other names")
    async def define(self, interaction: discord.Interaction, term: app_commands.Range[str, 1, 100]) -> None:
        glossary = self._glossary(interaction)
        entry = glossary.lookup(term)
        if entry is None:
            await self._tell_unknown(interaction, glossary, term)
        else:
            style = self._style(interaction, glossary)
            embed = entry_embed(entry, glossary, style)
            await self._answer(interaction, style, entry_texts(entry, glossary), adult=entry.nsfw, embed=embed)
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
            style = self._style(interaction, glossary)
            embed = comparison_embed(comparison, style)
            texts = comparison_texts(comparison)
            await self._answer(interaction, style, texts, adult=left.nsfw or right.nsfw, embed=embed)
        for text, entry in ((a, left), (b, right)):
            await self.bot.glossaries.record_lookup(interaction.guild_id, text, entry)

    define.autocomplete("term")(_terms)
    compare.autocomplete("a")(_terms)
    compare.autocomplete("b")(_terms)

    async def _send_pages(
        self,
        interaction: discord.Interaction,
        title: str,
        entries: Sequence[GlossaryEntry],
        lines: list[str],
        empty: str,
        style: AnswerStyle,
    ) -> None:
        private = any(entry.nsfw for entry in entries) and not adult_allowed(interaction)
        notice = ADULT_NOTICE if private else None

        def render(page: int) -> tuple[str | None, discord.Embed]:
            shown = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
            texts = [text for entry in shown for text in (entry.term, entry.summary)]
            return style.content(texts, notice), page_embed(title, lines, page, empty)

        pager = EntryPager(render, len(lines), interaction.user.id, f"/{interaction.command.qualified_name}")
        await interaction.response.send_message(**pager.first_page(), ephemeral=private)

    @glossary.command(name="list", description="Every glossary entry, or those of one category, ten a page")
    @app_commands.describe(category="Only this category")
    async def list_entries(self, interaction: discord.Interaction, category: str | None = None) -> None:
        glossary = self._glossary(interaction)
        entries = glossary.by_category(category) if category else glossary.entries
        if category and not entries:
            raise UserFacingError(unknown_category_text(category, glossary))
        title = f"Glossary: {entries[0].category}" if category else "Glossary"
        style = self._style(interaction, glossary)
        lines = [entry_line(e, style) for e in entries]
        await self._send_pages(interaction, title, entries, lines, "The glossary is empty.", style)

    list_entries.autocomplete("category")(_categories)

    @glossary.command(name="search", description="Find entries by name, alias or words in their definition")
    @app_commands.describe(text="Words to look for")
    async def search(self, interaction: discord.Interaction, text: app_commands.Range[str, 1, 100]) -> None:
        glossary = self._glossary(interaction)
        hits = glossary.search(text)
        style = self._style(interaction, glossary)
        lines = [search_line(hit, style) for hit in hits]
        empty = "Nothing in the glossary matches that; try fewer or shorter words."
        await self._send_pages(
            interaction, f"Glossary search: {text}", [hit.entry for hit in hits], lines, empty, style
        )

    # -- moderators ---------------------------------------------------------

    async def _save_from_form(
        self, base: dict[str, object], verb: str, interaction: discord.Interaction, values: dict[str, str]
    ) -> None:
        guild_id = self._server_id(interaction)
        known = [entry.id for entry in self.bot.glossaries.glossary(guild_id)]
        entry = entry_from_form(base, values, known)
        adding = verb == "Added"
        changed = await self.bot.glossaries.save_entry(guild_id, entry, actor_id=interaction.user.id, new=adding)
        term = make_inert(entry.term)
        answer = (
            f"{verb} **{term}** (id `{entry.id}`) in this server's glossary."
            if changed
            else f"Nothing changed in **{term}**."
        )
        await interaction.response.send_message(answer, ephemeral=True)

    @glossary.command(name="add", description="Add a term to this server's glossary (a form asks for the texts)")
    @app_commands.describe(
        term="The term as members write it",
        category="Its category (pick one or name a new one)",
        nsfw="Adult content: shown publicly only in age-restricted channels and DMs",
        requires_cw="Naming it in a watched channel needs a spoiler or a content warning",
        related="Ids of related entries, comma-separated",
        entry_id="The id (lowercase words joined by hyphens); made from the term when left out",
    )
    @app_commands.rename(entry_id="id")
    @moderator_only()
    async def add(
        self,
        interaction: discord.Interaction,
        term: app_commands.Range[str, 1, 80],
        category: app_commands.Range[str, 1, 80],
        nsfw: bool = False,
        requires_cw: bool = False,
        related: str | None = None,
        entry_id: str | None = None,
    ) -> None:
        options = {"id": entry_id, "term": term, "category": category, "related": related}
        fields = new_entry_fields(self._glossary(interaction), options | {"nsfw": nsfw, "requires_cw": requires_cw})
        submit = partial(self._save_from_form, fields, "Added")
        await interaction.response.send_modal(EntryModal(f"Add {term}", submit, "/glossary add"))

    @glossary.command(name="edit", description="Change an entry for this server (a form shows its texts)")
    @app_commands.describe(
        entry_id="The entry to change",
        term="A new name for it",
        category="A new category",
        nsfw="Adult content",
        requires_cw="Needs a spoiler or a content warning in watched channels",
        related="Ids of related entries, comma-separated (replaces the list)",
    )
    @app_commands.rename(entry_id="id")
    @moderator_only()
    async def edit(
        self,
        interaction: discord.Interaction,
        entry_id: str,
        term: app_commands.Range[str, 1, 80] | None = None,
        category: app_commands.Range[str, 1, 80] | None = None,
        nsfw: bool | None = None,
        requires_cw: bool | None = None,
        related: str | None = None,
    ) -> None:
        glossary = self._glossary(interaction)
        entry = glossary.lookup(entry_id)
        if entry is None:
            raise UserFacingError(unknown_term_text(entry_id, glossary.suggest(entry_id), AnswerStyle()))
        options = {"term": term, "category": category, "nsfw": nsfw, "requires_cw": requires_cw, "related": related}
        submit = partial(self._save_from_form, edited_entry_fields(entry, glossary, options), "Changed")
        modal = EntryModal(f"Edit {entry.term}", submit, "/glossary edit", form_values(entry))
        await interaction.response.send_modal(modal)

    @glossary.command(name="remove", description="Take an entry out of this server's glossary")
    @app_commands.describe(entry_id="The entry to remove")
    @app_commands.rename(entry_id="id")
    @moderator_only()
    async def remove(self, interaction: discord.Interaction, entry_id: str) -> None:
        glossaries = self.bot.glossaries
        entry = await glossaries.remove_entry(self._server_id(interaction), entry_id, actor_id=interaction.user.id)
        answer = f"Removed **{make_inert(entry.term)}** from this server's glossary."
        if glossaries.shipped.get(entry.id):
            answer += f" /glossary reset {entry.id} brings back the shipped entry."
        await interaction.response.send_message(answer, ephemeral=True)

    @glossary.command(name="reset", description="Bring back the shipped version of an entry this server changed")
    @app_commands.describe(entry_id="The entry to reset")
    @app_commands.rename(entry_id="id")
    @moderator_only()
    async def reset(self, interaction: discord.Interaction, entry_id: str) -> None:
        glossaries = self.bot.glossaries
        entry, changed = await glossaries.reset_entry(
            self._server_id(interaction), entry_id, actor_id=interaction.user.id
        )
        term = make_inert(entry.term)
        answer = f"**{term}** is back to the shipped entry." if changed else f"**{term}** already is the shipped entry."
        await interaction.response.send_message(answer, ephemeral=True)

    edit.autocomplete("entry_id")(_terms)
    remove.autocomplete("entry_id")(_terms)
    reset.autocomplete("entry_id")(_changed_ids)
    add.autocomplete("category")(_categories)
    edit.autocomplete("category")(_categories)

    @glossary.command(name="export", description="This server's glossary changes as a YAML file")
    @moderator_only()
    async def export(self, interaction: discord.Interaction) -> None:
        layer = self.bot.glossaries.layer(self._server_id(interaction))
        data = layer_to_yaml(layer).encode("utf-8")
        await interaction.response.send_message(
            f"This server's changes to the shipped glossary: {layer_summary(layer)}. "
            "Edit the file and load it back with /glossary import.",
            file=discord.File(io.BytesIO(data), filename="glossary-changes.yaml"),
            ephemeral=True,
        )

    @glossary.command(name="import", description="Replace this server's glossary changes with a YAML file")
    @app_commands.describe(file="A YAML file like the one /glossary export gives")
    @moderator_only()
    async def import_file(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        glossaries = self.bot.glossaries
        check_import_size(file.size, file.filename)  # before downloading it
        await interaction.response.defer(ephemeral=True, thinking=True)
        layer = read_import(await file.read(), file.filename, glossaries.shipped)
        changed = await glossaries.replace_layer(self._server_id(interaction), layer, actor_id=interaction.user.id)
        await interaction.followup.send(
            f"Imported {escape_user_text(file.filename, limit=80)}: {count_of(len(changed), 'entry', 'entries')} "
            f"changed; this server now has {layer_summary(layer)}.",
            ephemeral=True,
        )

    @glossary.command(name="stats", description="The most looked-up terms, and unknown terms members asked for")
    @moderator_only()
    async def stats(self, interaction: discord.Interaction) -> None:
        guild_id = self._server_id(interaction)
        stats = await self.bot.glossaries.lookup_stats(guild_id)
        embed = stats_embed(stats.found, stats.unknown, self.bot.glossaries.glossary(guild_id))
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(GlossaryCog(bot))
