"""What members see of a post, as the facts the rule engine judges.

This is the "extract" step of a message's path: every way text reaches a watched
place is read here, and nowhere else.
"""

from __future__ import annotations

import discord

from bot.rules import Attachment, MessageFacts


def facts_from_message(message: discord.Message) -> MessageFacts:
    if not message.attachments:  # most posts; every post pays for this line
        return MessageFacts(content=message.content)
    return MessageFacts(
        content=message.content,
        attachments=tuple(
            Attachment(filename=item.filename, spoiler=item.is_spoiler(), content_type=item.content_type)
            for item in message.attachments
        ),
    )
