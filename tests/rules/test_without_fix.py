"""``evaluate(..., with_fix=False)``, what the bot's gate calls for every post, finds exactly
what the full verdict finds.

The gate only needs to know whether and where a post breaks the rules; the fix is
worked out later, and only for actions that show or post it. Skipping it must
change nothing else about the verdict.
"""

from __future__ import annotations

import pytest

from bot.rules import Attachment, MessageFacts, evaluate

PNG = Attachment("panel.png", content_type="image/png")
SPOILERED_PNG = Attachment("panel.png", spoiler=True, content_type="image/png")
VIDEO = Attachment("clip.mp4")
NOTES = Attachment("notes.txt", content_type="text/plain")

REQUIREMENTS = ("spoiler", "cw", "either", "both")

MESSAGES = [
    MessageFacts("Careful, the second volume turns into NTR."),
    MessageFacts("Careful, the second volume turns into ||NTR||."),
    MessageFacts("CW: NTR\nCareful, the second volume turns into NTR."),
    MessageFacts("CW: NTR\nCareful, the second volume turns into ||NTR||."),
    MessageFacts("CW: cheating\nthe cuckold arc, then more n.t.r"),
    MessageFacts("CW: gore\nthe cuckold arc"),  # a warning that does not cover the term
    MessageFacts("net||orare|| and cuck0ld and nnttrr, all in one"),
    MessageFacts("> quoted ntr\n`ntr in code` and ntr outside"),
    MessageFacts("寝取られが好き。ntr too"),
    MessageFacts("The entrance exam arc is the best part of the central story."),
    MessageFacts("no ntr here, promise"),
    MessageFacts("Café scene — best panel of the volume ❤️"),
    MessageFacts(""),
    # Attachments: media need spoilers when the post is sensitive (or always, with media "all").
    MessageFacts("||ntr||", (PNG,)),
    MessageFacts("ntr, see the panel", (PNG, SPOILERED_PNG, VIDEO, NOTES)),
    MessageFacts("CW: NTR\nlook at this panel", (PNG,)),
    MessageFacts("CW: cheating\nlook at this panel", (PNG, VIDEO)),
    MessageFacts("a nice drawing", (PNG,)),
    MessageFacts("a nice drawing", (SPOILERED_PNG, NOTES)),
    MessageFacts("un joli dessin ✨", (PNG,)),
]


@pytest.mark.parametrize("media", [None, "all"], ids=["policy-media", "media-all"])
@pytest.mark.parametrize("requirement", REQUIREMENTS)
@pytest.mark.parametrize("message", MESSAGES, ids=[f"{m.content[:24]!r}+{len(m.attachments)}" for m in MESSAGES])
def test_without_the_fix_the_verdict_is_the_same_but_for_the_fix(default_compiled, message, requirement, media):
    full = evaluate(message, default_compiled, requirement=requirement, media=media)
    lean = evaluate(message, default_compiled, requirement=requirement, media=media, with_fix=False)

    assert lean.flagged is full.flagged
    assert lean.findings == full.findings
    assert lean.fix is None
    if full.flagged:
        assert full.fix is not None  # the full verdict does carry one: leaving it out is the difference


def test_the_table_holds_flagged_and_clean_posts_for_every_requirement(default_compiled):
    """So that the comparison above is not made over clean posts only."""
    for requirement in REQUIREMENTS:
        verdicts = [evaluate(m, default_compiled, requirement=requirement, with_fix=False) for m in MESSAGES]
        flagged = [v for v in verdicts if v.flagged]
        assert 5 <= len(flagged) < len(MESSAGES) - 3, requirement
        reasons = {f.reason for v in flagged for f in v.findings}
        assert "attachment_not_spoilered" in reasons
        assert reasons & {"not_hidden", "cw_missing_label"}
