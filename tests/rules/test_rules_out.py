"""``CompiledPolicy.rules_out``: the gate's first question for a post without attachments.

When it answers True the gate returns at once, without reading the post, so a True
must never be given for a post the full reading would flag. False only means "read it".
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.enforcement.sources import glossary_terms
from bot.glossary import load_glossary
from bot.resources import shipped_config_file
from bot.rules import CompiledPolicy, MessageFacts, Pattern, compile_policy, evaluate

REQUIREMENTS = ("spoiler", "cw", "either", "both")
FILLER = ["the", "ending", "is", "pure", "arc", "volume", "no", "free", "jr", "central", "entrance", "net", "or", "are",
          "cuckoo", "tr", "n", "t", "r", "x", "a", "spoilers", "CW:", "TW -", "[CW", "]", "(content warning:", ")",
          "guts", "everywhere", "so", "good"]
PUNCTUATION = ["", " ", "  ", ".", ",", "!", "?", "-", "_", "'", "'s", "s", "es", "||", "|", "*", "**", "`", "~",
               "\n", "\\", "/", ":", "(", ")", "0", "3", "4", "1"]
DISGUISES = {"a": "aA4@", "e": "eE3", "i": "iI1l", "o": "oO0", "t": "tT7", "s": "sS5$", "l": "lL1"}


def spellings(policy: CompiledPolicy, extra_terms=()) -> list[str]:
    """Every way the policy itself spells its terms, and the phrases it allows."""
    terms = (*policy.policy.terms, *extra_terms)
    return sorted({s for term in terms for s in (term.name, *term.aliases)} | set(policy.policy.allow))


@st.composite
def disguised(draw, words: list[str]) -> str:
    """A term as members write it: case, leetspeak, stretched letters, punctuation between letters."""
    word = draw(st.sampled_from(words))
    between = draw(st.sampled_from(["", "", ".", " ", "-", "||", "*"]))
    letters = []
    for letter in word:
        form = draw(st.sampled_from(DISGUISES.get(letter.lower(), letter + letter.upper())))
        letters.append(form * draw(st.integers(1, 3)))
    if draw(st.booleans()):
        return word  # as the policy spells it
    return between.join(letters) + draw(st.sampled_from(["", "s", "es", "'s"]))


def posts(words: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(disguised(words), st.sampled_from(FILLER), st.sampled_from(PUNCTUATION))
    joiner = st.sampled_from(["", " ", "\n"])
    return st.tuples(st.lists(piece, min_size=1, max_size=12), joiner).map(lambda parts: parts[1].join(parts[0]))


SHIPPED_TERMS, SHIPPED_LABELS = glossary_terms(load_glossary(shipped_config_file("glossary.yaml")))


@pytest.fixture(scope="module")
def shipped_compiled(default_policy) -> CompiledPolicy:
    """The default policy with the shipped glossary's terms, as the bot runs it."""
    return compile_policy(default_policy, SHIPPED_TERMS, SHIPPED_LABELS)


@pytest.fixture(scope="module")
def with_pattern(default_policy) -> CompiledPolicy:
    """The default policy and a moderator's pattern, which ``rules_out`` must check too."""
    return compile_policy(replace(default_policy, patterns=(Pattern("gore", r"guts?\s+everywhere"),)))


def read_in_full(policy: CompiledPolicy) -> CompiledPolicy:
    """The same policy without its prefilter: ``evaluate`` then reads every post in full.

    ``evaluate`` asks the same prefilter first, so with the policy itself as the judge
    a wrong True would agree with itself and go unnoticed.
    """
    return CompiledPolicy(policy.policy, replace(policy.index, prefilter=None), policy.fingerprint)


def assert_passes_when_ruled_out(policy: CompiledPolicy, content: str) -> None:
    if policy.rules_out(content):
        judge = read_in_full(policy)
        for requirement in REQUIREMENTS:
            verdict = evaluate(MessageFacts(content), judge, requirement=requirement)
            assert not verdict.flagged, (content, requirement, verdict.findings)


@settings(parent=settings.get_profile("rules"))
@given(data=st.data())
def test_a_post_ruled_out_is_never_flagged(default_compiled, data) -> None:
    content = data.draw(posts(spellings(default_compiled)))
    assert_passes_when_ruled_out(default_compiled, content)


@settings(parent=settings.get_profile("rules"))
@given(data=st.data())
def test_a_post_ruled_out_is_never_flagged_with_the_shipped_glossary(shipped_compiled, data) -> None:
    content = data.draw(posts(spellings(shipped_compiled, SHIPPED_TERMS)))
    assert_passes_when_ruled_out(shipped_compiled, content)


@settings(parent=settings.get_profile("rules"))
@given(data=st.data())
def test_a_post_ruled_out_is_never_flagged_by_a_moderators_pattern(with_pattern, data) -> None:
    content = data.draw(posts([*spellings(with_pattern), "guts everywhere", "gut everywhere", "GUTS   everywhere"]))
    assert_passes_when_ruled_out(with_pattern, content)


@pytest.mark.parametrize(
    "content",
    [
        "Honestly the ending of that arc was great, I finished it tonight!",
        "The entrance exam arc is the best part of the central story.",
        "lol same. don't spoil it pls :) it's my favourite route",
        "",
    ],
)
def test_clean_sentences_are_ruled_out(default_compiled, content: str) -> None:
    assert default_compiled.rules_out(content)


@pytest.mark.parametrize(
    "content",
    [
        "ntr",
        "n.t.r",
        "the ending is pure ntr",
        "N.T.R again",
        "nnttrr",
        "c.u.c.k.o.l.d",
        # Beyond ASCII, rules_out never answers: such a post is read (and normalized) in full.
        "a nice café",
        "I’m so hyped for the next chapter",
        "寝取られ",
        "Café scene — best panel of the volume ❤️",
    ],
)
def test_terms_and_text_beyond_ascii_are_not_ruled_out(default_compiled, content: str) -> None:
    assert not default_compiled.rules_out(content)


def test_a_moderators_pattern_is_not_ruled_out(with_pattern) -> None:
    assert not with_pattern.rules_out("and then GUTS   everywhere")
    assert with_pattern.rules_out("guts, but not all over")


def test_the_judge_reads_in_full(default_compiled) -> None:
    judge = read_in_full(default_compiled)
    assert judge.index.prefilter is None and not judge.rules_out("a clean sentence")
    for content in ("the ending is pure ntr", "n.t.r", "寝取られ", "nnttrr"):
        assert evaluate(MessageFacts(content), judge).flagged, content
