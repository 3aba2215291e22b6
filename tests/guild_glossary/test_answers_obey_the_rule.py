"""Differential: every glossary answer, rendered as the bot sends it, passes the rule engine.

For every shipped entry, every requirement and both warning modes, the whole message
(content and every text of the embed, as ``tests/visible_text.py`` reads it) is
judged by ``bot.rules.evaluate`` with the guild's compiled policy, as enforcement
judges a member's post. Nothing the bot prints in a watched place may be flagged.
"""

from __future__ import annotations

from itertools import permutations

import discord
import pytest

from bot.adapters.long_answers import ListAnswer, ListPager, paginate
from bot.enforcement.config import EnforcementConfig
from bot.enforcement.policies import GuildPolicies
from bot.glossary import Glossary, GlossaryEntry
from bot.glossary.compare import compare_entries
from bot.guild_glossary.answers import (
    ADULT_NOTICE,
    COLOUR,
    PAGE_SIZE,
    AnswerStyle,
    comparison_embed,
    entry_embed,
    entry_line,
    search_line,
    unknown_term_text,
)
from bot.resources import shipped_config_file
from bot.rules import CompiledPolicy, MessageFacts, Pattern, Term, evaluate, policy_from_yaml
from tests.visible_text import visible_text

REQUIREMENTS = ("spoiler", "cw", "either", "both")
MODES = ("strict", "lenient")


@pytest.fixture(scope="module")
def policies(shipped: Glossary) -> GuildPolicies:
    base = policy_from_yaml(shipped_config_file("policy.yaml").read_text(encoding="utf-8"))
    return GuildPolicies(base, shipped)


def style_for(policies: GuildPolicies, requirement: str, config: EnforcementConfig, glossary=None) -> AnswerStyle:
    return AnswerStyle(requirement, policies.compile(config, glossary), policies.category_names_for(config))


def findings(style: AnswerStyle, content: str | None, embed: discord.Embed | None = None) -> list[tuple[str, str]]:
    policy: CompiledPolicy = style.policy
    text = visible_text(content, [embed] if embed is not None else [])
    verdict = evaluate(MessageFacts(text), policy, requirement=style.requirement)
    return [(finding.text, finding.reason) for finding in verdict.findings]


def within_discord_limits(embed: discord.Embed) -> bool:
    fields = embed.fields
    return (
        len(embed.title or "") <= 256
        and len(embed.description or "") <= 4096
        and len(fields) <= 25
        and all(0 < len(f.name) <= 256 and 0 < len(f.value) <= 1024 for f in fields)
        and len(embed.footer.text or "") <= 2048
        and len(embed) <= 6000
    )


@pytest.fixture(scope="module", params=[(r, m) for r in REQUIREMENTS for m in MODES], ids=lambda p: f"{p[0]}-{p[1]}")
def style(request, policies: GuildPolicies) -> AnswerStyle:
    requirement, mode = request.param
    return style_for(policies, requirement, EnforcementConfig(cw_mode=mode))


def sensitive(glossary: Glossary) -> list[GlossaryEntry]:
    return [entry for entry in glossary.entries if entry.requires_cw]


def test_every_entry_defined_passes(shipped: Glossary, style: AnswerStyle) -> None:
    failed = {}
    for entry in shipped.entries:
        for notice in (None, ADULT_NOTICE):
            content, embed = style.settle(entry_embed(entry, shipped, style), notice)
            if problems := findings(style, content, embed):
                failed[entry.id] = problems
            assert within_discord_limits(embed), entry.id
    assert failed == {}


def test_every_sensitive_pair_compared_passes(shipped: Glossary, style: AnswerStyle) -> None:
    pairs = list(permutations(sensitive(shipped), 2))
    mixed = [(a, b) for a in sensitive(shipped)[:6] for b in shipped.entries[::7]]
    failed = {}
    for left, right in pairs + mixed:
        content, embed = style.settle(comparison_embed(compare_entries(left, right), style))
        if problems := findings(style, content, embed):
            failed[(left.id, right.id)] = problems
        assert within_discord_limits(embed), (left.id, right.id)
    assert failed == {}


def pages_as_sent(style: AnswerStyle, title: str, lines: list[str], notice: str | None):
    """Every page of a glossary list, built by the pager the cog uses, as (content, embed)."""
    answer = ListAnswer(
        title=title, lines=lines, empty="empty", filename="glossary.txt", noun=("entry", "entries"),
        per_page=PAGE_SIZE, embed=True, colour=COLOUR, settle=lambda embed, shown: style.settle(embed, notice),
    )
    pages = paginate([len(line) for line in lines], answer.budget, answer.per_page)
    pager = ListPager("glossary", None)
    for number in range(1, len(pages) + 1):
        message = pager.page(answer, pages, number, owner_id=1, arg="")
        yield message["content"], message["embed"]


def test_every_page_of_every_list_passes(shipped: Glossary, style: AnswerStyle) -> None:
    lists = {"Glossary": shipped.entries}
    lists |= {f"Glossary: {category}": shipped.by_category(category) for category in shipped.categories()}
    failed = {}
    for title, entries in lists.items():
        lines = [entry_line(entry, style) for entry in entries]
        for page, (content, embed) in enumerate(pages_as_sent(style, title, lines, ADULT_NOTICE), 1):
            if problems := findings(style, content, embed):
                failed[(title, page)] = problems
    assert failed == {}


def test_a_search_for_every_name_passes(shipped: Glossary, style: AnswerStyle) -> None:
    failed = {}
    for entry in shipped.entries:
        for name in (entry.id, *entry.names):
            hits = shipped.search(name)
            lines = [search_line(hit, style) for hit in hits]
            for content, embed in pages_as_sent(style, f"Glossary search: {name}", lines, None):
                if problems := findings(style, content, embed):
                    failed[name] = problems
    assert failed == {}


def test_did_you_mean_passes(shipped: Glossary, style: AnswerStyle) -> None:
    failed = {}
    for entry in sensitive(shipped):
        for typo in (entry.term[:-1], entry.term + "x", f"{entry.term[:-1]} and NTR"):
            content = unknown_term_text(typo, shipped.suggest(typo), style)
            if problems := findings(style, content):
                failed[typo] = problems
    assert failed == {}


@pytest.mark.parametrize("requirement", REQUIREMENTS)
def test_a_servers_own_entries_terms_and_patterns_are_marked_too(
    shipped: Glossary, policies: GuildPolicies, requirement: str
) -> None:
    own = GlossaryEntry(
        id="kuroneko-route",
        term="Kuroneko Route",
        aliases=("黒猫ルート", "KNR"),
        category="story structure",
        summary="The kuroneko route (黒猫ルート) ends badly; see also netori.",
        definition="A KNR story ends badly. Spoilerbait: the sad-cat ending.",
        warnings=("bad ending",),
        requires_cw=True,
        related=("netorare",),
    )
    glossary = shipped.layered([own])
    config = EnforcementConfig(
        terms=(Term("spoilerbait", "bait"),), patterns=(Pattern("bait", r"sad.?cat"),), allow=("no ntr",)
    )
    style = style_for(policies, requirement, config, glossary)
    content, embed = style.settle(entry_embed(own, glossary, style))
    assert findings(style, content, embed) == []
    for other in ("netorare", "tsundere"):
        pair = compare_entries(own, glossary.lookup(other))
        content, embed = style.settle(comparison_embed(pair, style))
        assert findings(style, content, embed) == []
    # Each of them needed marking: plain, the same answer is flagged for all three.
    plain_content, plain_embed = AnswerStyle().settle(entry_embed(own, glossary, AnswerStyle()))
    flagged = {text.casefold() for text, _ in findings(style, plain_content, plain_embed)}
    assert {"kuroneko route", "黒猫ルート", "knr", "spoilerbait", "sad-cat", "kuroneko-route"} <= flagged

