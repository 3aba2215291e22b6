"""The engine's answer: whether a message breaks the policy, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

Reason = Literal["not_hidden", "cw_missing_label", "attachment_not_spoilered"]


class Finding(NamedTuple):
    """One offending occurrence.

    ``start``/``end`` are Python string indices into the original content, so
    ``content[start:end] == text``. For an attachment they are both 0, ``text`` is
    empty and ``term`` is the file name. A named tuple: a flagged post has several,
    and a tuple is built three times faster than a frozen dataclass.
    """

    term: str
    category: str
    text: str
    start: int
    end: int
    reason: Reason

    def as_dict(self) -> dict[str, object]:
        return {
            "term": self.term,
            "category": self.category,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Fix:
    """The message rewritten so it passes: new content, and which attachments to mark as spoilers."""

    content: str
    spoiler_attachments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    flagged: bool
    findings: tuple[Finding, ...] = ()
    fix: Fix | None = None

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(finding.category for finding in self.findings))
