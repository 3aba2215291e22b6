"""Images and videos must be spoiler-marked when the message is sensitive or the channel demands it."""

from __future__ import annotations

import pytest

from bot.rules import Attachment, MessageFacts, evaluate
from bot.rules.normalize import normalize

PNG = Attachment("art.png", content_type="image/png")
SPOILERED_PNG = Attachment("art.png", spoiler=True, content_type="image/png")
PREFIXED_PNG = Attachment("SPOILER_art.png")
LOWERCASE_PREFIX = Attachment("spoiler_art.png")
VIDEO = Attachment("clip.mp4")
TEXT_FILE = Attachment("notes.txt", content_type="text/plain")


@pytest.mark.parametrize(
    ("content", "attachments", "media", "flagged_files"),
    [
        ("||ntr||", (PNG,), "flagged", ["art.png"]),  # a sensitive message
        ("CW: ntr\nsee picture", (PNG,), "flagged", ["art.png"]),  # a warning line
        ("||ntr||", (SPOILERED_PNG,), "flagged", []),
        ("||ntr||", (PREFIXED_PNG,), "flagged", []),
        ("||ntr||", (LOWERCASE_PREFIX,), "flagged", ["spoiler_art.png"]),  # Discord's prefix is case-sensitive
        ("||ntr||", (VIDEO,), "flagged", ["clip.mp4"]),
        ("||ntr||", (TEXT_FILE,), "flagged", []),  # no preview, nothing to blur
        ("a nice drawing", (PNG,), "flagged", []),
        ("a nice drawing", (PNG, VIDEO, PREFIXED_PNG), "all", ["art.png", "clip.mp4"]),
        ("ntr everywhere", (PNG,), "off", []),
    ],
)
def test_media_rules(default_compiled, content, attachments, media, flagged_files) -> None:
    verdict = evaluate(MessageFacts(content, attachments), default_compiled, media=media)
    found = [f.term for f in verdict.findings if f.reason == "attachment_not_spoilered"]
    assert found == flagged_files
    if flagged_files:
        assert verdict.fix is not None and list(verdict.fix.spoiler_attachments) == flagged_files


def test_attachment_findings_carry_no_offsets(default_compiled) -> None:
    verdict = evaluate(MessageFacts("||ntr||", (PNG,)), default_compiled)
    (finding,) = verdict.findings
    assert (finding.text, finding.start, finding.end, finding.category) == ("", 0, 0, "ntr")


# Text the prefilter proves term-free is not read in full, but its media still count: with media
# "flagged" when a warning line makes the post sensitive, with "all" always. One row per branch
# of the reading: plain ASCII (ruled out before normalizing) and beyond ASCII (ruled out after).
PANEL = Attachment("panel.png", content_type="image/png")


@pytest.mark.parametrize(
    ("content", "media", "flagged"),
    [
        ("look at this panel", "flagged", False),
        ("look at this panel ✨", "flagged", False),
        ("CW: cheating\nlook at this panel", "flagged", True),  # a warning line with no term in it
        ("CW: cheating\nlook at this panel ✨", "flagged", True),
        ("TW – cheating\nlook at this panel", "flagged", True),
        ("look at this panel", "all", True),
        ("look at this panel ✨", "all", True),
        ("", "all", True),
    ],
)
def test_media_count_when_the_text_is_proved_term_free(default_compiled, content, media, flagged) -> None:
    prefilter = default_compiled.index.prefilter
    assert prefilter.rules_out(content) or prefilter.rules_out_normalized(normalize(content))  # the branch under test
    for requirement in ("spoiler", "cw", "either", "both"):
        verdict = evaluate(MessageFacts(content, (PANEL,)), default_compiled, media=media, requirement=requirement)
        assert [(f.term, f.reason) for f in verdict.findings] == (
            [("panel.png", "attachment_not_spoilered")] if flagged else []
        )
        if flagged:
            assert verdict.fix is not None and verdict.fix.spoiler_attachments == ("panel.png",)
            assert verdict.fix.content == content  # nothing in the text to change
        spoilered = evaluate(
            MessageFacts(content, (SPOILERED_PNG,)), default_compiled, media=media, requirement=requirement
        )
        assert not spoilered.flagged


@pytest.mark.parametrize(
    "content",
    ["CW: NTR\nlook at this panel", "CW: NTR\nlook at this panel ✨", "the ending is pure ||ntr||, look ✨"],
)
def test_a_post_naming_the_subject_flags_its_unspoilered_image(default_compiled, content) -> None:
    verdict = evaluate(MessageFacts(content, (PANEL,)), default_compiled)
    assert [(f.term, f.reason) for f in verdict.findings] == [("panel.png", "attachment_not_spoilered")]
