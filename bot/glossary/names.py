"""How names (terms and aliases) are compared, and which of them chat matching may use.

Members type the same word many ways: "NTR", "n.t.r", "Ｎｅｔｏｒａｒｅ", "netoraré",
"shōnen", "shounen", "shonen". Lookup compares a *name key* that ignores case,
full-width forms, Latin accents, spaces and punctuation. Fuzzy matching goes one
step further and folds romaji long vowels, so that the three spellings of shounen
land on the same key.

The chat rule: an alias is matched as a whole word in chat only when it is safe
to do so. A purely Latin alias shorter than ``MIN_CHAT_ALIAS_LETTERS`` letters
("BL", "GL") is too likely to be an ordinary abbreviation, so it is lookup-only
unless its entry sets ``match_short_aliases: true``. Aliases in other scripts
(寝取られ, 百合) carry meaning at any length and are always matchable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.configfile.problems import Path, Problem, format_path

MIN_CHAT_ALIAS_LETTERS = 3

# Macrons, acutes and the like on Latin letters; kana voicing marks (U+3099, U+309A)
# are combining characters too, but removing them would turn が into か.
_LATIN_MARKS = re.compile("[\u0300-\u036f]")
_ROMAJI_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ee", "e"), ("ii", "i"))


def name_key(text: str) -> str:
    """The form two names are compared in: case, width, accents and punctuation ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = unicodedata.normalize("NFC", _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", folded)))
    return "".join(char for char in folded if unicodedata.category(char)[0] in "LN")


def romaji_key(text: str) -> str:
    """``name_key`` with romaji long vowels folded: shounen, shoonen and shōnen all give shonen."""
    key = name_key(text)
    for long, short in _ROMAJI_LONG_VOWELS:
        key = key.replace(long, short)
    return key


def is_lookup_only(alias: str) -> bool:
    """True for a purely Latin alias too short to match safely as a word in chat."""
    key = name_key(alias)
    return key.isascii() and len(key) < MIN_CHAT_ALIAS_LETTERS


@dataclass(frozen=True, slots=True)
class NamedAt:
    """A name as written somewhere: its place (for the problem report) and its owner's id."""

    path: Path
    entry_id: str
    name: str


def name_clashes(names: Iterable[NamedAt]) -> list[Problem]:
    """A problem for every name whose key an earlier name (in any entry) already uses."""
    first_seen: dict[str, NamedAt] = {}
    problems = []
    for named in names:
        key = name_key(named.name)
        if not key:
            problems.append(Problem(named.path, f"'{named.name}' has no letters or digits (entry {named.entry_id})"))
            continue
        earlier = first_seen.setdefault(key, named)
        if earlier is named:
            continue
        owner = "this entry" if earlier.entry_id == named.entry_id else f"entry {earlier.entry_id}"
        problems.append(
            Problem(
                named.path,
                f"'{named.name}' is already a name of {owner} ('{earlier.name}' at {format_path(earlier.path)}); "
                f"case, accents and punctuation do not count (entry {named.entry_id})",
            )
        )
    return problems
