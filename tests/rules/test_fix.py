"""The suggested fix: lines wrapped without breaking code or spoilers, or labels added."""

from __future__ import annotations

import pytest

from bot.rules import MessageFacts, evaluate


@pytest.mark.parametrize(
    ("content", "requirement", "fixed"),
    [
        ("I love ntr", "either", "||I love ntr||"),
        ("hello\nthe ntr part\nbye", "spoiler", "hello\n||the ntr part||\nbye"),
        ("  indented ntr  ", "spoiler", "  ||indented ntr||  "),
        ("> quoted ntr", "spoiler", "> ||quoted ntr||"),
        ("  - listed ntr", "spoiler", "  - ||listed ntr||"),
        ("net||orare|| is fine?", "spoiler", "||netorare is fine?||"),  # old markers inside are dropped
        ("a `code ||x||` then ntr", "spoiler", "||a `code ||x||` then ntr||"),  # the code stays whole
        ("```\nntr\n```\nafter", "spoiler", "||```\nntr\n```||\nafter"),
        ("a | b\nntr", "spoiler", "a \\| b\n||ntr||"),  # a literal pipe cannot pair with the new markers
        ("ends with ntr\\", "spoiler", "||ends with ntr\\ ||"),
        ("ntr", "cw", "CW: ntr\nntr"),
        ("CW: gore\nntr", "cw", "CW: gore, ntr\nntr"),
        ("[CW gore]\nntr", "cw", "[CW gore, ntr]\nntr"),
        ("ntr", "both", "CW: ntr\n||ntr||"),
        ("R:NTR", "both", "CW: ntr\n||R:NTR||"),  # the r of the warning must not run on into the body
        ("S:NTRS", "both", "CW: ntr\n||S:NTRS||"),  # nor "ntr" + newline + "s" read as "ntrs"
    ],
)
def test_fix_rewrites_the_message(judge, content: str, requirement: str, fixed: str) -> None:
    verdict = judge(content, requirement=requirement)
    assert verdict.fix is not None
    assert verdict.fix.content == fixed
    assert not judge(fixed, requirement=requirement).flagged


def test_passing_messages_have_no_fix(judge) -> None:
    assert judge("||ntr||").fix is None


def test_fix_falls_back_to_one_spoiler_when_lines_will_not_do(default_compiled) -> None:
    # The unclosed || on the first line would pair with a new marker; escaping keeps it literal.
    content = "x ||\nntr"
    verdict = evaluate(MessageFacts(content), default_compiled, requirement="spoiler")
    assert verdict.fix is not None
    assert not evaluate(MessageFacts(verdict.fix.content), default_compiled, requirement="spoiler").flagged
