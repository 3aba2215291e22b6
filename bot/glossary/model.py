"""What a glossary entry is: a frozen dataclass for the code, a pydantic model for the border.

Entries come from YAML (the shipped file, an editor's file, a moderator's import)
and from the database (a server's own entries). Both go through ``EntryModel`` once,
at the border; everything after that works with plain immutable ``GlossaryEntry``
values, so lookups never re-check what loading already checked.

The length limits follow what a Discord answer can show: a choice name holds 100
characters and an embed field 1,024.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StrictBool, StrictStr

from bot.glossary.names import is_lookup_only

MAX_NAME_LENGTH = 80
MAX_SUMMARY_LENGTH = 200
MAX_TEXT_LENGTH = 1000
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DIMENSION_PATTERN = r"^[a-z][a-z0-9_]*$"


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """One term of the glossary, as members look it up and the rule engine reads it.

    ``contrast`` keeps the file's order as (dimension, text) pairs; ``compare`` puts
    the dimensions of two entries in one stable order. When ``requires_cw`` is true,
    ``warnings[0]`` is the enforcement category (for example "NTR").
    """

    id: str
    term: str
    category: str
    summary: str
    definition: str
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    contrast: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()
    nsfw: bool = False
    requires_cw: bool = False
    match_short_aliases: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """The term followed by every alias: everything a member may type to find this entry."""
        return (self.term, *self.aliases)

    @property
    def chat_aliases(self) -> tuple[str, ...]:
        """The aliases safe to match as whole words in chat (see ``bot.glossary.names``)."""
        if self.match_short_aliases:
            return self.aliases
        return tuple(alias for alias in self.aliases if not is_lookup_only(alias))

    @property
    def cw_category(self) -> str | None:
        """The enforcement category, or None when naming this term needs no warning."""
        return self.warnings[0] if self.requires_cw and self.warnings else None

    def contrast_text(self, dimension: str) -> str | None:
        return dict(self.contrast).get(dimension)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def _one_line(value: str) -> str:
    if "\n" in value:
        raise ValueError("must be a single line")
    return value


def _at_most(limit: int) -> AfterValidator:
    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"must be at most {limit} characters (it has {len(value)})")
        return value

    return AfterValidator(check)


def _matching(pattern: str, meaning: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"'{value}' must be {meaning}")
        return value

    return AfterValidator(check)


Slug = Annotated[
    StrictStr, _matching(ID_PATTERN, "lowercase letters and digits joined by single hyphens, like reverse-ntr")
]
Text = Annotated[StrictStr, AfterValidator(_not_blank), _at_most(MAX_TEXT_LENGTH)]
Name = Annotated[StrictStr, AfterValidator(_not_blank), AfterValidator(_one_line), _at_most(MAX_NAME_LENGTH)]
Dimension = Annotated[
    StrictStr, _matching(DIMENSION_PATTERN, "lowercase letters, digits and underscores, like plot_arc")
]


class EntryModel(BaseModel):
    """One entry as written in YAML; unknown keys are errors so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[Slug, _at_most(MAX_NAME_LENGTH)]
    term: Name
    aliases: list[Name] = []
    category: Name
    summary: Annotated[StrictStr, AfterValidator(_not_blank), AfterValidator(_one_line), _at_most(MAX_SUMMARY_LENGTH)]
    definition: Text
    related: list[Slug] = []
    contrast: dict[Dimension, Text] = {}
    warnings: list[Name] = []
    nsfw: StrictBool = False
    requires_cw: StrictBool = False
    match_short_aliases: StrictBool = False

    def to_entry(self) -> GlossaryEntry:
        return GlossaryEntry(
            id=self.id,
            term=self.term,
            category=self.category,
            summary=self.summary,
            definition=" ".join(self.definition.split()),
            aliases=tuple(self.aliases),
            related=tuple(self.related),
            contrast=tuple(self.contrast.items()),
            warnings=tuple(self.warnings),
            nsfw=self.nsfw,
            requires_cw=self.requires_cw,
            match_short_aliases=self.match_short_aliases,
        )


class GlossaryFileModel(BaseModel):
    """The whole file: a format version and the list of entries."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    entries: list[object]  # each item is checked on its own so one bad entry hides no other problem


def entry_to_data(entry: GlossaryEntry) -> dict[str, object]:
    """The entry as plain data in the file's field order, for YAML export and ``--json``."""
    data: dict[str, object] = {
        "id": entry.id,
        "term": entry.term,
        "aliases": list(entry.aliases),
        "category": entry.category,
        "summary": entry.summary,
        "definition": entry.definition,
        "related": list(entry.related),
        "contrast": dict(entry.contrast),
        "warnings": list(entry.warnings),
        "nsfw": entry.nsfw,
        "requires_cw": entry.requires_cw,
    }
    if entry.match_short_aliases:
        data["match_short_aliases"] = True
    return data
