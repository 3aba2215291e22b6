"""A post as members see it, and the verdict on all of it: the post's own words and everything shown with them.

A member's text reaches a watched place in more ways than the post's ``content``: the
name and description (alt text) of a file, a link preview Discord adds, a poll's question
and answers, the text of a forwarded message. Each is judged by the same rule engine,
with the same requirement, as the post's own words.

How it is judged: each extra piece is appended to the post's words as a paragraph of its
own, inside a spoiler when members see it hidden (a spoilered file, a preview of a link in
``||…||``), and the whole is read once. The post's content-warning line, which opens it,
therefore covers the extra pieces too, and nothing is read twice.

How it is fixed: the post's own words by the engine's usual fix; a file whose name or
description names a term is re-uploaded as a spoiler; a link whose preview names a term
is put in ``<…>`` so that Discord shows no preview (a link members see is still there, a
summary of it is not); the content warning gains the categories the extra pieces need.
A poll or a forward cannot be edited or reposted by anyone but its author: it has no fix,
so the action falls to "delete and hand back" (or a flag).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from bot.rules import CompiledPolicy, MessageFacts, Verdict, evaluate
from bot.rules import fix as rewrite
from bot.rules.cwline import parse_cw_line
from bot.rules.markdown import parse_layout
from bot.rules.model import Requirement
from bot.rules.verdict import Fix

Source = Literal["attachment", "preview", "poll", "forward"]
# Between the post's words and each extra piece: a paragraph break, so no term runs across the join.
_JOIN = "\n\n"


@dataclass(frozen=True, slots=True)
class Seen:
    """One piece of text members see beside the post's own words."""

    source: Source
    text: str
    hidden: bool = False  # shown behind a spoiler (a spoilered file, a preview of a spoilered link)
    # What the fix changes to hide it: the file's name for an attachment, the link for a preview.
    handle: str = ""


@dataclass(frozen=True, slots=True)
class PostView:
    """What members see of one post."""

    facts: MessageFacts  # the author's own words and files: what a fix rewrites
    extra: tuple[Seen, ...] = ()

    @property
    def editable(self) -> bool:
        """A poll or a forwarded message cannot be rewritten or reposted for its author."""
        return not any(piece.source in ("poll", "forward") for piece in self.extra)

    def seen_text(self) -> str:
        """The post's words and every extra piece, each hidden piece in a spoiler, as one text."""
        return _JOIN.join(text for _, text in self._parts())

    def source_of(self, start: int) -> Source | Literal["content"]:
        """Which piece a finding at ``start`` in ``seen_text()`` comes from."""
        end = 0
        for source, text in self._parts():
            end += len(text) + len(_JOIN)
            if start < end:
                return source
        return "content"

    def _parts(self) -> list[tuple[Source | Literal["content"], str]]:
        parts: list[tuple[Source | Literal["content"], str]] = [("content", self.facts.content)]
        for piece in self.extra:
            text = piece.text
            if piece.hidden or text.count("||") % 2:
                # Bars that could close our spoiler, or pair with the next piece's, are made literal.
                text = text.replace("||", "|\u200b|")
            parts.append((piece.source, f"||{text}||" if piece.hidden else text))
        return [(source, text) for source, text in parts if text]


def judge(view: PostView, policy: CompiledPolicy, *, requirement: Requirement | None, with_fix: bool) -> Verdict:
    """The verdict on everything members see of the post; with ``with_fix``, a fix when one exists."""
    if not view.extra:
        return evaluate(view.facts, policy, requirement=requirement, with_fix=with_fix)
    seen = MessageFacts(view.seen_text(), view.facts.attachments)
    verdict = evaluate(seen, policy, requirement=requirement, with_fix=False)
    if not verdict.flagged or not with_fix:
        return verdict
    return replace(verdict, fix=_fix(view, verdict, policy, requirement))


def _fix(view: PostView, verdict: Verdict, policy: CompiledPolicy, requirement: Requirement | None) -> Fix | None:
    if not view.editable:
        return None
    # Where each finding is, read once (an attachment finding has no place in the text: end 0).
    sources = [(view.source_of(finding.start) if finding.end else None, finding) for finding in verdict.findings]
    flagged_sources = {source for source, _ in sources if source is not None}
    effective = requirement or policy.policy.requirement
    # Under "cw" hiding does not help, and the member's link or file is left as it was.
    hides = effective != "cw"
    to_hide = [piece for piece in view.extra if hides and not piece.hidden and piece.source in flagged_sources]
    own = evaluate(view.facts, policy, requirement=requirement, with_fix=True)
    content = own.fix.content if own.fix is not None else view.facts.content
    spoilers = set(own.fix.spoiler_attachments if own.fix is not None else ())
    for piece in to_hide:
        if piece.source == "attachment":
            spoilers.add(piece.handle)
        elif piece.source == "preview" and piece.handle:
            content = _suppress_preview(content, piece.handle)
    if effective in ("cw", "both"):
        needed = list(dict.fromkeys(f.category for source, f in sources if source not in (None, "content")))
        if needed:
            cw = parse_cw_line(content, policy.policy.cw_markers)
            content = rewrite.add_labels(content, cw, needed, policy.policy.cw_markers[0])
    fixed = Fix(content, tuple(sorted(spoilers)))
    if judge(_as_fixed(view, fixed), policy, requirement=requirement, with_fix=False).flagged:
        return None
    return fixed


def link_is_hidden(content: str, url: str) -> bool:
    """Whether every place ``url`` stands in ``content`` is behind a spoiler or in ``<…>`` (no preview)."""
    layout = None
    at = content.find(url)
    if at < 0:
        return False
    while at >= 0:
        if not _bracketed(content, at, url):
            layout = layout or parse_layout(content)
            if not all(layout.is_hidden(index) for index in range(at, at + len(url))):
                return False
        at = content.find(url, at + len(url))
    return True


def _bracketed(content: str, at: int, url: str) -> bool:
    """Whether the ``url`` standing at ``at`` is written ``<url>``, which Discord shows without a preview."""
    return at > 0 and content[at - 1] == "<" and content[at + len(url): at + len(url) + 1] == ">"


def _suppress_preview(content: str, url: str) -> str:
    """``url`` in angle brackets wherever it stands bare, so Discord shows no preview of it."""
    out, at = [], 0
    while (index := content.find(url, at)) >= 0:
        out.append(content[at:index] + (url if _bracketed(content, index, url) else f"<{url}>"))
        at = index + len(url)
    return "".join(out) + content[at:]


def _as_fixed(view: PostView, fixed: Fix) -> PostView:
    """The post as members would see it once ``fixed`` is posted in its place."""
    attachments = tuple(
        replace(a, spoiler=a.spoiler or a.filename in fixed.spoiler_attachments) for a in view.facts.attachments
    )
    extra = tuple(
        replace(piece, hidden=True) if piece.source == "attachment" and piece.handle in fixed.spoiler_attachments
        else piece
        for piece in view.extra
        if not (piece.source == "preview" and piece.handle and f"<{piece.handle}>" in fixed.content)
    )
    return PostView(MessageFacts(fixed.content, attachments), extra)
