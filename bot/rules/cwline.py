"""Read the content-warning line a member opened their message with.

The warning is the first non-empty line, opening with a marker (``CW``, ``TW``,
``content warning``, ``trigger warning`` by default; guilds may change the list) in
one of two forms:

* ``CW: NTR, cheating`` (a colon or dash after the marker), or
* ``[CW NTR, cheating]`` / ``(TW: NTR)`` (the marker just inside a bracket).

Leading markdown decoration (``**``, ``>``, ``#``, ``-#``) is ignored. Labels are split
on commas, semicolons, slashes, ``&``, ``+`` and the word "and".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_DECORATION = re.compile(r"(?:[\s>*_~|]|-#|#{1,3}\s)*")
_SEPARATOR = re.compile(r"\s*[:\-\u2013\u2014]\s*")
_LABEL_SPLIT = re.compile(r"[,;/&+\n]|\band\b", re.IGNORECASE)
_LABEL_TRIM = " \t*_~|`'\"()[]{}.:!?"
_BRACKETS = {"[": "]", "(": ")"}


@dataclass(frozen=True, slots=True)
class CwLine:
    # The warning as content indices (the first non-empty line, or up to its closing bracket);
    # terms inside it are the warning itself.
    start: int
    end: int
    labels: tuple[str, ...]
    # Where another label can be appended (", label") and still be read as one.
    insert_at: int


def first_line_span(content: str) -> tuple[int, int] | None:
    """The first line that is neither empty nor all whitespace."""
    if content[:1] and not content[0].isspace():  # most posts: their first line
        end = content.find("\n")
        return 0, len(content) if end == -1 else end
    start = 0
    while start <= len(content):
        end = content.find("\n", start)
        if end == -1:
            end = len(content)
        if not content[start:end].isspace() and start < end:
            return start, end
        start = end + 1
    return None


def parse_cw_line(content: str, markers: Iterable[str]) -> CwLine | None:
    span = first_line_span(content)
    if span is None:
        return None
    start, end = span
    # Decoration opens with whitespace or markup, never a letter or digit (which most lines open with).
    body = start if content[start].isalnum() else _DECORATION.match(content, start, end).end()
    ordered = _longest_first(tuple(markers))
    if _opens_plainly(content, body, ordered):
        return None
    line = content[start:end]
    body -= start
    bracketed = body < len(line) and line[body] in _BRACKETS
    if bracketed:
        labels = _bracket_labels(line, body, ordered)
    else:
        labels = _colon_labels(line, body, ordered)
    if labels is None:
        return None
    label_start, label_end = labels
    text = line[label_start:label_end]
    parsed = tuple(label for raw in _LABEL_SPLIT.split(text) if (label := raw.strip(_LABEL_TRIM)))
    # "[CW gore] the story..." warns only inside the brackets; the rest of the line is content.
    warning_end = start + label_end + 1 if bracketed else end
    return CwLine(start=start, end=warning_end, labels=parsed, insert_at=start + label_start + len(text.rstrip()))


@lru_cache(maxsize=64)
def _longest_first(markers: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({marker.casefold().strip() for marker in markers if marker.strip()}, key=len, reverse=True))


def _opens_plainly(content: str, body: int, ordered: tuple[str, ...]) -> bool:
    """True when the line opening at ``body`` surely holds no warning: no bracket, and no marker.

    Most posts open that way, and an ASCII head of the line tells it (ASCII case-folds to
    its lower case, a character each) without copying the line or trying each marker.
    """
    head = content[body : body + (len(ordered[0]) if ordered else 0)].lower()
    return head.isascii() and head[:1] not in _BRACKETS and not head.startswith(ordered)


def _marker_end(line: str, at: int, markers: tuple[str, ...]) -> int | None:
    """Where a marker (case-folded, longest first) that starts at ``at`` ends, if one does."""
    for marker in markers:
        end = at + len(marker)
        if line[at:end].casefold() == marker and (end == len(line) or not line[end].isalnum()):
            return end
    return None


def _colon_labels(line: str, body: int, markers: tuple[str, ...]) -> tuple[int, int] | None:
    marker_end = _marker_end(line, body, markers)
    if marker_end is None:
        return None
    separator = _SEPARATOR.match(line, marker_end)
    if separator is None or not separator.group().strip():
        return None  # "CW" must be followed by ":" or "-", so "Tw is great" is not a warning
    return separator.end(), len(line)


def _bracket_labels(line: str, body: int, markers: tuple[str, ...]) -> tuple[int, int] | None:
    inner = body + 1
    while inner < len(line) and line[inner] == " ":
        inner += 1
    marker_end = _marker_end(line, inner, markers)
    if marker_end is None:
        return None
    closing = line.find(_BRACKETS[line[body]], marker_end)
    if closing == -1:
        return None
    separator = re.compile(r"[\s:\-\u2013\u2014]*").match(line, marker_end)
    return separator.end(), closing
