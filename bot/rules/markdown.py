"""Which characters of a Discord message sit behind a spoiler, following Discord's markdown.

The rules we follow (they decide whether a member complied, so they are exact):

* ``||text||`` hides ``text``, also across lines; at least one character must sit
  between the markers, and a ``||`` with no partner later on hides nothing.
* Code (a run of N backticks closed by the next run of exactly N) is visible, and
  everything inside it is literal: a ``||`` there is not a marker.
* A backslash before ASCII punctuation makes that character literal, so ``\\|\\|`` is
  not a marker. Inside code a backslash is just a backslash.
* A spoiler may contain code; the code inside is hidden with the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.rules.spans import span_at

# One of: an escape (backslash + ASCII punctuation), a backtick run, a pipe pair.
_EVENT = re.compile(r"\\[!-/:-@\[-`{-~]|`+|\|\|")
_BACKTICKS = re.compile(r"`+")
_MARKER = "||"


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the spoilers, code and markup characters of one message are."""

    # Hidden text of each spoiler, markers excluded: (start, end) in content indices.
    hidden: tuple[tuple[int, int], ...]
    # Each spoiler with its two markers: (start of opening ||, end of closing ||).
    spoilers: tuple[tuple[int, int], ...]
    # Each code span or block with its backticks.
    code: tuple[tuple[int, int], ...]
    # Start index of every ``||`` that really opens or closes a spoiler.
    markers: tuple[int, ...]
    # Index of every character made literal by a backslash before it.
    escaped: frozenset[int]

    def is_hidden(self, index: int) -> bool:
        return span_at(self.hidden, index) is not None

    def in_code(self, index: int) -> bool:
        return span_at(self.code, index) is not None

    def literal_pipes(self, content: str) -> list[int]:
        """Pipes that render as ``|``: outside code, not escaped, not part of a marker."""
        marker_chars = {i for start in self.markers for i in (start, start + 1)}
        pipes = []
        index = content.find("|")
        while index != -1:
            if index not in marker_chars and index not in self.escaped and not self.in_code(index):
                pipes.append(index)
            index = content.find("|", index + 1)
        return pipes


_PLAIN = Layout(hidden=(), spoilers=(), code=(), markers=(), escaped=frozenset())


def parse_layout(content: str) -> Layout:
    if "|" not in content and "`" not in content and "\\" not in content:
        return _PLAIN  # no marker, code or escape can start without one of these
    code: list[tuple[int, int]] = []
    pipes: list[int] = []
    escaped: set[int] = set()
    position = 0
    while (event := _EVENT.search(content, position)) is not None:
        token = event.group()
        position = event.end()
        if token[0] == "\\":
            escaped.add(event.start() + 1)
        elif token[0] == "`":
            close = _closing_backticks(content, position, len(token))
            if close is not None:
                code.append((event.start(), close))
                position = close
        else:
            pipes.append(event.start())
    spoilers = _pair_markers(pipes)
    return Layout(
        hidden=tuple((start + 2, end - 2) for start, end in spoilers),
        spoilers=tuple(spoilers),
        code=tuple(code),
        markers=tuple(index for span in spoilers for index in (span[0], span[1] - 2)),
        escaped=frozenset(escaped),
    )


def _closing_backticks(content: str, start: int, length: int) -> int | None:
    """End of the next run of exactly ``length`` backticks, or None when code is left open."""
    for run in _BACKTICKS.finditer(content, start):
        if len(run.group()) == length:
            return run.end()
    return None


def _pair_markers(pipes: list[int]) -> list[tuple[int, int]]:
    spoilers = []
    index = 0
    while index < len(pipes):
        opening = pipes[index]
        closing = index + 1
        # Discord needs at least one character between the markers.
        while closing < len(pipes) and pipes[closing] < opening + len(_MARKER) + 1:
            closing += 1
        if closing == len(pipes):
            break  # unclosed: the rest is literal
        spoilers.append((opening, pipes[closing] + len(_MARKER)))
        index = closing + 1
    return spoilers
