"""Where a guild's rule policy comes from: a policy file plus the glossary's warning-worthy terms.

The rule engine and the glossary know nothing of each other; this is the one
place that turns glossary entries marked ``requires_cw`` into engine terms, used
alike by ``genre-warden check`` and by enforcement in Discord.
"""

from __future__ import annotations

from bot.glossary import Glossary
from bot.rules import CompiledPolicy, GuildPolicy, Term, compile_policy


def glossary_terms(glossary: Glossary) -> tuple[tuple[Term, ...], dict[str, tuple[str, ...]]]:
    """The glossary's warning-worthy terms as engine terms, and the labels that cover each category."""
    terms = tuple(Term(name=t.name, category=t.category, aliases=t.aliases) for t in glossary.terms_requiring_cw())
    return terms, glossary.cw_labels()


def compile_with_glossary(policy: GuildPolicy, glossary: Glossary) -> CompiledPolicy:
    """``policy`` compiled with the glossary's terms (when it includes them) and labels."""
    terms, labels = glossary_terms(glossary)
    return compile_policy(policy, terms, labels)
