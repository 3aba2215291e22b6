"""A post as members see it: the pieces beside its words are judged with them, and fixed where they can be."""

from __future__ import annotations

import pytest

from bot.enforcement.seen import PostView, Seen, judge, link_is_hidden
from bot.enforcement.sources import compile_with_glossary
from bot.resources import shipped_config_file
from bot.rules import Attachment, MessageFacts, policy_from_yaml

URL = "https://reviews.test/vol2"
PREVIEW = Seen("preview", "Volume 2: the NTR arc, reviewed", handle=URL)


@pytest.fixture(scope="module")
def policy(shipped):
    return compile_with_glossary(policy_from_yaml(shipped_config_file("policy.yaml").read_text("utf-8")), shipped)


@pytest.mark.parametrize(
    ("content", "hidden"),
    [
        (f"see {URL}", False),
        (f"see ||{URL}||", True),
        (f"see <{URL}>", True),
        (f"see <{URL}> and {URL}", False),  # one bare mention is enough for a preview
        ("no link here", False),
    ],
)
def test_a_link_is_hidden_only_where_every_mention_is_spoilered_or_bracketed(content, hidden):
    assert link_is_hidden(content, URL) is hidden


def test_a_preview_naming_a_term_is_fixed_by_suppressing_it(policy):
    view = PostView(MessageFacts(f"Read this review {URL}"), (PREVIEW,))
    verdict = judge(view, policy, requirement="spoiler", with_fix=True)
    assert verdict.flagged and verdict.fix.content == f"Read this review <{URL}>"


def test_under_cw_the_warning_line_gains_what_the_extra_pieces_name(policy):
    view = PostView(MessageFacts(f"Read this review {URL}"), (PREVIEW,))
    verdict = judge(view, policy, requirement="cw", with_fix=True)
    own = judge(PostView(MessageFacts("NTR")), policy, requirement="cw", with_fix=True).fix.content
    # The label the engine writes for the category, and the link left as it was (hiding does not help here).
    assert verdict.flagged and verdict.fix.content == f"{own.splitlines()[0]}\nRead this review {URL}"
    fixed = PostView(MessageFacts(verdict.fix.content), (PREVIEW,))
    assert not judge(fixed, policy, requirement="cw", with_fix=False).flagged


def test_a_file_whose_alt_text_names_a_term_is_fixed_by_spoilering_it(policy):
    facts = MessageFacts("Look at this.", (Attachment("cover.png", content_type="image/png"),))
    view = PostView(facts, (Seen("attachment", "cover\nthe NTR chapter's cover", handle="cover.png"),))
    verdict = judge(view, policy, requirement="spoiler", with_fix=True)
    assert verdict.flagged and verdict.fix.content == "Look at this."
    assert verdict.fix.spoiler_attachments == ("cover.png",)


@pytest.mark.parametrize("source", ["poll", "forward"])
def test_a_poll_or_a_forward_is_flagged_with_no_fix(policy, source):
    view = PostView(MessageFacts(""), (Seen(source, "Is the NTR arc worth it?"),))
    verdict = judge(view, policy, requirement="spoiler", with_fix=True)
    assert verdict.flagged and verdict.fix is None


def test_bars_inside_a_piece_cannot_open_or_close_a_spoiler_around_a_term(policy):
    # An odd "||" in a file's alt text would otherwise pair with the next piece and hide its term.
    view = PostView(MessageFacts("hi"), (Seen("attachment", "a || b", handle="a.png"), Seen("poll", "NTR ||")))
    assert judge(view, policy, requirement="spoiler", with_fix=False).flagged


def test_the_source_of_a_finding_is_the_piece_it_stands_in(policy):
    view = PostView(MessageFacts("words"), (Seen("attachment", "name", handle="n.png"), PREVIEW))
    text = view.seen_text()
    assert view.source_of(text.index("words")) == "content"
    assert view.source_of(text.index("name")) == "attachment"
    assert view.source_of(text.index("NTR")) == "preview"
