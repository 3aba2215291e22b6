"""The compiled clean test: the automaton answers as the RE2 set does, in Python and in C."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wordfreq import top_n_list

from bot.enforcement.sources import glossary_terms
from bot.glossary import load_glossary
from bot.resources import shipped_config_file
from bot.rules import GuildPolicy, Pattern, Term, compile_policy
from bot.rules.native import native_available
from bot.rules.prefilter import SPELLED_OUT_DEPTH, SYMBOLS, build_prefilter
from bot.rules.term_dfa import TermDfa, build_term_dfa


def test_the_compiled_module_is_installed() -> None:
    """The speed measured for issue 6 rests on it; an install with a C compiler must have built it."""
    assert native_available(), (
        "_warden_speedups is not installed: install gcc and the Python headers, then reinstall the project"
    )


SHIPPED_TERMS, _ = glossary_terms(load_glossary(shipped_config_file("glossary.yaml")))


def _keys(policy) -> list[str]:
    return list(policy.index.words)


def _automaton(keys: list[str]) -> TermDfa:
    tables = build_term_dfa(
        [k for k in keys if " " not in k], [k for k in keys if " " in k], SYMBOLS, spelled_out_depth=SPELLED_OUT_DEPTH
    )
    assert tables is not None
    return tables


@pytest.fixture(scope="module")
def shipped():
    """The default policy with the shipped glossary: the keys as the running bot has them."""
    policy = GuildPolicy(terms=SHIPPED_TERMS)
    keys = _keys(compile_policy(policy))
    tables = _automaton(keys)
    re2_filter = build_prefilter(keys, [], spaceless_keys=False, automaton=False)
    return tables, tables.compiled(), re2_filter


# Pieces that walk every shape: keys whole and cut, spelled out, stretched, split by punctuation and
# whitespace, leetspeak, multi-word keys, and near misses inside longer words.
PIECES = [
    "ntr", "n t r", "n.t.r", "nnttrr", "n  t\tr", "netorare", "ne.to.ra.re", "net||orare", "n3t0r4r3",
    "netori", "cuck", "cuck0ld", "mind break", "mindbreak", "mind  break", "twin", "tails", "entrance",
    "central", "n e t o", "the", "a", "n", "t", "r", " ", ".", "-", "||", "\n", "s", "es", "'s", "x", "yandere",
]


def _messages() -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(PIECES), st.text(alphabet=string.printable, max_size=6))
    return st.lists(piece, max_size=8).map("".join)


@settings(parent=settings.get_profile("rules"))
@given(content=_messages())
def test_python_c_and_re2_agree(shipped, content: str) -> None:
    tables, compiled, re2_filter = shipped
    data = content.encode("ascii")
    expected = bool(re2_filter._match_terms(data))
    assert tables.could_match(data) is expected, content
    assert compiled.could_match(data) is expected, content
    assert compiled.could_match(content) is expected, content  # ASCII str, read in place
    assert compiled.rules_out(content) is (not expected), content


@settings(parent=settings.get_profile("rules"))
@given(pieces=st.lists(st.sampled_from(PIECES), min_size=30, max_size=120), filler=st.integers(0, 3))
def test_long_texts_walked_in_pieces_get_the_plain_walks_answer(shipped, pieces: list[str], filler: int) -> None:
    """Past 128 bytes the compiled walk cuts the text in four; the answer must not change."""
    tables, compiled, re2_filter = shipped
    data = (" " * filler).join(pieces).encode("ascii")
    assert compiled.could_match(data) is tables.could_match(data) is bool(re2_filter._match_terms(data))


@pytest.mark.parametrize("key", ["n t r", "n.t.r", "mind   break", "netorare", "n e t o"])
def test_a_key_is_found_wherever_the_cuts_fall(shipped, key: str) -> None:
    """A key across a cut: the piece after it started in the wrong state and is walked again."""
    tables, compiled, _ = shipped
    for size in (128, 200, 401):
        clean = ("word " * 100)[:size]
        assert not compiled.could_match(clean)
        for at in range(size):
            text = f"{clean[:at]} {key} {clean[at:]}"
            assert compiled.could_match(text), (key, size, at)
            spread = f"{clean[:at]} {key.replace(' ', ' ' * 40)} {clean[at:]}"  # spelled out across a cut
            assert compiled.could_match(spread) is tables.could_match(spread.encode()), (key, size, at)


def test_they_agree_on_every_spelling_of_every_shipped_key_and_on_ordinary_english(shipped) -> None:
    tables, compiled, re2_filter = shipped
    rng = random.Random(11)
    words = [w for w in top_n_list("en", 5_000) if w.isascii()]
    spellings = [s for term in SHIPPED_TERMS for s in (term.name, *term.aliases) if s.isascii()]
    texts = [*words, *spellings]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(3, 40))) for _ in range(300)]
    texts += [f"{rng.choice(words)} {rng.choice('.- *|').join(s)} ok" for s in spellings]
    texts += [" ".join(s) for s in spellings] + [f"so {s}s." for s in spellings]
    texts += [" ".join(s[:SPELLED_OUT_DEPTH]) for s in spellings]  # a spelled-out beginning, at the end

    def answers(text: str) -> set[bool]:
        data = text.encode()
        return {tables.could_match(data), compiled.could_match(text), bool(re2_filter._match_terms(data))}

    assert [text for text in texts if len(answers(text)) > 1] == []
    assert all(compiled.could_match(s) for s in spellings)  # and every key is found at all


def test_the_prefilter_uses_the_automaton_and_its_c_method_when_no_pattern_needs_re2() -> None:
    plain = compile_policy(GuildPolicy(terms=(Term("netorare", "ntr"),), include_glossary_terms=False))
    prefilter = plain.index.prefilter
    assert prefilter.dfa is not None and prefilter.terms is None
    assert plain.clean_test() == prefilter.dfa.rules_out
    assert plain.clean_test()("a fine day") and not plain.clean_test()("so much n.e.t.o.r.a.r.e")
    assert not plain.clean_test()("café")  # beyond ASCII: read in full
    with_pattern = compile_policy(
        GuildPolicy(terms=(Term("netorare", "ntr"),), patterns=(Pattern("x", "wh?ee+"),), include_glossary_terms=False)
    )
    assert with_pattern.clean_test() == with_pattern.index.prefilter.rules_out  # RE2 still runs the patterns
    assert not with_pattern.clean_test()("WHEEE") and not with_pattern.clean_test()("NETORARE")


def test_a_policy_too_big_for_the_automaton_keeps_the_re2_set(monkeypatch) -> None:
    keys = ["netorare", "netori", "ntr", "yandere"]
    assert build_term_dfa(keys, [], SYMBOLS, spelled_out_depth=SPELLED_OUT_DEPTH, max_states=5) is None
    monkeypatch.setattr(
        "bot.rules.prefilter.build_term_dfa", lambda *args, **kwargs: build_term_dfa(*args, **kwargs, max_states=5)
    )
    prefilter = build_prefilter(keys, [], spaceless_keys=False)
    assert prefilter.dfa is None and prefilter.terms is not None
    assert prefilter.clean_test("a quiet day") and not prefilter.clean_test("so much n.t.r")


def test_the_matched_state_is_absorbing_and_the_only_way_to_stay_final() -> None:
    tables = _automaton(["ntr"])
    assert tables.could_match(b"ntr") and tables.could_match(b"ntr" + b" and more text" * 50)
    assert not tables.could_match(b"ntrx") and not tables.could_match(b"entr")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((b"\x00\x00", bytes(256), b"", bytes(256)), "between 1 and 65536 states"),
        ((b"\x00", bytes(256), b"\x00", bytes(256)), "same number of uint16 entries"),
        ((b"\x00\x00", bytes(255), b"\x00", bytes(256)), "256 byte values"),
        ((b"\x00\x00", bytes(256), b"\x00", bytes(2)), "256 byte values"),
        ((b"\x00\x00", bytes([1]) + bytes(255), b"\x00", bytes(256)), "byte 0 is read as symbol 1"),
        ((b"\x05\x00", bytes(256), b"\x00", bytes(256)), "past the last"),
    ],
)
def test_the_compiled_automaton_refuses_tables_it_could_read_out_of_bounds(arguments, message) -> None:
    if not native_available():
        pytest.skip("the compiled module is not installed (the test above fails for that)")
    from _warden_speedups import Dfa

    with pytest.raises(ValueError, match=message):
        Dfa(*arguments)


def test_the_compiled_automaton_takes_bytes_or_ascii_text_only() -> None:
    compiled = _automaton(["ntr"]).compiled()
    if compiled is None:
        pytest.skip("the compiled module is not installed (the first test fails for that)")
    assert compiled.could_match(bytearray(b"n t r")) and compiled.could_match(memoryview(b"ntr"))
    with pytest.raises(ValueError, match="ASCII"):
        compiled.could_match("ñtr")
    with pytest.raises(TypeError):
        compiled.rules_out(b"ntr")
    assert compiled.states == len(_automaton(["ntr"]).final)
