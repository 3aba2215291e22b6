"""Compiled policies are shared by fingerprint, so ten thousand default guilds cost one index."""

from __future__ import annotations

import gc

import pytest

from bot.configfile.problems import format_path
from bot.rules import GuildPolicy, PolicyError, Term, compile_policy, policy_from_data
from bot.rules.compiled import _INDEXES


def test_same_policy_shares_one_compiled_object() -> None:
    first = compile_policy({"terms": [{"name": "ntr", "category": "ntr"}]})
    second = compile_policy(policy_from_data({"terms": [{"name": "ntr", "category": "ntr"}]}))
    assert first is second


def test_settings_differ_but_the_index_is_shared() -> None:
    terms = (Term("ntr", "ntr"),)
    spoiler = compile_policy(GuildPolicy(terms=terms, requirement="spoiler"))
    cw = compile_policy(GuildPolicy(terms=terms, requirement="cw"))
    assert spoiler is not cw
    assert spoiler.index is cw.index


def test_extra_terms_change_the_fingerprint() -> None:
    plain = compile_policy(GuildPolicy())
    with_glossary = compile_policy(GuildPolicy(), extra_terms=(Term("guro", "gore"),))
    assert plain.fingerprint != with_glossary.fingerprint
    assert plain.index is not with_glossary.index


def test_unused_indexes_are_released() -> None:
    compiled = compile_policy(GuildPolicy(terms=(Term("a very unusual term", "rare"),)))
    key = next(k for k, v in _INDEXES.items() if v is compiled.index)
    del compiled
    gc.collect()
    assert key not in _INDEXES


def test_compiling_bad_data_lists_its_problems() -> None:
    with pytest.raises(PolicyError) as caught:
        compile_policy({"requirement": "never", "terms": [{"name": "x"}]})
    assert {format_path(problem.path) for problem in caught.value.problems} == {"requirement", "terms[0].category"}
