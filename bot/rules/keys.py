"""Turn a term, a label or a stretch of text into the key the index is looked up by.

A key is the skeleton (see ``normalize``) with runs of a repeated letter collapsed
to one, so ``nnttrr`` and ``ntr`` meet, applied the same way to terms and to text.
Latin-script (space-separated) terms become word keys matched whole; a term with
characters from a script written without spaces (Chinese, Japanese, Korean, Thai)
becomes a substring key.
"""

from __future__ import annotations

import re

from bot.rules.normalize import normalize

# Scripts written without spaces between words; their characters never join a Latin word.
SPACELESS = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# The same scripts as (first, last) code points, for the compiled reading (bot.rules.native).
SPACELESS_RANGES = tuple((ord(SPACELESS[i]), ord(SPACELESS[i + 2])) for i in range(0, len(SPACELESS), 3))
# A character of a space-separated word: a letter or digit, not underscore, not spaceless.
WORD_CHAR = f"[^\\W_{SPACELESS}]"
WORD = re.compile(f"{WORD_CHAR}+")
_SPACELESS_CHAR = re.compile(f"[{SPACELESS}]")
_REPEATS = re.compile(r"(\w)\1+")
# Spacing and ASCII markup (spoiler bars, asterisks) cannot split a spaceless term; Japanese punctuation can.
SPACELESS_GAP = re.compile(r"[\s!-/:-@\[-`{-~]+")


def collapse(text: str) -> str:
    """Collapse stretched letters: ``ntrrrr`` -> ``ntr``."""
    return _REPEATS.sub(r"\1", text)


def has_spaceless_script(text: str) -> bool:
    return _SPACELESS_CHAR.search(text) is not None


def word_key(text: str) -> str:
    """The key of a Latin-script term or label: its words joined by single spaces.

    A name spelled in single letters (``N.T.R``, ``n t r``) is one word, ``ntr``.
    """
    words = [collapse(word) for word in WORD.findall(normalize(text).skeleton)]
    if words and all(len(word) == 1 for word in words):
        return collapse("".join(words))
    return " ".join(words)


def spaceless_key(text: str) -> str:
    """The key of a term written in a script without spaces: folded, spacing and ASCII markup removed."""
    return SPACELESS_GAP.sub("", normalize(text).folded)


def plural_forms(key: str) -> tuple[str, ...]:
    """``key`` and its plural spellings (possessives split at the apostrophe already match)."""
    return (key, collapse(key + "s"), collapse(key + "es"))


def label_keys(label: str) -> set[str]:
    """Every key a content-warning label could match: the whole label and each word."""
    key = word_key(label)
    keys = {key, key.replace(" ", "")} | set(key.split())
    if has_spaceless_script(label):
        keys.add(spaceless_key(label))
    keys.discard("")
    return keys
