"""Import problem reports fit in one message; patterns are shown as written."""

from __future__ import annotations

from bot.adapters.policy_admin import pattern_line, problem_report
from bot.configfile.problems import Problem
from bot.rules import Pattern


def test_a_problem_report_is_cut_short_and_says_how_many_are_left() -> None:
    problems = [Problem(("allow", i), '"!!" has no letters to match', line=i + 3) for i in range(300)]
    report = problem_report(problems, "Nothing changed: the file has 300 problems.")
    lines = report.splitlines()
    shown = len(lines) - 2
    assert len(report) <= 2000
    assert lines[1] == '- line 3: allow[0]: "!!" has no letters to match'
    assert lines[-1] == f"…and {300 - shown} more, every one in the attached file."


def test_a_short_problem_report_lists_everything() -> None:
    report = problem_report([Problem(("action",), "must be 'flag'", line=2)], "Nothing changed.")
    assert report == "Nothing changed.\n- line 2: action: must be 'flag'"


def test_a_pattern_is_shown_as_written() -> None:
    assert pattern_line(2, Pattern("gore", r"blo*d_`x`")) == "2. `blo*d_ˋxˋ` (gore)"
