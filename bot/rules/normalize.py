"""Fold a message into the text the matcher reads, remembering where every character came from.

Members dodge word filters with capitals, fullwidth or mathematical letters (NFKC
undoes those), accents, zero-width characters, look-alike letters from Cyrillic or
Greek, and leetspeak. We undo all of them, but a finding must still point at the
member's own characters, so ``origin`` maps each folded character back to its index
in the original string. Plain ASCII (most messages) takes a fast path that keeps
indices unchanged.

Two views come out, both the same length:

* ``folded``: case-folded, NFKC, accents and invisible characters gone, look-alikes
  mapped to Latin letters. Moderator patterns run over this.
* ``skeleton``: ``folded`` with leetspeak digits and symbols read as letters (and
  ``l`` read as ``i``, since ``1``, ``l`` and ``I`` stand in for each other). Terms
  are matched against this.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Characters that survive case folding and NFKC unchanged and need no look-alike
# mapping: ASCII (lowered separately) and the common CJK, kana and Hangul blocks.
# Everything else goes through ``fold_char`` one character at a time.
_NEEDS_FOLDING = re.compile(
    "[^\x00-\x7f\u3001\u3002\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe\u4e00-\u9fff\uac00-\ud7a3]"
)

# Blank-looking letters members use as invisible padding; Unicode files them as letters.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")

# Letters from other scripts that look like Latin ones (after case folding), as pairs
# of strings: each character of the first reads as the one below it in the second.
_LOOKALIKES = str.maketrans(
    # Cyrillic
    "авеёкмнорстухѕіїјһԁԛԝոпгь"
    # Greek
    "αβεηικνορτυχμςω"
    # Latin letters NFKD does not take apart, and small capitals
    "ıłøđħŧƀɨᴀʙᴄᴅᴇғɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ",
    "abeekmhopctyxsiijhdqwnnrb"
    "abenikvoptuxusw"
    "ilodhtbiabcdefghijklmnoprstuvwyz",
)
# Capitals whose lower case no longer looks Latin (Greek Ν folds to ν, which looks like v).
_CAPITAL_LOOKALIKES = str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧВМН", "abezhikmnoptyxbmh")
# Letter-shaped emoji with no compatibility mapping, each block running A to Z: squared,
# negative circled, negative squared (🅽🆃🆁) and regional indicators (🇳🇹🇷).
_EMOJI_ALPHABETS = (0x1F130, 0x1F150, 0x1F170, 0x1F1E6)

# Leetspeak and the l/I/1 confusion. Same length in and out, so offsets hold. A table for
# UTF-8 bytes: every byte of a non-ASCII character is 0x80 or above, so it leaves them
# alone, and bytes.translate (with the encoding both ways) is about five times quicker
# than str.translate, on plain ASCII too.
_LEET_BYTES = bytes.maketrans(b"0134578@$9l", b"oieastbasgi")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    folded: str
    skeleton: str
    # origin[i] is the index in the original string of folded[i]; None means "the same index".
    origin: Sequence[int] | None

    def original_index(self, index: int) -> int:
        return index if self.origin is None else self.origin[index]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of original characters that produced folded[start:end] (end exclusive)."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def fold_char(char: str) -> str:
    """One character as the matcher should read it; empty for invisible characters."""
    if char in _INVISIBLE_LETTERS or unicodedata.category(char) in ("Cf", "Mn", "Me", "Cc", "Cs"):
        return ""
    code = ord(char)
    for first in _EMOJI_ALPHABETS:
        if first <= code < first + 26:
            return chr(ord("a") + code - first)
    text = unicodedata.normalize("NFKC", char).translate(_CAPITAL_LOOKALIKES).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    # Strip accents from alphabetic scripts only: on kana the marks change the letter.
    if decomposed and decomposed[0] < "\u0530":
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in text.translate(_LOOKALIKES) if unicodedata.category(c) not in ("Cf", "Mn"))


def _skeleton(folded: str) -> str:
    return folded.encode("utf-8", "surrogatepass").translate(_LEET_BYTES).decode("utf-8", "surrogatepass")


def normalize(text: str) -> NormalizedText:
    if text.isascii():
        folded = text.lower()
        return NormalizedText(folded, _skeleton(folded), None)
    # Fold each distinct character once; when every one folds to exactly one
    # character (accents, look-alikes, emoji), indices do not move and no map is needed.
    folding: dict[str, str] = {}

    def fold(special: re.Match[str]) -> str:
        char = special.group()
        replacement = folding.get(char)
        if replacement is None:
            replacement = folding[char] = fold_char(char)
        return replacement

    folded = _NEEDS_FOLDING.sub(fold, text).lower()
    if len(folded) == len(text) and all(len(replacement) == 1 for replacement in folding.values()):
        return NormalizedText(folded, _skeleton(folded), None)
    pieces: list[str] = []
    origin: list[int] = []
    position = 0
    for special in _NEEDS_FOLDING.finditer(text):
        index = special.start()
        if index > position:
            pieces.append(text[position:index].lower())
            origin.extend(range(position, index))
        replacement = folding[special.group()]
        if replacement:
            pieces.append(replacement)
            origin.extend([index] * len(replacement))
        position = index + 1
    pieces.append(text[position:].lower())
    origin.extend(range(position, len(text)))
    folded = "".join(pieces)
    return NormalizedText(folded, _skeleton(folded), origin)
