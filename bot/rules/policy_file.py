"""Read a guild policy from YAML data, with every problem named by its path in the file.

This is the loading boundary: pydantic checks the shape here, then the engine gets a
frozen ``GuildPolicy``. The same checks back ``genre-warden config validate`` (the
``policy`` file kind) and the ``check`` command, so a moderator sees the same
plain-English problem wherever the file is read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from bot.configfile.problems import Problem, problems_from_validation_error
from bot.configfile.yamldoc import YamlSyntaxError, parse_yaml
from bot.rules.keys import has_spaceless_script, spaceless_key, word_key
from bot.rules.model import DEFAULT_CW_MARKERS, CwMode, GuildPolicy, MediaRule, Pattern, Requirement, Term
from bot.rules.patterns import MAX_PATTERNS, PatternRefused, compile_pattern

MAX_TERMS = 20_000
_NAME_SHAPE = re.compile(r"^[^\W_][\w \-']*$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
CategoryName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class PolicyError(ValueError):
    """A policy cannot be used; ``problems`` lists why, each with its path."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(problem) for problem in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"the policy has {len(problems)} problem{'s' if len(problems) != 1 else ''}: {shown}{more}")


def _check_category(value: str) -> str:
    if not _NAME_SHAPE.match(value):
        raise ValueError("a category name may hold letters, digits, spaces, hyphens and apostrophes only")
    return value


class _TermModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text
    category: CategoryName
    aliases: list[Text] = Field(default_factory=list)

    _category_shape = field_validator("category")(_check_category)


class _PatternModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: CategoryName
    regex: str
    name: Text | None = None

    _category_shape = field_validator("category")(_check_category)

    @field_validator("regex")
    @classmethod
    def _runs_in_re2(cls, value: str) -> str:
        try:
            compile_pattern(value)
        except PatternRefused as exc:
            raise ValueError(str(exc)) from None
        return value


class PolicyModel(BaseModel):
    """The policy YAML; its field names are the file's top-level keys."""

    model_config = ConfigDict(extra="forbid")

    requirement: Requirement = "either"
    cw_mode: CwMode = "strict"
    cw_markers: list[Text] = Field(default_factory=lambda: list(DEFAULT_CW_MARKERS), min_length=1)
    media: MediaRule = "flagged"
    include_glossary_terms: bool = True
    categories: dict[CategoryName, list[Text]] = Field(default_factory=dict)
    terms: list[_TermModel] = Field(default_factory=list, max_length=MAX_TERMS)
    patterns: list[_PatternModel] = Field(default_factory=list, max_length=MAX_PATTERNS)
    allow: list[Text] = Field(default_factory=list)

    @field_validator("categories")
    @classmethod
    def _category_names(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for name in value:
            _check_category(name)
        return value

    @field_validator("cw_markers")
    @classmethod
    def _markers_are_words(cls, value: list[str]) -> list[str]:
        for marker in value:
            if not re.fullmatch(r"[^\W\d_][\w ]*", marker):
                raise ValueError(f"the marker {marker!r} must be words, such as 'cw' or 'content warning'")
        return value


# Keys that only a policy file has; they tell `config validate` what kind of file it reads.
# "terms" and "categories" are left out: a glossary file may well use them too.
POLICY_MARKER_KEYS = frozenset(
    {"requirement", "cw_mode", "cw_markers", "patterns", "allow", "include_glossary_terms", "media"}
)


def validate_policy_data(data: object) -> list[Problem]:
    """Every problem in a policy read from YAML, each with its path (``patterns[2].regex``)."""
    return _parse(data)[1]


def policy_from_data(data: object) -> GuildPolicy:
    """A ``GuildPolicy`` from YAML data; raise ``PolicyError`` listing every problem."""
    policy, problems = _parse(data)
    if problems or policy is None:
        raise PolicyError(problems)
    return policy


def policy_from_yaml(text: str) -> GuildPolicy:
    """A ``GuildPolicy`` from YAML text; problems carry their line numbers."""
    try:
        document = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise PolicyError([exc.problem]) from None
    policy, problems = _parse(document.data)
    if problems or policy is None:
        raise PolicyError([problem.at_line(document.lines) for problem in problems])
    return policy


def _parse(data: object) -> tuple[GuildPolicy | None, list[Problem]]:
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        return None, [Problem((), "a policy must be a mapping of keys such as requirement and terms")]
    try:
        model = PolicyModel.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation_error(exc)
        reported = {problem.path for problem in problems}
        return None, problems + [p for p in _undeclared_categories(data) if p.path not in reported]
    problems = _cross_checks(model) + _undeclared_categories(data)
    if problems:
        return None, problems
    return _freeze(model), []


def _cross_checks(model: PolicyModel) -> list[Problem]:
    problems = []
    for index, term in enumerate(model.terms):
        spellings = [(("terms", index, "name"), term.name)]
        spellings += [(("terms", index, "aliases", i), alias) for i, alias in enumerate(term.aliases)]
        problems += [Problem(path, f'"{text}" has no letters to match') for path, text in spellings if not _key(text)]
    problems += [
        Problem(("allow", index), f'"{phrase}" has no letters to match')
        for index, phrase in enumerate(model.allow)
        if not _key(phrase)
    ]
    return problems


def _undeclared_categories(data: Mapping) -> list[Problem]:
    """A pattern's category must be declared, so that a typo cannot make a category no label covers.

    Works on the raw data, so that this problem shows up beside any others in the file.
    """

    def listed(key: str) -> list:
        value = data.get(key)
        return value if isinstance(value, list) else []

    categories = data.get("categories")
    known = {str(name).strip().casefold() for name in categories} if isinstance(categories, Mapping) else set()
    known |= {str(term.get("category")).strip().casefold() for term in listed("terms") if isinstance(term, Mapping)}
    return [
        Problem(
            ("patterns", index, "category"),
            f'the category "{pattern["category"]}" is not used by any term; '
            "list it under categories (a glossary category too) or fix the spelling",
        )
        for index, pattern in enumerate(listed("patterns"))
        if isinstance(pattern, Mapping)
        and isinstance(pattern.get("category"), str)
        and pattern["category"].strip().casefold() not in known
    ]


def policy_to_data(policy: GuildPolicy) -> dict[str, object]:
    """The YAML data of ``policy``: ``policy_from_data(policy_to_data(p)) == p``.

    Lets a caller extend a loaded policy (a guild's own terms) and check the whole
    with ``validate_policy_data``, the same checks a policy file gets.
    """
    return {
        "requirement": policy.requirement,
        "cw_mode": policy.cw_mode,
        "cw_markers": list(policy.cw_markers),
        "media": policy.media,
        "include_glossary_terms": policy.include_glossary_terms,
        "categories": {name: list(labels) for name, labels in policy.categories},
        "terms": [{"name": t.name, "category": t.category, "aliases": list(t.aliases)} for t in policy.terms],
        "patterns": [
            {"category": p.category, "regex": p.regex, **({"name": p.name} if p.name else {})} for p in policy.patterns
        ],
        "allow": list(policy.allow),
    }


def _key(text: str) -> str:
    return spaceless_key(text) if has_spaceless_script(text) else word_key(text)


def _freeze(model: PolicyModel) -> GuildPolicy:
    return GuildPolicy(
        requirement=model.requirement,
        cw_mode=model.cw_mode,
        cw_markers=tuple(model.cw_markers),
        media=model.media,
        include_glossary_terms=model.include_glossary_terms,
        terms=tuple(Term(t.name, t.category, tuple(t.aliases)) for t in model.terms),
        patterns=tuple(Pattern(p.category, p.regex, p.name) for p in model.patterns),
        allow=tuple(model.allow),
        categories=tuple((name, tuple(labels)) for name, labels in model.categories.items()),
    )
