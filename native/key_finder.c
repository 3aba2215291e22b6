/*
 * KeyFinder: the term index's reading of a skeleton, for a policy whose word keys are all ASCII.
 *
 * A flagged post is read in full (bot/rules/index.py, TermIndex.find): the skeleton is
 * cut into candidates (bot/rules/scan.py), the candidates are looked up among the term
 * keys, and every key found is located by a regex of its own (index._locator), whose
 * matches are then checked once more (index._locate); around the hits, the allowed
 * phrases are looked for by one more regex (TermIndex._not_allowed). In Python that is
 * a few dozen calls and allocations a post; here it is one pass over the text, a hash
 * lookup per candidate, and walks of the two patterns in the order Python's regex
 * engine tries them (spellings.c), so that they find the same spans. The Python code
 * is the reference: the tests compare the two on generated text.
 *
 * KeyFinder(keys, refs, first_words, max_words, max_key_length, phrases, spaceless, hit_type, allowed=None)
 *   keys            the word keys: words of [a-z0-9] joined by single spaces
 *   refs            for each key, the tuple of term references a hit on it reports
 *   first_words     the first word of every key of several words
 *   max_words, max_key_length   as TermIndex has them
 *   phrases         None, or each allowed phrase as the forms each of its words may take
 *                   (TermIndex.allow_phrase_words)
 *   spaceless       (first, last) code points of the scripts written without spaces
 *   hit_type        index.Hit, a tuple subclass: find() builds its hits as that type
 *   allowed         None, or the allowed phrases' keys in the order of their regex's
 *                   alternatives, for allowed()
 *
 * find(skeleton) -> (hits, phrase_possible): every (start, end, term) where a key found
 * among the candidates stands, in no order and not yet filtered, and whether the
 * candidates could hold an allowed phrase (TermIndex._may_hold_a_phrase).
 * allowed(skeleton, windows) -> [(start, end)]: where the allowed phrases stand in each
 * window, as the regex's finditer finds them there.
 *
 * The scan reads the text as ASCII, each other character one "?" (str.encode(...,
 * "replace")): a word is a run of [a-z0-9]; pieces are split at str.isspace()
 * characters. How the walks read it is in spellings.c. Text beyond ASCII is first
 * copied to one byte a character: the character itself if ASCII, else WIDE with bits
 * saying alphanumeric, spaceless, whitespace, or U+2019 (spellings.h).
 */
#include "spellings.h"

#include <string.h>

#define MAX_PHRASE_WORDS 64

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
    Spelling spelling; /* its letters, in the finder's letters[] and starts[] */
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
    int reads_allowed;         /* built with the allowed phrases' keys: allowed() reads them */
    Spelling *allowed;         /* those keys, in the order of the alternatives in their regex */
    Py_ssize_t allowed_count;
    uint8_t allowed_first[128]; /* nonzero for each phrase's first letter */
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

typedef struct {
    PyObject *hits;
    PyObject *hit_type;
    const Key *key;
} Hits;

/* A SpanFound: the key's hits at [start, end), one for each of its term references. */
static int
add_hits(void *context, Py_ssize_t start, Py_ssize_t end)
{
    const Hits *into = context;
    PyObject *refs = into->key->refs;
    PyObject *span[2] = {PyLong_FromSsize_t(start), PyLong_FromSsize_t(end)};
    int failed = span[0] == NULL || span[1] == NULL;
    for (Py_ssize_t r = 0; !failed && r < PyTuple_GET_SIZE(refs); r++) {
        PyObject *fields = PyTuple_Pack(3, span[0], span[1], PyTuple_GET_ITEM(refs, r));
        PyObject *args = fields != NULL ? PyTuple_Pack(1, fields) : NULL;
        /* tuple.__new__(Hit, fields): what the named tuple's own __new__ does, without its Python frame */
        PyObject *hit = args != NULL ? PyTuple_Type.tp_new((PyTypeObject *)into->hit_type, args, NULL) : NULL;
        failed = hit == NULL || PyList_Append(into->hits, hit) < 0;
        Py_XDECREF(hit);
        Py_XDECREF(args);
        Py_XDECREF(fields);
    }
    Py_XDECREF(span[0]);
    Py_XDECREF(span[1]);
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
        if (c == 0x2019) {
            wide |= WIDE_APOSTROPHE;
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
        const Key *key = &self->keys[present[k]];
        Hits into = {hits, self->hit_type, key};
        if (locate_spelling(&key->spelling, key->has_space, &located, add_hits, &into) < 0) {
            text_release(&located);
            goto failed;
        }
    }
    text_release(&located);
    PyMem_Free(block);
    PyObject *answer = PyTuple_Pack(2, hits, phrase_possible ? Py_True : Py_False);
    Py_DECREF(hits);
    return answer;
failed:
    Py_XDECREF(hits);
    PyMem_Free(block);
    return NULL;
}

/* A SpanFound: the span as a (start, end) tuple, appended to the list. */
static int
add_span(void *spans, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *span = Py_BuildValue("(nn)", start, end);
    const int failed = span == NULL || PyList_Append(spans, span) < 0;
    Py_XDECREF(span);
    return failed;
}

PyDoc_STRVAR(allowed_doc,
"allowed(skeleton, windows) -> list of (start, end)\n\n"
"Where the allowed phrases stand in each window (start, end) of the skeleton, as\n"
"TermIndex._not_allowed's regex finds them. Only for a finder built with ``allowed``.");

static PyObject *
finder_allowed(KeyFinder *self, PyObject *args)
{
    PyObject *skeleton, *windows_arg;
    if (!PyArg_ParseTuple(args, "UO:allowed", &skeleton, &windows_arg)) {
        return NULL;
    }
    if (!self->reads_allowed) {
        PyErr_SetString(PyExc_ValueError, "this finder was built without the allowed phrases");
        return NULL;
    }
    PyObject *windows = PySequence_Fast(windows_arg, "windows must be a sequence of (start, end)");
    if (windows == NULL) {
        return NULL;
    }
    const Py_ssize_t size = PyUnicode_GET_LENGTH(skeleton);
    uint8_t *copy = PyUnicode_IS_ASCII(skeleton) ? NULL : PyMem_Malloc(size + 1);
    PyObject *spans = PyList_New(0);
    if (spans == NULL || (!PyUnicode_IS_ASCII(skeleton) && copy == NULL)) {
        if (spans != NULL) {
            PyErr_NoMemory();
        }
        Py_XDECREF(spans);
        Py_DECREF(windows);
        return NULL;
    }
    Text text = {as_bytes(skeleton, copy, self), size, NULL, NULL};
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(windows); i++) {
        Py_ssize_t from, to;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(windows, i), "nn:window", &from, &to)) {
            Py_CLEAR(spans);
            break;
        }
        if (from < 0 || from > to || to > size) {
            PyErr_Format(PyExc_ValueError, "window (%zd, %zd) is not within the skeleton's %zd characters", from,
                         to, size);
            Py_CLEAR(spans);
            break;
        }
        if (allowed_in_window(self->allowed, self->allowed_count, self->allowed_first, &text, from, to, add_span,
                              spans) < 0) {
            Py_CLEAR(spans);
            break;
        }
    }
    PyMem_Free(copy);
    Py_DECREF(windows);
    return spans;
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
    PyMem_Free(self->allowed);
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

/* The characters of a key or allowed phrase, or NULL with ValueError when it is not one. */
static const char *
key_text(PyObject *item, Py_ssize_t *length, const char *what)
{
    const char *text = ascii_of(item, length, what);
    if (text != NULL && !is_key_text(text, *length)) {
        PyErr_Format(PyExc_ValueError, "every %s must be words of [a-z0-9] joined by single spaces", what);
        return NULL;
    }
    return text;
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

/* A key's or phrase's letters, copied after the others, each marked if it starts a word. */
static Spelling
spell(KeyFinder *self, const char *text, Py_ssize_t length, Py_ssize_t *letters_used)
{
    Spelling spelling = {self->letters + *letters_used, self->starts + *letters_used, 0};
    int starts_a_word = 1;
    for (Py_ssize_t i = 0; i < length; i++) {
        if (text[i] == ' ') {
            starts_a_word = 1;
            continue;
        }
        self->letters[*letters_used] = (uint8_t)text[i];
        self->starts[(*letters_used)++] = (uint8_t)starts_a_word;
        starts_a_word = 0;
        spelling.count++;
    }
    return spelling;
}

static PyObject *
finder_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"keys", "refs", "first_words", "max_words", "max_key_length", "phrases",
                               "spaceless", "hit_type", "allowed", NULL};
    PyObject *keys_arg, *refs_arg, *first_arg, *phrases_arg, *spaceless_arg, *hit_type, *allowed_arg = Py_None;
    Py_ssize_t max_words, max_key_length;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOnnOOO|O:KeyFinder", keywords, &keys_arg, &refs_arg,
                                     &first_arg, &max_words, &max_key_length, &phrases_arg, &spaceless_arg,
                                     &hit_type, &allowed_arg)) {
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
    PyObject *allow_keys = spaceless == NULL           ? NULL
                           : allowed_arg == Py_None ? Py_NewRef(Py_None)
                                                    : PySequence_List(allowed_arg);
    if (allow_keys == NULL) {
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
        if (key_text(PyList_GET_ITEM(keys, k), &length, "key") == NULL) {
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
    const Py_ssize_t allowed_count = allow_keys == Py_None ? 0 : PyList_GET_SIZE(allow_keys);
    for (Py_ssize_t a = 0; a < allowed_count; a++) {
        if (key_text(PyList_GET_ITEM(allow_keys, a), &length, "allowed phrase") == NULL) {
            goto done;
        }
        letter_count += length;
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
    self->allowed = PyMem_Calloc(allowed_count + 1, sizeof(Spelling));
    self->reads_allowed = allow_keys != Py_None;
    if (phrases != Py_None) {
        self->phrase_needs = PyMem_Calloc(phrase_count + 1, sizeof(uint64_t));
    }
    if (!self->arena || !self->entries || !self->table || !self->keys || !self->letters || !self->starts
        || !self->spaceless || !self->allowed || (phrases != Py_None && !self->phrase_needs)) {
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
        key->spelling = spell(self, text, length, &letters_used);
        key->has_space = memchr(text, ' ', length) != NULL;
    }
    for (Py_ssize_t a = 0; allow_keys != Py_None && a < PyList_GET_SIZE(allow_keys); a++) {
        const char *text = ascii_of(PyList_GET_ITEM(allow_keys, a), &length, "allowed phrase");
        self->allowed[a] = spell(self, text, length, &letters_used);
        self->allowed_first[(uint8_t)text[0]] = 1;
        self->allowed_count = a + 1;
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
    Py_XDECREF(allow_keys);
    return (PyObject *)self;
}

static PyObject *
finder_get_keys(KeyFinder *self, void *Py_UNUSED(closure))
{
    return PyLong_FromSsize_t(self->key_count);
}

static PyObject *
finder_get_reads_allowed(KeyFinder *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->reads_allowed);
}

static PyMethodDef finder_methods[] = {
    {"find", (PyCFunction)finder_find, METH_O, find_doc},
    {"allowed", (PyCFunction)finder_allowed, METH_VARARGS, allowed_doc},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef finder_getset[] = {
    {"keys", (getter)finder_get_keys, NULL, "the number of keys", NULL},
    {"reads_allowed", (getter)finder_get_reads_allowed, NULL, "whether allowed() reads the allowed phrases", NULL},
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
