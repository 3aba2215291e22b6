/*
 * _warden_speedups: compiled pieces of the rule engine (bot/rules). Each type runs
 * something the Python code builds and also runs itself, slower; the tests hold the
 * two to one answer. Without this module bot.rules uses only its Python paths.
 *
 *   Dfa        (dfa.c)         the prefilter's clean-text test, a table-driven automaton
 *   KeyFinder  (key_finder.c)  the term index's reading of a skeleton: scan, key lookup, locate,
 *                              and the allowed phrases; its walks are in spellings.c
 */
#ifndef WARDEN_SPEEDUPS_H
#define WARDEN_SPEEDUPS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

extern PyTypeObject DfaType;
extern PyTypeObject KeyFinderType;

#endif
