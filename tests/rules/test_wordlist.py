"""No ordinary English word is flagged by the default policy (a real word list, from wordfreq)."""

from __future__ import annotations

import random

from wordfreq import top_n_list

from bot.rules import MessageFacts, evaluate
from bot.rules.keys import plural_forms, word_key

WORD_COUNT = 50_000


def test_no_common_english_word_is_flagged(default_compiled, default_policy) -> None:
    # The terms themselves (cuckold, cuck, ...) are English words too, and are meant to be flagged.
    spellings = [s for term in default_policy.terms for s in (term.name, *term.aliases)]
    own = {form for s in spellings if word_key(s) for form in plural_forms(word_key(s))}
    words = [word for word in top_n_list("en", WORD_COUNT) if word_key(word) not in own]
    assert WORD_COUNT - len(words) == 2  # cuckold and cuck
    flagged = [word for word in words if evaluate(MessageFacts(word), default_compiled).flagged]
    assert flagged == []
    # Capitalised and in a sentence makes no difference either.
    sentence = " ".join(word.capitalize() for word in words[:5000])
    assert not evaluate(MessageFacts(sentence), default_compiled).flagged


def test_random_sentences_of_common_words_are_not_flagged(default_compiled) -> None:
    """Word pairs and single-letter words in a row (a, I, s from it's) meet the joining passes."""
    words = [word for word in top_n_list("en", 20_000) if word not in ("cuck", "cuckold")]
    short = [word for word in words if len(word) <= 2]
    rng = random.Random(4)
    sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 30))) for _ in range(2_000)]
    sentences += [" ".join(rng.choice(short) for _ in range(rng.randint(3, 12))) for _ in range(2_000)]
    flagged = [s for s in sentences if evaluate(MessageFacts(s), default_compiled).flagged]
    assert flagged == []
