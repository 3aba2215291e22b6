"""The compiled term index: find every sensitive term in a normalized message.

Speed comes from never scanning once per term. ``scan`` cuts the message into
candidates (words, punctuation-joined pieces, runs of single letters) in a few
C-speed passes, and the candidates are looked up in a dict of term keys, so the
cost depends on the message, not on how many terms the policy has. Only the keys
found that way are then located, one small regex each, to get their offsets.

Terms in scripts written without spaces (``寝取られ``) are found as substrings by an
Aho-Corasick automaton, over the text with spacing and ASCII markup removed.
Moderator patterns run last, in RE2. The index is immutable and shared, and so is
its ``prefilter``, which proves most clean messages clean before any of this runs.

Where the compiled module is installed and every word key is ASCII, the scan, the
lookup and the locating run in one pass in C (``finder``, native/key_finder.c), and
so does the search for ASCII allowed phrases; each reads a text as this module does
(in linear time, where a regex can take quadratic), and the Python below is their
reference.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import ahocorasick

from bot.rules.keys import (
    SPACELESS,
    SPACELESS_GAP,
    SPACELESS_RANGES,
    WORD,
    WORD_CHAR,
    collapse,
    has_spaceless_script,
    plural_forms,
    spaceless_key,
    word_key,
)
from bot.rules.model import Pattern, Term
from bot.rules.native import speedups
from bot.rules.normalize import NormalizedText
from bot.rules.patterns import compile_pattern
from bot.rules.prefilter import Prefilter, build_prefilter
from bot.rules.scan import Candidates, candidates
from bot.rules.spans import merge_spans, span_at

_WORD_GAP = f"(?:[\\W_]|[{SPACELESS}])+"
# How far from a hit an allowed phrase around it may reach (phrases are at most 100 characters).
_ALLOW_REACH = 250
_HAS_SPACE = re.compile(r"\s")
_LETTER_GAP = r"[\W_]{0,10}"  # bounded, so a long run of punctuation cannot make the search slow


def category_id(name: str) -> str:
    """Categories compare case-insensitively with spaces tidied: ``NTR`` is ``ntr``."""
    return " ".join(name.casefold().split())


class TermRef(NamedTuple):  # hashed for every hit: a tuple's hash runs in C
    name: str
    category: str


class Hit(NamedTuple):
    """A term found at ``[start, end)`` of the normalized text (not yet original offsets).

    A named tuple rather than a frozen dataclass: a flagged post makes dozens, and a
    tuple is built three times faster.
    """

    start: int
    end: int
    term: TermRef


@dataclass(frozen=True, slots=True, weakref_slot=True)
class TermIndex:
    words: Mapping[str, tuple[TermRef, ...]]
    first_words: frozenset[str]
    max_words: int
    max_key_length: int
    latin_keys_only: bool
    spaceless: ahocorasick.Automaton | None
    patterns: tuple[tuple[TermRef, object], ...]
    allow_words: re.Pattern[str] | None
    # Each allowed phrase as the words it needs (collapsed; the last with its plural endings):
    # a phrase can only stand in text whose scanned words and pieces hold all of them (or
    # that has a run of single letters), so most text skips the search. None when a phrase
    # has a word beyond ASCII: the scan may read such a word as separators (see
    # ``scan.candidates``), so the search always runs.
    allow_phrase_words: tuple[tuple[frozenset[str], ...], ...] | None
    allow_spaceless: tuple[str, ...]
    # Category -> the label keys that cover it in a content warning.
    coverage: Mapping[str, frozenset[str]]
    # Proves most clean messages clean without a full reading; None when it could not be built.
    prefilter: Prefilter | None
    # The word keys' reading in C (``_warden_speedups.KeyFinder``): the same hits as the
    # scan, lookup and locate below, and whether a phrase could stand; None without it.
    finder: object | None = None

    def find(self, text: NormalizedText) -> list[Hit]:
        phrase_possible: bool | None = None  # worked out when there are hits to check
        if self.finder is not None:
            hits, phrase_possible = self.finder.find(text.skeleton)
        else:
            scanned = candidates(text.skeleton, self.latin_keys_only)
            hits = []
            for key in self._keys_present(scanned):
                # Only keys already known to be in the message are located, one regex each.
                for start, end in _locate(key, text.skeleton):
                    hits.extend(Hit(start, end, term) for term in self.words[key])
        if self.spaceless is not None and not text.folded.isascii():
            hits.extend(self._spaceless_hits(text.folded))
        for term, compiled in self.patterns:
            for match in compiled.finditer(text.folded):
                if match.end() > match.start():
                    hits.append(Hit(match.start(), match.end(), term))
        if hits:
            if phrase_possible is None:
                phrase_possible = self._may_hold_a_phrase(scanned)
            hits = _outermost(self._not_allowed(hits, text, phrase_possible))
        return hits

    def _keys_present(self, found: Candidates) -> set[str]:
        keys = self.words.keys()
        present = (keys & found.words) | (keys & found.pieces)
        if self.first_words and not self.first_words.isdisjoint(found.words):
            present |= self._multi_word_keys(found.words)
        for run in found.letter_runs:
            present |= self._letter_run_keys(run)
        return present

    def _multi_word_keys(self, words: list[str]) -> set[str]:
        present = set()
        for index, word in enumerate(words):
            if word in self.first_words:
                joined = word
                for later in words[index + 1 : index + self.max_words]:
                    joined = f"{joined} {later}"
                    if joined in self.words:
                        present.add(joined)
        return present

    def _letter_run_keys(self, run: str) -> set[str]:
        """Keys spelled by consecutive letters of a run (``a n t r`` holds ``ntr``)."""
        present = set()
        for first in range(len(run) - 1):
            key = run[first]
            for letter in run[first + 1 : first + self.max_key_length]:
                if letter != key[-1]:
                    key += letter
                if key in self.words:
                    present.add(key)
        return present

    def _spaceless_hits(self, folded: str) -> list[Hit]:
        if not has_spaceless_script(folded):
            return []
        found = list(self.spaceless.iter(SPACELESS_GAP.sub("", folded)))
        if not found:
            return []
        # Map compacted indices back: each gap removed before a character shifts it right.
        gap_starts: list[int] = []  # where each gap would sit in the compacted text
        removed: list[int] = []  # characters removed up to and including each gap
        total = 0
        for gap in SPACELESS_GAP.finditer(folded):
            gap_starts.append(gap.start() - total)
            total += gap.end() - gap.start()
            removed.append(total)

        def unpacked(index: int) -> int:
            before = bisect_right(gap_starts, index)
            return index + (removed[before - 1] if before else 0)

        return [
            Hit(unpacked(last - length + 1), unpacked(last) + 1, term)
            for last, (length, terms) in found
            for term in terms
        ]

    def _may_hold_a_phrase(self, scanned: Candidates) -> bool:
        # A phrase's word spelled in single letters (``n t r``) stands only in a letter run, and
        # maybe inside a longer one (``a n t r``): text with a run is always searched (it is rare).
        if self.allow_phrase_words is None or scanned.letter_runs:
            return True
        present = {*scanned.words, *scanned.pieces}  # a piece holds ``ne.to.ra.re`` as ``netorare``
        for phrase in self.allow_phrase_words:
            for forms in phrase:
                if forms.isdisjoint(present):
                    break
            else:
                return True
        return False

    def _not_allowed(self, hits: list[Hit], text: NormalizedText, phrase_possible: bool) -> list[Hit]:
        """Drop hits inside an allowed phrase: looked for only near the hits, and only where one may stand."""
        allowed: list[tuple[int, int]] = []
        length = len(text.skeleton)
        search_words = self.allow_words is not None and phrase_possible
        if not search_words and not self.allow_spaceless:
            return hits
        windows = _windows(hits, length)
        if search_words and self.finder is not None and self.finder.reads_allowed:
            allowed.extend(self.finder.allowed(text.skeleton, windows))  # the same spans, in linear time
        elif search_words:
            for start, end in windows:
                allowed.extend(
                    match.span()
                    for match in self.allow_words.finditer(text.skeleton, start, end)
                    # the window's edge is not a word boundary unless it is the text's end
                    if match.end() < end or end == length
                )
        for start, end in windows:
            for phrase in self.allow_spaceless:
                found = text.folded.find(phrase, start, end)
                while found != -1:
                    allowed.append((found, found + len(phrase)))
                    found = text.folded.find(phrase, found + 1, end)
        if not allowed:
            return hits
        spans = merge_spans(allowed)
        return [hit for hit in hits if (span := span_at(spans, hit.start)) is None or hit.end > span[1]]


def _windows(hits: list[Hit], length: int) -> list[tuple[int, int]]:
    """The stretches around the hits where an allowed phrase could stand, merged."""
    return merge_spans((max(0, hit.start - _ALLOW_REACH), min(length, hit.end + _ALLOW_REACH)) for hit in hits)


def _locate(key: str, skeleton: str) -> list[tuple[int, int]]:
    """Every place ``key`` stands in the skeleton, spelled the way the scan could have read it.

    The locator lets separators sit between any two letters; across whitespace that
    is only a spelling when every word there is one letter (``n t r``), so a match
    such as ``ntr`` + newline + ``s`` is passed over and the search goes on after its
    first character.
    """
    locator = _locator(key)
    spans = []
    position = 0
    while (match := locator.search(skeleton, position)) is not None:
        text = match.group()
        if " " in key or not _HAS_SPACE.search(text) or all(len(collapse(w)) == 1 for w in WORD.findall(text)):
            spans.append(match.span())
            position = match.end()
        else:
            position = match.start() + 1
    return spans


@lru_cache(maxsize=4096)  # building the pattern text costs more than the search; keys repeat
def _locator(key: str) -> re.Pattern[str]:
    """Where a key stands in the skeleton as whole words.

    Each letter may be stretched and followed by separators (``n.t.r``, ``net||orare``).
    The lookbehind sits after the first letter so that the regex starts with a
    literal, which the regex engine finds quickly.
    """
    first = re.escape(key[0])
    words = []
    for position, word in enumerate(key.split(" ")):
        # A letter may repeat, with separators between the repeats too (``net.torare``);
        # lazily, so that "ntr ||r" ends after the first r instead of running on to the next.
        letters = [f"{re.escape(letter)}(?:{_LETTER_GAP}{re.escape(letter)})*?" for letter in word]
        if position == 0:
            letters[0] = f"{first}(?<!{WORD_CHAR}{first})(?:{_LETTER_GAP}{first})*?"
        words.append(_LETTER_GAP.join(letters))
    return re.compile(_WORD_GAP.join(words) + f"(?!{WORD_CHAR})")


def _outermost(hits: list[Hit]) -> list[Hit]:
    """Drop duplicates and hits inside a longer one (``n.t.r`` found both whole and by letters)."""
    # Most flagged posts name their terms apart: then the hits in order of their start (a
    # tuple's own order, compared in C) are the answer, and the key function below is skipped.
    ordered = sorted(set(hits))
    previous_end = -1
    for hit in ordered:
        if hit.start < previous_end:
            return _outermost_of_overlapping(ordered)
        previous_end = hit.end
    return ordered


def _outermost_of_overlapping(unique: list[Hit]) -> list[Hit]:
    unique = sorted(unique, key=lambda hit: (hit.start, -hit.end, hit.term.category, hit.term.name))
    kept: list[Hit] = []
    widest: tuple[int, int] = (-1, -1)
    for hit in unique:
        if hit.end < widest[1] or (hit.end == widest[1] and (hit.start, hit.end) != widest):
            continue
        kept.append(hit)
        if hit.end > widest[1]:
            widest = (hit.start, hit.end)
    return kept


def build_index(
    terms: Iterable[Term],
    patterns: Iterable[Pattern],
    allow: Iterable[str],
    category_labels: Mapping[str, Iterable[str]],
) -> TermIndex:
    words: dict[str, tuple[TermRef, ...]] = {}
    spaceless: dict[str, tuple[TermRef, ...]] = {}
    coverage: dict[str, set[str]] = {}
    first_words: set[str] = set()
    max_words = 1
    for term in terms:
        ref = TermRef(term.name, category_id(term.category))
        labels = coverage.setdefault(ref.category, set())
        labels |= _coverage_keys(ref.category)
        for spelling in (term.name, *term.aliases):
            labels |= _coverage_keys(spelling)
            if has_spaceless_script(spelling):
                _add(spaceless, spaceless_key(spelling), ref)
                continue
            key = word_key(spelling)
            if not key:
                continue
            for form in {*plural_forms(key), *plural_forms(key.replace(" ", ""))}:
                _add(words, form, ref)
            if " " in key:
                first_words.add(key.split(" ", 1)[0])
                max_words = max(max_words, key.count(" ") + 1)
    compiled_patterns = []
    patterns = tuple(patterns)
    for pattern in patterns:
        ref = TermRef(pattern.name or pattern.regex, category_id(pattern.category))
        coverage.setdefault(ref.category, set()).update(_coverage_keys(ref.category))
        compiled_patterns.append((ref, compile_pattern(pattern.regex)))
    for category, labels in category_labels.items():
        coverage.setdefault(category_id(category), set()).update(
            key for label in (category, *labels) for key in _coverage_keys(label)
        )
    allow_words, allow_phrase_words, allow_spaceless, allow_keys = _allow_matchers(allow)
    max_key_length = max((len(key) for key in words), default=0)
    latin_keys_only = all(key.isascii() for key in words)
    return TermIndex(
        words=words,
        first_words=frozenset(first_words),
        max_words=max_words,
        max_key_length=max_key_length,
        latin_keys_only=latin_keys_only,
        spaceless=_automaton(spaceless),
        patterns=tuple(compiled_patterns),
        allow_words=allow_words,
        allow_phrase_words=allow_phrase_words,
        allow_spaceless=allow_spaceless,
        coverage={category: frozenset(keys) for category, keys in coverage.items()},
        prefilter=build_prefilter(words, [pattern.regex for pattern in patterns], spaceless_keys=bool(spaceless)),
        finder=(
            key_finder(words, first_words, max_words, max_key_length, allow_phrase_words, allow_keys)
            if latin_keys_only
            else None
        ),
    )


def key_finder(
    words: Mapping[str, tuple[TermRef, ...]],
    first_words: Iterable[str],
    max_words: int,
    max_key_length: int,
    allow_phrase_words: tuple[tuple[frozenset[str], ...], ...] | None,
    allow_keys: tuple[str, ...] | None = None,
) -> object | None:
    """The compiled reading of these ASCII word keys; None where the module is not installed.

    With ``allow_keys`` (the allowed phrases' keys, as ``_allow_matchers`` orders them)
    it also finds the allowed phrases, in place of their regex.
    """
    if speedups is None:
        return None
    keys = list(words)
    phrases = None
    if allow_phrase_words is not None:
        phrases = [[sorted(forms) for forms in phrase] for phrase in allow_phrase_words]
    refs = [words[key] for key in keys]
    return speedups.KeyFinder(
        keys, refs, sorted(first_words), max_words, max_key_length, phrases, SPACELESS_RANGES, Hit, allow_keys
    )


def _add(table: dict[str, tuple[TermRef, ...]], key: str, ref: TermRef) -> None:
    if ref not in table.get(key, ()):
        table[key] = (*table.get(key, ()), ref)


def _coverage_keys(label: str) -> set[str]:
    """A label covers by its whole key (with or without spaces), never by one of its words."""
    if has_spaceless_script(label):
        return {spaceless_key(label)} - {""}
    key = word_key(label)
    return {form for base in (key, key.replace(" ", "")) for form in plural_forms(base) if base}


def _automaton(keys: dict[str, tuple[TermRef, ...]]) -> ahocorasick.Automaton | None:
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for key, refs in keys.items():
        automaton.add_word(key, (len(key), refs))
    automaton.make_automaton()
    return automaton


def _spelled(word: str) -> str:
    """A word of an allowed phrase as the locator reads a term's: letters stretched, separators between them."""
    return _LETTER_GAP.join(f"{re.escape(c)}(?:{_LETTER_GAP}{re.escape(c)})*" for c in word)


def _allow_matchers(
    phrases: Iterable[str],
) -> tuple[
    re.Pattern[str] | None, tuple[tuple[frozenset[str], ...], ...] | None, tuple[str, ...], tuple[str, ...] | None
]:
    """The allowed phrases' regex, the words each needs (None: some word is beyond ASCII), the
    spaceless phrases, and the phrases' keys in the order of the regex's alternatives (None
    when one is beyond ASCII: the compiled finder reads only ASCII keys)."""
    alternatives: list[tuple[str, str]] = []  # (regex, key)
    needed: list[tuple[frozenset[str], ...]] = []
    spaceless = []
    for phrase in phrases:
        if has_spaceless_script(phrase):
            spaceless.append(spaceless_key(phrase))
            continue
        key = word_key(phrase)
        if key:
            # Spelled as a term may be: each letter stretched and followed by separators (``N.T.R.``,
            # ``n t r``, ``nnttrr``), words split by any punctuation.
            alternatives.append((_WORD_GAP.join(_spelled(word) for word in key.split()), key))
            *words, last = key.split(" ")
            # The phrase may end in a plural; collapsed, as the scan's words are.
            endings = frozenset(collapse(form) for form in (last, f"{last}s", f"{last}es"))
            needed.append((*(frozenset([word]) for word in words), endings))
    if not alternatives:
        return None, (), tuple(spaceless), ()
    ordered = sorted(alternatives, key=lambda alternative: len(alternative[0]), reverse=True)
    body = "|".join(regex for regex, _ in ordered)
    # Plurals and possessives count as the phrase, as they do for terms.
    suffix = r"(?:['\u2019]s|e?s)?"
    return (
        re.compile(f"(?<!{WORD_CHAR})(?:{body}){suffix}(?!{WORD_CHAR})"),
        tuple(needed) if all(word.isascii() for phrase in needed for forms in phrase for word in forms) else None,
        tuple(p for p in spaceless if p),
        tuple(key for _, key in ordered) if all(key.isascii() for _, key in ordered) else None,
    )
