"""Reading a glossary file and listing every problem in it, each with the entry id and field.

``validate_glossary_data`` never stops at the first problem: an editor fixing a
file of seventy entries wants the whole list in one run. It checks each entry on
its own (fields, types, empty text), then the file as a whole (duplicate ids,
names shared between entries, ``related`` ids that point nowhere).

``load_glossary`` is the one function in this package that touches the disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import ValidationError

from bot.configfile.problems import Problem, problems_from_validation_error, sorted_problems
from bot.configfile.yamldoc import YamlSyntaxError, parse_yaml
from bot.glossary.glossary import Glossary
from bot.glossary.model import EntryModel, GlossaryEntry, GlossaryFileModel
from bot.glossary.names import NamedAt, name_clashes


class GlossaryFileError(ValueError):
    """A glossary text or file has problems; ``problems`` lists all of them, with lines."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{source} has {count} problem{'s' if count != 1 else ''}: {problems[0]}")
        self.source = source
        self.problems = problems


def validate_glossary_data(data: object, known_ids: Iterable[str] = ()) -> list[Problem]:
    """Every problem in a parsed glossary file.

    ``known_ids`` are ids that ``related`` may name besides the file's own: a server's
    import file may point at shipped entries it does not repeat.
    """
    try:
        GlossaryFileModel.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation_error(exc)
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            return problems
    else:
        problems = []
    items = data["entries"]
    problems += _entry_problems(items)
    problems += _file_problems(items, frozenset(known_ids))
    return problems


def _entry_problems(items: list[object]) -> list[Problem]:
    problems = []
    for index, item in enumerate(items):
        path = ("entries", index)
        try:
            model = EntryModel.model_validate(item)
        except ValidationError as exc:
            label = _entry_label(item, index)
            problems += [
                Problem(problem.path, f"{problem.message} ({label})")
                for problem in problems_from_validation_error(exc, prefix=path)
            ]
            continue
        if model.requires_cw and not model.warnings:
            problems.append(
                Problem(
                    path + ("warnings",), f"must name at least one label when requires_cw is true (entry {model.id})"
                )
            )
    return problems


def _file_problems(items: list[object], known_ids: frozenset[str]) -> list[Problem]:
    entries = [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]
    problems = []
    seen_ids: dict[str, int] = {}
    for index, item in entries:
        entry_id = item.get("id")
        if not isinstance(entry_id, str):
            continue
        if entry_id in seen_ids:
            problems.append(
                Problem(("entries", index, "id"), f"'{entry_id}' is already the id of entries[{seen_ids[entry_id]}]")
            )
        seen_ids.setdefault(entry_id, index)
    all_ids = known_ids | seen_ids.keys()
    for index, item in entries:
        label = _entry_label(item, index)
        related = item.get("related")
        for position, target in enumerate(related if isinstance(related, list) else []):
            path = ("entries", index, "related", position)
            if isinstance(target, str) and target not in all_ids:
                problems.append(Problem(path, f"names '{target}', which is not the id of any entry ({label})"))
            elif target == item.get("id"):
                problems.append(Problem(path, f"an entry is not related to itself ({label})"))
    problems += name_clashes(_names_in_file(entries))
    return problems


def _names_in_file(entries: list[tuple[int, dict]]) -> Iterable[NamedAt]:
    for index, item in entries:
        entry_id = str(item.get("id", f"#{index}"))
        if isinstance(item.get("term"), str):
            yield NamedAt(("entries", index, "term"), entry_id, item["term"])
        aliases = item.get("aliases")
        for position, alias in enumerate(aliases if isinstance(aliases, list) else []):
            if isinstance(alias, str) and alias.strip():
                yield NamedAt(("entries", index, "aliases", position), entry_id, alias)


def _entry_label(item: object, index: int) -> str:
    if isinstance(item, Mapping) and isinstance(item.get("id"), str):
        return f"entry {item['id']}"
    return f"entry #{index}, which has no id"


def parse_glossary_text(text: str, source: str = "the glossary") -> Glossary:
    """A ``Glossary`` from YAML text; raise ``GlossaryFileError`` listing every problem with its line."""
    try:
        document = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise GlossaryFileError(source, [exc.problem]) from None
    problems = validate_glossary_data(document.data)
    if problems:
        raise GlossaryFileError(source, sorted_problems(p.at_line(document.lines) for p in problems))
    return Glossary(entries_from_data(document.data["entries"]))


def entries_from_data(items: Iterable[object]) -> list[GlossaryEntry]:
    """Entries from already validated data (a checked file, or rows a repository built)."""
    return [EntryModel.model_validate(item).to_entry() for item in items]


def load_glossary(path: Path) -> Glossary:
    """Read and check the glossary file at ``path``; raise ``GlossaryFileError`` or ``OSError``."""
    return parse_glossary_text(path.read_text(encoding="utf-8"), source=str(path))
