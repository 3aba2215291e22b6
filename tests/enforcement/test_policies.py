"""A guild's own terms, patterns and allow phrases: merged into the shipped policy, checked by the engine."""

from __future__ import annotations

import pytest

from bot.configfile.problems import format_path
from bot.enforcement.config import config_from_settings
from bot.rules import MessageFacts, evaluate
from bot.rules.patterns import MAX_PATTERNS

OWN = {
    "terms": [{"name": "zorbling", "category": "Body Horror", "aliases": ["zorb"]}],
    "patterns": [{"category": "gore", "regex": "blood+bath"}],
    "allow": ["zorb free"],
}


def flagged_categories(policies, values, text: str) -> list[str]:
    verdict = evaluate(MessageFacts(content=text), policies.compile(config_from_settings(values)))
    return [finding.category for finding in verdict.findings]


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        ("a zorbling crawls out", ["body horror"]),
        ("so much zorb", ["body horror"]),
        ("this one is zorb free", []),
        ("a bloodddbath", ["gore"]),
        ("plain NTR", ["ntr"]),  # the shipped terms stay
        ("no ntr here", []),  # and so does the shipped allow list
    ],
)
def test_guild_additions_are_enforced_beside_the_shipped_policy(policies, text, categories) -> None:
    assert flagged_categories(policies, OWN, text) == categories


def test_a_guild_without_additions_shares_the_default_index(policies) -> None:
    default = policies.compile(config_from_settings({}))
    assert policies.compile(config_from_settings({"terms": [], "allow": []})) is default
    assert policies.compile(config_from_settings(OWN)).fingerprint != default.fingerprint
    assert policies.compile(config_from_settings(dict(OWN))) is policies.compile(config_from_settings(OWN))


def test_a_stored_pattern_re2_refuses_is_left_out_not_fatal(policies) -> None:
    values = {**OWN, "patterns": [{"category": "gore", "regex": "(a)\\1"}]}
    assert flagged_categories(policies, values, "a zorbling, aa") == ["body horror"]


def problems(policies, terms=(), patterns=(), allow=()) -> dict[str, str]:
    return {
        format_path(p.path): p.message for p in policies.extension_problems(list(terms), list(patterns), list(allow))
    }


def test_valid_additions_have_no_problems(policies) -> None:
    assert problems(policies, OWN["terms"], OWN["patterns"], OWN["allow"]) == {}


@pytest.mark.parametrize(
    ("kwargs", "path", "words"),
    [
        ({"patterns": [{"category": "gore", "regex": "(?=x)y"}]}, "patterns[0].regex", "lookarounds"),
        ({"patterns": [{"category": "gore", "regex": "a" * 301}]}, "patterns[0].regex", "the limit is 300"),
        ({"patterns": [{"category": "gore", "regex": "x*"}]}, "patterns[0].regex", "matches empty text"),
        ({"patterns": [{"category": "nope", "regex": "x+"}]}, "patterns[0].category", "not used by any term"),
        ({"terms": [{"name": "...", "category": "gore"}]}, "terms[0].name", "no letters"),
        ({"terms": [{"name": "x", "category": "a/b"}]}, "terms[0].category", "letters, digits"),
        ({"allow": ["!!"]}, "allow[0]", "no letters"),
        ({"terms": [{"name": "x", "category": "gore"}] * 1001}, "terms", "at most 1000"),
    ],
)
def test_problems_name_the_guilds_own_entry(policies, kwargs, path, words) -> None:
    found = problems(policies, **kwargs)
    assert words in found[path]


def test_too_many_patterns_is_the_engines_limit(policies) -> None:
    patterns = [{"category": "gore", "regex": f"x{i}y+"} for i in range(MAX_PATTERNS + 1)]
    assert problems(policies, patterns=patterns[:MAX_PATTERNS]) == {}
    assert set(problems(policies, patterns=patterns)) == {"patterns"}


def test_a_pattern_may_use_a_glossary_or_own_category(policies) -> None:
    own_term = [{"name": "zorbling", "category": "Zorbs"}]
    assert problems(policies, own_term, [{"category": "zorbs", "regex": "zo+rb"}]) == {}
    assert problems(policies, patterns=[{"category": "mind break", "regex": "broke+n"}]) == {}


def test_categories_offered_include_the_guilds_own(policies) -> None:
    offered = policies.categories(config_from_settings({"terms": [{"name": "x", "category": "Zorbs"}]}))
    assert {"NTR", "gore", "Zorbs"} <= set(offered)
    assert len(offered) == len({name.casefold() for name in offered})
