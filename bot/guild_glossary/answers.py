"""The bot's glossary answers as Discord embeds: entries, comparisons, pages of entries, statistics.

Everything shown from an entry may have been typed by a moderator, so every piece
goes through ``AnswerStyle.text`` (or ``plain`` where Discord shows no spoilers):
made inert (markdown and mentions escaped), cut to fit, and spoilered when the
channel asks for it. ``AnswerStyle.settle`` then gives the message as it is sent:
the warning line above the embed, and terms moved out of the places that cannot
hide them, so that the whole message passes the channel's rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import discord

from bot.formatting import count_of, make_inert, shorten
from bot.glossary import Comparison, Glossary, GlossaryEntry, SearchHit
from bot.guild_glossary.layer import GlossaryLayer
from bot.guild_glossary.marking import (
    AnswerRequirement,
    complies,
    hide_terms,
    hides_terms,
    unhidden_terms,
    warning_line,
    warns,
)
from bot.rules import CompiledPolicy
from bot.rules.fix import wrap_body
from bot.rules.markdown import parse_layout
from bot.store.glossary_repo import LookupCount

COLOUR = discord.Colour.dark_teal()
FIELD_LIMIT = 900  # Discord allows 1,024 per field; escaping and spoiler tags add a little
SIDE_LIMIT = 480
PAGE_SIZE = 10
MAX_COMPARED_DIMENSIONS = 7  # 2 summary fields + 3 per dimension stay under Discord's 25 fields
FILLER = "\u200b"
HIDDEN_TITLE = "Glossary"  # the title left when a title naming a term moves into the description

ADULT_NOTICE = (
    "This is marked as adult content, so here I show it only to you; ask in an age-restricted channel "
    "or in a DM with me to share it."
)


@dataclass(frozen=True, slots=True)
class AnswerStyle:
    """How a channel wants answers written: its requirement and the guild's compiled policy.

    Builders put ``text`` where Discord renders spoilers (descriptions, field values,
    message content) and ``plain`` where it does not (titles, field names); footers
    and author names hold raw text. ``settle`` then makes the whole message comply:
    see ``bot.guild_glossary.marking`` for what each requirement gets.
    """

    requirement: AnswerRequirement = "none"
    policy: CompiledPolicy | None = None
    category_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def _hides(self) -> bool:
        return self.policy is not None and hides_terms(self.requirement)

    @property
    def _warns(self) -> bool:
        return self.policy is not None and warns(self.requirement)

    def text(self, raw: str, limit: int = FIELD_LIMIT) -> str:
        """``raw`` cut to ``limit``, made inert, and with its terms hidden when the channel asks for spoilers."""
        shown = make_inert(shorten(raw, limit))
        return hide_terms(shown, self.policy) if self._hides and self.policy is not None else shown

    @staticmethod
    def plain(raw: str, limit: int = 256) -> str:
        """``raw`` cut and made inert, for a place that shows no spoilers; ``settle`` moves it if it must."""
        return make_inert(shorten(raw, limit))

    def _names_term(self, shown: str) -> bool:
        return self.policy is not None and bool(unhidden_terms(shown, self.policy))

    def _hidden(self, shown: str) -> str:
        return hide_terms(shown, self.policy) if self.policy is not None else shown

    def settle(self, embed: discord.Embed, notice: str | None = None) -> tuple[str | None, discord.Embed]:
        """The message text and the embed as they are sent: compliant with the channel's rule.

        Where terms are hidden, a title, author name, field name or footer that names
        one is moved, hidden, to the top of the description, the top of its field's
        value or the end of the description. Where a warning is needed, the content
        opens with the line that covers every category the whole message names. Then
        the message is judged as enforcement would judge it; should it still fail (a
        term read across two parts), every part is hidden whole.
        """
        if self._hides:
            self._move_out_of_unspoilerable_places(embed)
        content = self._content(embed, notice)
        if self.policy is not None and not complies(visible_text(content, embed), self.policy, self.requirement):
            if self._hides:
                self._hide_every_part(embed)
            content = self._content(embed, notice)
        return content, embed

    def settle_text(self, text: str) -> str:
        """A text-only answer (built with ``text``) as it is sent, with the warning line it needs."""
        if self.policy is None:
            return text
        answer = self._content(None, text) or text
        if not complies(answer, self.policy, self.requirement) and self._hides:
            answer = self._content(None, _hidden_whole(text)) or text
        return answer

    def _content(self, embed: discord.Embed | None, notice: str | None) -> str | None:
        lines = []
        if self._warns and self.policy is not None:
            lines.append(warning_line(visible_text(notice, embed), self.policy, self.category_names))
        lines.append(notice)
        return "\n".join(line for line in lines if line) or None

    def _move_out_of_unspoilerable_places(self, embed: discord.Embed) -> None:
        on_top = []
        if embed.author.name and self._names_term(embed.author.name):
            on_top.append(self._hidden(make_inert(embed.author.name)))
            embed.remove_author()
        if embed.title and self._names_term(embed.title):
            on_top.append(self._hidden(embed.title))
            embed.title = HIDDEN_TITLE
        for index, item in enumerate(embed.fields):
            if self._names_term(item.name):
                value = f"**{self._hidden(item.name)}**\n{item.value}"
                embed.set_field_at(index, name=FILLER, value=value, inline=item.inline)
        description = "\n".join([f"**{line}**" for line in on_top] + ([embed.description] if embed.description else []))
        if embed.footer.text and self._names_term(embed.footer.text):
            description += "\n\n" + self._hidden(make_inert(embed.footer.text))
            embed.remove_footer()
        embed.description = description or None

    def _hide_every_part(self, embed: discord.Embed) -> None:
        parts = [make_inert(embed.author.name)] if embed.author.name else []
        if embed.title and embed.title != HIDDEN_TITLE:
            parts.append(embed.title)
            embed.title = HIDDEN_TITLE
        parts += [embed.description] if embed.description else []
        parts += [make_inert(embed.footer.text)] if embed.footer.text else []
        embed.remove_author()
        embed.remove_footer()
        embed.description = _hidden_whole("\n".join(parts)) if parts else None
        for index, item in enumerate(embed.fields):
            value = item.value if item.name == FILLER else f"**{item.name}**\n{item.value}"
            embed.set_field_at(index, name=FILLER, value=_hidden_whole(value), inline=item.inline)


def visible_text(content: str | None, embed: discord.Embed | None) -> str:
    """Every text of a message as a member reads it: content, then the embed's author name, title,
    description, each field's name and value, and footer, one a line (as enforcement reads link previews)."""
    parts = [content]
    if embed is not None:
        parts += [embed.author.name, embed.title, embed.description]
        parts += [text for item in embed.fields for text in (item.name, item.value)]
        parts.append(embed.footer.text)
    return "\n".join(part for part in parts if part)


def _hidden_whole(text: str) -> str:
    """``text`` (inert, perhaps with spoilers already) behind one spoiler, as the engine's fix wraps a post."""
    if text == FILLER or not text.strip():
        return text
    return wrap_body(text, parse_layout(text), None)


def adult_allowed(interaction: discord.Interaction) -> bool:
    """Adult entries may be shown to everyone in DMs and in age-restricted channels (and their threads)."""
    if interaction.guild_id is None:
        return True
    is_nsfw = getattr(interaction.channel, "is_nsfw", None)
    return bool(is_nsfw and is_nsfw())


def unknown_term_text(text: str, suggestions: Sequence[GlossaryEntry], style: AnswerStyle) -> str:
    answer = f"There is no glossary entry called “{style.text(text, 100)}”."
    if suggestions:
        answer += " Did you mean " + ", ".join(f"**{style.text(entry.term, 100)}**" for entry in suggestions) + "?"
    return style.settle_text(answer)


def unknown_category_text(category: str, glossary: Glossary) -> str:
    names = ", ".join(make_inert(name) for name in glossary.categories())
    return f"There is no category “{make_inert(shorten(category, 80))}”; the categories are: {names}."


def entry_embed(entry: GlossaryEntry, glossary: Glossary, style: AnswerStyle) -> discord.Embed:
    embed = discord.Embed(
        title=style.plain(entry.term),
        colour=COLOUR,
        description=f"*{style.text(entry.summary)}*\n\n{style.text(entry.definition, 1500)}",
    )
    if entry.aliases:
        embed.add_field(name="Also called", value=style.text(", ".join(entry.aliases)), inline=False)
    embed.add_field(name="Category", value=style.text(entry.category))
    if entry.warnings:
        embed.add_field(name="Content warnings", value=style.text(", ".join(entry.warnings)))
    related = glossary.related_entries(entry)
    if related:
        embed.add_field(name="Related", value=style.text(", ".join(other.term for other in related)), inline=False)
    flags = [f"id: {entry.id}"]
    if entry.nsfw:
        flags.append("adult content")
    if entry.id in glossary.server_ids:
        flags.append("this server's own entry")
    embed.set_footer(text=" · ".join(flags))
    return embed


def comparison_embed(comparison: Comparison, style: AnswerStyle) -> discord.Embed:
    left, right = comparison.left, comparison.right
    embed = discord.Embed(colour=COLOUR, title=style.plain(f"{left.term} vs {right.term}"))
    if not comparison.has_shared_dimensions:
        embed.description = "These two entries have no contrast data in common, so here are their summaries."
    embed.add_field(name=style.plain(left.term, 250), value=style.text(left.summary))
    embed.add_field(name=style.plain(right.term, 250), value=style.text(right.summary))
    embed.add_field(name=FILLER, value=FILLER)
    for row in comparison.rows[:MAX_COMPARED_DIMENSIONS]:
        embed.add_field(name=f"{row.label}: {style.plain(left.term, 200)}", value=style.text(row.left, SIDE_LIMIT))
        embed.add_field(name=f"{row.label}: {style.plain(right.term, 200)}", value=style.text(row.right, SIDE_LIMIT))
        embed.add_field(name=FILLER, value=FILLER)
    one_sided = [(left, comparison.left_only), (right, comparison.right_only)]
    notes = [f"only {entry.term} describes {', '.join(names)}" for entry, names in one_sided if names]
    if notes:
        embed.set_footer(text=shorten("; ".join(notes).capitalize() + ".", 2000))
    return embed


def entry_line(entry: GlossaryEntry, style: AnswerStyle, why: str = "") -> str:
    return f"**{style.text(entry.term, 100)}**: {style.text(entry.summary, 220)}{why}"


def search_line(hit: SearchHit, style: AnswerStyle) -> str:
    return entry_line(hit.entry, style, "" if hit.matched == "term" else f" *(found in its {hit.matched})*")


def stats_lines(found: Sequence[LookupCount], unknown: Sequence[LookupCount], glossary: Glossary) -> list[str]:
    """Every counted lookup, the most asked first: those found, then the unknown terms members asked for."""

    def times(count: int) -> str:
        return "once" if count == 1 else f"{count} times"

    def term(query: str) -> str:
        entry = glossary.get(query)
        return make_inert(entry.term if entry else f"{query} (no longer in the glossary)")

    return [
        "**Most looked up**",
        *([f"{n}. **{term(c.query)}**: {times(c.count)}" for n, c in enumerate(found, 1)] or ["No lookups yet."]),
        "",
        "**Asked for, but not in the glossary**",
        *([f"{n}. {make_inert(c.query)}: {times(c.count)}" for n, c in enumerate(unknown, 1)]
          or ["Every term asked for was found."]),
        "",
        "*Unknown terms are candidates for /glossary add.*",
    ]


def layer_summary(layer: GlossaryLayer) -> str:
    """``2 entries of its own or changed and 1 removed``: what a server changed, in a sentence."""
    return f"{count_of(len(layer.entries), 'entry', 'entries')} of its own or changed and {len(layer.removed)} removed"
