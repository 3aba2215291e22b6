"""What each channel demands: spoiler, cw, either, both; and what counts as hidden."""

from __future__ import annotations

import pytest

# (content, requirement, reasons expected; empty means the message passes)
CASES = [
    # hidden, partly hidden, code, escapes, unclosed, multi-line
    ("||ntr||", "spoiler", []),
    ("net||orare||", "spoiler", ["not_hidden"]),
    ("||net||orare", "spoiler", ["not_hidden"]),
    ("n||tr||", "spoiler", ["not_hidden"]),
    ("`ntr`", "spoiler", ["not_hidden"]),
    ("`||ntr||`", "spoiler", ["not_hidden"]),
    ("```\n||ntr||\n```", "spoiler", ["not_hidden"]),
    ("||`ntr`||", "spoiler", []),
    ("\\|\\|ntr\\|\\|", "spoiler", ["not_hidden"]),
    ("||ntr", "spoiler", ["not_hidden"]),
    ("||first line\nntr on the second||", "spoiler", []),
    ("||n t r||", "spoiler", []),
    ("||n|| t r", "spoiler", ["not_hidden"]),
    ("||寝取られ||", "spoiler", []),
    ("寝取||られ||", "spoiler", ["not_hidden"]),
    # cw
    ("CW: ntr\nntr", "cw", []),
    ("||ntr||", "cw", ["cw_missing_label"]),
    ("ntr", "cw", ["cw_missing_label"]),
    # either
    ("||ntr||", "either", []),
    ("CW: ntr\nntr", "either", []),
    ("ntr", "either", ["not_hidden"]),
    ("CW: gore\nntr", "either", ["cw_missing_label"]),
    ("CW: gore\n||ntr||", "either", []),
    # both
    ("CW: ntr\n||ntr||", "both", []),
    ("CW: ntr\nntr", "both", ["not_hidden"]),
    ("||ntr||", "both", ["cw_missing_label"]),
    ("CW: gore\n||ntr||", "both", ["cw_missing_label"]),
]


@pytest.mark.parametrize(("content", "requirement", "reasons"), CASES)
def test_channel_requirement(judge, content: str, requirement: str, reasons: list[str]) -> None:
    verdict = judge(content, requirement=requirement)
    assert [f.reason for f in verdict.findings] == reasons
    assert verdict.flagged is bool(reasons)


def test_the_policy_requirement_applies_without_override(default_compiled, judge) -> None:
    assert default_compiled.policy.requirement == "either"
    assert not judge("CW: ntr\nntr").flagged
    assert not judge("||ntr||").flagged
