"""The prefilter's term shapes as one deterministic automaton, run by the compiled module.

The prefilter asks of every clean post whether some term key could stand in it,
through an RE2 set of three shapes (see ``prefilter``). RE2's binding costs about
0.3 µs a call before it reads a byte, a third of what a watched channel's clean post
costs. The same shapes, built here as a table-driven DFA over the prefilter's
symbols (each letter, space, other), run in ``_warden_speedups`` at a few dozen
nanoseconds a call plus under a nanosecond a byte.

The automaton comes from the keys by subset construction over a small NFA, one
state kind per shape, each at a node of the keys' trie:

* ``THROUGH`` (``n.t.r``, ``nnttrr``): after a letter of a key, more of that letter
  or punctuation, then the next letter; the key must start and end at a gap;
* ``RUN`` and ``GAP`` (``n t r``): a key spelled in single-letter words, each word
  one letter however stretched; only its first ``spelled_out_depth`` letters;
* ``WORDS`` (``twin tails``): a key of several words, each letter perhaps stretched,
  words split by gaps.

A state that has matched stays matched (it is absorbing), so the runner never tests
for an early exit. A policy whose automaton would pass ``max_states`` gets none
(``build_term_dfa`` returns None), and the prefilter keeps using RE2.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from bot.rules.native import speedups

MAX_STATES = 8192  # at most about 640 KB of table, and a tenth of a second to build

_GAPS = " ."  # the symbols for whitespace and for any other separator
_BOUND = 0  # the text so far is empty or ends in a gap: a key may start here
_MATCHED = 1
THROUGH, RUN, GAP, WORDS = range(4)


@dataclass(frozen=True, slots=True)
class TermDfa:
    """The automaton's tables, in the layout ``_warden_speedups.Dfa`` takes."""

    columns: bytes  # for each byte value, the column (symbol) it is read as
    next: array  # 'H': next[state * width + column]; state 0 is the start
    final: bytes  # nonzero where text ending in that state may hold a key
    resets: bytes  # nonzero for the gap bytes, after which the walk is usually back at the start

    @property
    def width(self) -> int:
        return len(self.next) // len(self.final)

    def could_match(self, data: bytes) -> bool:
        """The reference runner, in Python: what the compiled one must answer."""
        state, width, next_, columns = 0, self.width, self.next, self.columns
        for byte in data:
            state = next_[state * width + columns[byte]]
        return bool(self.final[state])

    def compiled(self):
        """The same automaton in ``_warden_speedups``; None when that module is not installed."""
        if speedups is None:  # installed without a C compiler: the prefilter falls back to RE2
            return None
        return speedups.Dfa(self.next.tobytes(), self.columns, self.final, self.resets)


class _Trie:
    """The keys' trie as flat lists, so that an NFA state is one int."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.letter: list[str] = [""]
        self.depth: list[int] = [0]
        self.terminal: list[bool] = [False]
        self.children: list[dict[str, int]] = [{}]
        for key in keys:
            node = 0
            for letter in key:
                child = self.children[node].get(letter)
                if child is None:
                    child = len(self.letter)
                    self.children[node][letter] = child
                    self.letter.append(letter)
                    self.depth.append(self.depth[node] + 1)
                    self.terminal.append(False)
                    self.children.append({})
                node = child
            self.terminal[node] = True


def build_term_dfa(
    single_keys: Iterable[str],
    multi_keys: Iterable[str],
    symbols: bytes,
    *,
    spelled_out_depth: int,
    max_states: int = MAX_STATES,
) -> TermDfa | None:
    """The automaton for these keys; ``symbols`` reads each byte as a letter, ``" "`` or ``"."``.

    ``single_keys`` are one word (``ntr``), ``multi_keys`` several (``twin tails``);
    both are in the prefilter's letters. None when it would need more than ``max_states``.
    """
    return _Builder(_Trie(single_keys), _Trie(multi_keys), symbols, spelled_out_depth).build(max_states)


class _Builder:
    def __init__(self, single: _Trie, multi: _Trie, symbols: bytes, spelled_out_depth: int) -> None:
        self.single, self.multi = single, multi
        self.spelled_out_depth = spelled_out_depth
        read_as = [chr(symbol) for symbol in symbols]
        self.alphabet = sorted({s for s in read_as if s not in _GAPS}) + list(_GAPS)
        column = {symbol: index for index, symbol in enumerate(self.alphabet)}
        self.columns = bytes(column[symbol] for symbol in read_as)
        self._moves_of: dict[int, list[tuple[int, set[int]]]] = {}

    # An NFA state is 2 + 4 * node + kind; nodes of the multi-word trie come after the single ones.
    def _state(self, kind: int, node: int, multi: bool = False) -> int:
        return 2 + 4 * (node + (len(self.single.letter) if multi else 0)) + kind

    def _node(self, state: int) -> tuple[int, int, _Trie]:
        node, kind = divmod(state - 2, 4)
        if node >= len(self.single.letter):
            return kind, node - len(self.single.letter), self.multi
        return kind, node, self.single

    def _enter(self, kind: int, node: int, trie: _Trie) -> set[int]:
        if kind == GAP and (trie.terminal[node] or self._spelled_out_cut(node)):
            return {_MATCHED}  # the spelled-out key (or its first letters) is complete
        return {self._state(kind, node, trie is self.multi)}

    def _spelled_out_cut(self, node: int) -> bool:
        return self.single.depth[node] >= self.spelled_out_depth and bool(self.single.children[node])

    def _moves(self, state: int) -> list[tuple[int, set[int]]]:
        """Where ``state`` goes, as (column, successors) for the columns it does not die on."""
        moves = self._moves_of.get(state)
        if moves is None:
            moves = self._moves_of[state] = []
            for column, symbol in enumerate(self.alphabet):
                if successors := self._successors(state, symbol):
                    moves.append((column, successors))
        return moves

    def _successors(self, state: int, symbol: str) -> set[int]:
        gap = symbol in _GAPS
        if state == _BOUND:
            if gap:
                return set()
            out = set()
            if (node := self.single.children[0].get(symbol)) is not None:
                out |= self._enter(THROUGH, node, self.single) | self._enter(RUN, node, self.single)
            if (node := self.multi.children[0].get(symbol)) is not None:
                out |= self._enter(WORDS, node, self.multi)
            return out
        kind, node, trie = self._node(state)
        letter, children = trie.letter[node], trie.children[node]
        out = set()
        if kind == THROUGH:
            if symbol in (letter, "."):
                out.add(state)
            if gap and trie.terminal[node]:
                out.add(_MATCHED)
            if not gap and symbol in children:
                out |= self._enter(THROUGH, children[symbol], trie)
        elif kind == RUN:
            if symbol == letter:
                out.add(state)
            if gap:
                out |= self._enter(GAP, node, trie)
        elif kind == GAP:
            if gap:
                out.add(state)
            if symbol == letter:
                out.add(self._state(RUN, node))
            if not gap and symbol in children:  # a GAP state is never past the spelled-out depth
                out |= self._enter(RUN, children[symbol], trie)
        elif letter == " ":  # WORDS, between two words
            if gap:
                out.add(state)
            elif symbol in children:
                out |= self._enter(WORDS, children[symbol], trie)
        else:  # WORDS, in a word
            if symbol == letter:
                out.add(state)
            if gap:
                if trie.terminal[node]:
                    out.add(_MATCHED)
                if " " in children:
                    out |= self._enter(WORDS, children[" "], trie)
            elif symbol in children:
                out |= self._enter(WORDS, children[symbol], trie)
        return out

    def _final_at_end(self, states: frozenset[int]) -> bool:
        """Whether text ending here holds a key: a shape's end may be the end of the text."""
        for state in states:
            if state == _MATCHED:
                return True
            if state == _BOUND:
                continue
            kind, node, trie = self._node(state)
            if kind == THROUGH and trie.terminal[node]:
                return True
            if kind == WORDS and trie.letter[node] != " " and trie.terminal[node]:
                return True
            if kind == RUN and (trie.terminal[node] or self._spelled_out_cut(node)):
                return True
        return False

    def build(self, max_states: int) -> TermDfa | None:
        matched = frozenset({_MATCHED})
        start = frozenset({_BOUND})
        number = {start: 0}
        queue = [start]
        next_ = array("H")
        gaps = [symbol in _GAPS for symbol in self.alphabet]
        for states in queue:  # grows while it is read: every state reached is numbered and expanded
            if _MATCHED in states:
                reached = [{_MATCHED}] * len(gaps)
            else:
                # Most states die on most symbols, so only the moves each one has are gathered.
                reached = [{_BOUND} if gap else set() for gap in gaps]
                for state in states:
                    for column, successors in self._moves(state):
                        reached[column] |= successors
            for column_reached in reached:
                target = matched if _MATCHED in column_reached else frozenset(column_reached)
                if target not in number:
                    if len(queue) >= max_states:
                        return None
                    number[target] = len(queue)
                    queue.append(target)
                next_.append(number[target])
        final = bytes(self._final_at_end(states) for states in queue)
        resets = bytes(gaps[column] for column in self.columns)
        return TermDfa(self.columns, next_, final, resets)
