"""Finding terms: whole words, through evasions, never in innocent words."""

from __future__ import annotations

import pytest

from bot.rules import Pattern, Term, compile_policy
from bot.rules.model import GuildPolicy


@pytest.mark.parametrize(
    ("content", "text", "term"),
    [
        ("I love NTR", "NTR", "netorare"),
        ("netorare is my thing", "netorare", "netorare"),
        ("the netori arc", "netori", "netori"),
        ("some netorase stuff", "netorase", "netorase"),
        ("a cuckold story", "cuckold", "cuckold"),
        ("total cuck energy", "cuck", "cuckold"),
        ("cuckolding again", "cuckolding", "cuckold"),
        # plurals and possessives
        ("all the NTRs", "NTRs", "netorare"),
        ("the ntr's ending", "ntr's", "netorare"),
        ("two cuckolds", "cuckolds", "cuckold"),
        # case, NFKC, accents, invisible characters, look-alikes, leetspeak
        ("nTr", "nTr", "netorare"),
        ("ｎｔｒ", "ｎｔｒ", "netorare"),
        ("𝓷𝓽𝓻", "𝓷𝓽𝓻", "netorare"),
        ("nétoraré", "nétoraré", "netorare"),
        ("n\u200bt\u200br", "n\u200bt\u200br", "netorare"),
        ("nеtоrаrе", "nеtоrаrе", "netorare"),  # Cyrillic е о а
        ("n3t0r4r3", "n3t0r4r3", "netorare"),
        ("cuck0ld", "cuck0ld", "cuckold"),
        ("cuckoId", "cuckoId", "cuckold"),  # capital I for l
        # split letters
        ("it was n t r", "n t r", "netorare"),
        ("N.T.R again", "N.T.R", "netorare"),
        ("n-e-t-o-r-a-r-e", "n-e-t-o-r-a-r-e", "netorare"),
        ("n _ t _ r", "n _ t _ r", "netorare"),
        ("c.u.c.k.o.l.d", "c.u.c.k.o.l.d", "cuckold"),
        ("read\nn\nt\nr\nok", "n\nt\nr", "netorare"),  # one letter a line
        ("so a n t r b", "n t r", "netorare"),  # inside a longer run of single letters
        ("nn t rrr", "nn t rrr", "netorare"),  # split and stretched
        # stretched letters
        ("nnnttttrrrr", "nnnttttrrrr", "netorare"),
        ("netoraaaaare", "netoraaaaare", "netorare"),
        ("net.torare", "net.torare", "netorare"),  # a stretch split by punctuation
        # pieces joined by punctuation, spoiler markers included
        ("net||orare||", "net||orare", "netorare"),
        ("**n**tr", "n**tr", "netorare"),
        # scripts without spaces: substring
        ("寝取られが好き", "寝取られ", "netorare"),
        ("この漫画は寝取りです", "寝取り", "netori"),
        ("寝 取 ら れ", "寝 取 ら れ", "netorare"),
        ("ネトラレ", "ネトラレ", "netorare"),
        ("NTR物が苦手", "NTR", "netorare"),
    ],
)
def test_finds_terms_through_evasions(judge, content: str, text: str, term: str) -> None:
    verdict = judge(content)
    assert verdict.flagged
    assert [(f.text, f.term, f.category) for f in verdict.findings] == [(text, term, "ntr")]
    finding = verdict.findings[0]
    assert content[finding.start : finding.end] == finding.text


@pytest.mark.parametrize(
    "content",
    [
        "the entrance is over there",
        "central station",
        "a stark contrast",
        "country music",
        "entry level control",
        "the cuckoo clock",
        "intrinsic value, sentry duty, intro",
        "a rental contract",
        "netflix and the network",
        "go to the store and try it",
        "a nice tree",
        "that was nt really",
        "I am a fan",
        "in tr",  # not single letters: two ordinary fragments
        "n     t",
        "e.g. the U.S.A.",
        "寝る前に取る",  # the kanji of 寝取る apart, in ordinary words
        "",
        "   \n\n  ",
    ],
)
def test_innocent_text_is_not_flagged(judge, content: str) -> None:
    assert not judge(content).flagged


@pytest.mark.parametrize(
    "content",
    [
        "no NTR please", "Is there no ntr in this?", "Jr NTR's new film", "NTR-free zone",
        # spelled the ways a term is found: dotted, spaced out, stretched
        "No N.T.R. please", "no n t r please", "Jr. N.T.R. fans", "no ne.to.ra.re here", "nooo NTRRR", "N.T.R. free",
    ],
)
def test_allow_list_phrases_never_count(judge, content: str) -> None:
    assert not judge(content).flagged


def test_allowed_phrase_does_not_excuse_other_mentions(judge) -> None:
    verdict = judge("no ntr here, just kidding: ntr")
    assert [f.start for f in verdict.findings] == [27]
    assert [f.start for f in judge("no N.T.R. here, just kidding: n.t.r").findings] == [30]
    assert [f.start for f in judge("no ntr. N.T.R. is the best").findings] == [8]


def test_multi_word_terms_match_across_spacing_and_punctuation() -> None:
    policy = compile_policy(GuildPolicy(terms=(Term("sister complex", "siscon"),)))
    from bot.rules import MessageFacts, evaluate

    for content, text in [("a Sister  Complex arc", "Sister  Complex"), ("sister-complex", "sister-complex")]:
        findings = evaluate(MessageFacts(content), policy).findings
        assert [f.text for f in findings] == [text]
    assert not evaluate(MessageFacts("my sister has a complex"), policy).flagged


def test_moderator_patterns_run_over_folded_text() -> None:
    from bot.rules import MessageFacts, evaluate

    policy = compile_policy(GuildPolicy(patterns=(Pattern("gore", r"guts?\s+everywhere", name="gore talk"),)))
    verdict = evaluate(MessageFacts("and then GÜTS   everywhere"), policy)
    assert [(f.term, f.category, f.text) for f in verdict.findings] == [("gore talk", "gore", "GÜTS   everywhere")]


def test_one_key_shared_by_two_categories_reports_both() -> None:
    from bot.rules import MessageFacts, evaluate

    policy = compile_policy(GuildPolicy(terms=(Term("yandere", "violence"), Term("yandere", "obsession"))))
    findings = evaluate(MessageFacts("yandere"), policy).findings
    assert sorted(f.category for f in findings) == ["obsession", "violence"]
