"""Loading a policy: defaults, every problem with its path, RE2 refusals, the file kind."""

from __future__ import annotations

import dataclasses

import pytest

from bot.configfile.kinds import KINDS, validate_text
from bot.configfile.problems import format_path
from bot.rules import Pattern, PolicyError, policy_from_data, policy_from_yaml, policy_to_data, validate_policy_data
from bot.rules.patterns import MAX_PATTERN_LENGTH, MAX_PATTERNS


def with_pattern(regex: str) -> dict:
    return {"patterns": [{"category": "ntr", "regex": regex}], "categories": {"ntr": []}}


def paths(data) -> dict[str, str]:
    return {format_path(problem.path): problem.message for problem in validate_policy_data(data)}


def test_defaults() -> None:
    policy = policy_from_data({})
    assert (policy.requirement, policy.cw_mode, policy.media, policy.include_glossary_terms) == (
        "either",
        "strict",
        "flagged",
        True,
    )
    assert policy.cw_markers == ("cw", "tw", "content warning", "trigger warning")


def test_shipped_policy_is_valid_and_lists_the_ntr_family(default_policy) -> None:
    spellings = {s.casefold() for t in default_policy.terms for s in (t.name, *t.aliases)}
    assert {
        "netorare",
        "ntr",
        "寝取られ",
        "netori",
        "寝取り",
        "netorase",
        "寝取らせ",
        "cuckold",
        "cuckolding",
        "cuck",
    } <= spellings
    assert default_policy.requirement == "either" and default_policy.cw_mode == "strict"
    assert default_policy.include_glossary_terms and default_policy.media == "flagged"


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [
        ({"requirement": "sometimes"}, "requirement", "'spoiler', 'cw', 'either' or 'both'"),
        ({"cw_mode": "loose"}, "cw_mode", "'strict' or 'lenient'"),
        ({"media": "some"}, "media", "'flagged', 'all' or 'off'"),
        ({"terms": [{"name": "x"}]}, "terms[0].category", "is required"),
        ({"terms": [{"name": "x", "category": "a,b"}]}, "terms[0].category", "letters, digits"),
        ({"terms": [{"name": "!!!", "category": "a"}]}, "terms[0].name", "has no letters"),
        ({"terms": [{"name": "x", "category": "a", "aliases": ["ok", "..."]}]}, "terms[0].aliases[1]", "no letters"),
        ({"colour": "red"}, "colour", "is not a known field"),
        ({"categories": {"a/b": []}}, "categories", "letters, digits"),
        ({"cw_markers": ["c:w"]}, "cw_markers", "must be words"),
        (with_pattern("(a)\\1"), "patterns[0].regex", "backreferences"),
        (with_pattern("a(?=b)"), "patterns[0].regex", "lookarounds"),
        (with_pattern("(unclosed"), "patterns[0].regex", "missing )"),
        (with_pattern("a*"), "patterns[0].regex", "empty text"),
        (with_pattern("a" * (MAX_PATTERN_LENGTH + 1)), "patterns[0].regex", "the limit is"),
        ({"patterns": [{"category": "gore", "regex": "guts"}]}, "patterns[0].category", "not used by any term"),
        (
            {"patterns": [{"category": "ntr", "regex": "x"}] * (MAX_PATTERNS + 1), "categories": {"ntr": []}},
            "patterns",
            "at most",
        ),
        ({"allow": ["??"]}, "allow[0]", "no letters"),
    ],
)
def test_problems_name_their_path(data, path: str, words: str) -> None:
    problems = paths(data)
    assert path in problems, problems
    assert words in problems[path]


def test_every_problem_is_reported_at_once() -> None:
    problems = paths(
        {
            "requirement": "x",
            "patterns": [{"category": "gore", "regex": "(a)\\1"}, {"category": "ntr", "regex": "ok"}],
            "terms": [{"name": "ntr", "category": "NTR"}],
        }
    )
    assert set(problems) == {"requirement", "patterns[0].regex", "patterns[0].category"}


def test_a_pattern_category_may_be_declared_without_terms() -> None:
    assert paths({"categories": {"gore": ["blood"]}, "patterns": [{"category": "Gore", "regex": "guts"}]}) == {}


def test_yaml_problems_carry_lines() -> None:
    with pytest.raises(PolicyError) as caught:
        policy_from_yaml("requirement: either\nterms:\n  - name: ntr\n")
    (problem,) = caught.value.problems
    assert (format_path(problem.path), problem.line) == ("terms[0].category", 3)


def test_policy_is_a_registered_file_kind(default_policy) -> None:
    assert "policy" in KINDS
    kind, problems = validate_text("requirement: both\nterms: []\n")
    assert kind is KINDS["policy"] and problems == []
    kind, problems = validate_text("media: sometimes\n")
    assert kind is KINDS["policy"] and [format_path(p.path) for p in problems] == ["media"]


def test_policy_to_data_gives_back_the_same_policy(default_policy) -> None:
    named = dataclasses.replace(default_policy, patterns=(Pattern("NTR", r"n+t+r+", name="stretched"),))
    for policy in (default_policy, policy_from_data({}), named):
        assert policy_from_data(policy_to_data(policy)) == policy
