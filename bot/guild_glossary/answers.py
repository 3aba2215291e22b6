"""The bot's glossary answers as Discord embeds: entries, comparisons, pages of entries, statistics.

Everything shown from an entry may have been typed by a moderator, so every piece
goes through ``AnswerStyle.text``: made inert (markdown and mentions escaped), cut
to fit, and spoilered when the channel asks for it. ``AnswerStyle.content`` gives
the line above the embed: the CW line a "cw" channel asks for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import discord

from bot.formatting import count_of, make_inert, shorten
from bot.glossary import Comparison, CwTerm, Glossary, GlossaryEntry, SearchHit
from bot.guild_glossary.layer import GlossaryLayer
from bot.guild_glossary.marking import AnswerRequirement, cw_line, mentioned_terms, spoiler_terms
from bot.store.glossary_repo import LookupCount

COLOUR = discord.Colour.dark_teal()
FIELD_LIMIT = 900  # Discord allows 1,024 per field; escaping and spoiler tags add a little
SIDE_LIMIT = 480
PAGE_SIZE = 10
MAX_COMPARED_DIMENSIONS = 7  # 2 summary fields + 3 per dimension stay under Discord's 25 fields
FILLER = "\u200b"

ADULT_NOTICE = (
    "This is marked as adult content, so here I show it only to you; ask in an age-restricted channel "
    "or in a DM with me to share it."
)


@dataclass(frozen=True, slots=True)
class AnswerStyle:
    """How a channel wants answers written: the requirement and the terms it applies to."""

    requirement: AnswerRequirement = "none"
    terms: tuple[CwTerm, ...] = ()

    @classmethod
    def for_glossary(cls, requirement: AnswerRequirement, glossary: Glossary) -> AnswerStyle:
        return cls(requirement, glossary.terms_requiring_cw() if requirement != "none" else ())

    def text(self, raw: str, limit: int = FIELD_LIMIT) -> str:
        raw = shorten(raw, limit)
        if self.requirement in ("spoiler", "both"):
            return spoiler_terms(raw, self.terms, escape=make_inert)
        return make_inert(raw)

    def hides(self, raw: str) -> bool:
        """True when ``raw`` names a term this style spoilers (and so cannot stand in an embed title)."""
        return self.requirement in ("spoiler", "both") and bool(mentioned_terms(raw, self.terms))

    def content(self, texts: Iterable[str], notice: str | None = None) -> str | None:
        """The message text above the embed: the CW line a "cw" channel needs, then ``notice``."""
        lines = [cw_line(texts, self.terms)] if self.requirement in ("cw", "both") else []
        lines.append(notice)
        return "\n".join(line for line in lines if line) or None


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
    return answer


def unknown_category_text(category: str, glossary: Glossary) -> str:
    names = ", ".join(make_inert(name) for name in glossary.categories())
    return f"There is no category “{make_inert(shorten(category, 80))}”; the categories are: {names}."


def _titled(embed: discord.Embed, heading: str, style: AnswerStyle) -> None:
    # Discord does not render spoiler tags in embed titles; a hidden name goes first in the description.
    if style.hides(heading):
        embed.title = "Glossary"
        embed.description = f"**{style.text(heading)}**\n" + (embed.description or "")
    else:
        embed.title = shorten(heading, 256)


def entry_texts(entry: GlossaryEntry, glossary: Glossary) -> list[str]:
    """Every text ``entry_embed`` shows, for the CW line."""
    related = [other.term for other in glossary.related_entries(entry)]
    return [entry.term, entry.summary, entry.definition, *entry.aliases, *entry.warnings, *related]


def entry_embed(entry: GlossaryEntry, glossary: Glossary, style: AnswerStyle) -> discord.Embed:
    embed = discord.Embed(
        colour=COLOUR, description=f"*{style.text(entry.summary)}*\n\n{style.text(entry.definition, 1500)}"
    )
    _titled(embed, entry.term, style)
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


def comparison_texts(comparison: Comparison) -> list[str]:
    rows = [text for row in comparison.rows for text in (row.left, row.right)]
    return [comparison.left.term, comparison.right.term, comparison.left_summary, comparison.right_summary, *rows]


def comparison_embed(comparison: Comparison, style: AnswerStyle) -> discord.Embed:
    left, right = comparison.left, comparison.right
    embed = discord.Embed(colour=COLOUR)
    _titled(embed, f"{left.term} vs {right.term}", style)
    if not comparison.has_shared_dimensions:
        note = "These two entries have no contrast data in common, so here are their summaries."
        embed.description = (embed.description or "") + note
    embed.add_field(name=style.text(left.term, 250), value=style.text(left.summary))
    embed.add_field(name=style.text(right.term, 250), value=style.text(right.summary))
    embed.add_field(name=FILLER, value=FILLER)
    for row in comparison.rows[:MAX_COMPARED_DIMENSIONS]:
        embed.add_field(name=f"{row.label}: {style.text(left.term, 200)}", value=style.text(row.left, SIDE_LIMIT))
        embed.add_field(name=f"{row.label}: {style.text(right.term, 200)}", value=style.text(row.right, SIDE_LIMIT))
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
