"""Rewrite a flagged message so that it passes.

Two remedies, used as the channel demands:

* wrap the offending lines in one spoiler each. A wrapped range always covers whole
  lines and never cuts a code span or an existing spoiler in two: it grows until it
  holds them entirely, and the spoiler markers already inside it are dropped, since
  the new spoiler hides that text anyway;
* add the missing labels to the content-warning line, or open the message with one.

Pipes that render as ``|`` are escaped (``\\|``) so they cannot pair with the new
markers. The engine checks the result and falls back to wrapping the whole message
when the line-by-line rewrite does not pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.rules.cwline import CwLine
from bot.rules.markdown import Layout
from bot.rules.spans import Span, merge_spans, span_at

_LINE_PREFIX = re.compile(r"(?:>>> |> |[-*+] |\d+[.)] |#{1,3} |-# )*")
_LABEL_UNSAFE = re.compile(r"[,;/&+\n\]\)]|\band\b", re.IGNORECASE)


def wrap_lines(content: str, layout: Layout, spans: Iterable[tuple[int, int]]) -> str:
    """Wrap every line holding one of ``spans`` in a spoiler."""
    # Code and spoilers must not be cut: each is one unit a range takes whole or leaves.
    units = merge_spans((*layout.code, *layout.spoilers))
    ranges = merge_spans(_stable_range(content, units, start, end) for start, end in spans)
    return _rewrite(content, layout, [_trimmed(content, start, end) for start, end in ranges])


def wrap_body(content: str, layout: Layout, cw: CwLine | None) -> str:
    """Wrap everything after the content-warning line (or the whole message) in one spoiler."""
    start = cw.end if cw is not None else 0
    trimmed = _trimmed(content, start, len(content))
    return _rewrite(content, layout, [trimmed] if trimmed[0] < trimmed[1] else [])


def add_labels(content: str, cw: CwLine | None, labels: Sequence[str], marker: str) -> str:
    """Name ``labels`` in the content warning, adding the warning line when there is none."""
    safe = [" ".join(_LABEL_UNSAFE.sub(" ", label).split()) for label in labels]
    if cw is None:
        heading = marker.upper() if len(marker) <= 3 else marker.capitalize()
        return f"{heading}: {', '.join(safe)}\n{content}"
    separator = ", " if cw.labels else " "
    return content[: cw.insert_at] + separator + ", ".join(safe) + content[cw.insert_at :]


def _stable_range(content: str, units: list[Span], start: int, end: int) -> Span:
    """Whole lines around ``[start, end)``, grown until no unit crosses either edge."""
    while True:
        start = content.rfind("\n", 0, start) + 1
        newline = content.find("\n", max(start, end - 1) if end > start else start)
        end = len(content) if newline == -1 else newline
        grown = (start, end)
        if (unit := span_at(units, start)) is not None:
            start = unit[0]
        if end > 0 and (unit := span_at(units, end - 1)) is not None:
            end = max(end, unit[1])
        if (start, end) == grown:
            return grown


def _trimmed(content: str, start: int, end: int) -> tuple[int, int]:
    while start < end and content[start].isspace():
        start += 1
    while end > start and content[end - 1].isspace():
        end -= 1
    line_start = content.rfind("\n", 0, start) + 1
    if not content[line_start:start].strip():
        # Keep a quote, list or heading marker outside, or the spoiler would swallow it.
        after_prefix = _LINE_PREFIX.match(content, start, end).end()
        if after_prefix < end:
            start = after_prefix
    return start, end


def _rewrite(content: str, layout: Layout, ranges: list[tuple[int, int]]) -> str:
    """Insert ``||`` around each range, drop the markers inside it, escape literal pipes."""
    inserts: dict[int, str] = {}
    for start, end in ranges:
        inserts[start] = inserts.get(start, "") + "||"
        # A backslash just before the closing marker would escape it.
        closing = " ||" if content[end - 1] == "\\" else "||"
        inserts[end] = closing + inserts.get(end, "")
    dropped = {
        index for marker in layout.markers if span_at(ranges, marker) is not None for index in (marker, marker + 1)
    }
    escaped = set(layout.literal_pipes(content))
    edits = sorted({*inserts, *dropped, *escaped})
    pieces = []
    previous = 0
    for index in edits:
        pieces.append(content[previous:index])
        pieces.append(inserts.get(index, ""))
        if index < len(content):
            pieces.append("" if index in dropped else "\\|" if index in escaped else content[index])
        previous = index + 1
    pieces.append(content[previous:])
    return "".join(pieces)
