/*
 * Walks of the term index's two spelled patterns over a text, in the order Python's regex
 * engine tries them, so that they find the same spans (bot/rules/index.py):
 *
 *   the locator (_locator, _locate): a key's letters, each perhaps repeated after a gap,
 *     lazily ((?:gap letter)*?); a gap between letters is [\W_]{0,10}, between words
 *     [\W_] or a spaceless character, one or more; no WORD_CHAR before the first letter
 *     or after the last; a one-word key's match across whitespace must be single letters;
 *   the allowed phrases (_allow_matchers): the same shape, repeated greedily
 *     ((?:gap letter)*), the phrases as alternatives in their order, then an optional
 *     possessive or plural ending, and no WORD_CHAR after it.
 *
 * Every gap is a run of gap characters that a letter must follow, so a gap has one length
 * that can work: the whole run; what remains to choose is how often each letter repeats,
 * and which phrase.
 *
 * Some texts make the plain walk quadratic: each start of a key's first letter in a long
 * run of that letter (``n n n n ...``) walks the run again, as Python's regex engine does.
 * Past a budget of steps a walk goes linear: a memo of the answer from each (letter,
 * position), and for the locator two tables per text for its spelling check. The answers
 * do not change, only the work.
 */
#include "spellings.h"

#include <string.h>

#define LETTER_GAP_MAX 10    /* index._LETTER_GAP: [\W_]{0,10} */
#define WORK_PER_CHARACTER 8 /* steps a walk may take per character before it goes linear */
#define MEMO_LIMIT (1 << 22) /* entries (16 MB): a bigger memo is not kept, and the walk stays plain */

uint8_t kind_of[256];

void
spellings_prepare(void)
{
    for (int c = 0; c < 256; c++) {
        uint8_t kind = 0;
        if (c < 128) {
            const int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                kind |= SCAN_WORD;
            }
            if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)) {
                kind |= SCAN_SPACE | SPACE;
            }
            kind |= alnum ? WORD : GAP | WORD_GAP;
        }
        else if (c < WIDE + 16) {
            const int alnum = c & WIDE_ALNUM, spaceless = c & WIDE_SPACELESS;
            if (alnum && !spaceless) {
                kind |= WORD;
            }
            if (!alnum) {
                kind |= GAP;
            }
            if (!alnum || spaceless) {
                kind |= WORD_GAP;
            }
            if (c & WIDE_SPACE) {
                kind |= SPACE;
            }
        }
        kind_of[c] = kind;
    }
}

void
text_release(Text *text)
{
    PyMem_Free(text->next_space);
    PyMem_Free(text->next_change);
    text->next_space = text->next_change = NULL;
}

/* One spelling walked over text[from:to) (a phrase's window; the whole text for a key). */
typedef struct {
    const Spelling *spelling;
    Text *text;
    Py_ssize_t from, to;
    int32_t *memo;   /* per (letter, position - from): 0 unknown, 1 no match, else (keys only) the match's end + 2 */
    Py_ssize_t work; /* steps taken */
    int linear;      /* 0 not yet, 1 the memo is in use, -1 it could not be had (too big, no memory) */
    int failed;      /* out of memory: a Python error is set */
} Walk;

/* The length of the run of characters of ``kind`` at ``at``, counting at most ``limit + 1``. */
static inline Py_ssize_t
run_of(const Walk *w, Py_ssize_t at, uint8_t kind, Py_ssize_t limit)
{
    const uint8_t *text = w->text->text;
    Py_ssize_t end = at;
    while (end < w->to && (kind_of[text[end]] & kind) && end - at <= limit) {
        end++;
    }
    return end - at;
}

static inline int32_t *
memo_at(const Walk *w, Py_ssize_t slot, Py_ssize_t at)
{
    return &w->memo[slot * (w->to - w->from + 1) + (at - w->from)];
}

/* Past the budget, switch to the memo, if it can be had. */
static void
count_work(Walk *w, Py_ssize_t steps)
{
    w->work += steps;
    if (w->linear != 0 || w->work <= WORK_PER_CHARACTER * (w->to - w->from + 16)) {
        return;
    }
    const Py_ssize_t entries = w->spelling->count * (w->to - w->from + 1);
    w->linear = -1;
    if (entries <= MEMO_LIMIT && (w->memo = PyMem_Calloc(entries, sizeof(int32_t))) != NULL) {
        w->linear = 1;
    }
}

/* Where the same letter comes again after a gap of at most ten (just past it); -1 if it does not. */
static inline Py_ssize_t
repeat_at(const Walk *w, Py_ssize_t slot, Py_ssize_t at)
{
    const Py_ssize_t gap = run_of(w, at, GAP, LETTER_GAP_MAX);
    if (gap > LETTER_GAP_MAX || at + gap >= w->to || w->text->text[at + gap] != w->spelling->letters[slot]) {
        return -1;
    }
    return at + gap + 1;
}

/* Where the next letter stands after letter ``slot`` ends at ``at`` (just past it); -1 if it does not. */
static inline Py_ssize_t
next_letter_at(const Walk *w, Py_ssize_t slot, Py_ssize_t at)
{
    const uint8_t next = w->spelling->letters[slot + 1];
    Py_ssize_t gap;
    if (w->spelling->starts[slot + 1]) { /* between two words: one or more */
        gap = run_of(w, at, WORD_GAP, PY_SSIZE_T_MAX - 1);
        if (gap < 1) {
            return -1;
        }
    }
    else if ((gap = run_of(w, at, GAP, LETTER_GAP_MAX)) > LETTER_GAP_MAX) {
        return -1;
    }
    return at + gap < w->to && w->text->text[at + gap] == next ? at + gap + 1 : -1;
}

static inline int
ends_a_word(const Walk *w, Py_ssize_t at) /* (?!WORD_CHAR), where the text ends at ``to`` */
{
    return at == w->to || !(kind_of[w->text->text[at]] & WORD);
}

/* ---- the locator ---- */

/*
 * Where a key's match ends, given that letter ``slot`` was just read and the text goes on
 * at ``at``; -1 when none does. The repeat is lazy: the engine first goes on without
 * repeating, and repeats only when that fails, so every position the walk repeats
 * through has the same answer.
 */
static Py_ssize_t
key_after(Walk *w, Py_ssize_t slot, Py_ssize_t at)
{
    const Py_ssize_t from = at;
    Py_ssize_t end = -1;
    for (;;) {
        if (w->linear == 1 && *memo_at(w, slot, at) != 0) {
            end = *memo_at(w, slot, at) - 2;
            break;
        }
        count_work(w, 1);
        if (slot == w->spelling->count - 1) {
            if (ends_a_word(w, at)) {
                end = at;
                break;
            }
        }
        else {
            const Py_ssize_t next = next_letter_at(w, slot, at);
            if (next >= 0 && (end = key_after(w, slot + 1, next)) >= 0) {
                break;
            }
        }
        const Py_ssize_t again = repeat_at(w, slot, at);
        if (again < 0) {
            end = -1;
            break;
        }
        at = again;
    }
    if (w->linear == 1) {
        for (Py_ssize_t p = from;; p = repeat_at(w, slot, p)) {
            *memo_at(w, slot, p) = (int32_t)(end + 2);
            if (p == at) {
                break;
            }
        }
    }
    return end;
}

/* The spelling check's tables for the text; -1 without memory. */
static int
build_text_tables(Text *text)
{
    const Py_ssize_t size = text->size;
    const uint8_t *t = text->text;
    text->next_space = PyMem_Malloc((size + 1) * sizeof(int32_t));
    text->next_change = PyMem_Malloc((size + 1) * sizeof(int32_t));
    if (text->next_space == NULL || text->next_change == NULL) {
        text_release(text);
        return -1;
    }
    text->next_space[size] = text->next_change[size] = (int32_t)size;
    for (Py_ssize_t i = size - 1; i >= 0; i--) {
        text->next_space[i] = (kind_of[t[i]] & SPACE) ? (int32_t)i : text->next_space[i + 1];
        const int change = i + 1 < size && (kind_of[t[i]] & WORD) && (kind_of[t[i + 1]] & WORD) && t[i] != t[i + 1];
        text->next_change[i] = change ? (int32_t)i : text->next_change[i + 1];
    }
    return 0;
}

/*
 * index._locate's check of a match of a one-word key: across whitespace it is only a
 * spelling when every word in it is one letter, however stretched (``n t r``). The only
 * WORD_CHARs a match holds are the key's own letters (its gaps hold none), all ASCII,
 * so the copy's bytes tell two of them apart.
 */
static int
spelled_in_single_letters(Walk *w, Py_ssize_t start, Py_ssize_t end)
{
    const Text *text = w->text;
    if (text->next_space != NULL) {
        return text->next_space[start] >= end || text->next_change[start] > end - 2;
    }
    count_work(w, end - start);
    const uint8_t *t = text->text;
    int has_space = 0;
    for (Py_ssize_t i = start; i < end && !has_space; i++) {
        has_space = (kind_of[t[i]] & SPACE) != 0;
    }
    if (!has_space) {
        return 1;
    }
    for (Py_ssize_t i = start; i + 1 < end; i++) {
        if ((kind_of[t[i]] & WORD) && (kind_of[t[i + 1]] & WORD) && t[i] != t[i + 1]) {
            return 0; /* a word of two different letters */
        }
    }
    return 1;
}

int
locate_spelling(const Spelling *key, int several_words, Text *text, SpanFound found, void *context)
{
    Walk w = {key, text, 0, text->size, NULL, 0, 0, 0};
    const uint8_t first = key->letters[0];
    int failed = 0;
    for (Py_ssize_t at = 0; at < text->size && !failed;) {
        const uint8_t *seen = memchr(text->text + at, first, text->size - at);
        if (seen == NULL) {
            break;
        }
        const Py_ssize_t start = seen - text->text;
        at = start + 1;
        if (start > 0 && (kind_of[text->text[start - 1]] & WORD)) {
            continue; /* (?<!WORD_CHAR first): the key starts a word */
        }
        const Py_ssize_t end = key_after(&w, 0, start + 1);
        if (w.linear == 1 && text->next_space == NULL && !several_words) {
            w.linear = build_text_tables(text) == 0 ? 1 : -1; /* the check goes linear with the walk */
        }
        if (end < 0 || !(several_words || spelled_in_single_letters(&w, start, end))) {
            continue;
        }
        failed = found(context, start, end) != 0;
        at = end;
    }
    PyMem_Free(w.memo);
    return failed ? -1 : 0;
}

/* ---- the allowed phrases ---- */

/*
 * The phrase's ending after its last letter: (?:['’]s|e?s)? then (?!WORD_CHAR), tried in
 * the engine's order; where the match ends, or -1.
 */
static Py_ssize_t
phrase_end(const Walk *w, Py_ssize_t at)
{
    const uint8_t *t = w->text->text;
    const int apostrophe = at < w->to && (t[at] == '\'' || t[at] == (WIDE | WIDE_APOSTROPHE));
    if (apostrophe && at + 1 < w->to && t[at + 1] == 's' && ends_a_word(w, at + 2)) {
        return at + 2;
    }
    if (at + 1 < w->to && t[at] == 'e' && t[at + 1] == 's' && ends_a_word(w, at + 2)) {
        return at + 2;
    }
    if (at < w->to && t[at] == 's' && ends_a_word(w, at + 1)) {
        return at + 1;
    }
    return ends_a_word(w, at) ? at : -1;
}

static Py_ssize_t phrase_after(Walk *w, Py_ssize_t slot, Py_ssize_t at);

/* From letter ``slot`` ending at ``at``, without repeating it: the next letter, or the ending. */
static Py_ssize_t
phrase_goes_on(Walk *w, Py_ssize_t slot, Py_ssize_t at)
{
    if (slot == w->spelling->count - 1) {
        return phrase_end(w, at);
    }
    const Py_ssize_t next = next_letter_at(w, slot, at);
    return next < 0 ? -1 : phrase_after(w, slot + 1, next);
}

/*
 * Where a phrase's match ends, given that letter ``slot`` was just read and the text goes
 * on at ``at``; -1 when none does. The repeat is greedy: the engine repeats the letter as
 * often as it can, then tries to go on from the last repeat, then from the one before,
 * and so on. So the walk first follows the repeats, then goes on from each, deepest
 * first. Only failures are remembered: a success ends the search from its start, and
 * the next search begins past it.
 */
static Py_ssize_t
phrase_after(Walk *w, Py_ssize_t slot, Py_ssize_t at)
{
    Py_ssize_t nearby[32], *repeats = nearby, room = 32, count = 0;
    for (Py_ssize_t p = at; p >= 0; p = repeat_at(w, slot, p)) {
        if (w->linear == 1 && *memo_at(w, slot, p) != 0) {
            break; /* from here on, as deep as the repeats go, nothing works */
        }
        count_work(w, 1);
        if (count == room) {
            Py_ssize_t *grown = PyMem_Malloc(2 * room * sizeof(Py_ssize_t));
            if (grown == NULL) {
                w->failed = 1;
                PyErr_NoMemory();
                break;
            }
            memcpy(grown, repeats, count * sizeof(Py_ssize_t));
            if (repeats != nearby) {
                PyMem_Free(repeats);
            }
            repeats = grown;
            room *= 2;
        }
        repeats[count++] = p;
    }
    Py_ssize_t answer = -1;
    for (Py_ssize_t k = count - 1; k >= 0 && answer < 0 && !w->failed; k--) {
        answer = phrase_goes_on(w, slot, repeats[k]);
    }
    if (answer < 0 && w->linear == 1 && !w->failed) {
        for (Py_ssize_t k = 0; k < count; k++) {
            *memo_at(w, slot, repeats[k]) = 1;
        }
    }
    if (repeats != nearby) {
        PyMem_Free(repeats);
    }
    return w->failed ? -1 : answer;
}

int
allowed_in_window(const Spelling *phrases, Py_ssize_t count, const uint8_t first_letters[128], Text *text,
                  Py_ssize_t from, Py_ssize_t to, SpanFound found, void *context)
{
    Walk *walks = PyMem_Calloc(count + 1, sizeof(Walk));
    if (walks == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        walks[i] = (Walk){&phrases[i], text, from, to, NULL, 0, 0, 0};
    }
    const uint8_t *t = text->text;
    int failed = 0;
    for (Py_ssize_t at = from; at < to && !failed;) { /* finditer: each search goes on from the last match's end */
        Py_ssize_t start = at, end = -1;
        for (; start < to && end < 0 && !failed; start++) {
            if (t[start] >= 128 || !first_letters[t[start]] || (start > 0 && (kind_of[t[start - 1]] & WORD))) {
                continue; /* (?<!WORD_CHAR), which sees the text before the window too */
            }
            for (Py_ssize_t i = 0; i < count && end < 0; i++) {
                if (phrases[i].letters[0] == t[start]) {
                    end = phrase_after(&walks[i], 0, start + 1);
                    failed = walks[i].failed;
                }
            }
        }
        if (end < 0) {
            break;
        }
        start--; /* the loop stepped past the match's start */
        if (end < to || to == text->size) { /* at the window's edge the text goes on: not a word's end */
            failed = found(context, start, end) != 0;
        }
        at = end;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyMem_Free(walks[i].memo);
    }
    PyMem_Free(walks);
    return failed ? -1 : 0;
}
