"""Images and videos must be spoiler-marked when the message is sensitive or the channel demands it."""

from __future__ import annotations

import pytest

from bot.rules import Attachment, MessageFacts, evaluate

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
