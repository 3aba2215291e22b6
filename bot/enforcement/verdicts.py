"""Reading a verdict for enforcement: its categories, and what is left once some are covered."""

from __future__ import annotations

from bot.rules import Verdict


def categories_of(verdict: Verdict) -> tuple[str, ...]:
    return tuple(dict.fromkeys(finding.category for finding in verdict.findings))


def without_categories(verdict: Verdict, covered: frozenset[str]) -> Verdict | None:
    """The verdict once findings of ``covered`` categories (a thread's CW tags) are set aside;
    None if nothing is left."""
    if not covered:
        return verdict
    remaining = tuple(finding for finding in verdict.findings if finding.category not in covered)
    return Verdict(flagged=True, findings=remaining, fix=verdict.fix) if remaining else None
