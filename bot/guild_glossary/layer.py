"""A server's layer: the entries it overrides or adds, the shipped ids it hides, and its YAML file.

The layer file is the export and import format of ``/glossary export`` and
``/glossary import``: a glossary file (``version``, ``entries``) with, when the
server hides shipped entries, a ``removed`` list of their ids. It holds only what
the server changed, so importing it replaces the server's changes and leaves
every shipped entry it does not mention as shipped. An entry equal to the shipped
one is not a change and is dropped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

import yaml

from bot.configfile.problems import Problem, sorted_problems
from bot.configfile.yamldoc import YamlSyntaxError, parse_yaml
from bot.glossary import (
    Glossary,
    GlossaryEntry,
    GlossaryFileError,
    entries_from_data,
    entry_to_data,
    validate_glossary_data,
)

LAYER_FILE_HEADER = (
    "# The glossary changes of one server, written by Genre Warden's /glossary export.\n"
    "# entries: entries this server added, or its own version of a shipped entry (same id).\n"
    "# removed: ids of shipped entries this server hides.\n"
    "# Edit it and load it back with /glossary import: the file replaces the server's changes.\n"
)


@dataclass(frozen=True, slots=True)
class GlossaryLayer:
    """What one server changed; ``entries`` are kept sorted by id so every export reads the same."""

    entries: tuple[GlossaryEntry, ...] = ()
    removed: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(sorted(self.entries, key=lambda entry: entry.id)))
        object.__setattr__(self, "removed", frozenset(self.removed))

    @property
    def is_empty(self) -> bool:
        return not self.entries and not self.removed

    def entry(self, entry_id: str) -> GlossaryEntry | None:
        return next((entry for entry in self.entries if entry.id == entry_id), None)

    def touches(self, entry_id: str) -> bool:
        """True when the server has an entry or a removal for this id."""
        return entry_id in self.removed or self.entry(entry_id) is not None

    def without(self, entry_id: str) -> GlossaryLayer:
        """This layer with nothing for ``entry_id``: the shipped entry (if any) applies again."""
        return GlossaryLayer(tuple(e for e in self.entries if e.id != entry_id), self.removed - {entry_id})

    def with_entry(self, entry: GlossaryEntry) -> GlossaryLayer:
        layer = self.without(entry.id)
        return GlossaryLayer((*layer.entries, entry), layer.removed)

    def with_removed(self, entry_id: str) -> GlossaryLayer:
        layer = self.without(entry_id)
        return GlossaryLayer(layer.entries, layer.removed | {entry_id})

    def normalized(self, shipped: Glossary) -> GlossaryLayer:
        """Without entries equal to their shipped version (they change nothing)."""
        return GlossaryLayer(tuple(e for e in self.entries if shipped.get(e.id) != e), self.removed)

    def problems(self, shipped: Glossary) -> list[Problem]:
        return shipped.check_layer(self.entries, self.removed)

    def apply_to(self, shipped: Glossary) -> Glossary:
        """The server's glossary; raises ``GlossaryConflict`` if the layer no longer fits ``shipped``."""
        return shipped.layered(self.entries, self.removed)


def layer_to_yaml(layer: GlossaryLayer) -> str:
    data: dict[str, object] = {"version": 1, "entries": [entry_to_data(entry) for entry in layer.entries]}
    if layer.removed:
        data["removed"] = sorted(layer.removed)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return LAYER_FILE_HEADER + body


def parse_layer_text(text: str, shipped: Glossary, source: str = "the file") -> GlossaryLayer:
    """A layer from a layer file; raise ``GlossaryFileError`` listing every problem, with lines.

    Fields are checked first, as ``genre-warden glossary lint`` does (``related`` may
    name shipped ids); then the layer as a whole against ``shipped``: names that
    clash with entries the server keeps, ids both changed and removed.
    """
    try:
        document = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise GlossaryFileError(source, [exc.problem]) from None
    layer, problems = read_layer_data(document.data, shipped)
    if layer is None:
        raise GlossaryFileError(source, sorted_problems(problem.at_line(document.lines) for problem in problems))
    return layer.normalized(shipped)


def read_layer_data(data: object, shipped: Glossary) -> tuple[GlossaryLayer | None, list[Problem]]:
    """The layer in a parsed layer file, or None and every problem (paths into the file, no lines yet)."""
    if isinstance(data, dict) and "removed" in data:
        data = dict(data)
        removed_value = data.pop("removed")
        problems = _removed_problems(removed_value, shipped)
    else:
        removed_value, problems = [], []
    problems += validate_glossary_data(data, known_ids=(entry.id for entry in shipped))
    if problems:
        return None, problems
    layer = GlossaryLayer(tuple(entries_from_data(data["entries"])), frozenset(removed_value))
    problems = [_in_file(problem, data["entries"]) for problem in layer.problems(shipped)]
    return (None, problems) if problems else (layer, [])


def _removed_problems(value: object, shipped: Glossary) -> list[Problem]:
    if not isinstance(value, list):
        return [Problem(("removed",), "must be a list of shipped entry ids")]
    problems = []
    for position, item in enumerate(value):
        if not isinstance(item, str) or shipped.get(item) is None:
            problems.append(Problem(("removed", position), f"'{item}' is not the id of a shipped entry"))
    return problems


def _in_file(problem: Problem, items: Iterable[object]) -> Problem:
    """A layer problem (path ``<id>.field``) moved to the entry's place in the file, so it gets a line."""
    positions = {item.get("id"): index for index, item in enumerate(items) if isinstance(item, dict)}
    head, *rest = problem.path
    if head in positions:
        return dataclasses.replace(problem, path=("entries", positions[head], *rest))
    return problem
