"""The prefilter never rules out a message the full reading would flag, and rules out ordinary chat."""

from __future__ import annotations

import random
import re
import string

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st
from wordfreq import top_n_list

from bot.enforcement.sources import glossary_terms
from bot.glossary import load_glossary
from bot.resources import shipped_config_file
from bot.rules import (
    Attachment,
    CompiledPolicy,
    GuildPolicy,
    MessageFacts,
    Pattern,
    Term,
    compile_policy,
    evaluate,
)
from bot.rules import prefilter as prefilter_module
from bot.rules.index import build_index
from bot.rules.normalize import normalize
from bot.rules.prefilter import LETTERS, SYMBOLS, build_prefilter

# Terms with every kind of key: short and long, multi-word, digits kept by the skeleton
# (2, 6), a one-letter term, plurals that add "es", and a Japanese spelling.
TERMS = (
    Term("netorare", "ntr", ("NTR", "寝取られ")),
    Term("cuckold", "ntr", ("cuck",)),
    Term("mind break", "mb", ("mindbreak",)),
    Term("sister complex", "siscon", ("siscon",)),
    Term("2d waifu", "waifu", ("h6",)),
    Term("x", "letter"),
    Term("guro", "gore", ("ero guro",)),
)
SPELLINGS = [s for term in TERMS for s in (term.name, *term.aliases) if s.isascii()]


def _policy(**extra) -> CompiledPolicy:
    return compile_policy(GuildPolicy(terms=TERMS, include_glossary_terms=False, **extra))


RICH = _policy(patterns=(Pattern("gore", r"guts?\s+everywhere"),))
# The same keys with the prefilter's trie cut two letters deep, as it is for a huge policy.
CUT_SHORT = build_prefilter(
    RICH.index.words, ["guts?\\s+everywhere"], spaceless_keys=True, node_budget=40, automaton=False
)
# The same keys in RE2, whole: where the compiled automaton is installed, RICH's own prefilter
# uses it, so every soundness test below holds both term tests to the full reading.
IN_RE2 = build_prefilter(RICH.index.words, ["guts?\\s+everywhere"], spaceless_keys=True, automaton=False)


def _found(policy: CompiledPolicy, content: str) -> bool:
    return bool(policy.index.find(normalize(content)))


def _rules_out(prefilter, content: str) -> bool:
    return prefilter.rules_out(content) or prefilter.rules_out_normalized(normalize(content))


def _assert_sound(policy: CompiledPolicy, content: str, *more_prefilters) -> None:
    """If the full reading finds anything, no prefilter may rule the message out, before or after normalizing."""
    if _found(policy, content) or evaluate(MessageFacts(content), policy).flagged:
        for prefilter in (policy.index.prefilter, *more_prefilters):
            assert not _rules_out(prefilter, content), content


# --- every evasion form, one row each --------------------------------------------------------

EVASIONS = [
    "I love NTR",
    "nTr",
    "n3t0r4r3",
    "cuck0ld",
    "cuckoId",  # capital I for l
    "cuck01d",
    "NETORAR3",
    "it was n t r",
    "N.T.R again",
    "n-e-t-o-r-a-r-e",
    "n _ t _ r",
    "c.u.c.k.o.l.d",
    "read\nn\nt\nr\nok",
    "so a n t r b",
    "nn t rrr",
    "nnnttttrrrr",
    "netoraaaaare",
    "net.torare",
    "net||orare||",
    "**n**tr",
    "all the NTRs",
    "the ntr's ending",
    "two cuckolds",
    "guroes",
    "(ntr)",
    "x.ntr",
    "mind  break",
    "Mind-Break",
    "mmind brreak",
    "sister complexes",
    "2d waifu",
    "x",
    "x x",
    "ERO GURO",
    "ero-guro",
    "NTR物が苦手",
    "ｎｔｒ",
    "nеtоrаrе",  # Cyrillic е о а
    "n\u200bt\u200br",
    "🅽🆃🆁",
    "nétoraré",
    "I love ntr 😂",
    "n\u2028t\u2028r",  # a line separator is whitespace too
    "N·T·R",
    "ｍｉｎｄ　ｂｒｅａｋ",
    "寝取られが好き",
    "and then GUTS   everywhere",
]


@pytest.mark.parametrize("content", EVASIONS)
def test_no_evasion_form_is_ruled_out(content: str) -> None:
    assert _found(RICH, content)
    _assert_sound(RICH, content, CUT_SHORT, IN_RE2)


@pytest.mark.parametrize(
    "content",
    [
        "the entrance is over there",
        "central station, a stark contrast, country music",
        "entry level control of the cuckoo clock",
        "can try, in tracks, on track",
        "intrinsic value, sentry duty, intro",
        "a rental contract",
        "Honestly the ending of that arc was great, I finished it tonight!",
        "lol same. don't spoil it pls :) it's my favourite route",
        "e.g. the U.S.A.",
        "",
        "I\u2019m so hyped for the next chapter \U0001f602\U0001f602",
        "Caf\u00e9 scene \u2014 best panel of the volume \u2764\ufe0f",
    ],
)
def test_ordinary_chat_is_ruled_out(content: str) -> None:
    assert _rules_out(RICH.index.prefilter, content)
    assert _rules_out(IN_RE2, content)


def test_common_english_words_and_sentences_are_ruled_out(default_compiled) -> None:
    """Letting a clean message through only costs time, but it should be rare."""
    words = [word for word in top_n_list("en", 20_000) if word.isascii()]
    passed = [word for word in words if not default_compiled.index.prefilter.rules_out(word)]
    assert passed == []
    rng = random.Random(6)
    sentences = [" ".join(rng.choice(words[:5000]) for _ in range(rng.randint(5, 60))) for _ in range(500)]
    sentences += [" ".join(rng.choice([w for w in words if len(w) <= 3]) for _ in range(10)) for _ in range(500)]
    passed = [s for s in sentences if not default_compiled.index.prefilter.rules_out(s)]
    assert passed == []


def test_text_beyond_ascii_is_ruled_out_only_once_normalized() -> None:
    prefilter = RICH.index.prefilter
    assert not prefilter.rules_out("a nice café")
    assert prefilter.rules_out_normalized(normalize("a nice café"))
    assert not prefilter.rules_out_normalized(normalize("寝る前に取る"))  # a spaceless key might be there


def test_a_key_beyond_ascii_sends_all_such_text_to_the_full_reading() -> None:
    terms = (Term("жуть", "horror"), Term("ntr", "ntr"))
    cyrillic = compile_policy(GuildPolicy(terms=terms, include_glossary_terms=False))
    assert not cyrillic.index.prefilter.rules_out_normalized(normalize("какая жуть"))
    assert cyrillic.index.prefilter.rules_out("plain ascii is still fine")


def test_a_message_with_media_is_read_in_full_when_the_media_rule_could_flag_it(default_compiled) -> None:
    image = Attachment("art.png", content_type="image/png")
    warned = MessageFacts("CW: cheating\nsee picture", (image,))
    assert default_compiled.index.prefilter.rules_out(warned.content)  # no term in the words...
    assert [f.reason for f in evaluate(warned, default_compiled).findings] == ["attachment_not_spoilered"]
    plain = MessageFacts("a nice drawing", (image,))
    assert evaluate(plain, default_compiled, media="all").flagged
    assert not evaluate(plain, default_compiled).flagged


def test_moderator_patterns_are_checked_by_the_prefilter() -> None:
    prefilter = RICH.index.prefilter
    assert not prefilter.rules_out("GUTS everywhere")
    assert prefilter.rules_out("guts, but not all over")
    only_patterns = compile_policy(GuildPolicy(include_glossary_terms=False, patterns=(Pattern("x", "wh?ee+"),)))
    assert only_patterns.index.prefilter.rules_out("nothing to see")
    assert not only_patterns.index.prefilter.rules_out("WHEEE")


def test_a_policy_with_no_ascii_key_rules_out_all_ascii_text() -> None:
    japanese = compile_policy(GuildPolicy(terms=(Term("寝取られ", "ntr"),), include_glossary_terms=False))
    assert japanese.index.prefilter.rules_out("ntr netorare n t r")
    assert not japanese.index.prefilter.rules_out("寝取られ")


def test_the_prefilter_is_shared_with_the_compiled_policy() -> None:
    assert _policy().index.prefilter is _policy().index.prefilter
    rebuilt = build_index(TERMS, (), (), {})
    assert rebuilt.prefilter is not RICH.index.prefilter


def test_the_translation_is_the_engines_own_folding() -> None:
    for code in range(128):
        char, symbol = chr(code), chr(SYMBOLS[code])
        skeleton = normalize(char).skeleton
        if symbol in LETTERS:
            assert skeleton == symbol
        else:
            assert not re.fullmatch(r"[^\W_]", skeleton)
            assert (symbol == " ") is bool(re.match(r"\s", char))


# --- properties -------------------------------------------------------------------------------

# ASCII spellings of each letter that the engine reads as that letter: leetspeak and look-alikes.
DISGUISES = {
    "a": "aA4@", "e": "eE3", "i": "iI1lL", "l": "lL1I", "o": "oO0", "s": "sS5$", "t": "tT7", "b": "bB8", "g": "gG9"
}
SEPARATORS = [".", "-", "_", " ", "||", "*", "\n", "  ", "'", "/", "~"]


@st.composite
def disguised_spellings(draw, spellings: list[str]) -> str:
    """A term spelled with case, leetspeak, look-alikes, stretching, separators and plurals."""
    spelling = draw(st.sampled_from(spellings))
    separator = draw(st.sampled_from(["", *SEPARATORS]))
    pieces = []
    for letter in spelling:
        form = draw(st.sampled_from(DISGUISES.get(letter, letter + letter.upper())))
        pieces.append(form * draw(st.integers(1, 3)))
        if draw(st.integers(0, 3)) == 0:
            pieces.append(draw(st.sampled_from([separator, *SEPARATORS])))
    ending = draw(st.sampled_from(["", "s", "es", "'s", "S"]))
    return "".join(pieces) + ending


def disguised_messages(spellings: list[str]) -> st.SearchStrategy[str]:
    context = st.text(alphabet=string.printable, max_size=12)
    return st.lists(st.one_of(disguised_spellings(spellings), context), min_size=1, max_size=6).map(" ".join)


SHIPPED_TERMS, SHIPPED_LABELS = glossary_terms(load_glossary(shipped_config_file("glossary.yaml")))
SHIPPED_SPELLINGS = [s for term in SHIPPED_TERMS for s in (term.name, *term.aliases) if s.isascii()]


@settings(parent=settings.get_profile("rules"))
@given(content=disguised_messages(SPELLINGS))
def test_disguised_terms_are_never_ruled_out(content: str) -> None:
    _assert_sound(RICH, content, CUT_SHORT, IN_RE2)


@settings(parent=settings.get_profile("rules"))
@given(content=st.one_of(st.text(alphabet=string.printable), st.text()))
def test_arbitrary_text_is_never_wrongly_ruled_out(content: str) -> None:
    _assert_sound(RICH, content, CUT_SHORT, IN_RE2)


@pytest.fixture(scope="module")
def shipped_compiled(default_policy) -> CompiledPolicy:
    """The default policy with the shipped glossary's terms, as the bot runs it."""
    return compile_policy(default_policy, SHIPPED_TERMS, SHIPPED_LABELS)


@settings(parent=settings.get_profile("rules"))
@given(content=st.one_of(disguised_messages(SHIPPED_SPELLINGS), st.text(alphabet=string.printable)))
def test_the_shipped_policy_prefilter_is_sound(default_compiled, shipped_compiled, content: str) -> None:
    _assert_sound(default_compiled, content)
    _assert_sound(shipped_compiled, content)


def test_a_program_too_big_for_re2_is_cut_shorter_not_dropped(monkeypatch) -> None:
    """RE2 refuses a program past its memory budget; the prefilter is built again from shorter key beginnings."""
    attempts = []
    compiled_set = prefilter_module._compiled_set

    def refusing_the_first_program(regexes, case_sensitive, latin1=False):
        regexes = list(regexes)
        if latin1:
            attempts.append(sum(map(len, regexes)))
            if len(attempts) == 1:
                raise re2.error("pattern too large - compile failed")
        return compiled_set(regexes, case_sensitive, latin1)

    monkeypatch.setattr(prefilter_module, "_compiled_set", refusing_the_first_program)
    keys = ["netorare", "netori", "ntr", "yandere", "tsundere", "kuudere", "dandere", "himedere"]
    cut = build_prefilter(keys, [], spaceless_keys=False, node_budget=60, automaton=False)
    assert cut is not None
    assert len(attempts) == 2 and attempts[1] < attempts[0]  # built again, from shorter beginnings
    assert not cut.rules_out("so much NETORARE") and not cut.rules_out("a yandere arc")
    assert not cut.rules_out("n.t.r") and cut.rules_out("nothing to see here")
