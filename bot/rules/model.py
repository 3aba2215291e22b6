"""The guild policy as the engine sees it: plain frozen data, already validated.

Pydantic checks the YAML at the loading boundary (``policy_file``); inside the
engine a policy is these immutable dataclasses, so a compiled policy can be shared
between guilds and threads without anyone changing it under their feet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Requirement = Literal["spoiler", "cw", "either", "both"]
CwMode = Literal["strict", "lenient"]
MediaRule = Literal["flagged", "all", "off"]

REQUIREMENTS: tuple[Requirement, ...] = ("spoiler", "cw", "either", "both")
DEFAULT_CW_MARKERS: tuple[str, ...] = ("cw", "tw", "content warning", "trigger warning")


@dataclass(frozen=True, slots=True)
class Term:
    """A sensitive term. The glossary hands the engine its entries in this same shape."""

    name: str
    category: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Pattern:
    """A moderator's regular expression; it runs in RE2 over the case-folded text."""

    category: str
    regex: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class GuildPolicy:
    requirement: Requirement = "either"
    cw_mode: CwMode = "strict"
    cw_markers: tuple[str, ...] = DEFAULT_CW_MARKERS
    media: MediaRule = "flagged"
    include_glossary_terms: bool = True
    terms: tuple[Term, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    allow: tuple[str, ...] = ()
    # Category -> extra content-warning labels that cover it (beyond its name and terms).
    categories: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
