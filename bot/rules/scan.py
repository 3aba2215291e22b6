"""Cut a skeleton into the candidates the term index looks up, in as few passes as possible.

Every message goes through here, so it is written for CPython's speed: plain ASCII
text (most messages) is handled with ``str.translate`` and ``str.split``, which run
in C, and only other text pays for Unicode-aware regular expressions. Three kinds
of candidate come out, each with stretched letters collapsed (``nnttrr`` -> ``ntr``):

* words: the text split at anything that is not a letter or digit, in order;
* pieces: whitespace-separated chunks with the punctuation inside removed, so that
  ``N.T.R`` and ``net||orare||`` become one candidate (left empty for plain text
  with no punctuation between two letters: there the pieces are just the words);
* letter runs: single letters in a row, as in ``n t r`` or ``nn t rrr``, joined.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from bot.rules.keys import SPACELESS, WORD_CHAR

_ASCII_WORD = frozenset(string.ascii_lowercase + string.digits)
_ASCII_TO_SPACE = str.maketrans({chr(c): " " for c in range(128) if chr(c) not in _ASCII_WORD})
_ASCII_PUNCTUATION_GONE = str.maketrans(
    {chr(c): None for c in range(128) if chr(c) not in _ASCII_WORD and not chr(c).isspace()}
)
_NOT_WORD = re.compile(f"(?:[\\W_]|[{SPACELESS}])+")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_ASCII_RUNS = re.compile(r" ((?:[a-z0-9] )+[a-z0-9])(?= )")
# Most text has no chunk with punctuation between two letters or digits (``n.t.r``), and
# then its pieces are its words. A byte class per character ("a" word, " " space, "."
# other) and one search with a literal start tell quickly, in linear time.
_ASCII_CLASSES = bytes(
    ord("a") if chr(c) in _ASCII_WORD else ord(" ") if chr(c).isspace() else ord(".") for c in range(128)
) + b"." * 128
_ASCII_INNER_PUNCTUATION = re.compile(rb"a\.+a")
_RUNS = re.compile(f" ((?:{WORD_CHAR} )+{WORD_CHAR})(?= )")


@dataclass(frozen=True, slots=True)
class Candidates:
    words: list[str]
    pieces: list[str]
    letter_runs: list[str]


def candidates(skeleton: str, latin_keys_only: bool = False) -> Candidates:
    """The candidates in ``skeleton``.

    ``latin_keys_only`` says no word key has a character beyond ASCII; then any other
    character can only separate words, and text with an emoji or a Japanese phrase
    still takes the fast path (each such character becomes one ``?``, a separator).
    """
    if latin_keys_only and not skeleton.isascii():
        skeleton = skeleton.encode("ascii", "replace").decode("ascii")
    if skeleton.isascii():
        words = skeleton.translate(_ASCII_TO_SPACE).split()
        joined = _ASCII_INNER_PUNCTUATION.search(skeleton.encode("ascii").translate(_ASCII_CLASSES)) is not None
        pieces = skeleton.translate(_ASCII_PUNCTUATION_GONE).split() if joined else []
        runs = _ASCII_RUNS
    else:
        words = _NOT_WORD.sub(" ", skeleton).split()
        pieces = _PUNCTUATION.sub("", skeleton).split()
        runs = _RUNS
    # Collapsed once the separators are single spaces: a run of them (or of the ``?`` standing
    # for Japanese text) would cost the collapse a step per character.
    spaced = collapse_repeats(f" {' '.join(words)} ")
    return Candidates(
        words=spaced.split(),
        pieces=collapse_repeats(" ".join(pieces)).split() if pieces else [],
        letter_runs=[run.replace(" ", "") for run in runs.findall(spaced)],
    )


def collapse_repeats(text: str) -> str:
    """Drop every character equal to the one after it (``nnttrr`` -> ``ntr``), without a regex.

    XOR of the encoded text with itself shifted by one character is zero exactly
    where a character repeats; big-integer arithmetic finds those places in C. ASCII
    is encoded one byte a character, anything else four (UTF-32).
    """
    width = 1 if text.isascii() else 4
    raw = text.encode("ascii") if width == 1 else text.encode("utf-32-be", "surrogatepass")
    if len(raw) < 2 * width:
        return text
    sentinel = bytes(byte ^ 1 for byte in raw[-width:])  # differs from the last character, which stays
    same = (int.from_bytes(raw, "big") ^ int.from_bytes(raw[width:] + sentinel, "big")).to_bytes(len(raw), "big")
    zero = bytes(width)
    pieces = []
    kept_from = 0
    found = same.find(zero)
    while found != -1:
        if found % width:  # a run of zero bytes across two characters, not one whole character
            found = same.find(zero, found + 1)
            continue
        index = found // width
        pieces.append(text[kept_from:index])
        kept_from = index + 1
        found = same.find(zero, found + width)
    pieces.append(text[kept_from:])
    return "".join(pieces)
