"""Decide whether a message complies with its channel's policy: the one public entry point.

A term complies when the channel's demand is met for it: ``spoiler`` (every one of
its characters is behind a spoiler), ``cw`` (the content-warning line covers its
category; in lenient mode any warning line does), ``either`` or ``both``. Terms on
the warning line itself are the warning, not a breach. Images and videos must be
spoiler-marked when the channel says so for all media, or (``flagged``) when the
message touches a sensitive subject: a term anywhere in it, or a warning line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from bot.rules import fix as rewrite
from bot.rules.compiled import CompiledPolicy
from bot.rules.cwline import CwLine, parse_cw_line
from bot.rules.facts import MessageFacts
from bot.rules.index import Hit
from bot.rules.keys import label_keys
from bot.rules.markdown import Layout, parse_layout
from bot.rules.model import MediaRule, Requirement
from bot.rules.normalize import NormalizedText, normalize
from bot.rules.spans import span_at
from bot.rules.verdict import Finding, Fix, Reason, Verdict

_LETTER = re.compile(r"[^\W_]")  # letters and digits of any script
_CLEAN = Verdict(flagged=False)


class _Occurrence(NamedTuple):  # a tuple: built for every term found, three times faster than a dataclass
    hit: Hit
    start: int
    end: int
    hidden: bool
    covered: bool


@dataclass(frozen=True, slots=True)
class _Reading:
    """Everything the engine learned about one message; the fix is built from it."""

    layout: Layout
    cw: CwLine | None
    occurrences: tuple[_Occurrence, ...]
    findings: tuple[Finding, ...]


_NOTHING_FOUND = _Reading(Layout((), (), (), (), frozenset()), None, (), ())


def evaluate(
    message: MessageFacts,
    policy: CompiledPolicy,
    *,
    requirement: Requirement | None = None,
    media: MediaRule | None = None,
    with_fix: bool = True,
) -> Verdict:
    """The verdict on ``message``; ``requirement``/``media`` override the policy for one channel.

    Working out the fix costs more than finding the breach, since the fix is read
    again to prove it passes. ``with_fix=False`` skips it (``fix`` is then None), for
    callers that only need to know whether and where a post breaks the rules.
    """
    requirement = requirement or policy.policy.requirement
    media = media or policy.policy.media
    reading = _read(message, policy, requirement, media)
    if not reading.findings:
        return _CLEAN
    return Verdict(
        flagged=True,
        findings=reading.findings,
        fix=_suggest_fix(message, policy, requirement, media, reading) if with_fix else None,
    )


def _read(message: MessageFacts, policy: CompiledPolicy, requirement: Requirement, media: MediaRule) -> _Reading:
    content = message.content
    attachments = message.attachments
    needs_media_check = media == "all" or (
        media == "flagged" and bool(attachments) and any(a.is_media for a in attachments)
    )
    prefilter = policy.index.prefilter
    term_free = prefilter is not None and prefilter.clean_test(content)  # rules_out, in C where it can be
    if term_free and not needs_media_check:
        return _NOTHING_FOUND
    if term_free:
        if media == "flagged" and parse_cw_line(content, policy.policy.cw_markers) is None:
            return _NOTHING_FOUND  # no term and no warning line: nothing makes the media sensitive
        text, hits = None, []  # media still count when a warning line makes the post sensitive
    else:
        text = normalize(content)
        if prefilter is not None and not content.isascii() and prefilter.rules_out_normalized(text):
            if not needs_media_check:
                return _NOTHING_FOUND
            hits = []
        else:
            hits = policy.index.find(text)
    if not hits and not needs_media_check:
        return _NOTHING_FOUND
    layout = parse_layout(content)
    cw = parse_cw_line(content, policy.policy.cw_markers)
    occurrences = []
    findings = []
    # One pass per hit, with the per-hit questions answered inline: a flagged post has
    # several hits, and this loop was a third of its reading.
    origin = text.origin if hits else None
    hidden_anywhere = bool(layout.hidden)
    covers = _coverage_test(cw, policy)
    for hit in hits:
        start, end, term = hit
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        if cw is not None and cw.start <= start and end <= cw.end:
            continue  # the warning naming the subject is the point of the warning
        occurrence = _Occurrence(
            hit, start, end, hidden_anywhere and _all_hidden(text, hit, layout), covers(term.category)
        )
        occurrences.append(occurrence)
        if (reason := _breach(occurrence, requirement, cw)) is not None:
            findings.append(Finding(term.name, term.category, content[start:end], start, end, reason))
    sensitive = bool(hits) or cw is not None
    if media == "all" or (media == "flagged" and sensitive):
        category = occurrences[0].hit.term.category if occurrences else (hits[0].term.category if hits else "media")
        findings += [
            Finding(a.filename, category, "", 0, 0, "attachment_not_spoilered")
            for a in message.attachments
            if a.is_media and not a.is_spoilered
        ]
    return _Reading(layout, cw, tuple(occurrences), tuple(findings))


def _coverage_test(cw: CwLine | None, policy: CompiledPolicy) -> Callable[[str], bool]:
    """Whether the warning line covers a category: any line in lenient mode, else one naming it."""
    if cw is None:
        return _never
    if policy.policy.cw_mode == "lenient":
        return _always
    labels = {key for label in cw.labels for key in label_keys(label)}
    coverage = policy.index.coverage
    return lambda category: not labels.isdisjoint(coverage.get(category, ()))


def _never(_category: str) -> bool:
    return False


def _always(_category: str) -> bool:
    return True


def _all_hidden(text: NormalizedText, hit: Hit, layout: Layout) -> bool:
    """True when every letter of the term is behind a spoiler (``net||orare||`` is not)."""
    if not layout.hidden:
        return False  # a hit is never empty, so it has a character nothing hides
    start, end = text.original_span(hit.start, hit.end)
    inside = span_at(layout.hidden, start)
    if inside is not None and end <= inside[1]:
        return True  # the whole hit sits in one spoiler (the usual case in a fixed post)
    letters = [m.start() for m in _LETTER.finditer(text.folded, hit.start, hit.end)] or range(hit.start, hit.end)
    return all(layout.is_hidden(text.original_index(index)) for index in letters)


def _breach(occurrence: _Occurrence, requirement: Requirement, cw: CwLine | None) -> Reason | None:
    hidden, covered = occurrence.hidden, occurrence.covered
    if requirement == "spoiler":
        return None if hidden else "not_hidden"
    if requirement == "cw":
        return None if covered else "cw_missing_label"
    if requirement == "both":
        return "not_hidden" if not hidden else (None if covered else "cw_missing_label")
    if hidden or covered:
        return None
    return "cw_missing_label" if cw is not None else "not_hidden"


def _suggest_fix(
    message: MessageFacts, policy: CompiledPolicy, requirement: Requirement, media: MediaRule, reading: _Reading
) -> Fix | None:
    content = message.content
    breaches = [o for o in reading.occurrences if _breach(o, requirement, reading.cw) is not None]
    if requirement in ("spoiler", "either"):
        to_wrap, missing = breaches, []
    else:
        to_wrap = [o for o in breaches if not o.hidden] if requirement == "both" else []
        missing = [o.hit.term.category for o in reading.occurrences if not o.covered]
    spoiler_files = tuple(f.term for f in reading.findings if f.reason == "attachment_not_spoilered")
    marker = policy.policy.cw_markers[0]
    labels = list(dict.fromkeys(missing))
    spans = [(o.start, o.end) for o in to_wrap]
    attempts = [lambda: rewrite.wrap_lines(content, reading.layout, spans) if spans else content]
    if spans:
        attempts.append(lambda: rewrite.wrap_body(content, reading.layout, reading.cw))
    for attempt in attempts:
        candidate = attempt()
        if labels:
            candidate = rewrite.add_labels(
                candidate, parse_cw_line(candidate, policy.policy.cw_markers), labels, marker
            )
        fixed = Fix(candidate, spoiler_files)
        if _passes(fixed, message, policy, requirement, media):
            return fixed
    return None


def _passes(
    fixed: Fix, message: MessageFacts, policy: CompiledPolicy, requirement: Requirement, media: MediaRule
) -> bool:
    attachments = tuple(
        type(a)(a.filename, a.spoiler or a.filename in fixed.spoiler_attachments, a.content_type)
        for a in message.attachments
    )
    return not _read(MessageFacts(fixed.content, attachments), policy, requirement, media).findings
