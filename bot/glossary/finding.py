"""Finding entries from what a member typed: search, "did you mean" and autocomplete.

All three work on a ``NameIndex`` built once per glossary, so the autocomplete that
Discord calls on every keystroke only compares precomputed keys.

Fuzzy scores come from rapidfuzz's normalized edit-distance ratio over romaji keys:
long vowels are folded first (see ``bot.glossary.names``), so "shonen" is an exact
hit for shounen and "netorae" is one letter away from netorare.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from bot.glossary.model import GlossaryEntry
from bot.glossary.names import name_key, romaji_key

# Below this ratio (0-100) a name is too far from the query to be worth suggesting;
# 70 keeps one or two typos in a word of six to eight letters and rejects unrelated words.
SUGGEST_CUTOFF = 70.0
# A query of at least this many letters that starts a name counts as a near miss too.
PREFIX_MIN_LETTERS = 3
PREFIX_SCORE = 75.0
DISCORD_CHOICE_LENGTH = 100

Field = Literal["term", "alias", "summary", "definition"]


@dataclass(frozen=True, slots=True)
class IndexedName:
    name: str
    key: str
    romaji: str
    entry: GlossaryEntry
    words: tuple[str, ...] = ()  # keys of the name's words: "reverse NTR" -> ("reverse", "ntr")

    @property
    def is_term(self) -> bool:
        return self.name == self.entry.term


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An entry found by ``search`` and where the text was found (to show why it matched)."""

    entry: GlossaryEntry
    matched: Field
    score: int


@dataclass(frozen=True, slots=True)
class Completion:
    """One autocomplete choice: ``label`` to show (at most 100 characters), ``value`` the entry id."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class NameIndex:
    names: tuple[IndexedName, ...]
    # entry, summary words, words of the definition and the warning labels
    texts: tuple[tuple[GlossaryEntry, tuple[str, ...], tuple[str, ...]], ...]

    @classmethod
    def build(cls, entries: Iterable[GlossaryEntry]) -> NameIndex:
        entries = tuple(entries)
        names = tuple(
            IndexedName(name, name_key(name), romaji_key(name), entry, _word_keys(name))
            for entry in entries
            for name in entry.names
        )
        texts = tuple(
            (entry, _word_keys(entry.summary), _word_keys(" ".join((entry.definition, *entry.warnings))))
            for entry in entries
        )
        return cls(names, texts)


def _word_keys(text: str) -> tuple[str, ...]:
    """The name keys of the words in ``text``; hyphens and slashes separate words too."""
    spaced = text.replace("-", " ").replace("/", " ")
    return tuple(key for key in (name_key(word) for word in spaced.split()) if key)


def _starts_a_word(query: str, words: tuple[str, ...]) -> bool:
    # Matching only at word starts keeps "ntr" from finding "contract" or "central".
    return any(word.startswith(query) for word in words)


def suggest(index: NameIndex, text: str, limit: int = 3) -> tuple[GlossaryEntry, ...]:
    """Up to ``limit`` entries whose names are close to ``text``, closest first."""
    query = romaji_key(text)
    if not query:
        return ()
    best: dict[str, tuple[float, bool, GlossaryEntry]] = {}
    for indexed in index.names:
        score = fuzz.ratio(query, indexed.romaji)
        if len(query) >= PREFIX_MIN_LETTERS and indexed.romaji.startswith(query):
            score = max(score, PREFIX_SCORE)
        if score < SUGGEST_CUTOFF:
            continue
        current = best.get(indexed.entry.id)
        candidate = (score, indexed.is_term, indexed.entry)
        if current is None or candidate[:2] > current[:2]:
            best[indexed.entry.id] = candidate
    ranked = sorted(best.values(), key=lambda item: (-item[0], not item[1], name_key(item[2].term)))
    return tuple(entry for _, _, entry in ranked[:limit])


def autocomplete(index: NameIndex, prefix: str, limit: int = 25) -> tuple[Completion, ...]:
    """Choices for a partly typed term: names starting with it, then containing it, then near misses."""
    key, romaji = name_key(prefix), romaji_key(prefix)
    if not key:
        terms = sorted((indexed for indexed in index.names if indexed.is_term), key=lambda i: i.key)
        return tuple(Completion(_label(indexed), indexed.entry.id) for indexed in terms[:limit])
    ranked: dict[str, tuple[int, IndexedName]] = {}
    for indexed in index.names:
        rank = _completion_rank(indexed, key, romaji)
        if rank is not None and (indexed.entry.id not in ranked or rank < ranked[indexed.entry.id][0]):
            ranked[indexed.entry.id] = (rank, indexed)
    if len(ranked) < limit:
        for position, entry in enumerate(suggest(index, prefix, limit)):
            ranked.setdefault(entry.id, (10 + position, IndexedName(entry.term, "", "", entry)))
    ordered = sorted(ranked.values(), key=lambda item: (item[0], item[1].key))
    return tuple(Completion(_label(indexed), indexed.entry.id) for _, indexed in ordered[:limit])


def _completion_rank(indexed: IndexedName, key: str, romaji: str) -> int | None:
    term_bonus = 0 if indexed.is_term else 1
    if indexed.key == key:
        return -1  # typed in full: "NTR" should offer netorare before "NTR bait"
    if indexed.key.startswith(key):
        return term_bonus
    if indexed.romaji.startswith(romaji):
        return 2 + term_bonus
    if key in indexed.key:
        return 4 + term_bonus
    return None


def _label(indexed: IndexedName) -> str:
    term = indexed.entry.term
    label = term if indexed.is_term else f"{term} ({indexed.name})"
    return label[:DISCORD_CHOICE_LENGTH]


def search(index: NameIndex, text: str, limit: int = 25) -> tuple[SearchHit, ...]:
    """Entries matching ``text`` in a name (best), a summary or a definition, best first.

    A name scores by how much of it the query covers: all of it, its start, or the
    start of one of its words. In prose every query word must start some word.
    """
    key = name_key(text)
    words = [word for word in (name_key(part) for part in text.split()) if word]
    if not key:
        return ()
    hits: dict[str, SearchHit] = {}
    for indexed in index.names:
        score = _name_score(indexed, key)
        if score and (indexed.entry.id not in hits or score > hits[indexed.entry.id].score):
            hits[indexed.entry.id] = SearchHit(indexed.entry, "term" if indexed.is_term else "alias", score)
    for entry, summary, definition in index.texts:
        if entry.id in hits:
            continue
        if all(_starts_a_word(word, summary) for word in words):
            hits[entry.id] = SearchHit(entry, "summary", 40)
        elif all(_starts_a_word(word, definition) for word in words):
            hits[entry.id] = SearchHit(entry, "definition", 30)
    ordered = sorted(hits.values(), key=lambda hit: (-hit.score, hit.matched != "term", name_key(hit.entry.term)))
    return tuple(ordered[:limit])


def _name_score(indexed: IndexedName, query: str) -> int:
    if indexed.key == query:
        return 100
    if indexed.key.startswith(query):
        return 80
    if _starts_a_word(query, indexed.words):
        return 60
    return 0
