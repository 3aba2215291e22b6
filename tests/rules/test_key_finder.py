"""The compiled reading of a skeleton finds what the Python scan, lookup and locate find.

``TermIndex.find`` runs ``_warden_speedups.KeyFinder`` where it is installed; the
Python path it replaces stays as the reference. Each test here compares the two:
the hits before the allow list and ``_outermost`` (as a sorted list, since neither
promises an order) and whether an allowed phrase could stand.
"""

from __future__ import annotations

import random
import string
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wordfreq import top_n_list

from bot.enforcement.sources import glossary_terms
from bot.rules import GuildPolicy, Term, compile_policy
from bot.rules.index import Hit, TermIndex, TermRef, _locate, build_index, key_finder
from bot.rules.keys import SPACELESS, SPACELESS_RANGES
from bot.rules.native import native_available
from bot.rules.normalize import normalize
from bot.rules.scan import candidates

pytestmark = pytest.mark.skipif(
    not native_available(), reason="the compiled module is not installed (test_term_dfa's first test fails for that)"
)


def reference(index: TermIndex, skeleton: str) -> tuple[list[Hit], bool]:
    """What ``find`` collects before the allow list, the Python way."""
    scanned = candidates(skeleton, index.latin_keys_only)
    hits = [
        Hit(start, end, term)
        for key in index._keys_present(scanned)
        for start, end in _locate(key, skeleton)
        for term in index.words[key]
    ]
    return sorted(hits), index._may_hold_a_phrase(scanned)


def compiled(index: TermIndex, skeleton: str) -> tuple[list[Hit], bool]:
    hits, phrase_possible = index.finder.find(skeleton)
    assert all(type(hit) is Hit for hit in hits)
    return sorted(hits), phrase_possible


def assert_same(index: TermIndex, skeleton: str) -> None:
    assert compiled(index, skeleton) == reference(index, skeleton), repr(skeleton)


@pytest.fixture(scope="module")
def shipped_index(shipped) -> TermIndex:
    """The index a guild on the defaults is judged by: the shipped policy and the glossary's terms."""
    from bot.resources import shipped_config_file
    from bot.rules import policy_from_yaml

    terms, labels = glossary_terms(shipped)
    policy = policy_from_yaml(shipped_config_file("policy.yaml").read_text(encoding="utf-8"))
    index = compile_policy(policy, terms, labels).index
    assert index.finder is not None and index.allow_phrase_words  # the shipped allow list takes the shortcut
    return index


# Pieces that reach every branch: keys whole, stretched, split by punctuation (up to and past ten
# characters) and by whitespace of every kind, spelled in single letters, leetspeak and capitals
# (a skeleton has none, but the finder must read any text as the Python does), words of several
# keys, allowed phrases, and characters beyond ASCII: letters, spaceless scripts, emoji, spaces.
PIECES = [
    "ntr", "n t r", "n.t.r", "nnttrr", "n  t\tr", "N.T.R", "netorare", "ne.to.ra.re", "net||orare", "n3t0r4r3",
    "netori", "netorase", "cuck", "mind break", "mindbreak", "mind--break", "twin", "tails", "yandere", "yuri",
    "no", "free", "jr", "junior", "ntrs", "n.t.rs", "ntr's", "entrance", "central", "n", "t", "r", "e", "a", "o",
    " ", "  ", ".", "-", "_", "||", "\n", "\x1c", "\x0b", "'", "..........", "...........", "s", "es", "x", "2",
    "ж", "é", "ñ", "寝取られ", "ネトラレ", "한", "ก", "😂", "\u00a0", "\u3000", "\u2019", "\u200b", "Ⅻ", "٣",
]


def texts(pieces: list[str] = PIECES, max_size: int = 12) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(pieces), st.text(alphabet=string.printable, max_size=4))
    return st.lists(piece, max_size=max_size).map("".join)


@settings(parent=settings.get_profile("rules"), max_examples=600)
@given(text=texts())
def test_the_shipped_index_reads_a_normalized_text_as_python_does(shipped_index: TermIndex, text: str) -> None:
    assert_same(shipped_index, normalize(text).skeleton)


@settings(parent=settings.get_profile("rules"), max_examples=600)
@given(text=texts())
def test_it_reads_any_text_as_python_does(shipped_index: TermIndex, text: str) -> None:
    """Capitals, other scripts and lone characters included: no normalization in front."""
    assert_same(shipped_index, text)


@settings(parent=settings.get_profile("rules"))
@given(text=texts())
def test_find_answers_the_same_with_the_finder_or_without(shipped_index: TermIndex, text: str) -> None:
    """The whole of ``find``: the allow list and ``_outermost`` after either reading."""
    normalized = normalize(text)
    assert shipped_index.find(normalized) == replace(shipped_index, finder=None).find(normalized)


# Keys built from a few letters, so that they share beginnings, repeat letters across words
# ("as so"), come in several words and single letters, and stand in each other.
_LETTERS = "anost"
_word = st.text(alphabet=_LETTERS, min_size=1, max_size=4)
_term_name = st.lists(_word, min_size=1, max_size=3).map(" ".join)


@settings(parent=settings.get_profile("rules"), max_examples=400)
@given(
    names=st.lists(_term_name, min_size=1, max_size=8, unique=True),
    allow=st.lists(st.lists(_word, min_size=1, max_size=3).map(" ".join), max_size=3),
    text=st.lists(
        st.one_of(_word, st.sampled_from([" ", "  ", ".", "-", "\n", "_", "||", "é", "ж", "😂", "T", "..........."])),
        max_size=16,
    ).map("".join),
)
def test_any_small_key_set_is_read_as_python_does(names: list[str], allow: list[str], text: str) -> None:
    index = build_index([Term(name, "c") for name in names], [], allow, {})
    if index.finder is None:
        assert not index.latin_keys_only
        return
    assert_same(index, text)
    assert_same(index, normalize(text).skeleton)


def test_spans_and_edges_the_locator_cares_about(shipped_index: TermIndex) -> None:
    cases = [
        "ntr", "ntrr", "ntr.r", "ntr r", "n" + "." * 10 + "tr", "n" + "." * 11 + "tr", "antr", "a ntr", "_ntr",
        "ntr_", "ntrж", "жntr", "ntr寝", "n t r", "nn t rr", "n t rr s", "n tr", "nt r", "n\u00a0t\u00a0r",
        "n\u3000t r", "mind break", "mind  \n  break", "mind寝break", "mind.break", "mindd break", "ne to ra re",
        "a n t r", "n t r a", "x n t r", "ne.to.ra.re.", "n.e.t.o.r.a.r.e", "n e t o r a r e",
    ]
    for case in cases:
        assert_same(shipped_index, case)
        assert_same(shipped_index, f"so {case} and {case}.")
    assert compiled(shipped_index, "ntr")[0], "a plain key must be found at all"


@pytest.mark.parametrize(
    ("names", "text"),
    [
        (["ntr"], "n t r e s"),  # a run spelling the longest key ("ntres", a plural) to its last letter
        (["ntr", "a"], "a n t r a"),
        (["ntr", "no"], "nn oo n t rr"),
        (["mind break"], "mind break and mindbreak"),  # the words' gap is never empty
        (["as so"], "as so asso as.so as  so"),  # the same letter either side of the words' gap
        (["as so", "sos"], "as sos so"),
        (["twin tails", "twin"], "twin twin tails twintails"),
    ],
)
def test_small_indexes_on_the_edges_of_runs_and_words(names: list[str], text: str) -> None:
    index = build_index([Term(name, "c") for name in names], [], [], {})
    assert_same(index, text)
    assert compiled(index, text)[0], "each text names a key"


@pytest.mark.parametrize(
    "text",
    [
        # Long enough that the walks go past their budget (eight steps a character), short
        # enough that the Python reference, quadratic on them, stays quick.
        "ntr " + "n " * 600,  # every n starts a walk through the run, and fails
        "ntr " + "n." * 600,
        "ntr " + "n " * 600 + "nt r",  # every n's walk succeeds, and the spelling check turns it down
        "ntr " + "n " * 600 + "n t tr",  # ... for two letters side by side at the match's very end
        "n " * 600 + "x ntr",  # a plain match once the finder remembers: its end is the text's first space
        "ntr " + "n ж " * 400 + "nж t r",  # the same across letters beyond ASCII
        "mind break " + "mind " * 400,  # a key of two words
        ("n t r " + "n " * 100) * 6,  # found, then runs: the memo joins in halfway
    ],
    ids=[
        "failing-run", "dotted-run", "refused-spellings", "refused-at-the-end", "plain-after-a-run", "wide-letters",
        "two-words", "found-between-runs",
    ],
)
def test_texts_that_make_each_start_walk_a_long_run_are_read_as_python_does(
    shipped_index: TermIndex, text: str
) -> None:
    """Past a budget the finder remembers each letter's answer at each position; the hits stay the same.

    Each text names the key plainly too, or the scan would not find it and nothing would be located.
    """
    assert_same(shipped_index, text)
    index = build_index([Term("ntr", "c"), Term("mind break", "c")], [], [], {})
    assert_same(index, text)


def test_long_texts_of_ordinary_english_and_every_spelling(shipped_index: TermIndex, shipped) -> None:
    rng = random.Random(5)
    words = top_n_list("en", 3_000)
    terms, _ = glossary_terms(shipped)
    spellings = [s for term in terms for s in (term.name, *term.aliases)]
    for spelling in spellings:
        assert_same(shipped_index, normalize(f"so {spelling}, {'.'.join(spelling)} and {' '.join(spelling)}!").skeleton)
    for _ in range(60):
        text = " ".join(rng.choice(words + spellings[:40]) for _ in range(rng.randint(200, 700)))[:4000]
        assert_same(shipped_index, normalize(text).skeleton)


def test_the_phrase_shortcut_agrees_on_each_shipped_phrase(shipped_index: TermIndex) -> None:
    for text in ("the ending is pure ntr", "this one is ntr free", "no ntrs here", "no ne.to.ra.re here",
                 "no n t r here", "Jr. N.T.R. fans", "junior ntr", "free", "no", ""):
        assert_same(shipped_index, normalize(text).skeleton)
    assert compiled(shipped_index, normalize("the ending is pure ntr").skeleton)[1] is False
    assert compiled(shipped_index, normalize("this one is ntr free").skeleton)[1] is True


def regex_allowed(index: TermIndex, skeleton: str, windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The allowed phrases as ``_not_allowed`` finds them without the finder: its regex, window by window."""
    return [
        match.span()
        for start, end in windows
        for match in index.allow_words.finditer(skeleton, start, end)
        if match.end() < end or end == len(skeleton)
    ]


def assert_same_allowed(index: TermIndex, skeleton: str, windows: list[tuple[int, int]]) -> None:
    assert index.finder.allowed(skeleton, windows) == regex_allowed(index, skeleton, windows), (skeleton, windows)


def _windows_of(length: int, cuts: list[int]) -> list[tuple[int, int]]:
    """Disjoint windows from cut points, as ``_windows`` hands them over (merged, in order)."""
    points = sorted({min(cut, length) for cut in cuts} | {0, length})
    # an odd point left over opens no window
    return [(start, end) for start, end in zip(points[::2], points[1::2], strict=False)] or [(0, length)]


# Phrases whose words share letters at their edges ("as so", "no one"), end in s or e (the
# plural and possessive endings), are spelled in one letter, or stand inside each other.
_phrase = st.lists(st.text(alphabet="enos", min_size=1, max_size=4), min_size=1, max_size=3).map(" ".join)


@settings(parent=settings.get_profile("rules"), max_examples=500)
@given(
    phrases=st.lists(_phrase, min_size=1, max_size=4),
    text=st.lists(
        st.one_of(
            st.text(alphabet="enos", min_size=1, max_size=4),
            st.sampled_from([
                " ", "  ", ".", "-", "'s", "\u2019s", "'", "es", "s", "\n", "_", "é", "ж", "寝", "X", "|",
                "oo", "o o", "n.n", "ss", "e e",  # letters repeated, so that the greedy repeat has choices
            ]),
        ),
        max_size=16,
    ).map("".join),
    cuts=st.lists(st.integers(0, 60), max_size=4),
)
def test_the_allowed_phrases_are_found_where_their_regex_finds_them(phrases: list[str], text: str, cuts) -> None:
    index = build_index([Term("ntr", "c")], [], phrases, {})
    assert index.finder.reads_allowed
    assert_same_allowed(index, text, [(0, len(text))])
    assert_same_allowed(index, text, _windows_of(len(text), cuts))


@settings(parent=settings.get_profile("rules"))
@given(text=texts())
def test_the_shipped_allowed_phrases_are_found_where_their_regex_finds_them(
    shipped_index: TermIndex, text: str
) -> None:
    skeleton = normalize(text).skeleton
    assert_same_allowed(shipped_index, skeleton, [(0, len(skeleton))])
    assert_same_allowed(shipped_index, skeleton, _windows_of(len(skeleton), [len(skeleton) // 3, len(skeleton) // 2]))


@pytest.mark.parametrize(
    ("phrases", "text", "windows"),
    [
        (["no"], "noes", [(0, 4)]),  # the plural ending
        (["no"], "no's no\u2019s no'x", [(0, 14)]),  # possessives, and an apostrophe that is not one
        (["no"], "noo o", [(0, 5)]),  # greedy: the repeats go as far as they can
        (["no ntr"], "no ntr here", [(0, 6)]),  # a match ending at a window's edge inside the text is dropped
        (["no"], "noo.ox", [(0, 5)]),  # ... and not traded for a shorter one that fits
        (["no"], "no nox", [(0, 5), (5, 6)]),
        (["no", "no one"], "no one", [(0, 6)]),  # the alternatives in the regex's order: the longer first
    ],
)
def test_allowed_phrase_edges(phrases: list[str], text: str, windows: list[tuple[int, int]]) -> None:
    index = build_index([Term("ntr", "c")], [], phrases, {})
    assert_same_allowed(index, text, windows)


@pytest.mark.parametrize(
    "text",
    [
        ("ntr " + "n " * 148) * 13,  # every n starts a phrase ("no ntr", "ntr free") that never comes
        "no " + "o " * 1990 + "ntr",
        "no one " + "o " * 1990 + "one",  # the same letter either side of the words' gap
        ("no ntr's " + "n.") * 300,
    ],
    ids=["n-runs", "o-run", "shared-edge", "possessives"],
)
def test_texts_that_make_each_start_walk_a_long_run_find_the_same_phrases(text: str) -> None:
    index = build_index([Term("ntr", "c")], [], ["no ntr", "ntr free", "no one", "jr ntr"], {})
    assert_same_allowed(index, text, [(0, len(text))])
    assert_same_allowed(index, text, [(0, len(text) // 2), (len(text) // 2 + 3, len(text))])


def test_allowed_refuses_windows_outside_the_text_and_a_finder_without_phrases() -> None:
    index = build_index([Term("ntr", "c")], [], ["no ntr"], {})
    with pytest.raises(ValueError, match="not within"):
        index.finder.allowed("no ntr", [(0, 7)])
    with pytest.raises(ValueError, match="not within"):
        index.finder.allowed("no ntr", [(4, 2)])
    with pytest.raises(TypeError):
        index.finder.allowed("no ntr", [(0,)])
    without = key_finder({"ntr": REF}, set(), 1, 5, None)
    assert not without.reads_allowed
    with pytest.raises(ValueError, match="without the allowed phrases"):
        without.allowed("no ntr", [(0, 6)])


def test_an_allowed_phrase_beyond_ascii_is_read_by_its_regex() -> None:
    index = build_index([Term("ntr", "c")], [], ["no ntr", "жжж ntr"], {})
    assert index.finder is not None and not index.finder.reads_allowed
    assert index.find(normalize("no ntr")) == [] and index.find(normalize("жжж ntr")) == []


def test_an_index_with_a_key_beyond_ascii_reads_in_python() -> None:
    index = build_index([Term("жена", "c"), Term("ntr", "c")], [], [], {})
    assert not index.latin_keys_only and index.finder is None
    assert [hit.term.name for hit in index.find(normalize("ntr and жена"))] == ["ntr", "жена"]


def test_the_spaceless_ranges_are_the_spaceless_class() -> None:
    import re

    spaceless = re.compile(f"[{SPACELESS}]")
    for first, last in SPACELESS_RANGES:
        assert spaceless.match(chr(first)) and spaceless.match(chr(last))
        assert not spaceless.match(chr(first - 1)) and not spaceless.match(chr(last + 1))
    assert sum(last - first + 1 for first, last in SPACELESS_RANGES) == sum(
        1 for code in range(0x10000) if spaceless.match(chr(code))
    )


REF = (TermRef("ntr", "ntr"),)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ((["n tr "], [REF], [], 2, 5, None, [], Hit), ValueError, "words of"),
        ((["n  tr"], [REF], [], 2, 5, None, [], Hit), ValueError, "words of"),
        ((["NTR"], [REF], [], 1, 3, None, [], Hit), ValueError, "words of"),
        ((["жена"], [REF], [], 1, 4, None, [], Hit), ValueError, "ASCII"),
        ((["ntr", "ntr"], [REF, REF], [], 1, 3, None, [], Hit), ValueError, "different"),
        ((["ntr"], [], [], 1, 3, None, [], Hit), ValueError, "one tuple for each key"),
        ((["ntr"], [["x"]], [], 1, 3, None, [], Hit), TypeError, "tuple"),
        ((["ntr"], [REF], [], 1, 3, [[]], [], Hit), ValueError, "at least one word"),
        ((["ntr"], [REF], [], 1, 3, None, [(1,)], Hit), TypeError, "spaceless"),
        ((["ntr"], [REF], [], 1, 3, None, [], list), TypeError, "subclass of tuple"),
        ((["ntr"], [REF], [], 1, 3, None, [], Hit, ["no  ntr"]), ValueError, "allowed phrase must be words"),
        ((["ntr"], [REF], [], 1, 3, None, [], Hit, ["жена"]), ValueError, "ASCII"),
    ],
)
def test_the_finder_refuses_what_it_cannot_read(arguments, error, message) -> None:
    from _warden_speedups import KeyFinder

    with pytest.raises(error, match=message):
        KeyFinder(*arguments)


def test_the_finder_reads_str_only_and_builds_from_any_iterables() -> None:
    finder = key_finder({"ntr": REF, "mind break": REF}, {"mind"}, 2, 10, ((frozenset({"no"}), frozenset({"ntr"})),))
    assert finder.keys == 2
    with pytest.raises(TypeError):
        finder.find(b"ntr")
    hits, phrase_possible = finder.find("no ntr, mind break")
    assert sorted(hits) == [Hit(3, 6, REF[0]), Hit(8, 18, REF[0])] and phrase_possible is True
    assert finder.find("") == ([], False)
    # A phrase of more words than the finder can follow: no shortcut, every text is searched.
    long_phrase = key_finder({"ntr": REF}, set(), 1, 5, ((frozenset({"a"}),) * 65,))
    assert long_phrase.find("ntr") == ([Hit(0, 3, REF[0])], True)


def test_a_guilds_index_uses_the_finder() -> None:
    policy = compile_policy(GuildPolicy(terms=(Term("netorare", "ntr"),), include_glossary_terms=False))
    assert policy.index.finder is not None
    assert [hit.term.name for hit in policy.index.find(normalize("so NE.TO.RA.RE"))] == ["netorare"]
