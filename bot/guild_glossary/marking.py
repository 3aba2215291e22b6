"""How the bot's own glossary answers obey a watched channel's rule (PURE).

A watched channel asks that a term needing a warning be either hidden in spoiler
tags or announced by a content-warning line. The bot's answers name such terms
all the time, so they follow the same rule:

- ``"spoiler"``: every name or chat alias of a term that requires a warning is
  wrapped in ``||…||`` (``spoiler_terms``);
- ``"cw"``: the answer opens with ``CW: <labels>`` naming the warnings of the terms
  it mentions (``cw_line``);
- ``"both"``: both of the above;
- ``"none"``: the answer is left as it is.

Which rule a channel has is decided by ``WardenBot.answer_requirement`` (the
hook; watched channels arrive with the enforcement feature). The functions here
only apply a rule to text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from bot.glossary import CwTerm

AnswerRequirement = Literal["none", "spoiler", "cw", "both"]


def _identity(text: str) -> str:
    return text


def _needs_word_edge(char: str) -> bool:
    # Scripts written with spaces need whole words ("ntr" must not match inside "contract");
    # Chinese and Japanese (from U+2E80 on) run words together, so 寝取られ is found inside a sentence.
    return char.isalnum() and ord(char) < 0x2E80


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    # Longest first, so "reverse NTR" is wrapped whole before "NTR" could be.
    ordered = sorted({name for name in names if name.strip()}, key=len, reverse=True)
    if not ordered:
        return None
    parts = []
    for name in ordered:
        start = r"(?<!\w)" if _needs_word_edge(name[0]) else ""
        end = r"(?!\w)" if _needs_word_edge(name[-1]) else ""
        parts.append(start + re.escape(name) + end)
    return re.compile("|".join(parts), re.IGNORECASE)


def _names(terms: Sequence[CwTerm]) -> list[str]:
    return [name for term in terms for name in (term.name, *term.aliases)]


def mentioned_terms(text: str, terms: Sequence[CwTerm]) -> list[CwTerm]:
    """The terms whose name or chat alias occurs in ``text``, in ``terms`` order."""
    return [term for term in terms if (pattern := _name_pattern([term.name, *term.aliases])) and pattern.search(text)]


def spoiler_terms(text: str, terms: Sequence[CwTerm], *, escape: Callable[[str], str] = _identity) -> str:
    """``text`` with each name of ``terms`` wrapped in ``||…||``.

    ``escape`` is applied to every piece (names and the text between them) before
    the tags are added, so user text can be made inert without breaking the tags.
    """
    pattern = _name_pattern(_names(terms))
    if pattern is None:
        return escape(text)
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"||{escape(match.group())}||")
        position = match.end()
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def cw_line(texts: Iterable[str], terms: Sequence[CwTerm]) -> str | None:
    """``CW: NTR, infidelity`` for the terms named anywhere in ``texts``; None when none is named.

    The labels are each term's enforcement category first (what the rule engine
    checks), then its other warning labels, without repeats.
    """
    joined = "\n".join(texts)
    labels: dict[str, None] = {}
    for term in mentioned_terms(joined, terms):
        labels[term.category] = None
    for term in mentioned_terms(joined, terms):
        labels.update(dict.fromkeys(label for label in term.labels if label not in (term.name, *term.aliases)))
    return "CW: " + ", ".join(labels) if labels else None
