"""Moderators' regular expressions, run in RE2 so that no pattern can stall the bot.

Python's ``re`` can take exponential time on a pattern like ``(a+)+$``; RE2 runs in
time linear in the text and refuses the features that would need more
(backreferences, lookarounds). A refused pattern gets a plain-English reason.
"""

from __future__ import annotations

import re2

MAX_PATTERN_LENGTH = 300
MAX_PATTERNS = 50

_FEATURE_HINTS = (
    ("invalid escape sequence", "backreferences such as \\1 are not supported"),
    ("invalid perl operator", "lookarounds such as (?=...), (?!...), (?<=...) and (?<!...) are not supported"),
    ("invalid named capture group", "named groups must be written (?P<name>...)"),
)


class PatternRefused(ValueError):
    """The pattern cannot be used; the message says why, for a moderator."""


def _options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False  # the text is case-folded; let moderators write NTR or ntr
    options.log_errors = False  # a refused pattern is reported to the moderator, not to stderr
    return options


def compile_pattern(regex: str) -> re2._Regexp:
    """Compile a moderator pattern for RE2 or raise ``PatternRefused`` naming the reason."""
    if not regex.strip():
        raise PatternRefused("the pattern is empty")
    if len(regex) > MAX_PATTERN_LENGTH:
        raise PatternRefused(f"the pattern is {len(regex)} characters long; the limit is {MAX_PATTERN_LENGTH}")
    try:
        compiled = re2.compile(regex, _options())
    except re2.error as exc:
        detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        hint = next((text for marker, text in _FEATURE_HINTS if marker in detail), None)
        reason = f"{hint} ({detail})" if hint else detail
        raise PatternRefused(f'the pattern "{regex}" cannot be used: {reason}') from None
    if compiled.search("") is not None:
        raise PatternRefused(f'the pattern "{regex}" matches empty text, so it would flag every message')
    return compiled
