"""Compile a guild policy once and share the result between every guild that uses it.

Ten thousand guilds on the default policy must cost one index, so compiled forms
are cached by a fingerprint of everything that shapes them. The caches hold their
values weakly: when the last guild using a custom policy goes, so does its index.
These two dictionaries are the only state the rule engine keeps.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass

from bot.rules.index import TermIndex, build_index
from bot.rules.model import GuildPolicy, Term
from bot.rules.policy_file import policy_from_data

_INDEXES: weakref.WeakValueDictionary[str, TermIndex] = weakref.WeakValueDictionary()
_POLICIES: weakref.WeakValueDictionary[str, CompiledPolicy] = weakref.WeakValueDictionary()


@dataclass(frozen=True, slots=True, weakref_slot=True)
class CompiledPolicy:
    policy: GuildPolicy
    index: TermIndex
    fingerprint: str

    def rules_out(self, content: str) -> bool:
        """True when a post of ``content`` with no attachments surely passes, proved without reading it in full.

        False only means "read it": most clean ASCII text is proved clean here in about
        a microsecond, which is what lets a watched channel's clean posts cost little.
        """
        return self.clean_test()(content)

    def clean_test(self) -> Callable[[str], bool]:
        """``rules_out`` as a single call, for a caller that keeps it: the prefilter's own method."""
        prefilter = self.index.prefilter
        return _never if prefilter is None else prefilter.clean_test

    @property
    def requirement(self) -> str:
        return self.policy.requirement

    @property
    def media(self) -> str:
        return self.policy.media


def _never(_content: str) -> bool:
    return False


def compile_policy(
    policy: GuildPolicy | Mapping[str, object],
    extra_terms: Iterable[Term] = (),
    extra_category_labels: Mapping[str, Iterable[str]] | None = None,
) -> CompiledPolicy:
    """The shared compiled form of ``policy`` plus the glossary's terms and labels.

    ``policy`` may be a ``GuildPolicy`` or the mapping read from a policy YAML file
    (a ``PolicyError`` lists its problems). ``extra_terms`` are used only when the
    policy says ``include_glossary_terms``; extra labels always apply.
    """
    if not isinstance(policy, GuildPolicy):
        policy = policy_from_data(policy)
    terms = (*policy.terms, *(extra_terms if policy.include_glossary_terms else ()))
    labels: dict[str, tuple[str, ...]] = {name: tuple(extra) for name, extra in policy.categories}
    for name, extra in (extra_category_labels or {}).items():
        labels[name] = (*labels.get(name, ()), *extra)
    index_print = _fingerprint(
        {
            "terms": sorted((term.name, term.category, list(term.aliases)) for term in terms),
            "patterns": [asdict(pattern) for pattern in policy.patterns],
            "allow": sorted(policy.allow),
            "labels": sorted((name, sorted(extra)) for name, extra in labels.items()),
        }
    )
    whole_print = _fingerprint({"index": index_print, "policy": _settings(policy)})
    compiled = _POLICIES.get(whole_print)
    if compiled is not None:
        return compiled
    index = _INDEXES.get(index_print)
    if index is None:
        index = build_index(terms, policy.patterns, policy.allow, labels)
        _INDEXES[index_print] = index
    compiled = CompiledPolicy(policy=policy, index=index, fingerprint=whole_print)
    _POLICIES[whole_print] = compiled
    return compiled


def _settings(policy: GuildPolicy) -> dict[str, object]:
    return {
        "requirement": policy.requirement,
        "cw_mode": policy.cw_mode,
        "cw_markers": list(policy.cw_markers),
        "media": policy.media,
    }


def _fingerprint(data: object) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=list)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
