"""Sorted, non-overlapping spans of a string: merging them and asking what holds an index.

Spoilers, code, allowed phrases and the ranges a fix wraps are all such spans;
bisection keeps the questions cheap when a message holds hundreds of them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

Span = tuple[int, int]


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """The union of ``spans``, sorted; spans that overlap or touch become one."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def span_at(spans: Sequence[Span], index: int) -> Span | None:
    """The span of sorted, non-overlapping ``spans`` that holds ``index``, if any."""
    position = bisect_right(spans, (index, float("inf"))) - 1
    if position >= 0 and spans[position][0] <= index < spans[position][1]:
        return spans[position]
    return None
