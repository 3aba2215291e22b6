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
_NONZERO_TO_FF = bytes([0]) + bytes([0xFF]) * 255
_DOT_TO_SPACE = bytes(ord(" ") if c == ord(".") else c for c in range(256))
_ASCII_WORD_OR_SPACE = bytes(c if chr(c) in _ASCII_WORD else ord(" ") for c in range(256))
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
    replaced = latin_keys_only and not skeleton.isascii()
    if replaced:
        skeleton = skeleton.encode("ascii", "replace").decode("ascii")
    if skeleton.isascii():
        # In bytes, where translating and collapsing are a few C calls whatever the text.
        raw = skeleton.encode("ascii")
        separated = raw.translate(_ASCII_WORD_OR_SPACE)
        if replaced:  # text in other scripts is mostly "?": shrink its separators before collapsing
            separated = b" ".join(separated.split())
        spaced = _collapse_ascii(b" " + separated + b" ").decode("ascii")
        pieces = skeleton.translate(_ASCII_PUNCTUATION_GONE).split() if _inner_punctuation(raw) else []
        runs = _ASCII_RUNS
    else:
        # Collapsed once the separators are single spaces: a run of them (or of the ``?`` standing
        # for Japanese text) would cost the collapse a step per character.
        spaced = collapse_repeats(f" {' '.join(_NOT_WORD.sub(' ', skeleton).split())} ")
        pieces = _PUNCTUATION.sub("", skeleton).split()
        runs = _RUNS
    return Candidates(
        words=spaced.split(),
        pieces=collapse_repeats(" ".join(pieces)).split() if pieces else [],
        letter_runs=[run.replace(" ", "") for run in runs.findall(spaced)],
    )


def _inner_punctuation(raw: bytes) -> bool:
    """Whether ASCII text has punctuation between two letters or digits (``n.t.r``, ``i'd``)."""
    classes = b" " + raw.translate(_ASCII_CLASSES)  # "a" word, " " space, "." other
    if b"a." not in classes or b".a" not in classes:
        return False  # most text in other scripts ("?" each character) ends here
    # Runs of letters and digits, counted by where each starts: deleting the punctuation
    # merges two runs exactly when punctuation stood between them. A few passes in C.
    return classes.translate(None, b".").count(b" a") < classes.translate(_DOT_TO_SPACE).count(b" a")


def _collapse_ascii(raw: bytes) -> bytes:
    """``collapse_repeats`` for ASCII bytes with no NUL, in a fixed number of C calls.

    XOR with the text shifted by one byte is zero where a byte equals the next one;
    translated to a mask (0x00 there, 0xff elsewhere) and ANDed with the text, it
    turns those bytes into NULs, which are then deleted.
    """
    size = len(raw)
    if size < 2:
        return raw
    text = int.from_bytes(raw, "big")
    following = int.from_bytes(raw[1:] + bytes([raw[-1] ^ 1]), "big")  # the last byte always stays
    keep = int.from_bytes((text ^ following).to_bytes(size, "big").translate(_NONZERO_TO_FF), "big")
    return (text & keep).to_bytes(size, "big").translate(None, b"\x00")


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
