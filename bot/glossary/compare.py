"""Two entries side by side along the contrast dimensions they share (``/compare``).

The dimensions come out in one stable order, the same for every pair, so members
learn where to look: the well-known ones first in ``DIMENSION_ORDER``, then any
others in the order the left entry lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.glossary.model import GlossaryEntry

DIMENSION_ORDER = ("perspective", "roles", "plot_arc", "tone", "warnings")


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    dimension: str
    left: str
    right: str

    @property
    def label(self) -> str:
        """``plot_arc`` -> ``Plot arc``: the dimension as a heading."""
        return dimension_label(self.dimension)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The result of ``Glossary.compare``: both entries, their summaries, and the shared rows.

    ``left_only`` and ``right_only`` name the dimensions just one side describes, so
    an answer can say what the other side leaves open.
    """

    left: GlossaryEntry
    right: GlossaryEntry
    rows: tuple[ComparisonRow, ...]
    left_only: tuple[str, ...]
    right_only: tuple[str, ...]

    @property
    def has_shared_dimensions(self) -> bool:
        return bool(self.rows)

    @property
    def left_summary(self) -> str:
        return self.left.summary

    @property
    def right_summary(self) -> str:
        return self.right.summary


def dimension_label(dimension: str) -> str:
    return dimension.replace("_", " ").capitalize()


def _ordered(dimensions: list[str]) -> list[str]:
    known = [name for name in DIMENSION_ORDER if name in dimensions]
    return known + [name for name in dimensions if name not in DIMENSION_ORDER]


def compare_entries(left: GlossaryEntry, right: GlossaryEntry) -> Comparison:
    left_texts, right_texts = dict(left.contrast), dict(right.contrast)
    shared = _ordered([name for name in left_texts if name in right_texts])
    return Comparison(
        left=left,
        right=right,
        rows=tuple(ComparisonRow(name, left_texts[name], right_texts[name]) for name in shared),
        left_only=tuple(_ordered([name for name in left_texts if name not in right_texts])),
        right_only=tuple(_ordered([name for name in right_texts if name not in left_texts])),
    )
