"""The one way the bot shortens an answer: whole lines into pages, or a file; never a line dropped."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.long_answers import ListAnswer, ListPager, paginate


@settings(derandomize=True, max_examples=300)
@given(st.lists(st.integers(min_value=0, max_value=120)), st.integers(min_value=120, max_value=400),
       st.one_of(st.none(), st.integers(min_value=1, max_value=12)))
def test_pages_hold_every_line_once_in_order_within_the_budget(lengths, budget, per_page) -> None:
    pages = paginate(lengths, budget, per_page)
    assert [index for page in pages for index in page] == list(range(len(lengths)))
    for page in pages:
        assert sum(lengths[i] for i in page) + len(page) - 1 <= budget
        assert per_page is None or len(page) <= per_page
        assert len(page) > 0 or not lengths


def test_a_line_longer_than_a_page_cannot_be_paged() -> None:
    assert paginate([10, 3001, 10], budget=2000) is None


def test_pages_are_as_full_as_the_budget_allows() -> None:
    assert paginate([5, 5, 5, 5], budget=11) == [range(0, 2), range(2, 4)]
    assert paginate([1] * 25, budget=1000, per_page=10) == [range(0, 10), range(10, 20), range(20, 25)]


def test_a_page_past_the_end_shows_the_last_page_and_says_the_list_shrank() -> None:
    async def source(interaction, arg):  # never called: pages are rendered directly
        raise AssertionError

    pager = ListPager("things", source)
    answer = ListAnswer(title="Things:", lines=[f"thing {i}" for i in range(30)], empty="none", filename="t.txt")
    pages = paginate([len(line) for line in answer.lines], budget=100)
    shown = pager.page(answer, pages, len(pages) + 3, owner_id=7, arg="")
    assert shown["content"].startswith("The list is shorter than when it was asked for")
    assert "thing 29" in shown["content"]
    assert f"Page {len(pages)} of {len(pages)}" in shown["content"]


def test_a_button_carries_the_list_its_owner_the_page_and_the_filter() -> None:
    async def source(interaction, arg):
        raise AssertionError

    pager = ListPager("gloss", source)
    button = pager.button(123456789012345678, 4, ">", "relationship drama")
    assert button.item.custom_id == "wp:gloss:123456789012345678:4:>:relationship drama"
    match = pager.button.__discord_ui_compiled_template__.fullmatch(button.item.custom_id)
    assert (match["owner"], match["page"], match["arg"]) == ("123456789012345678", "4", "relationship drama")


# -- the shared mechanism is the only way an answer gets shorter ------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
ANSWERING = [*sorted((ROOT / "cogs").rglob("*.py")), *sorted((ROOT / "bot" / "adapters").glob("*.py")),
             *sorted((ROOT / "bot" / "guild_glossary").glob("*.py"))]
SHARED = ROOT / "bot" / "adapters" / "long_answers.py"


def cuts_to_a_message(node: ast.AST) -> bool:
    """``text[:2000]``, ``text[:1990]``, ``text[:MESSAGE_LIMIT]``: a slice up to a message's worth of characters."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)):
        return False
    upper = node.slice.upper
    if isinstance(upper, ast.Constant) and isinstance(upper.value, int):
        return upper.value >= 1000
    return isinstance(upper, ast.Name | ast.Attribute) and "LIMIT" in ast.unparse(upper).upper()


def sends_a_cut_text(source: str) -> list[str]:
    return [ast.unparse(node) for node in ast.walk(ast.parse(source)) if cuts_to_a_message(node)]


def test_no_answer_is_cut_to_a_message_outside_the_shared_mechanism() -> None:
    found = {
        str(path.relative_to(ROOT)): cuts
        for path in ANSWERING if path != SHARED and (cuts := sends_a_cut_text(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "answer through bot.adapters.long_answers (send_text, ListPager) instead of cutting"


def test_the_check_would_catch_a_cut() -> None:
    assert sends_a_cut_text('await send("\\n".join(lines)[:2000])')
    assert sends_a_cut_text("text = text[:1990].rsplit('\\n', 1)[0]")
    assert sends_a_cut_text("return answer[:MESSAGE_LIMIT]")
    assert not sends_a_cut_text("name[:100]")  # an autocomplete choice's name, not an answer
