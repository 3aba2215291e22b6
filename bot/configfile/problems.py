"""A problem found in a configuration file, named by its path in the file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import ValidationError

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """``("terms", 3, "category")`` -> ``terms[3].category``; the empty path is the whole file."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


@dataclass(frozen=True, slots=True)
class Problem:
    path: Path
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = format_path(self.path)
        if self.line is not None:
            where = f"line {self.line}: {where}"
        return f"{where}: {self.message}"

    def at_line(self, lines: Mapping[Path, int]) -> Problem:
        """This problem with the line of its path (or of its nearest parent) filled in."""
        path = self.path
        while path not in lines and path:
            path = path[:-1]
        return Problem(self.path, self.message, lines.get(path, self.line))


# pydantic's wording names Python types and model classes; the reader wrote YAML.
_PLAIN_MESSAGES = {
    "extra_forbidden": "is not a known field",
    "missing": "is required",
    "dict_type": "must be a mapping (key: value lines)",
    "model_type": "must be a mapping (key: value lines)",
    "model_attributes_type": "must be a mapping (key: value lines)",
    "list_type": "must be a list",
    "string_type": "must be text",
    "bool_type": "must be true or false",
}


def _plain_message(error: Mapping) -> str:
    kind = error.get("type", "")
    if kind in _PLAIN_MESSAGES:
        return _PLAIN_MESSAGES[kind]
    message = str(error.get("msg", "is invalid"))
    if message.startswith("Input should be "):
        return "must be " + message.removeprefix("Input should be ")
    # pydantic prefixes custom errors with "Value error, "; the reader does not need it.
    return message.removeprefix("Value error, ")


def problems_from_validation_error(error: ValidationError, prefix: Path = ()) -> list[Problem]:
    """Every error pydantic found, each with its path in the file."""
    problems = []
    for item in error.errors(include_url=False):
        path = prefix + tuple(part for part in item["loc"] if not _is_union_tag(part))
        problems.append(Problem(path, _plain_message(item)))
    return problems


def _is_union_tag(part: str | int) -> bool:
    # pydantic inserts the member type's name (for example "function-after[...]")
    # into the location of union and validator errors; it is not part of the file.
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line if p.line is not None else 0, format_path(p.path)))
