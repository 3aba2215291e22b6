"""How the bot's own glossary answers obey a watched channel's rule (PURE).

In a watched place the bot's answers are judged as a member's post would be: by
the rule engine, with the guild's compiled policy (shipped terms, glossary entries
marked ``requires_cw`` including the server's own, the server's own terms and
patterns, its allow list). So the marking asks that same engine what to mark; it
keeps no list or pattern of its own, and what it marks is what enforcement flags.

What an answer does for each requirement:

- ``"spoiler"`` and ``"either"``: every term is wrapped in ``||…||`` where Discord
  renders spoilers (message content, embed descriptions, field values). Embed
  titles, field names, footers and author names show ``||`` literally, so text
  there that names a term is moved into the description or the field's value,
  hidden (``answers.AnswerStyle.settle``). "either" is answered like "spoiler": a
  hidden term needs no warning, and the answer stays free of warning lines.
- ``"cw"``: the answer opens with a warning line (``CW: NTR, …``) that names the
  category of every term anywhere in the message, embeds included; nothing moves.
- ``"both"``: both at once: terms hidden and moved as for "spoiler", and the
  warning line names every category.
- ``"none"`` (not a watched place): nothing is marked.

The functions here work on text the answer will show as it is (already made inert),
and each result is checked by the engine before it is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from bot.rules import CompiledPolicy, MessageFacts, evaluate
from bot.rules.fix import add_labels
from bot.rules.spans import Span, merge_spans

AnswerRequirement = Literal["none", "spoiler", "cw", "either", "both"]

# A piece of an answer is never the first line of the message, so the engine must not
# read a piece that opens with "CW:" as the message's warning line (and excuse what it names).
_LEAD = ".\n"


def hides_terms(requirement: AnswerRequirement) -> bool:
    """True when answers hide terms in spoilers (and keep them out of places that cannot)."""
    return requirement in ("spoiler", "either", "both")


def warns(requirement: AnswerRequirement) -> bool:
    """True when answers open with a warning line."""
    return requirement in ("cw", "both")


def unhidden_terms(text: str, policy: CompiledPolicy) -> list[Span]:
    """Where ``text`` names a term (or matches a pattern) that no spoiler hides, as the engine reads it."""
    verdict = evaluate(MessageFacts(_LEAD + text), policy, requirement="spoiler", with_fix=False)
    lead = len(_LEAD)
    return merge_spans((finding.start - lead, finding.end - lead) for finding in verdict.findings)


def hide_terms(text: str, policy: CompiledPolicy) -> str:
    """``text`` with each term the engine finds wrapped in ``||…||``.

    ``text`` must show as it is (made inert: no ``|`` of its own that could pair with
    the new markers). Should the engine still find a term in the result (a moderator's
    pattern that starts inside an escape), the whole text goes behind one spoiler.
    """
    spans = unhidden_terms(text, policy)
    if not spans:
        return text
    marked = _wrap(text, spans)
    if not unhidden_terms(marked, policy):
        return marked
    return _wrap(text, [(0, len(text))])


def _wrap(text: str, spans: Iterable[Span]) -> str:
    pieces, position = [], 0
    for start, end in spans:
        # A backslash just before the closing marker would escape it.
        closing = " ||" if text[end - 1] == "\\" else "||"
        pieces += [text[position:start], "||", text[start:end], closing]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def warning_line(text: str, policy: CompiledPolicy, category_names: Mapping[str, str]) -> str | None:
    """``CW: NTR, infidelity``: the warning line that covers every term in ``text``; None when it names none.

    The labels are the categories of the terms, spelled as the policy and glossary
    spell them (``category_names``: category id -> name), which the strict mode accepts.
    """
    verdict = evaluate(MessageFacts(_LEAD + text), policy, requirement="cw", with_fix=False)
    if not verdict.findings:
        return None
    labels = [category_names.get(category, category) for category in verdict.categories]
    return add_labels("", None, labels, policy.policy.cw_markers[0]).rstrip("\n")


def complies(text: str, policy: CompiledPolicy, requirement: AnswerRequirement) -> bool:
    """True when a member could post ``text`` (a whole message, embeds flattened) in the channel."""
    if requirement == "none":
        return True
    return not evaluate(MessageFacts(text), policy, requirement=requirement, with_fix=False).flagged
