/*
 * Dfa: the rule engine's clean-text test as a table-driven automaton.
 *
 * Almost every post in a watched channel is clean, and the prefilter proves it by
 * asking whether any term key could stand in the text (bot/rules/prefilter.py).
 * The automaton is built in Python (bot/rules/term_dfa.py) from the same three
 * shapes the RE2 set matches; this module only runs it, with no allocation, and a
 * call costs a few dozen nanoseconds where RE2's binding costs about 300. Without
 * this module the prefilter uses the RE2 set.
 *
 * Dfa(next, symbols, final, resets):
 *   next     the transitions, uint16 in native byte order: next[state * width + symbol]
 *   symbols  256 bytes: the symbol (column) each byte is read as
 *   final    one byte per state: nonzero when text ending in that state may hold a key
 *   resets   256 bytes: nonzero for a byte after which the walk is usually back in the
 *            start state (for the terms: a gap); only speed depends on it
 * State 0 is the start. A state that has matched must stay final whatever follows
 * (the builder makes it absorbing), so the loop never tests for an early exit.
 *
 * Speed: one table lookup per byte, but each depends on the one before, so a single
 * walk waits on memory latency at every byte. A longer text is cut into LANES pieces,
 * each starting just after a reset byte, and the pieces are walked side by side from
 * the start state. Where the walk before a piece did not end in the start state, the
 * piece is walked again from where it did end, so the answer is always the plain
 * walk's.
 */
#include "speedups.h"

#include <string.h>

typedef struct {
    PyObject_HEAD
    uint16_t *next;
    uint8_t *final;
    uint8_t symbol[256];
    uint8_t resets[256];
    Py_ssize_t states;
    Py_ssize_t width;
} Dfa;

#define LANES 4
#define LANE_MINIMUM 32 /* bytes per piece below which one walk is quicker */

static uint32_t
dfa_walk(const Dfa *dfa, uint32_t state, const uint8_t *text, Py_ssize_t size)
{
    const uint16_t *next = dfa->next;
    const uint8_t *symbol = dfa->symbol;
    const uint32_t width = (uint32_t)dfa->width;
    for (Py_ssize_t i = 0; i < size; i++) {
        state = next[state * width + symbol[text[i]]];
    }
    return state;
}

static int
dfa_run(const Dfa *dfa, const uint8_t *text, Py_ssize_t size)
{
    if (size < LANES * LANE_MINIMUM) {
        return dfa->final[dfa_walk(dfa, 0, text, size)];
    }
    /* Piece k is text[start[k]:start[k + 1]]; each after the first begins just after a reset byte. */
    Py_ssize_t start[LANES + 1];
    start[0] = 0;
    start[LANES] = size;
    for (int k = 1; k < LANES; k++) {
        Py_ssize_t at = size * k / LANES;
        if (at < start[k - 1]) {
            at = start[k - 1];
        }
        while (at < size && (at == 0 || !dfa->resets[text[at - 1]])) {
            at++;
        }
        start[k] = at;
    }
    Py_ssize_t common = size;
    for (int k = 0; k < LANES; k++) {
        if (start[k + 1] - start[k] < common) {
            common = start[k + 1] - start[k];
        }
    }
    const uint16_t *next = dfa->next;
    const uint8_t *symbol = dfa->symbol;
    const uint32_t width = (uint32_t)dfa->width;
    const uint8_t *a = text + start[0], *b = text + start[1], *c = text + start[2], *d = text + start[3];
    uint32_t ra = 0, rb = 0, rc = 0, rd = 0; /* each walk's state */
    for (Py_ssize_t i = 0; i < common; i++) { /* four independent walks: their loads overlap */
        ra = next[ra * width + symbol[a[i]]];
        rb = next[rb * width + symbol[b[i]]];
        rc = next[rc * width + symbol[c[i]]];
        rd = next[rd * width + symbol[d[i]]];
    }
    uint32_t state[LANES] = {ra, rb, rc, rd};
    for (int k = 0; k < LANES; k++) {
        state[k] = dfa_walk(dfa, state[k], text + start[k] + common, start[k + 1] - start[k] - common);
    }
    for (int k = 1; k < LANES; k++) {
        if (state[k - 1] != 0) { /* the piece did not start where the walk before it ended: walk it again */
            state[k] = dfa_walk(dfa, state[k - 1], text + start[k], start[k + 1] - start[k]);
        }
    }
    return dfa->final[state[LANES - 1]];
}

static void
dfa_dealloc(Dfa *self)
{
    PyMem_Free(self->next);
    PyMem_Free(self->final);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
dfa_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"next", "symbols", "final", "resets", NULL};
    Py_buffer next, symbols, final, resets;
    if (!PyArg_ParseTupleAndKeywords(
            args, kwargs, "y*y*y*y*:Dfa", keywords, &next, &symbols, &final, &resets)) {
        return NULL;
    }
    Dfa *self = NULL;
    const Py_ssize_t states = final.len;
    if (states < 1 || states > 65536) {
        PyErr_SetString(PyExc_ValueError, "a Dfa has between 1 and 65536 states");
        goto done;
    }
    if (next.len % (Py_ssize_t)(2 * states) != 0 || next.len == 0) {
        PyErr_SetString(PyExc_ValueError, "next must hold the same number of uint16 entries for every state");
        goto done;
    }
    const Py_ssize_t width = next.len / (Py_ssize_t)(2 * states);
    if (symbols.len != 256 || resets.len != 256) {
        PyErr_SetString(PyExc_ValueError, "symbols and resets must have one entry for each of the 256 byte values");
        goto done;
    }
    const uint8_t *symbol = symbols.buf;
    for (int byte = 0; byte < 256; byte++) {
        if (symbol[byte] >= width) {
            PyErr_Format(PyExc_ValueError, "byte %d is read as symbol %d, but the table has %zd", byte,
                         symbol[byte], width);
            goto done;
        }
    }
    self = (Dfa *)type->tp_alloc(type, 0);
    if (self == NULL) {
        goto done;
    }
    self->next = PyMem_Malloc(states * width * sizeof(uint16_t));
    self->final = PyMem_Malloc(states);
    if (self->next == NULL || self->final == NULL) {
        Py_CLEAR(self);
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < states * width; i++) {
        uint16_t target;
        memcpy(&target, (const char *)next.buf + 2 * i, 2); /* a buffer need not be aligned */
        if (target >= states) {
            PyErr_Format(PyExc_ValueError, "transition %zd leads to state %d, past the last", i, target);
            Py_CLEAR(self);
            goto done;
        }
        self->next[i] = target;
    }
    memcpy(self->final, final.buf, states);
    memcpy(self->symbol, symbol, 256);
    memcpy(self->resets, resets.buf, 256);
    self->states = states;
    self->width = width;
done:
    PyBuffer_Release(&next);
    PyBuffer_Release(&symbols);
    PyBuffer_Release(&final);
    PyBuffer_Release(&resets);
    return (PyObject *)self;
}

PyDoc_STRVAR(could_match_doc,
"could_match(text) -> bool\n\n"
"Whether the automaton accepts somewhere in text: bytes, or a str of ASCII only.");

static PyObject *
dfa_could_match(Dfa *self, PyObject *text)
{
    if (PyUnicode_Check(text)) {
        if (!PyUnicode_IS_ASCII(text)) {
            PyErr_SetString(PyExc_ValueError, "could_match reads ASCII text; encode anything else first");
            return NULL;
        }
        return PyBool_FromLong(dfa_run(self, PyUnicode_1BYTE_DATA(text), PyUnicode_GET_LENGTH(text)));
    }
    if (PyBytes_Check(text)) {
        return PyBool_FromLong(
            dfa_run(self, (const uint8_t *)PyBytes_AS_STRING(text), PyBytes_GET_SIZE(text)));
    }
    Py_buffer view;
    if (PyObject_GetBuffer(text, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    int found = dfa_run(self, view.buf, view.len);
    PyBuffer_Release(&view);
    return PyBool_FromLong(found);
}

PyDoc_STRVAR(rules_out_doc,
"rules_out(content) -> bool\n\n"
"True when content is ASCII and the automaton accepts nowhere in it; False for\n"
"anything else, which the caller must read in full.");

static PyObject *
dfa_rules_out(Dfa *self, PyObject *content)
{
    if (!PyUnicode_Check(content)) {
        PyErr_Format(PyExc_TypeError, "rules_out() takes a str, not %.100s", Py_TYPE(content)->tp_name);
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(content)) {
        Py_RETURN_FALSE;
    }
    return PyBool_FromLong(!dfa_run(self, PyUnicode_1BYTE_DATA(content), PyUnicode_GET_LENGTH(content)));
}

static PyObject *
dfa_get_states(Dfa *self, void *Py_UNUSED(closure))
{
    return PyLong_FromSsize_t(self->states);
}

static PyMethodDef dfa_methods[] = {
    {"could_match", (PyCFunction)dfa_could_match, METH_O, could_match_doc},
    {"rules_out", (PyCFunction)dfa_rules_out, METH_O, rules_out_doc},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef dfa_getset[] = {
    {"states", (getter)dfa_get_states, NULL, "the number of states", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject DfaType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_warden_speedups.Dfa",
    .tp_doc = PyDoc_STR("A deterministic automaton over bytes, run by table lookup."),
    .tp_basicsize = sizeof(Dfa),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = dfa_new,
    .tp_dealloc = (destructor)dfa_dealloc,
    .tp_methods = dfa_methods,
    .tp_getset = dfa_getset,
};
