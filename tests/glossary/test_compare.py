"""``compare``: shared contrast dimensions side by side, in one stable order."""

from __future__ import annotations

import pytest

from bot.glossary import DIMENSION_ORDER, Glossary, UnknownTerm
from bot.glossary.compare import compare_entries
from tests.glossary.factories import make_entry


def test_netori_against_netorare_shows_the_five_dimensions_in_order(shipped: Glossary) -> None:
    comparison = shipped.compare("netori", "NTR")
    assert comparison.left.id == "netori" and comparison.right.id == "netorare"
    assert [row.dimension for row in comparison.rows] == list(DIMENSION_ORDER)
    assert [row.label for row in comparison.rows] == ["Perspective", "Roles", "Plot arc", "Tone", "Warnings"]
    roles = comparison.rows[1]
    assert "seducer" in roles.left and "betrayed protagonist" in roles.right
    assert comparison.has_shared_dimensions
    assert comparison.left_summary == shipped.get("netori").summary
    assert comparison.right_summary == shipped.get("netorare").summary


def test_the_order_does_not_depend_on_which_side_is_first(shipped: Glossary) -> None:
    forward = shipped.compare("netorare", "netorase")
    backward = shipped.compare("netorase", "netorare")
    assert [row.dimension for row in forward.rows] == [row.dimension for row in backward.rows]
    assert [(row.left, row.right) for row in forward.rows] == [(row.right, row.left) for row in backward.rows]


def test_a_pair_without_shared_dimensions_still_has_both_summaries(shipped: Glossary) -> None:
    comparison = shipped.compare("netorare", "isekai")
    assert not comparison.has_shared_dimensions
    assert comparison.rows == ()
    assert comparison.left_summary and comparison.right_summary
    assert comparison.left_only == DIMENSION_ORDER
    assert comparison.right_only == ()


def test_unknown_dimensions_follow_the_known_ones_in_the_left_entry_order() -> None:
    left = make_entry("a", contrast=(("zeal", "z1"), ("tone", "t1"), ("audience", "a1")))
    right = make_entry("b", contrast=(("audience", "a2"), ("tone", "t2"), ("zeal", "z2"), ("extra", "e2")))
    comparison = compare_entries(left, right)
    assert [row.dimension for row in comparison.rows] == ["tone", "zeal", "audience"]
    assert comparison.right_only == ("extra",)


def test_comparing_an_unknown_term_raises_with_suggestions(shipped: Glossary) -> None:
    with pytest.raises(UnknownTerm) as caught:
        shipped.compare("netori", "netorrare")
    assert caught.value.suggestions[0].id == "netorare"
