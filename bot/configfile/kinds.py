"""The kinds of YAML file Genre Warden reads, and how to check each one.

A kind is a name, a way to recognise a file of that kind (the first line the bot
writes into its own exports, else its top-level keys), and a function that lists
every problem in it. Later features register their own kinds (guild policy,
glossary, the exports) by adding them to ``KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.configfile.exports import validate_glossary_export, validate_warden_export
from bot.configfile.problems import Problem, sorted_problems
from bot.configfile.yamldoc import YamlSyntaxError, parse_yaml
from bot.enforcement.transfer import CONFIG_MARKER_KEYS
from bot.enforcement.transfer import HEADER as WARDEN_EXPORT_HEADER
from bot.glossary.loading import validate_glossary_data
from bot.guild_glossary.layer import LAYER_FILE_HEADER
from bot.rules.policy_file import POLICY_MARKER_KEYS, validate_policy_data
from bot.settings import SettingsFile, validate_settings_file


@dataclass(frozen=True, slots=True)
class FileKind:
    name: str
    description: str
    # Top-level keys only this kind uses; a file whose keys include one of them is of this kind.
    marker_keys: frozenset[str]
    validate: Callable[[object], list[Problem]]
    # The first line the bot writes into a file of this kind, if it writes such files.
    header: str | None = None
    # The kind this one is a special case of: when both match a file's keys, this one wins.
    narrows: str | None = None


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
        FileKind(
            name="glossary-export",
            description=(
                "a server's glossary changes, as /glossary export writes them (checked against the shipped glossary)"
            ),
            marker_keys=frozenset({"removed"}),
            validate=validate_glossary_export,
            header=LAYER_FILE_HEADER.splitlines()[0],
            narrows="glossary",
        ),
        FileKind(
            name="warden-export",
            description=(
                "a server's whole configuration, as /warden export writes it (checked against the shipped policy)"
            ),
            marker_keys=CONFIG_MARKER_KEYS,
            validate=validate_warden_export,
            header=WARDEN_EXPORT_HEADER.splitlines()[0],
            narrows="policy",
        ),
    )
}


class UnknownKind(ValueError):
    pass


def detect_kind(data: object, first_line: str = "") -> FileKind:
    """The kind whose header opens the file, else the one kind its top-level keys point to."""
    for kind in KINDS.values():
        if kind.header is not None and first_line.strip() == kind.header:
            return kind
    if isinstance(data, dict):
        keys = {str(key) for key in data}
        matches = [kind for kind in KINDS.values() if keys & kind.marker_keys]
        narrowed = {kind.narrows for kind in matches}
        matches = [kind for kind in matches if kind.name not in narrowed]
        if len(matches) == 1:
            return matches[0]
    names = ", ".join(KINDS)
    raise UnknownKind(f"cannot tell what kind of file this is; name it with --kind ({names})")


def validate_text(
    text: str, kind_name: str | None = None, *, family: str | None = None
) -> tuple[FileKind | None, list[Problem]]:
    """Check a YAML text; return the kind checked and every problem, each with its line.

    ``family`` checks the text as that kind, or as a kind that narrows it when the
    text is one (``glossary lint`` takes a glossary or a server's glossary export).
    """
    try:
        document = parse_yaml(text)
    except YamlSyntaxError as exc:
        return KINDS.get(kind_name or family or ""), [exc.problem]
    if kind_name is not None:
        kind = KINDS[kind_name]
    else:
        try:
            kind = detect_kind(document.data, text.lstrip("\ufeff").partition("\n")[0])
        except UnknownKind as exc:
            if family is None:
                return None, [Problem((), str(exc))]
            kind = KINDS[family]
        if family is not None and family not in (kind.name, kind.narrows):
            kind = KINDS[family]
    problems = [problem.at_line(document.lines) for problem in kind.validate(document.data)]
    return kind, sorted_problems(problems)


def validate_file(
    path: Path, kind_name: str | None = None, *, family: str | None = None
) -> tuple[FileKind | None, list[Problem]]:
    return validate_text(path.read_text(encoding="utf-8"), kind_name, family=family)
