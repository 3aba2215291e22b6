"""Content-warning lines: markers, labels, strict and lenient coverage."""

from __future__ import annotations

import pytest

from bot.rules import GuildPolicy, MessageFacts, Term, compile_policy, evaluate
from bot.rules.cwline import parse_cw_line
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
