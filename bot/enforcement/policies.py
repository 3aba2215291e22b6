"""The compiled rule policy a guild's messages are judged by.

The shipped default policy plus the glossary's terms that need a warning, with
the guild's content-warning mode applied and the guild's own terms, patterns and
allow-list phrases added. ``compile_policy`` shares one compiled index among every
guild with the same inputs, so ten thousand guilds on the defaults cost one index;
this class only remembers which one each guild uses.

A guild's additions are checked here too, merged into the shipped policy and run
through the engine's own validators, so a moderator hears the same plain reason
for a refused regex as a policy file's author does.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from bot.configfile.problems import Problem
from bot.enforcement.config import EnforcementConfig
from bot.enforcement.sources import glossary_terms
from bot.glossary import Glossary
from bot.rules import (
    CompiledPolicy,
    GuildPolicy,
    compile_policy,
    policy_to_data,
    validate_policy_data,
)
from bot.rules.index import category_id
from bot.rules.patterns import PatternRefused

log = logging.getLogger(__name__)

EXTENSION_KEYS = ("terms", "patterns", "allow")
# A guild's own lists live in one settings row each; the engine caps patterns itself.
MAX_GUILD_TERMS = 1000
MAX_GUILD_ALLOW = 500


class GuildPolicies:
    def __init__(self, base: GuildPolicy, glossary: Glossary) -> None:
        self._base = base
        self._base_data = policy_to_data(base)
        self._terms, self._labels = glossary_terms(glossary)
        self._by_guild: dict[int, CompiledPolicy] = {}
        # Findings carry a category's id (case-folded); people read it as the glossary or policy spells it.
        self.category_names: dict[str, str] = {
            category_id(name): name
            for name in (*(t.category for t in (*base.terms, *self._terms)), *(n for n, _ in base.categories))
        }

    def for_guild(self, guild_id: int, config: EnforcementConfig, glossary: Glossary | None = None) -> CompiledPolicy:
        """The guild's compiled policy (with its own glossary, when given); built on first use and after ``forget``."""
        compiled = self._by_guild.get(guild_id)
        if compiled is None:
            compiled = self._by_guild[guild_id] = self.compile(config, glossary)
        return compiled

    def compile(self, config: EnforcementConfig, glossary: Glossary | None = None) -> CompiledPolicy:
        """``config``'s policy; the glossary's terms are the shipped glossary's unless ``glossary`` is given."""
        terms, labels = (self._terms, self._labels) if glossary is None else glossary_terms(glossary)
        policy = self._base
        changes: dict[str, Any] = {}
        if config.cw_mode and config.cw_mode != policy.cw_mode:
            changes["cw_mode"] = config.cw_mode
        if config.terms or config.patterns or config.allow:
            changes["terms"] = (*policy.terms, *config.terms)
            changes["patterns"] = (*policy.patterns, *config.patterns)
            changes["allow"] = (*policy.allow, *config.allow)
        if changes:
            policy = dataclasses.replace(policy, **changes)
        try:
            return compile_policy(policy, terms, labels)
        except PatternRefused:
            # Commands refuse such a pattern before storing it; only a hand-edited
            # database gets here, and the guild keeps its terms without its patterns.
            log.warning("A stored pattern cannot be compiled; the guild's patterns are left out", exc_info=True)
            return compile_policy(dataclasses.replace(policy, patterns=self._base.patterns), terms, labels)

    def forget(self, guild_id: int) -> None:
        self._by_guild.pop(guild_id, None)

    @property
    def category_labels(self) -> Mapping[str, tuple[str, ...]]:
        return self._labels

    @property
    def base(self) -> GuildPolicy:
        return self._base

    def category_names_for(self, config: EnforcementConfig) -> dict[str, str]:
        """``category_names`` with the guild's own categories added, spelled as the guild spelled them."""
        names = dict(self.category_names)
        for term in config.terms:
            names.setdefault(category_id(term.category), term.category)
        return names

    def categories(self, config: EnforcementConfig) -> list[str]:
        """Every category a guild can use: the policy's, the glossary's and the guild's own, each once."""
        return sorted(self.category_names_for(config).values(), key=str.casefold)

    def extension_problems(self, terms: Sequence[Any], patterns: Sequence[Any], allow: Sequence[Any]) -> list[Problem]:
        """Every problem in a guild's own terms, patterns and allow list (their stored data).

        They are checked merged into the shipped policy by ``validate_policy_data``,
        so the engine's limits (pattern count, RE2, lengths) apply to the whole; each
        problem's path names the guild's own list (``patterns[2].regex``).
        """
        data = dict(self._base_data)
        offsets = {key: len(data[key]) for key in EXTENSION_KEYS}  # type: ignore[arg-type]
        for key, extra in zip(EXTENSION_KEYS, (terms, patterns, allow), strict=True):
            data[key] = [*data[key], *extra]  # type: ignore[misc]
        # A pattern may use a glossary category, which the engine sees only at compile time.
        categories = dict(data["categories"])  # type: ignore[call-overload]
        declared = {category_id(name) for name in categories}
        categories.update({name: [] for key, name in self.category_names.items() if key not in declared})
        data["categories"] = categories
        problems = [
            Problem((key,), f"a server may add at most {limit} of these; there are {len(items)}")
            for key, items, limit in (("terms", terms, MAX_GUILD_TERMS), ("allow", allow, MAX_GUILD_ALLOW))
            if len(items) > limit
        ]
        return problems + [_relative(problem, offsets) for problem in validate_policy_data(data)]


def _relative(problem: Problem, offsets: Mapping[str, int]) -> Problem:
    path = problem.path
    if len(path) >= 2 and path[0] in offsets and isinstance(path[1], int):
        path = (path[0], path[1] - offsets[path[0]], *path[2:])  # type: ignore[index]
    return dataclasses.replace(problem, path=path)
