/*
 * How the term index's regexes read a text, for the walks in spellings.c and the scan in
 * key_finder.c: the kinds of each character, a key or an allowed phrase as its letters,
 * and the text as one byte a character.
 */
#ifndef WARDEN_SPELLINGS_H
#define WARDEN_SPELLINGS_H

#include "speedups.h"

/* What a byte of the (copied) text is, for each reader (the Python code's own definitions). */
enum {
    SCAN_WORD = 1,   /* [a-z0-9]: the scan's word letters */
    SCAN_SPACE = 2,  /* whitespace by str.isspace(): separates pieces */
    WORD = 4,        /* WORD_CHAR: alphanumeric, not _, not a spaceless script */
    GAP = 8,         /* [\W_]: may stand between two letters of a word */
    WORD_GAP = 16,   /* [\W_] or spaceless: may stand between two words */
    SPACE = 32,      /* \s */
};

/* A character beyond ASCII, copied as one byte: WIDE and what it is. */
#define WIDE 0x80
#define WIDE_ALNUM 1
#define WIDE_SPACELESS 2
#define WIDE_SPACE 4
#define WIDE_APOSTROPHE 8 /* U+2019, which an allowed phrase's possessive may use */

extern uint8_t kind_of[256];
void spellings_prepare(void); /* fills kind_of, before the first walk */

/* A key or an allowed phrase: its letters, and for each whether it starts a word. */
typedef struct {
    const uint8_t *letters;
    const uint8_t *starts;
    Py_ssize_t count;
} Spelling;

/* The text as one byte a character; the two tables are built by a locate that goes linear. */
typedef struct {
    const uint8_t *text;
    Py_ssize_t size;
    int32_t *next_space;  /* the first whitespace at or after each position */
    int32_t *next_change; /* the first i at or after it where text[i] and text[i + 1] are different WORD_CHARs */
} Text;

void text_release(Text *text);

/* Called with each span found; nonzero stops the walk (a Python error is set). */
typedef int (*SpanFound)(void *context, Py_ssize_t start, Py_ssize_t end);

/* index._locate: every place ``key`` stands, leftmost first; -1 on an error. */
int locate_spelling(const Spelling *key, int several_words, Text *text, SpanFound found, void *context);

/*
 * One window of TermIndex._not_allowed's search: the allowed phrases' regex (the
 * alternatives in its order), as finditer(text, from, to) finds it, keeping a match
 * that ends at ``to`` only when ``to`` is the text's end. ``first_letters`` marks each
 * phrase's first letter. -1 on an error.
 */
int allowed_in_window(const Spelling *phrases, Py_ssize_t count, const uint8_t first_letters[128], Text *text,
                      Py_ssize_t from, Py_ssize_t to, SpanFound found, void *context);

#endif
