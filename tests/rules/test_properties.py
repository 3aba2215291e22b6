"""Properties that must hold for any message, found by hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules import MessageFacts, evaluate
from bot.rules.index import Hit, TermRef, _outermost

# Pieces that reach the interesting corners: markers, code, escapes, warnings, evasions.
PIECES = [
    "ntr",
    "NTR",
    "n t r",
    "N.T.R",
    "net",
    "orare",
    "netorare",
    "cuck",
    "old",
    "寝取られ",
    "寝取",
    "られ",
    "||",
    "|",
    "`",
    "```",
    "\\",
    "\\|",
    "\n",
    " ",
    "  ",
    "CW: ",
    "[TW ",
    "]",
    "cheating",
    ", ",
    "gore",
    "no ntr",
    "entrance",
    "\u200b",
    "ｎ",
    "é",
    "*",
    "-",
    "'s",
    "s",
    "a",
    "0",
    "> ",
]
messages = st.one_of(st.text(), st.lists(st.sampled_from(PIECES), max_size=25).map("".join))
requirements = st.sampled_from(["spoiler", "cw", "either", "both"])


@settings(parent=settings.get_profile("rules"))
@given(content=messages, requirement=requirements)
def test_never_raises_and_offsets_slice_the_original(default_compiled, content: str, requirement: str) -> None:
    verdict = evaluate(MessageFacts(content), default_compiled, requirement=requirement)
    assert verdict.flagged is bool(verdict.findings)
    for finding in verdict.findings:
        assert 0 <= finding.start < finding.end <= len(content)
        assert content[finding.start : finding.end] == finding.text


@settings(parent=settings.get_profile("rules"))
@given(content=messages, requirement=requirements)
def test_the_suggested_fix_always_passes(default_compiled, content: str, requirement: str) -> None:
    verdict = evaluate(MessageFacts(content), default_compiled, requirement=requirement)
    if verdict.flagged:
        assert verdict.fix is not None
        again = evaluate(MessageFacts(verdict.fix.content), default_compiled, requirement=requirement)
        assert not again.flagged, (verdict.fix.content, again.findings)


# Text with no markup of its own: wrapping it is then a plain spoiler around everything.
unmarked = st.one_of(
    st.text(alphabet=st.characters(blacklist_characters="|`\\"), min_size=1),
    st.lists(st.sampled_from([p for p in PIECES if not set(p) & set("|`\\")]), min_size=1, max_size=25).map("".join),
)


@settings(parent=settings.get_profile("rules"))
@given(content=unmarked, requirement=st.sampled_from(["spoiler", "either"]))
def test_wrapping_the_whole_message_in_a_spoiler_passes(default_compiled, content: str, requirement: str) -> None:
    verdict = evaluate(MessageFacts(f"||{content}||"), default_compiled, requirement=requirement)
    assert not verdict.flagged, verdict.findings


@pytest.mark.parametrize("content", ["ntr " * 1000, "n t r " * 700, "寝取られ" * 1000, "||ntr|| " * 500])
def test_long_messages_are_handled(default_compiled, content: str) -> None:
    verdict = evaluate(MessageFacts(content), default_compiled, requirement="spoiler")
    assert all(content[f.start : f.end] == f.text for f in verdict.findings)


hit_lists = st.lists(
    st.builds(
        lambda start, length, name, category: Hit(start, start + length, TermRef(name, category)),
        st.integers(0, 12), st.integers(1, 6), st.sampled_from(["ntr", "netori"]), st.sampled_from(["ntr", "gore"]),
    ),
    max_size=8,
)


@settings(parent=settings.get_profile("rules"))
@given(hits=hit_lists)
def test_outermost_keeps_exactly_the_hits_no_other_hit_contains(hits: list[Hit]) -> None:
    # Its plain definition: a hit goes when another, with a different span, covers it; ties by span all stay.
    def covered(hit: Hit) -> bool:
        return any(
            other.start <= hit.start and hit.end <= other.end and (other.start, other.end) != (hit.start, hit.end)
            for other in hits
        )

    expected = sorted(
        {hit for hit in hits if not covered(hit)}, key=lambda h: (h.start, -h.end, h.term.category, h.term.name)
    )
    assert _outermost(hits) == expected
