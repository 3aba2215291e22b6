/*
 * KeyFinder: the term index's reading of a skeleton, for a policy whose word keys are all ASCII.
 *
 * A flagged post is read in full (bot/rules/index.py, TermIndex.find): the skeleton is
 * cut into candidates (bot/rules/scan.py), the candidates are looked up among the term
 * keys, and every key found is located by a regex of its own (index._locator), whose
 * matches are then checked once more (index._locate). In Python that is a few dozen
 * calls and allocations a post; here it is one pass over the text, a hash lookup per
 * candidate, and a matcher that walks the locator's pattern in the order Python's
 * regex engine tries it, so that it finds the same spans. The Python code is the
 * reference: the tests compare the two on generated text.
 *
 * KeyFinder(keys, refs, first_words, max_words, max_key_length, phrases, spaceless, hit_type)
 *   keys            the word keys: words of [a-z0-9] joined by single spaces
 *   refs            for each key, the tuple of term references a hit on it reports
 *   first_words     the first word of every key of several words
 *   max_words, max_key_length   as TermIndex has them
 *   phrases         None, or each allowed phrase as the forms each of its words may take
 *                   (TermIndex.allow_phrase_words)
 *   spaceless       (first, last) code points of the scripts written without spaces
 *   hit_type        index.Hit, a tuple subclass: find() builds its hits as that type
 *
 * find(skeleton) -> (hits, phrase_possible): every (start, end, term) where a key found
 * among the candidates stands, in no order and not yet filtered, and whether the
 * candidates could hold an allowed phrase (TermIndex._may_hold_a_phrase).
 *
 * The text's characters, as each step reads them (the Python code's own definitions):
 *   the scan reads the text as ASCII, each other character one "?" (str.encode(..., "replace")):
 *     a word is a run of [a-z0-9]; pieces are split at str.isspace() characters;
 *   the locator reads it with the regex engine's classes: a letter must be the key's own,
 *     a gap between letters is [\W_] (at most 10), between words [\W_] or a spaceless
 *     character (any number, at least one), and a key starts and ends where no WORD_CHAR
 *     (alphanumeric, not _, not spaceless) stands beside it; the check after a match reads \s.
 * Text beyond ASCII is first copied to one byte a character: the character itself if
 * ASCII, else 0x80 with three bits saying alphanumeric, spaceless, whitespace.
 */
#include "speedups.h"

#include <string.h>

/* What a byte of the (copied) text is, for each reader. */
enum {
    SCAN_WORD = 1,   /* [a-z0-9]: the scan's word letters */
    SCAN_SPACE = 2,  /* whitespace by str.isspace(): separates pieces */
    WORD = 4,        /* WORD_CHAR: alphanumeric, not _, not a spaceless script */
    GAP = 8,         /* [\W_]: may stand between two letters of a word */
    WORD_GAP = 16,   /* [\W_] or spaceless: may stand between two words */
    SPACE = 32,      /* \s */
};

/* A character beyond ASCII, copied as one byte. */
#define WIDE 0x80
#define WIDE_ALNUM 1
#define WIDE_SPACELESS 2
#define WIDE_SPACE 4

#define LETTER_GAP_MAX 10 /* index._LETTER_GAP: [\W_]{0,10} */
#define MAX_PHRASE_WORDS 64

static uint8_t kind_of[256];

void
key_finder_prepare(void)
{
    for (int c = 0; c < 256; c++) {
        uint8_t kind = 0;
        if (c < 128) {
            int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            int space = c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                kind |= SCAN_WORD;
            }
            if (space) {
                kind |= SCAN_SPACE | SPACE;
            }
            kind |= alnum ? WORD : GAP | WORD_GAP;
        }
        else if (c < WIDE + 8) {
            int alnum = c & WIDE_ALNUM, spaceless = c & WIDE_SPACELESS;
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

typedef struct {
    uint32_t offset; /* of its characters in the arena */
    uint32_t length;
    uint64_t hash;
    int32_t key; /* index into keys, or -1 */
    uint8_t first_word;
    uint32_t phrases_at; /* its (phrase, word) memberships: memberships[phrases_at : phrases_at + phrase_count] */
    uint32_t phrase_count;
} Entry;

typedef struct {
    uint32_t letters_at; /* its letters in letters[], and whether each starts a word, in starts[] */
    uint32_t letter_count;
    int has_space;
    PyObject *refs;
} Key;

typedef struct {
    PyObject_HEAD
    char *arena;
    Entry *entries;
    Py_ssize_t entry_count;
    uint32_t *table; /* open addressing: entry index + 1, 0 for empty */
    uint64_t mask;
    Key *keys;
    Py_ssize_t key_count;
    uint8_t *letters;
    uint8_t *starts;
    uint32_t *memberships; /* phrase * MAX_PHRASE_WORDS + word */
    uint64_t *phrase_needs; /* NULL: no phrase list, every text may hold one */
    Py_ssize_t phrase_count;
    Py_UCS4 (*spaceless)[2];
    Py_ssize_t spaceless_count;
    Py_ssize_t max_words;
    Py_ssize_t max_key_length;
    PyObject *hit_type;
} KeyFinder;

static uint64_t
hash_bytes(const uint8_t *text, Py_ssize_t length)
{
    uint64_t hash = 1469598103934665603ULL; /* FNV-1a */
    for (Py_ssize_t i = 0; i < length; i++) {
        hash = (hash ^ text[i]) * 1099511628211ULL;
    }
    return hash;
}

static Entry *
lookup(const KeyFinder *self, const uint8_t *text, Py_ssize_t length)
{
    const uint64_t hash = hash_bytes(text, length);
    for (uint64_t slot = hash & self->mask;; slot = (slot + 1) & self->mask) {
        const uint32_t at = self->table[slot];
        if (at == 0) {
            return NULL;
        }
        Entry *entry = &self->entries[at - 1];
        if (entry->hash == hash && entry->length == (uint32_t)length
            && memcmp(self->arena + entry->offset, text, length) == 0) {
            return entry;
        }
    }
}

/* ---- the locator: index._locator's pattern, tried in the regex engine's order ---- */

/*
 * The text as the locator reads it. A text can make the plain walk quadratic: each start
 * of a key's first letter in a long run of that letter (``n n n n ...``) walks the run
 * again, as Python's regex engine does. Past a budget of steps the locator goes linear:
 * a memo of each (letter, position)'s answer per key, and two tables per text for the
 * spelling check. The answers do not change, only the work.
 */
typedef struct {
    const uint8_t *text;
    Py_ssize_t size;
    int32_t *next_space;  /* built once linear: the first whitespace at or after each position */
    int32_t *next_change; /* ... the first i at or after it where text[i] and text[i + 1] are different WORD_CHARs */
} Text;

typedef struct {
    const KeyFinder *self;
    const Key *key;
    Text *text;
    int32_t *ends;    /* the memo: per (letter, position) 0 unknown, 1 no match, else the match's end + 2 */
    Py_ssize_t work;  /* steps taken for this key */
    int linear;       /* 0 not yet, 1 the memo is in use, -1 it could not be had (too big, no memory) */
} Locating;

#define WORK_PER_CHARACTER 8 /* steps a key may take per character of text before the locator goes linear */
#define MEMO_LIMIT (1 << 22) /* entries (16 MB): a bigger memo is not kept, and the walk stays plain */

/* The length of the run of characters of ``kind`` at ``at``, counting at most ``limit + 1``. */
static inline Py_ssize_t
run_of(const uint8_t *text, Py_ssize_t size, Py_ssize_t at, uint8_t kind, Py_ssize_t limit)
{
    Py_ssize_t end = at;
    while (end < size && (kind_of[text[end]] & kind) && end - at <= limit) {
        end++;
    }
    return end - at;
}

/* The spelling check's tables for the text (next_space, next_change); 0, or -1 without memory. */
static int
build_text_tables(Text *text)
{
    const Py_ssize_t size = text->size;
    text->next_space = PyMem_Malloc((size + 1) * sizeof(int32_t));
    text->next_change = PyMem_Malloc((size + 1) * sizeof(int32_t));
    if (text->next_space == NULL || text->next_change == NULL) {
        return -1;
    }
    text->next_space[size] = text->next_change[size] = (int32_t)size;
    for (Py_ssize_t i = size - 1; i >= 0; i--) {
        const uint8_t *t = text->text;
        text->next_space[i] = (kind_of[t[i]] & SPACE) ? (int32_t)i : text->next_space[i + 1];
        const int change = i + 1 < size && (kind_of[t[i]] & WORD) && (kind_of[t[i + 1]] & WORD) && t[i] != t[i + 1];
        text->next_change[i] = change ? (int32_t)i : text->next_change[i + 1];
    }
    return 0;
}

/* Past the budget, switch to the memo (and the text's tables), if they can be had. */
static void
count_work(Locating *l, Py_ssize_t steps)
{
    l->work += steps;
    if (l->linear != 0 || l->work <= WORK_PER_CHARACTER * (l->text->size + 16)) {
        return;
    }
    const Py_ssize_t entries = (Py_ssize_t)l->key->letter_count * (l->text->size + 1);
    l->linear = -1;
    if (entries > MEMO_LIMIT || l->text->size >= INT32_MAX - 2) {
        return;
    }
    if (l->text->next_space == NULL && build_text_tables(l->text) < 0) {
        return;
    }
    l->ends = PyMem_Calloc(entries, sizeof(int32_t));
    if (l->ends != NULL) {
        l->linear = 1;
    }
}

/* The next position of the same letter, after a gap of at most ten; -1 if there is none. */
static inline Py_ssize_t
repeat_at(const Locating *l, Py_ssize_t slot, Py_ssize_t at)
{
    const uint8_t *text = l->text->text;
    const Py_ssize_t size = l->text->size;
    const Py_ssize_t gap = run_of(text, size, at, GAP, LETTER_GAP_MAX);
    if (gap > LETTER_GAP_MAX || at + gap >= size || text[at + gap] != l->self->letters[l->key->letters_at + slot]) {
        return -1;
    }
    return at + gap + 1;
}

/*
 * Where a match ends, given that letter ``slot`` of the key was just read and the text
 * goes on at ``at``; -1 when none does. Each letter is followed by a lazy repeat of
 * itself ((?:gap letter)*?), so the engine first tries to go on without repeating, and
 * repeats only when that fails. Every gap is a run of gap characters that the next
 * letter must follow, so a gap has one length that can work: the whole run.
 */
static Py_ssize_t
match_after(Locating *l, Py_ssize_t slot, Py_ssize_t at)
{
    const uint8_t *text = l->text->text;
    const Py_ssize_t size = l->text->size;
    const uint8_t *letters = l->self->letters + l->key->letters_at;
    const uint8_t *starts = l->self->starts + l->key->letters_at;
    const Py_ssize_t from = at;
    Py_ssize_t end = -1;
    for (;;) {
        if (l->linear == 1 && l->ends[slot * (size + 1) + at] != 0) {
            end = l->ends[slot * (size + 1) + at] - 2;
            break;
        }
        count_work(l, 1);
        if (slot == (Py_ssize_t)l->key->letter_count - 1) {
            if (at == size || !(kind_of[text[at]] & WORD)) { /* (?!WORD_CHAR) */
                end = at;
                break;
            }
        }
        else if (starts[slot + 1]) { /* the gap between two words: one or more */
            const Py_ssize_t gap = run_of(text, size, at, WORD_GAP, PY_SSIZE_T_MAX - 1);
            if (gap >= 1 && at + gap < size && text[at + gap] == letters[slot + 1]
                && (end = match_after(l, slot + 1, at + gap + 1)) >= 0) {
                break;
            }
        }
        else {
            const Py_ssize_t gap = run_of(text, size, at, GAP, LETTER_GAP_MAX);
            if (gap <= LETTER_GAP_MAX && at + gap < size && text[at + gap] == letters[slot + 1]
                && (end = match_after(l, slot + 1, at + gap + 1)) >= 0) {
                break;
            }
        }
        const Py_ssize_t next = repeat_at(l, slot, at);
        if (next < 0) {
            end = -1;
            break;
        }
        at = next;
    }
    if (l->linear == 1) {
        /* Every position this walk repeated through has the same answer: remember each. */
        for (Py_ssize_t p = from;; p = repeat_at(l, slot, p)) {
            l->ends[slot * (size + 1) + p] = (int32_t)(end + 2);
            if (p == at) {
                break;
            }
        }
    }
    return end;
}

/*
 * index._locate's check of a match of a one-word key: across whitespace it is only a
 * spelling when every word in it is one letter, however stretched (``n t r``). The only
 * WORD_CHARs a match holds are the key's own letters (its gaps hold none), all ASCII,
 * so the copy's bytes tell two of them apart.
 */
static int
spelled_in_single_letters(Locating *l, Py_ssize_t start, Py_ssize_t end)
{
    const Text *text = l->text;
    if (l->linear == 1) {
        return text->next_space[start] >= end || text->next_change[start] > end - 2;
    }
    count_work(l, end - start);
    int has_space = 0;
    for (Py_ssize_t i = start; i < end && !has_space; i++) {
        has_space = (kind_of[text->text[i]] & SPACE) != 0;
    }
    if (!has_space) {
        return 1;
    }
    /* Each run of WORD_CHAR in the match must be one character repeated. */
    const uint8_t *t = text->text;
    for (Py_ssize_t i = start; i + 1 < end; i++) {
        if ((kind_of[t[i]] & WORD) && (kind_of[t[i + 1]] & WORD) && t[i] != t[i + 1]) {
            return 0;
        }
    }
    return 1;
}

static int
add_hits(const KeyFinder *self, PyObject *hits, const Key *key, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *refs = key->refs;
    PyObject *span[2] = {PyLong_FromSsize_t(start), PyLong_FromSsize_t(end)};
    int failed = span[0] == NULL || span[1] == NULL;
    for (Py_ssize_t r = 0; !failed && r < PyTuple_GET_SIZE(refs); r++) {
        PyObject *fields = PyTuple_Pack(3, span[0], span[1], PyTuple_GET_ITEM(refs, r));
        PyObject *args = fields != NULL ? PyTuple_Pack(1, fields) : NULL;
        /* tuple.__new__(Hit, fields): what the named tuple's own __new__ does, without its Python frame */
        PyObject *hit = args != NULL ? PyTuple_Type.tp_new((PyTypeObject *)self->hit_type, args, NULL) : NULL;
        failed = hit == NULL || PyList_Append(hits, hit) < 0;
        Py_XDECREF(hit);
        Py_XDECREF(args);
        Py_XDECREF(fields);
    }
    Py_XDECREF(span[0]);
    Py_XDECREF(span[1]);
    return failed ? -1 : 0;
}

/* Every place ``key`` stands, as index._locate finds them: leftmost first, and on past each one. */
static int
locate(const KeyFinder *self, const Key *key, Text *text, PyObject *hits)
{
    Locating l = {self, key, text, NULL, 0, 0};
    const uint8_t first = self->letters[key->letters_at];
    Py_ssize_t at = 0;
    int failed = 0;
    while (at < text->size && !failed) {
        const uint8_t *found = memchr(text->text + at, first, text->size - at);
        if (found == NULL) {
            break;
        }
        const Py_ssize_t start = found - text->text;
        at = start + 1;
        if (start > 0 && (kind_of[text->text[start - 1]] & WORD)) {
            continue; /* (?<!WORD_CHAR first): the key starts a word */
        }
        const Py_ssize_t end = match_after(&l, 0, start + 1);
        if (end < 0 || !(key->has_space || spelled_in_single_letters(&l, start, end))) {
            continue;
        }
        failed = add_hits(self, hits, key, start, end) < 0;
        at = end;
    }
    PyMem_Free(l.ends);
    return failed ? -1 : 0;
}

/* ---- the scan: scan.candidates, each candidate looked up as TermIndex._keys_present does ---- */

typedef struct {
    const KeyFinder *self;
    uint8_t *found;     /* a bit per key */
    int32_t *present;   /* the keys found, each once */
    Py_ssize_t present_count;
    uint64_t *seen;     /* per allowed phrase, a bit per word of it standing among the words and pieces */
} Reading;

static const Entry *
note(Reading *reading, const uint8_t *text, Py_ssize_t length, int counts_for_phrases)
{
    const KeyFinder *self = reading->self;
    const Entry *entry = lookup(self, text, length);
    if (entry == NULL) {
        return NULL;
    }
    if (entry->key >= 0 && !(reading->found[entry->key >> 3] & (1 << (entry->key & 7)))) {
        reading->found[entry->key >> 3] |= (uint8_t)(1 << (entry->key & 7));
        reading->present[reading->present_count++] = entry->key;
    }
    if (counts_for_phrases && reading->seen != NULL) {
        for (uint32_t m = 0; m < entry->phrase_count; m++) {
            const uint32_t membership = self->memberships[entry->phrases_at + m];
            reading->seen[membership / MAX_PHRASE_WORDS] |= 1ULL << (membership % MAX_PHRASE_WORDS);
        }
    }
    return entry;
}

/* The text as one byte a character (see the top of this file); ``copy`` has room for ``size``. */
static const uint8_t *
as_bytes(PyObject *skeleton, uint8_t *copy, const KeyFinder *self)
{
    if (PyUnicode_IS_ASCII(skeleton)) {
        return PyUnicode_1BYTE_DATA(skeleton);
    }
    const int width = PyUnicode_KIND(skeleton);
    const void *data = PyUnicode_DATA(skeleton);
    const Py_ssize_t size = PyUnicode_GET_LENGTH(skeleton);
    for (Py_ssize_t i = 0; i < size; i++) {
        const Py_UCS4 c = PyUnicode_READ(width, data, i);
        if (c < 128) {
            copy[i] = (uint8_t)c;
            continue;
        }
        uint8_t wide = WIDE;
        if (Py_UNICODE_ISALNUM(c)) {
            wide |= WIDE_ALNUM;
        }
        if (Py_UNICODE_ISSPACE(c)) {
            wide |= WIDE_SPACE;
        }
        for (Py_ssize_t r = 0; r < self->spaceless_count; r++) {
            if (self->spaceless[r][0] <= c && c <= self->spaceless[r][1]) {
                wide |= WIDE_SPACELESS;
                break;
            }
        }
        copy[i] = wide;
    }
    return copy;
}

/* The next ``bytes`` of a block, kept 8-byte aligned. */
static void *
take(char **free_at, size_t bytes)
{
    void *at = *free_at;
    *free_at += (bytes + 7) & ~(size_t)7;
    return at;
}

PyDoc_STRVAR(find_doc,
"find(skeleton) -> (hits, phrase_possible)\n\n"
"Every hit of a key found among the skeleton's candidates, unordered and unfiltered, and\n"
"whether the candidates could hold an allowed phrase.");

static PyObject *
finder_find(KeyFinder *self, PyObject *skeleton)
{
    if (!PyUnicode_Check(skeleton)) {
        PyErr_Format(PyExc_TypeError, "find() takes a str, not %.100s", Py_TYPE(skeleton)->tp_name);
        return NULL;
    }
    const Py_ssize_t size = PyUnicode_GET_LENGTH(skeleton);
    const Py_ssize_t most_words = size / 2 + 1;
    /* One block: the words' offsets, lengths and entries, the phrase bits, the keys found and
       their bits (the bits zeroed), the copy, the words' collapsed letters, a piece, a joined key. */
    const size_t key_bits = (size_t)self->key_count / 8 + 1;
    const size_t parts[] = {
        most_words * sizeof(Py_ssize_t), most_words * sizeof(Py_ssize_t), most_words * sizeof(Entry *),
        self->phrase_count * sizeof(uint64_t), self->key_count * sizeof(int32_t), key_bits,
        size + 1, size + 1, size + 1, size + 1,
    };
    size_t total = 0;
    for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
        total += (parts[p] + 7) & ~(size_t)7;
    }
    char *block = PyMem_Malloc(total);
    if (block == NULL) {
        return PyErr_NoMemory();
    }
    char *free_at = block;
    Py_ssize_t *word_at = take(&free_at, parts[0]);
    Py_ssize_t *word_length = take(&free_at, parts[1]);
    const Entry **word_entry = take(&free_at, parts[2]);
    uint64_t *seen = take(&free_at, parts[3]);
    int32_t *present = take(&free_at, parts[4]);
    uint8_t *found = take(&free_at, parts[5]);
    uint8_t *copy = take(&free_at, parts[6]);
    uint8_t *letters = take(&free_at, parts[7]);
    uint8_t *piece = take(&free_at, parts[8]);
    uint8_t *joined = take(&free_at, parts[9]); /* a key spelled by a run of single letters, or words joined */
    memset(seen, 0, parts[3]);
    memset(found, 0, parts[5]);
    Reading reading = {self, found, present, 0, self->phrase_needs != NULL ? seen : NULL};
    const uint8_t *text = as_bytes(skeleton, copy, self);
    PyObject *hits = NULL;

    /* Words (runs of [a-z0-9], collapsed) and pieces (a whitespace-free chunk's letters, collapsed). */
    Py_ssize_t word_count = 0, letters_length = 0;
    for (Py_ssize_t i = 0; i < size;) {
        if (kind_of[text[i]] & SCAN_SPACE) {
            i++;
            continue;
        }
        Py_ssize_t piece_length = 0, runs = 0;
        while (i < size && !(kind_of[text[i]] & SCAN_SPACE)) {
            if (!(kind_of[text[i]] & SCAN_WORD)) {
                i++;
                continue;
            }
            const Py_ssize_t at = letters_length;
            for (; i < size && (kind_of[text[i]] & SCAN_WORD); i++) {
                if (letters_length == at || letters[letters_length - 1] != text[i]) {
                    letters[letters_length++] = text[i];
                }
                if (piece_length == 0 || piece[piece_length - 1] != text[i]) {
                    piece[piece_length++] = text[i];
                }
            }
            word_at[word_count] = at;
            word_length[word_count] = letters_length - at;
            word_entry[word_count] = note(&reading, letters + at, letters_length - at, 1);
            word_count++;
            runs++;
        }
        if (runs > 1) { /* punctuation between letters: the piece is not just the word */
            note(&reading, piece, piece_length, 1);
        }
    }
    /* Keys of several words: joined from each first word on. */
    for (Py_ssize_t w = 0; w < word_count; w++) {
        if (word_entry[w] == NULL || !word_entry[w]->first_word) {
            continue;
        }
        Py_ssize_t length = word_length[w];
        memcpy(joined, letters + word_at[w], length);
        for (Py_ssize_t later = w + 1; later < word_count && later < w + self->max_words; later++) {
            if (length + 1 + word_length[later] > size) {
                break; /* cannot happen: the words and a space each fit in the text they came from */
            }
            joined[length++] = ' ';
            memcpy(joined + length, letters + word_at[later], word_length[later]);
            length += word_length[later];
            note(&reading, joined, length, 0);
        }
    }
    /* Runs of single-letter words (``n t r``): every key their letters spell in a row. */
    int letter_runs = 0;
    for (Py_ssize_t w = 0; w < word_count;) {
        if (word_length[w] != 1) {
            w++;
            continue;
        }
        const Py_ssize_t first_word = w;
        while (w < word_count && word_length[w] == 1) {
            w++;
        }
        const Py_ssize_t run_length = w - first_word;
        if (run_length < 2) {
            continue;
        }
        letter_runs = 1;
        for (Py_ssize_t first = 0; first < run_length - 1; first++) {
            Py_ssize_t length = 1;
            joined[0] = letters[word_at[first_word + first]];
            const Py_ssize_t stop = Py_MIN(run_length, first + self->max_key_length);
            for (Py_ssize_t j = first + 1; j < stop; j++) {
                const uint8_t letter = letters[word_at[first_word + j]];
                if (letter != joined[length - 1]) {
                    joined[length++] = letter;
                }
                note(&reading, joined, length, 0);
            }
        }
    }
    int phrase_possible = self->phrase_needs == NULL || letter_runs;
    for (Py_ssize_t p = 0; p < self->phrase_count && !phrase_possible; p++) {
        phrase_possible = (seen[p] & self->phrase_needs[p]) == self->phrase_needs[p];
    }

    hits = PyList_New(0);
    if (hits == NULL) {
        goto failed;
    }
    Text located = {text, size, NULL, NULL};
    for (Py_ssize_t k = 0; k < reading.present_count; k++) {
        if (locate(self, &self->keys[present[k]], &located, hits) < 0) {
            PyMem_Free(located.next_space);
            PyMem_Free(located.next_change);
            goto failed;
        }
    }
    PyMem_Free(located.next_space);
    PyMem_Free(located.next_change);
    PyMem_Free(block);
    PyObject *answer = PyTuple_Pack(2, hits, phrase_possible ? Py_True : Py_False);
    Py_DECREF(hits);
    return answer;
failed:
    Py_XDECREF(hits);
    PyMem_Free(block);
    return NULL;
}

/* ---- building one ---- */

static void
finder_dealloc(KeyFinder *self)
{
    if (self->keys != NULL) {
        for (Py_ssize_t k = 0; k < self->key_count; k++) {
            Py_XDECREF(self->keys[k].refs);
        }
    }
    Py_XDECREF(self->hit_type);
    PyMem_Free(self->arena);
    PyMem_Free(self->entries);
    PyMem_Free(self->table);
    PyMem_Free(self->keys);
    PyMem_Free(self->letters);
    PyMem_Free(self->starts);
    PyMem_Free(self->memberships);
    PyMem_Free(self->phrase_needs);
    PyMem_Free(self->spaceless);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* The characters of an ASCII str, or NULL with ValueError. */
static const char *
ascii_of(PyObject *text, Py_ssize_t *length, const char *what)
{
    if (!PyUnicode_Check(text) || !PyUnicode_IS_ASCII(text)) {
        PyErr_Format(PyExc_ValueError, "every %s must be a str of ASCII characters", what);
        return NULL;
    }
    *length = PyUnicode_GET_LENGTH(text);
    return (const char *)PyUnicode_1BYTE_DATA(text);
}

/* Whether a key is words of [a-z0-9] joined by single spaces, as index.build_index makes them. */
static int
is_key_text(const char *text, Py_ssize_t length)
{
    if (length == 0 || text[0] == ' ' || text[length - 1] == ' ') {
        return 0;
    }
    for (Py_ssize_t i = 0; i < length; i++) {
        if (text[i] == ' ' ? text[i - 1] == ' ' : !(kind_of[(uint8_t)text[i]] & SCAN_WORD)) {
            return 0;
        }
    }
    return 1;
}

/* The entry for ``text``, added (with its characters copied to the arena) if it is new. */
static Entry *
entry_for(KeyFinder *self, const char *text, Py_ssize_t length, Py_ssize_t *arena_used)
{
    Entry *entry = lookup(self, (const uint8_t *)text, length);
    if (entry != NULL) {
        return entry;
    }
    const uint64_t hash = hash_bytes((const uint8_t *)text, length);
    uint64_t slot = hash & self->mask;
    while (self->table[slot] != 0) {
        slot = (slot + 1) & self->mask;
    }
    entry = &self->entries[self->entry_count];
    self->table[slot] = (uint32_t)++self->entry_count;
    memcpy(self->arena + *arena_used, text, length);
    *entry = (Entry){(uint32_t)*arena_used, (uint32_t)length, hash, -1, 0, 0, 0};
    *arena_used += length;
    return entry;
}

/* Each phrase's words, each word's forms, as lists of lists (None stays None). */
static PyObject *
phrase_lists(PyObject *phrases)
{
    if (phrases == Py_None) {
        Py_RETURN_NONE;
    }
    PyObject *outer = PySequence_List(phrases);
    for (Py_ssize_t p = 0; outer != NULL && p < PyList_GET_SIZE(outer); p++) {
        PyObject *words = PySequence_List(PyList_GET_ITEM(outer, p));
        for (Py_ssize_t w = 0; words != NULL && w < PyList_GET_SIZE(words); w++) {
            PyObject *forms = PySequence_List(PyList_GET_ITEM(words, w));
            if (forms == NULL) {
                Py_CLEAR(words);
                break;
            }
            PyList_SetItem(words, w, forms);
        }
        if (words == NULL) {
            Py_CLEAR(outer);
            break;
        }
        if (PyList_GET_SIZE(words) == 0) {
            PyErr_SetString(PyExc_ValueError, "an allowed phrase has at least one word");
            Py_DECREF(words);
            Py_CLEAR(outer);
            break;
        }
        if (PyList_GET_SIZE(words) > MAX_PHRASE_WORDS) {
            /* More words than a phrase's bits can follow: no shortcut, every text may hold a phrase. */
            Py_DECREF(words);
            Py_DECREF(outer);
            Py_RETURN_NONE;
        }
        PyList_SetItem(outer, p, words);
    }
    return outer;
}

static PyObject *
finder_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"keys", "refs", "first_words", "max_words", "max_key_length", "phrases",
                               "spaceless", "hit_type", NULL};
    PyObject *keys_arg, *refs_arg, *first_arg, *phrases_arg, *spaceless_arg, *hit_type;
    Py_ssize_t max_words, max_key_length;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOnnOOO:KeyFinder", keywords, &keys_arg, &refs_arg,
                                     &first_arg, &max_words, &max_key_length, &phrases_arg, &spaceless_arg,
                                     &hit_type)) {
        return NULL;
    }
    if (!PyType_Check(hit_type) || !PyType_IsSubtype((PyTypeObject *)hit_type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "hit_type must be a subclass of tuple");
        return NULL;
    }
    KeyFinder *self = NULL;
    PyObject *keys = PySequence_List(keys_arg);
    PyObject *refs = keys != NULL ? PySequence_List(refs_arg) : NULL;
    PyObject *firsts = refs != NULL ? PySequence_List(first_arg) : NULL;
    PyObject *phrases = firsts != NULL ? phrase_lists(phrases_arg) : NULL;
    PyObject *spaceless = phrases != NULL ? PySequence_List(spaceless_arg) : NULL;
    if (spaceless == NULL) {
        goto done;
    }
    const Py_ssize_t key_count = PyList_GET_SIZE(keys);
    if (PyList_GET_SIZE(refs) != key_count) {
        PyErr_SetString(PyExc_ValueError, "refs must hold one tuple for each key");
        goto done;
    }
    /* How much room the vocabulary needs: every key, first word and phrase form. */
    Py_ssize_t strings = key_count + PyList_GET_SIZE(firsts), arena_size = 0, letter_count = 0, length;
    for (Py_ssize_t k = 0; k < key_count; k++) {
        const char *text = ascii_of(PyList_GET_ITEM(keys, k), &length, "key");
        if (text == NULL) {
            goto done;
        }
        if (!is_key_text(text, length)) {
            PyErr_SetString(PyExc_ValueError, "a key is words of [a-z0-9] joined by single spaces");
            goto done;
        }
        if (!PyTuple_Check(PyList_GET_ITEM(refs, k))) {
            PyErr_SetString(PyExc_TypeError, "each key's refs must be a tuple");
            goto done;
        }
        arena_size += length;
        letter_count += length;
    }
    for (Py_ssize_t f = 0; f < PyList_GET_SIZE(firsts); f++) {
        if (ascii_of(PyList_GET_ITEM(firsts, f), &length, "first word") == NULL) {
            goto done;
        }
        arena_size += length;
    }
    const Py_ssize_t phrase_count = phrases == Py_None ? 0 : PyList_GET_SIZE(phrases);
    for (Py_ssize_t p = 0; p < phrase_count; p++) {
        PyObject *words = PyList_GET_ITEM(phrases, p);
        for (Py_ssize_t w = 0; w < PyList_GET_SIZE(words); w++) {
            PyObject *forms = PyList_GET_ITEM(words, w);
            for (Py_ssize_t f = 0; f < PyList_GET_SIZE(forms); f++) {
                if (ascii_of(PyList_GET_ITEM(forms, f), &length, "phrase word") == NULL) {
                    goto done;
                }
                arena_size += length;
                strings++;
            }
        }
    }
    self = (KeyFinder *)type->tp_alloc(type, 0);
    if (self == NULL) {
        goto done;
    }
    Py_INCREF(hit_type);
    self->hit_type = hit_type;
    self->max_words = max_words;
    self->max_key_length = max_key_length;
    uint64_t capacity = 8;
    while (capacity < (uint64_t)strings * 2) {
        capacity *= 2;
    }
    self->mask = capacity - 1;
    self->arena = PyMem_Malloc(arena_size + 1);
    self->entries = PyMem_Calloc(strings + 1, sizeof(Entry));
    self->table = PyMem_Calloc(capacity, sizeof(uint32_t));
    self->keys = PyMem_Calloc(key_count + 1, sizeof(Key));
    self->letters = PyMem_Malloc(letter_count + 1);
    self->starts = PyMem_Malloc(letter_count + 1);
    self->spaceless = PyMem_Calloc(PyList_GET_SIZE(spaceless) + 1, sizeof(Py_UCS4[2]));
    if (phrases != Py_None) {
        self->phrase_needs = PyMem_Calloc(phrase_count + 1, sizeof(uint64_t));
    }
    if (!self->arena || !self->entries || !self->table || !self->keys || !self->letters || !self->starts
        || !self->spaceless || (phrases != Py_None && !self->phrase_needs)) {
        PyErr_NoMemory();
        Py_CLEAR(self);
        goto done;
    }
    for (Py_ssize_t r = 0; r < PyList_GET_SIZE(spaceless); r++) {
        unsigned int first, last;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(spaceless, r), "II:spaceless", &first, &last)) {
            Py_CLEAR(self);
            goto done;
        }
        self->spaceless[r][0] = first;
        self->spaceless[r][1] = last;
        self->spaceless_count = r + 1;
    }
    Py_ssize_t arena_used = 0, letters_used = 0;
    for (Py_ssize_t k = 0; k < key_count; k++) {
        const char *text = ascii_of(PyList_GET_ITEM(keys, k), &length, "key");
        Entry *entry = entry_for(self, text, length, &arena_used);
        if (entry->key >= 0) {
            PyErr_SetString(PyExc_ValueError, "every key must be different");
            Py_CLEAR(self);
            goto done;
        }
        entry->key = (int32_t)k;
        Key *key = &self->keys[k];
        key->refs = Py_NewRef(PyList_GET_ITEM(refs, k));
        self->key_count = k + 1;
        key->letters_at = (uint32_t)letters_used;
        int word_starts = 1;
        for (Py_ssize_t i = 0; i < length; i++) {
            if (text[i] == ' ') {
                key->has_space = word_starts = 1;
                continue;
            }
            self->letters[letters_used] = (uint8_t)text[i];
            self->starts[letters_used++] = (uint8_t)word_starts;
            word_starts = 0;
        }
        key->letter_count = (uint32_t)(letters_used - key->letters_at);
    }
    for (Py_ssize_t f = 0; f < PyList_GET_SIZE(firsts); f++) {
        const char *text = ascii_of(PyList_GET_ITEM(firsts, f), &length, "first word");
        entry_for(self, text, length, &arena_used)->first_word = 1;
    }
    /* Phrase forms: counted per entry first, so that each entry's memberships sit together. */
    Py_ssize_t membership_count = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (Py_ssize_t p = 0; p < phrase_count; p++) {
            PyObject *words = PyList_GET_ITEM(phrases, p);
            const Py_ssize_t word_count = PyList_GET_SIZE(words);
            self->phrase_needs[p] = word_count == 64 ? ~0ULL : (1ULL << word_count) - 1;
            for (Py_ssize_t w = 0; w < word_count; w++) {
                PyObject *forms = PyList_GET_ITEM(words, w);
                for (Py_ssize_t f = 0; f < PyList_GET_SIZE(forms); f++) {
                    const char *text = ascii_of(PyList_GET_ITEM(forms, f), &length, "phrase word");
                    Entry *entry = entry_for(self, text, length, &arena_used);
                    if (pass == 0) {
                        entry->phrase_count++;
                        membership_count++;
                    }
                    else {
                        self->memberships[entry->phrases_at + entry->phrase_count++] =
                            (uint32_t)(p * MAX_PHRASE_WORDS + w);
                    }
                }
            }
        }
        if (pass == 0) {
            self->memberships = PyMem_Calloc(membership_count + 1, sizeof(uint32_t));
            if (self->memberships == NULL) {
                PyErr_NoMemory();
                Py_CLEAR(self);
                goto done;
            }
            uint32_t at = 0;
            for (Py_ssize_t e = 0; e < self->entry_count; e++) {
                self->entries[e].phrases_at = at;
                at += self->entries[e].phrase_count;
                self->entries[e].phrase_count = 0;
            }
        }
    }
    self->phrase_count = phrase_count;
done:
    Py_XDECREF(keys);
    Py_XDECREF(refs);
    Py_XDECREF(firsts);
    Py_XDECREF(phrases);
    Py_XDECREF(spaceless);
    return (PyObject *)self;
}

static PyObject *
finder_get_keys(KeyFinder *self, void *Py_UNUSED(closure))
{
    return PyLong_FromSsize_t(self->key_count);
}

static PyMethodDef finder_methods[] = {
    {"find", (PyCFunction)finder_find, METH_O, find_doc},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef finder_getset[] = {
    {"keys", (getter)finder_get_keys, NULL, "the number of keys", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject KeyFinderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_warden_speedups.KeyFinder",
    .tp_doc = PyDoc_STR("The term index's reading of a skeleton: scan, key lookup and locate, in one pass."),
    .tp_basicsize = sizeof(KeyFinder),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = finder_new,
    .tp_dealloc = (destructor)finder_dealloc,
    .tp_methods = finder_methods,
    .tp_getset = finder_getset,
};
