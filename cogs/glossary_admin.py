"""``/glossary add|edit|remove|reset|export|import|stats``: moderators change this server's glossary.

Every change is audited and reaches this server only; ``stats`` shows what
members looked up. Each command is for moderators (``moderator_only``: the
client-side hint and the run-time check). Members' lookups are
``cogs/glossary.py``; both cogs add their subcommands to the bot's shared
``/glossary`` group. The logic lives in ``bot.guild_glossary``; this module
wires it to Discord.
"""

from __future__ import annotations

import io
from functools import partial

import discord
from discord import app_commands

from bot.adapters.long_answers import ListAnswer
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.errors import UserFacingError
from bot.formatting import count_of, escape_user_text, make_inert
from bot.glossary import Glossary
from bot.guild_glossary import layer_to_yaml
from bot.guild_glossary.answers import (
    COLOUR,
    AnswerStyle,
    layer_summary,
    stats_lines,
    unknown_term_text,
)
from bot.guild_glossary.choices import Choices, category_choices, term_choices
from bot.guild_glossary.forms import (
    check_import_size,
    edited_entry_fields,
    entry_from_form,
    form_values,
    new_entry_fields,
    read_import,
)
from bot.guild_glossary.views import EntryModal
from bot.permissions import moderator_only


class GlossaryAdmin(WardenCog):
    def __init__(self, bot: WardenBot) -> None:
        super().__init__(bot)
        self.stats_pager = self.add_pager("stats", self._stats)

    # -- helpers ------------------------------------------------------------

    def _glossary(self, interaction: discord.Interaction) -> Glossary:
        return self.bot.glossaries.glossary(interaction.guild_id)

    def _server_id(self, interaction: discord.Interaction) -> int:
        assert interaction.guild_id is not None  # moderator_only() refuses DMs
        return interaction.guild_id

    # -- autocomplete ---------------------------------------------------------

    async def _terms(self, interaction: discord.Interaction, current: str) -> Choices:
        return term_choices(self._glossary(interaction), current)

    async def _categories(self, interaction: discord.Interaction, current: str) -> Choices:
        return category_choices(self._glossary(interaction), current)

    async def _changed_ids(self, interaction: discord.Interaction, current: str) -> Choices:
        ids = self.bot.glossaries.resettable_ids(interaction.guild_id or 0)
        return [app_commands.Choice(name=i, value=i) for i in ids if current.casefold() in i][:25]

    # -- commands -----------------------------------------------------------

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

    @app_commands.command(
        name="add", description="Add a term to this server's glossary (a form asks for the texts)",
        extras={"parent": "glossary"},
    )
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

    @app_commands.command(
        name="edit", description="Change an entry for this server (a form shows its texts)",
        extras={"parent": "glossary"},
    )
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

    @app_commands.command(
        name="remove", description="Take an entry out of this server's glossary",
        extras={"parent": "glossary"},
    )
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

    @app_commands.command(
        name="reset", description="Bring back the shipped version of an entry this server changed",
        extras={"parent": "glossary"},
    )
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

    @app_commands.command(
        name="export", description="This server's glossary changes as a YAML file",
        extras={"parent": "glossary"},
    )
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

    @app_commands.command(
        name="import", description="Replace this server's glossary changes with a YAML file",
        extras={"parent": "glossary"},
    )
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

    @app_commands.command(
        name="stats", description="The most looked-up terms, and unknown terms members asked for",
        extras={"parent": "glossary"},
    )
    @moderator_only()
    async def stats(self, interaction: discord.Interaction) -> None:
        await self.stats_pager.send(interaction)

    async def _stats(self, interaction: discord.Interaction, arg: str) -> ListAnswer:
        guild_id = self._server_id(interaction)
        stats = await self.bot.glossaries.lookup_stats(guild_id)
        lines = stats_lines(stats.found, stats.unknown, self.bot.glossaries.glossary(guild_id))
        return ListAnswer(
            title="Glossary lookups on this server", lines=lines, empty="", filename="glossary-lookups.txt",
            noun=("line", "lines"), embed=True, colour=COLOUR,
        )


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(GlossaryAdmin(bot))
