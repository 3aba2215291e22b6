"""A quick test that a message cannot name any term, so that clean messages skip the full reading.

Almost every message in a channel is clean, and for those the full reading (cutting
candidates out of the text, then looking them up) is wasted work. For plain ASCII
text, which most messages are, one ``bytes.translate`` and one RE2 pass can prove
that nothing would be found. Other text is normalized first (emoji, curly quotes and
accents are common in chat) and then tested the same way. A "no" from here is
final; a "maybe" sends the message on to the full reading, which has the last word.

The reading comes from ``normalize`` itself: each ASCII character stands for the
letter the matcher reads it as (case and leetspeak undone), a space if it is
whitespace, or ``.`` for any other separator (``SYMBOLS``). The RE2 set matches
each of those symbols as the class of bytes read as it (``n`` is ``[Nn]``, ``a`` is
``[4@Aa]``), so it runs on the message's own bytes: translating them first cost
as much again as the search. Over text read that way, a term's key can only be
found in one of three shapes, and the RE2 set looks for all three at once:

* the key's letters with only punctuation between them, each letter perhaps stretched
  (``ntr``, ``N.T.R``, ``nnttrr``, ``net||orare``), starting and ending at a word
  boundary. This is every place ``index._locate`` accepts that holds no whitespace;
* the key spelled out in single-letter words (``n t r``, ``N. T. R``, ``nn t rr``):
  every place it accepts that does hold whitespace is made of single-letter words.
  Those are rare in chat, so only the first few letters are looked for;
* for a key of several words, those words in a row, each perhaps stretched, as the
  scan's word list must hold them before the key is looked for at all.

A very large policy would make the RE2 program slow to build, so past a budget the
keys are cut short and only their beginnings are looked for: a weaker test, still sound.

Where the compiled module ``_warden_speedups`` is installed, the same three shapes run
as a table-driven automaton instead (``term_dfa``): same answers, about a quarter of the cost
on a typical post. A policy too large for it keeps the RE2 set.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import re2

from bot.rules.keys import WORD, has_spaceless_script
from bot.rules.native import native_available
from bot.rules.normalize import NormalizedText, normalize
from bot.rules.term_dfa import build_term_dfa

_WHITESPACE = re.compile(r"\s")  # what the scan and the locator treat as whitespace


def _symbol(char: str) -> str:
    read = normalize(char).skeleton
    if WORD.fullmatch(read):
        return read
    return " " if _WHITESPACE.match(char) else "."


# ASCII as the prefilter reads it: one symbol for each character, so one translate does it all.
SYMBOLS = bytes(ord(_symbol(chr(code))) if code < 128 else ord(".") for code in range(256))
LETTERS = frozenset(chr(symbol) for symbol in SYMBOLS if chr(symbol) not in " .")
_KEY_CHARACTERS = LETTERS | {" "}  # a key with anything else cannot stand in ASCII text


def _byte_class(symbols: str) -> str:
    """The RE2 class of every byte read as one of ``symbols`` (patterns are Latin-1, so ``\\xNN`` is byte NN)."""
    return "[" + "".join(f"\\x{code:02x}" for code in range(256) if chr(SYMBOLS[code]) in symbols) + "]"


_CLASS = {symbol: _byte_class(symbol) for symbol in sorted(LETTERS | {" ", "."})}
_THROUGH = {letter: _byte_class(letter + ".") for letter in LETTERS}  # the letter, or punctuation
_GAP = _byte_class(" .")  # a space or any other separator
_START = f"(?:^|{_GAP})"
_END = f"(?:{_GAP}|$)"
# Trie nodes past which keys are cut short; RE2 takes about 0.6 s to build a program this size.
NODE_BUDGET = 20_000
# RE2's memory budget for the terms program: each letter is a class of bytes, so a program of
# NODE_BUDGET letters needs more than RE2's default 8 MiB. One that still does not fit is cut shorter.
TERMS_MAX_MEM = 32 << 20
SPELLED_OUT_DEPTH = 4  # letters of a key spelled out in single-letter words that are looked for
_FULL = " end"  # marks where a key ends in a trie; longer than any letter, so never one


@dataclass(frozen=True, slots=True)
class Prefilter:
    """Answers True only when the full reading would find nothing in the message."""

    terms: re2.Set | None  # None: no key could stand in ASCII text, or ``dfa`` looks for them
    patterns: re2.Set | None  # the moderators' patterns, over the case-folded text
    every_key_ascii: bool  # else text beyond ASCII could hold a key the term test does not know
    spaceless_keys: bool
    dfa: object | None = None  # the compiled ``_warden_speedups.Dfa`` of the same shapes as ``terms``
    # The term test as one call, truthy when a key may stand in the bytes given: the automaton's
    # ``could_match``, else ``terms.Match`` without google-re2's Python wrapper (a sixth of a clean
    # post's check), which returns a list, empty when nothing matched.
    _match_terms: Callable[[bytes], object] | None = None
    # ``rules_out`` as one call: the automaton's own, in C, when no moderator pattern needs RE2.
    clean_test: Callable[[str], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.dfa is not None:
            object.__setattr__(self, "_match_terms", self.dfa.could_match)
        elif self.terms is not None:
            object.__setattr__(self, "_match_terms", getattr(self.terms, "_set", self.terms).Match)
        fast = self.dfa is not None and self.patterns is None
        object.__setattr__(self, "clean_test", self.dfa.rules_out if fast else self.rules_out)

    def rules_out(self, content: str) -> bool:
        """For plain ASCII ``content``, before it is even normalized; False for anything else."""
        if not content.isascii():
            return False
        if self._match_terms is not None and self._match_terms(content.encode("ascii")):
            return False
        return self.patterns is None or self.patterns.Match(content.lower()) is None

    def rules_out_normalized(self, text: NormalizedText) -> bool:
        """For any text once normalized: the scan reads every character beyond ASCII as a separator.

        That holds while every word key is ASCII; a spaceless key (``寝取られ``) is only
        looked for in text that has characters of its script, so such text is read in full.
        """
        if not self.every_key_ascii or (self.spaceless_keys and has_spaceless_script(text.folded)):
            return False
        if self._match_terms is not None and self._match_terms(text.skeleton.encode("ascii", "replace")):
            return False
        return self.patterns is None or self.patterns.Match(text.folded) is None


def build_prefilter(
    keys: Iterable[str],
    patterns: Iterable[str],
    *,
    spaceless_keys: bool,
    node_budget: int = NODE_BUDGET,
    automaton: bool = True,
) -> Prefilter | None:
    """The prefilter for these word keys and moderator patterns; None when RE2 cannot build it.

    The term test is the compiled automaton where it is installed and the policy fits
    it, else RE2; ``automaton=False`` asks for RE2 (the tests hold the two to one answer).
    """
    keys = list(keys)
    usable = [key for key in keys if key and _KEY_CHARACTERS.issuperset(key)]
    single_keys = [key for key in usable if " " not in key]
    multi_keys = [key for key in usable if " " in key]
    dfa = None
    if automaton and native_available():
        tables = build_term_dfa(single_keys, multi_keys, SYMBOLS, spelled_out_depth=SPELLED_OUT_DEPTH)
        dfa = tables.compiled() if tables is not None else None
    try:
        return Prefilter(
            terms=None if dfa is not None else _terms_set(_trie(single_keys), _trie(multi_keys), node_budget),
            dfa=dfa,
            patterns=_compiled_set(patterns, case_sensitive=False),
            every_key_ascii=len(usable) == len(keys),
            spaceless_keys=spaceless_keys,
        )
    except re2.error:
        return None


def _terms_set(single: dict, multi: dict, node_budget: int) -> re2.Set | None:
    """The RE2 set of the three shapes, cut to fit RE2's memory: a quarter of the budget each retry."""
    while True:
        depth = _depth_within_budget(node_budget, single, multi)
        shapes = []
        if single:
            shapes.append(_START + _alternatives(single, depth, _through_punctuation, _END))
            shapes.append(_START + _alternatives(single, min(depth, SPELLED_OUT_DEPTH), _as_single_letter_words, ""))
        if multi:
            shapes.append(_START + _alternatives(multi, depth, _word_by_word, _END))
        try:
            return _compiled_set(shapes, case_sensitive=True, latin1=True)
        except re2.error:
            if depth <= 1:
                raise
            node_budget //= 4


def _through_punctuation(letter: str) -> str:
    return f"{_CLASS[letter]}{_THROUGH[letter]}*"  # n, nnn, n.n


def _as_single_letter_words(letter: str) -> str:
    # n, nn n, then the gap before the next letter's word
    return f"{_CLASS[letter]}+(?:{_GAP}+{_CLASS[letter]}+)*(?:{_GAP}+|$)"


def _word_by_word(letter: str) -> str:
    return f"{_GAP}+" if letter == " " else f"{_CLASS[letter]}+"


def _compiled_set(regexes: Iterable[str], case_sensitive: bool, latin1: bool = False) -> re2.Set | None:
    options = re2.Options()
    options.case_sensitive = case_sensitive
    options.log_errors = False
    if latin1:  # the terms program: byte classes, over text already known to be ASCII
        options.encoding = re2.Options.Encoding.LATIN1
        options.max_mem = TERMS_MAX_MEM
    compiled = re2.Set.SearchSet(options)
    added = [compiled.Add(regex) for regex in regexes]
    if not added:
        return None
    compiled.Compile()
    return compiled


def _trie(keys: Iterable[str]) -> dict:
    root: dict = {}
    for key in keys:
        node = root
        for letter in key:
            node = node.setdefault(letter, {})
        node[_FULL] = {}
    return root


def _depth_within_budget(budget: int, *tries: dict) -> int:
    """The deepest cut that keeps the tries' nodes (letters) within ``budget``."""
    level = [child for trie in tries for letter, child in trie.items() if letter != _FULL]
    depth = total = 0
    while level and total + len(level) <= budget:
        depth += 1
        total += len(level)
        level = [child for node in level for letter, child in node.items() if letter != _FULL]
    return depth


def _alternatives(node: dict, depth: int, letter_pattern: Callable[[str], str], end: str) -> str:
    """The regex for the keys below ``node``, cut ``depth`` letters down; a cut key accepts whatever follows."""
    children = sorted(letter for letter in node if letter != _FULL)
    if depth == 0 and children:
        return ""
    options = [
        letter_pattern(letter) + _alternatives(node[letter], depth - 1, letter_pattern, end) for letter in children
    ]
    if _FULL in node:
        options.append(end)
    return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
