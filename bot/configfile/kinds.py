"""The kinds of YAML file Genre Warden reads, and how to check each one.

A kind is a name, a way to recognise a file of that kind from its top-level keys,
and a function that lists every problem in it. Later features register their own
kinds (guild policy, glossary) by adding them to ``KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.configfile.problems import Problem, sorted_problems
from bot.configfile.yamldoc import YamlSyntaxError, parse_yaml
from bot.glossary.loading import validate_glossary_data
from bot.rules.policy_file import POLICY_MARKER_KEYS, validate_policy_data
from bot.settings import SettingsFile, validate_settings_file


@dataclass(frozen=True, slots=True)
class FileKind:
    name: str
    description: str
    # Top-level keys only this kind uses; a file whose keys include one of them is of this kind.
    marker_keys: frozenset[str]
    validate: Callable[[object], list[Problem]]


KINDS: dict[str, FileKind] = {
    kind.name: kind
    for kind in (
        FileKind(
            name="settings",
            description="process settings (database path, log level, development guild)",
            marker_keys=frozenset(SettingsFile.model_fields),
            validate=validate_settings_file,
        ),
        FileKind(
            name="glossary",
            description="glossary entries (terms, aliases, definitions, contrasts, content warnings)",
            marker_keys=frozenset({"entries"}),
            validate=validate_glossary_data,
        ),
        FileKind(
            name="policy",
            description="a guild policy (requirement, content-warning rules, terms, patterns, allow list)",
            marker_keys=POLICY_MARKER_KEYS,
            validate=validate_policy_data,
        ),
    )
}


class UnknownKind(ValueError):
    pass


def detect_kind(data: object) -> FileKind:
    if isinstance(data, dict):
        keys = {str(key) for key in data}
        matches = [kind for kind in KINDS.values() if keys & kind.marker_keys]
        if len(matches) == 1:
            return matches[0]
    names = ", ".join(KINDS)
    raise UnknownKind(f"cannot tell what kind of file this is; name it with --kind ({names})")


def validate_text(text: str, kind_name: str | None = None) -> tuple[FileKind | None, list[Problem]]:
    """Check a YAML text; return the kind checked and every problem, each with its line."""
    try:
        document = parse_yaml(text)
    except YamlSyntaxError as exc:
        return (KINDS.get(kind_name) if kind_name else None), [exc.problem]
    if kind_name is not None:
        kind = KINDS[kind_name]
    else:
        try:
            kind = detect_kind(document.data)
        except UnknownKind as exc:
            return None, [Problem((), str(exc))]
    problems = [problem.at_line(document.lines) for problem in kind.validate(document.data)]
    return kind, sorted_problems(problems)


def validate_file(path: Path, kind_name: str | None = None) -> tuple[FileKind | None, list[Problem]]:
    return validate_text(path.read_text(encoding="utf-8"), kind_name)
