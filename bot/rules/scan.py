"""Cut a skeleton into the candidates the term index looks up, in as few passes as possible.

Every message goes through here, so it is written for CPython's speed: plain ASCII
text (most messages) is handled with ``str.translate`` and ``str.split``, which run
in C, and only other text pays for Unicode-aware regular expressions. Three kinds
of candidate come out, each with stretched letters collapsed (``nnttrr`` -> ``ntr``):

* words: the text split at anything that is not a letter or digit, in order;
* pieces: whitespace-separated chunks with the punctuation inside removed, so that
  ``N.T.R`` and ``net||orare||`` become one candidate;
* letter runs: single letters in a row, as in ``n t r`` or ``nn t rrr``, joined.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from bot.rules.keys import SPACELESS, WORD_CHAR, collapse

_ASCII_WORD = frozenset(string.ascii_lowercase + string.digits)
_ASCII_TO_SPACE = str.maketrans({chr(c): " " for c in range(128) if chr(c) not in _ASCII_WORD})
_ASCII_PUNCTUATION_GONE = str.maketrans(
    {chr(c): None for c in range(128) if chr(c) not in _ASCII_WORD and not chr(c).isspace()}
)
_NOT_WORD = re.compile(f"(?:[\\W_]|[{SPACELESS}])+")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_ASCII_RUNS = re.compile(r" ((?:[a-z0-9] )+[a-z0-9])(?= )")
_RUNS = re.compile(f" ((?:{WORD_CHAR} )+{WORD_CHAR})(?= )")


@dataclass(frozen=True, slots=True)
class Candidates:
    words: list[str]
    pieces: list[str]
    letter_runs: list[str]


def candidates(skeleton: str) -> Candidates:
    if skeleton.isascii():
        words = skeleton.translate(_ASCII_TO_SPACE).split()
        pieces = skeleton.translate(_ASCII_PUNCTUATION_GONE).split()
        squash, runs = collapse_ascii, _ASCII_RUNS
    else:
        words = _NOT_WORD.sub(" ", skeleton).split()
        pieces = _PUNCTUATION.sub("", skeleton).split()
        squash, runs = collapse, _RUNS
    spaced = squash(f" {' '.join(words)} ")
    return Candidates(
        words=spaced.split(),
        pieces=squash(" ".join(pieces)).split(),
        letter_runs=[run.replace(" ", "") for run in runs.findall(spaced)],
    )


def collapse_ascii(text: str) -> str:
    """``collapse`` for ASCII, without a regex: a byte equal to the next one is dropped.

    XOR of the text with itself shifted by one byte is zero exactly where a character
    repeats; big-integer arithmetic finds those places in C.
    """
    raw = text.encode("ascii")
    size = len(raw)
    if size < 2:
        return text
    sentinel = bytes([raw[-1] ^ 1])  # differs from the last byte, so the last character stays
    same = (int.from_bytes(raw, "big") ^ int.from_bytes(raw[1:] + sentinel, "big")).to_bytes(size, "big")
    repeat = same.find(0)
    if repeat == -1:
        return text
    pieces = []
    kept_from = 0
    while repeat != -1:
        pieces.append(text[kept_from:repeat])
        kept_from = repeat + 1
        repeat = same.find(0, kept_from)
    pieces.append(text[kept_from:])
    return "".join(pieces)
