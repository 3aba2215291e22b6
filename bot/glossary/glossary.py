"""The immutable ``Glossary``: lookup, browsing, comparison and the terms that need a warning.

A glossary is a value. Layering a server's own entries over the shipped ones
returns a new glossary and leaves the shipped one untouched, so the Discord side
can keep one shipped glossary and one layered glossary per server in its cache,
and rebuild a server's copy after each change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.configfile.problems import Problem
from bot.glossary.compare import Comparison, compare_entries
from bot.glossary.finding import Completion, NameIndex, SearchHit, autocomplete, search, suggest
from bot.glossary.model import GlossaryEntry
from bot.glossary.names import NamedAt, name_clashes, name_key, romaji_key


class GlossaryConflict(ValueError):
    """Entries cannot stand together in one glossary (a shared id or name); ``problems`` says where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


class UnknownTerm(LookupError):
    """No entry has this name; ``suggestions`` holds up to three near misses for "did you mean"."""

    def __init__(self, text: str, suggestions: tuple[GlossaryEntry, ...]) -> None:
        super().__init__(f"no glossary entry is called {text!r}")
        self.text = text
        self.suggestions = suggestions


@dataclass(frozen=True, slots=True)
class CwTerm:
    """A term the rule engine must see marked: its name, enforcement category and chat aliases.

    ``labels`` are the words a content-warning line may use to cover it: the
    enforcement category (the first warning label), the term and all its aliases.
    The other warning labels (jealousy, emotional distress) describe the entry but
    do not cover its category, or "CW: emotional distress" would excuse an NTR post.
    """

    name: str
    category: str
    aliases: tuple[str, ...]
    labels: tuple[str, ...]


def consistency_problems(entries: Iterable[GlossaryEntry]) -> list[Problem]:
    """Shared ids or names among entries; paths are ``<id>.term`` or ``<id>.aliases[n]``."""
    problems = []
    seen: set[str] = set()
    names = []
    for entry in entries:
        if entry.id in seen:
            problems.append(Problem((entry.id,), f"two entries have the id '{entry.id}'"))
        seen.add(entry.id)
        names.append(NamedAt((entry.id, "term"), entry.id, entry.term))
        names += [NamedAt((entry.id, "aliases", n), entry.id, alias) for n, alias in enumerate(entry.aliases)]
    return problems + name_clashes(names)


class Glossary:
    """A consistent set of entries with every way of finding them.

    Names are unique across entries once case, width, accents and punctuation are
    ignored; the constructor raises ``GlossaryConflict`` otherwise. ``related`` ids
    that point at no entry (a server removed it) are skipped, not errors.
    """

    __slots__ = ("_entries", "_by_id", "_by_key", "_by_romaji", "_index", "_server_ids")

    def __init__(self, entries: Iterable[GlossaryEntry], server_ids: Iterable[str] = ()) -> None:
        self._entries = tuple(entries)
        problems = consistency_problems(self._entries)
        if problems:
            raise GlossaryConflict(problems)
        self._by_id = {entry.id: entry for entry in self._entries}
        self._by_key = {name_key(name): entry for entry in self._entries for name in entry.names}
        by_romaji: dict[str, set[str]] = {}
        for entry in self._entries:
            for name in entry.names:
                by_romaji.setdefault(romaji_key(name), set()).add(entry.id)
        # A romaji key shared by two entries would find one of them by accident; such keys stay out.
        self._by_romaji = {key: self._by_id[next(iter(ids))] for key, ids in by_romaji.items() if len(ids) == 1}
        self._index = NameIndex.build(self._entries)
        self._server_ids = frozenset(server_ids) & self._by_id.keys()

    @property
    def entries(self) -> tuple[GlossaryEntry, ...]:
        """Every entry in file order; a server's new entries come after the shipped ones."""
        return self._entries

    @property
    def server_ids(self) -> frozenset[str]:
        """Ids of entries a server added or overrode (what ``/glossary reset`` can undo)."""
        return self._server_ids

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[GlossaryEntry]:
        return iter(self._entries)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self.lookup(text) is not None

    def get(self, entry_id: str) -> GlossaryEntry | None:
        return self._by_id.get(entry_id)

    def lookup(self, text: str) -> GlossaryEntry | None:
        """The entry whose id, term or alias ``text`` names, ignoring case, width, accents and punctuation.

        Romaji long-vowel spellings (shonen, shōnen) also find their entry when only one entry has them.
        """
        # Names before ids: an id is a handle for commands, a name is what people type.
        return (
            self._by_key.get(name_key(text))
            or self._by_id.get(text.strip().casefold())
            or self._by_romaji.get(romaji_key(text))
        )

    def require(self, text: str) -> GlossaryEntry:
        """Like ``lookup``, but raise ``UnknownTerm`` with suggestions when nothing matches."""
        entry = self.lookup(text)
        if entry is None:
            raise UnknownTerm(text, self.suggest(text))
        return entry

    def related_entries(self, entry: GlossaryEntry) -> tuple[GlossaryEntry, ...]:
        return tuple(self._by_id[entry_id] for entry_id in entry.related if entry_id in self._by_id)

    def categories(self) -> tuple[str, ...]:
        """Category names in the order they first appear."""
        return tuple(dict.fromkeys(entry.category for entry in self._entries))

    def by_category(self, category: str) -> tuple[GlossaryEntry, ...]:
        """Entries of one category (matched like a name: case and punctuation ignored), in order."""
        key = name_key(category)
        return tuple(entry for entry in self._entries if name_key(entry.category) == key)

    def search(self, text: str, limit: int = 25) -> tuple[SearchHit, ...]:
        return search(self._index, text, limit)

    def suggest(self, text: str, limit: int = 3) -> tuple[GlossaryEntry, ...]:
        return suggest(self._index, text, limit)

    def autocomplete(self, prefix: str, limit: int = 25) -> tuple[Completion, ...]:
        return autocomplete(self._index, prefix, limit)

    def compare(self, a: str, b: str) -> Comparison:
        """Two entries (by any of their names) side by side; ``UnknownTerm`` if either is unknown."""
        return compare_entries(self.require(a), self.require(b))

    def terms_requiring_cw(self) -> tuple[CwTerm, ...]:
        return tuple(
            CwTerm(
                name=entry.term,
                category=entry.warnings[0],
                aliases=entry.chat_aliases,
                labels=tuple(dict.fromkeys((entry.warnings[0], entry.term, *entry.aliases))),
            )
            for entry in self._entries
            if entry.requires_cw
        )

    def cw_labels(self) -> dict[str, tuple[str, ...]]:
        """Enforcement category -> every label that covers it, merged over the entries in it."""
        labels: dict[str, dict[str, None]] = {}
        for term in self.terms_requiring_cw():
            labels.setdefault(term.category, {}).update(dict.fromkeys(term.labels))
        return {category: tuple(names) for category, names in labels.items()}

    def check_layer(self, overrides: Iterable[GlossaryEntry], removed_ids: Iterable[str] = ()) -> list[Problem]:
        """What is wrong with a server layer: what would stop ``layered``, and ``related`` ids
        of the overrides that point nowhere. Empty when the layer is fine.

        Call it before storing a moderator's change, so stored layers always fit.
        """
        overrides = tuple(overrides)
        try:
            result = self.layered(overrides, removed_ids)
        except GlossaryConflict as exc:
            return exc.problems
        return [
            Problem((entry.id, "related", position), f"names '{target}', which is not the id of any entry")
            for entry in overrides
            for position, target in enumerate(entry.related)
            if result.get(target) is None
        ]

    def layered(self, overrides: Iterable[GlossaryEntry], removed_ids: Iterable[str] = ()) -> Glossary:
        """A new glossary: this one, minus ``removed_ids``, with ``overrides`` replacing or extending it.

        An override whose id is already here takes that entry's place (and position);
        any other override is added at the end. Removing an id this glossary lacks is
        not an error, because a shipped entry may disappear in an update while a
        server's removal of it is still stored. Raises ``GlossaryConflict`` when an
        override shares a name with a remaining entry, or is also removed.
        """
        overrides = tuple(overrides)
        removed = frozenset(removed_ids)
        problems = [
            Problem((entry.id,), "is both overridden and removed") for entry in overrides if entry.id in removed
        ]
        problems += consistency_problems(overrides)  # two overrides with one id would silently drop one
        if problems:
            raise GlossaryConflict(problems)
        replacing = {entry.id: entry for entry in overrides}
        kept = [replacing.pop(entry.id, entry) for entry in self._entries if entry.id not in removed]
        new = [entry for entry in overrides if entry.id in replacing]
        return Glossary([*kept, *new], server_ids=self._server_ids | {entry.id for entry in overrides})
