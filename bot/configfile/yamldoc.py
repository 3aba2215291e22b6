"""Parse YAML safely and remember on which line every value stands.

Validation errors name a path such as ``terms[3].category``; pointing the reader at
the line as well saves them a search through a long file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from bot.configfile.problems import Path, Problem


@dataclass(frozen=True, slots=True)
class YamlDocument:
    data: Any
    lines: dict[Path, int]


class YamlSyntaxError(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


ALIAS_REFUSED = "uses a YAML alias (*name); write each value out in full"


def parse_yaml(text: str) -> YamlDocument:
    """Parse one YAML document; raise ``YamlSyntaxError`` with the line on bad syntax or an alias.

    Aliases are refused before anything is built: a few hundred bytes of nested
    aliases stand for billions of values, and walking or validating them would
    stall the process. None of our files needs one.
    """
    alias = _first_alias(text)
    if alias is not None:
        raise YamlSyntaxError(alias)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "is not valid YAML"
        raise YamlSyntaxError(Problem((), f"is not valid YAML: {reason}", line)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem((), f"is not valid YAML: {exc}")) from None
    lines: dict[Path, int] = {}
    if node is not None:
        _record_lines(node, (), lines)
    return YamlDocument(data=data, lines=lines)


def _first_alias(text: str) -> Problem | None:
    """The first alias in ``text``; reading parser events is linear in the text."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return Problem((), ALIAS_REFUSED, event.start_mark.line + 1)
    except yaml.YAMLError:
        return None  # composing reports the syntax error, with its line
    return None


def _record_lines(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                child = path + (key_node.value,)
                _record_lines(value_node, child, lines)
                lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), lines)
