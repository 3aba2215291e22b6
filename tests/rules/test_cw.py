"""Content-warning lines: markers, labels, strict and lenient coverage."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules import GuildPolicy, MessageFacts, Term, compile_policy, evaluate
from bot.rules.cwline import first_line_span, parse_cw_line
from bot.rules.model import DEFAULT_CW_MARKERS


@pytest.mark.parametrize(
    ("content", "labels"),
    [
        ("CW: NTR, cheating\nbody", ("NTR", "cheating")),
        ("cw:ntr", ("ntr",)),
        ("TW - netorare", ("netorare",)),
        ("Content Warning: ntr and cheating", ("ntr", "cheating")),
        ("trigger warning: ntr / gore", ("ntr", "gore")),
        ("[CW NTR]\nbody", ("NTR",)),
        ("[cw: ntr; gore] more", ("ntr", "gore")),
        ("(TW ntr)\nbody", ("ntr",)),
        ("\n\n  **CW:** ntr", ("ntr",)),
        ("> CW: ntr", ("ntr",)),
        ("-# TW: ntr", ("ntr",)),
        ("CW:", ()),
    ],
)
def test_warning_lines_are_read(content: str, labels: tuple[str, ...]) -> None:
    line = parse_cw_line(content, DEFAULT_CW_MARKERS)
    assert line is not None and line.labels == labels


@pytest.mark.parametrize(
    "content",
    [
        "Tw is great",  # no colon or dash after the marker
        "cwntr: x",
        "hello\nCW: ntr",  # not the first non-empty line
        "[CW ntr",  # bracket never closed
        "The CW: ntr",
    ],
)
def test_other_lines_are_not_warnings(content: str) -> None:
    assert parse_cw_line(content, DEFAULT_CW_MARKERS) is None


def test_markers_are_configurable() -> None:
    assert parse_cw_line("Spoilers for: ntr", ("spoilers for",)).labels == ("ntr",)
    assert parse_cw_line("CW: ntr", ("spoilers for",)) is None


@pytest.mark.parametrize(
    ("content", "flagged"),
    [
        ("CW: NTR\nshe chose ntr", False),  # the category's own name
        ("CW: netorare\nntr ahead", False),  # a term of the category
        ("CW: cuckoldry\nntr ahead", False),  # a term alias
        ("CW: cheating\nntr ahead", False),  # a label the policy lists for the category
        ("CW: mild NTR themes\nntr ahead", False),  # one word of the label is enough
        ("CW: gore\nntr ahead", True),
        ("CW:\nntr ahead", True),
        ("CW: net\nntr", True),
    ],
)
def test_strict_mode_needs_a_covering_label(judge, content: str, flagged: bool) -> None:
    verdict = judge(content, requirement="cw")
    assert verdict.flagged is flagged
    if flagged:
        assert {f.reason for f in verdict.findings} == {"cw_missing_label"}


def test_lenient_mode_takes_any_warning_line(default_policy) -> None:
    from dataclasses import replace

    lenient = compile_policy(replace(default_policy, cw_mode="lenient", requirement="cw"))
    assert not evaluate(MessageFacts("CW: gore\nntr ahead"), lenient).flagged
    assert not evaluate(MessageFacts("CW:\nntr ahead"), lenient).flagged
    assert evaluate(MessageFacts("ntr ahead"), lenient).flagged


def test_terms_on_the_warning_line_are_the_warning(judge) -> None:
    assert not judge("CW: NTR", requirement="spoiler").flagged
    assert not judge("[TW ntr]", requirement="spoiler").flagged


def test_text_after_a_bracketed_warning_is_content(judge) -> None:
    verdict = judge("[CW gore] and then ntr", requirement="cw")
    assert [(f.text, f.reason) for f in verdict.findings] == [("ntr", "cw_missing_label")]
    assert verdict.fix.content == "[CW gore, ntr] and then ntr"
    assert [f.text for f in judge("[CW ntr] and then ntr", requirement="spoiler").findings] == ["ntr"]


def test_glossary_labels_cover_their_category() -> None:
    policy = compile_policy(
        GuildPolicy(terms=(Term("netorare", "ntr"),)), extra_category_labels={"NTR": ["stolen partner"]}
    )
    verdict = evaluate(MessageFacts("CW: stolen partner\nnetorare"), policy, requirement="cw")
    assert not verdict.flagged


def test_glossary_terms_are_used_only_when_the_policy_includes_them() -> None:
    extra = (Term("guro", "gore", ("ryona",)),)
    included = compile_policy(GuildPolicy(), extra_terms=extra)
    excluded = compile_policy(GuildPolicy(include_glossary_terms=False), extra_terms=extra)
    assert evaluate(MessageFacts("ryona"), included).flagged
    assert not evaluate(MessageFacts("ryona"), excluded).flagged
    assert not evaluate(MessageFacts("CW: guro\nryona"), included, requirement="cw").flagged


def _first_line_by_lines(content: str) -> tuple[int, int] | None:
    """The plain definition ``first_line_span`` must keep: split at newlines, skip blank lines."""
    start = 0
    while start <= len(content):
        end = content.find("\n", start)
        end = len(content) if end == -1 else end
        if start < end and not content[start:end].isspace():
            return start, end
        start = end + 1
    return None


# Openings of a first line: decoration, brackets, markers in any case, whitespace of every kind
# (only \n ends a line), and characters whose case folding is not their lower case.
_CW_PIECES = st.lists(
    st.sampled_from([
        "CW", "cw", "Cw", "TW", "tw", "content warning", "CONTENT WARNING", "trigger warning", "spoiler", "c", "w",
        ":", " - ", "-", "[", "(", "]", ")", " ", "\t", "\r", "\x0b", "\u2028", "\u00a0", "\n", "\n\n", "**", "> ",
        "-# ", "## ", "#", "_", "~", "|", "ntr", "gore", ", ", " and ", "\u212a", "\u017f", "\u0130", "ß", "😂", "é",
    ]),
    max_size=10,
).map("".join)


@settings(parent=settings.get_profile("rules"))
@given(content=_CW_PIECES)
def test_the_first_line_is_the_first_that_is_not_blank(content: str) -> None:
    assert first_line_span(content) == _first_line_by_lines(content)


@settings(parent=settings.get_profile("rules"))
@given(
    content=_CW_PIECES,
    markers=st.sampled_from([DEFAULT_CW_MARKERS, ("spoiler", "cw"), ("ß",), ("\u212aw", "k"), ("é", "tw")]),
)
def test_settling_a_line_by_its_opening_never_changes_the_reading(content: str, markers: tuple[str, ...]) -> None:
    """The shortcut for a line that cannot open with a marker gives what reading every marker gives."""
    expected = parse_cw_line(content, markers)
    with patch("bot.rules.cwline._opens_plainly", lambda *_: False):  # every line read in full
        assert parse_cw_line(content, markers) == expected
