"""What members see of a post, as the facts the rule engine judges.

This is the "extract" step of a message's path: every way text reaches a watched place
is read here, and nowhere else. A post's own words and files; the name and description
(alt text) of each file; the link previews Discord adds; a poll's question and answers;
the text, files and previews of a forwarded message (its snapshots).
"""

from __future__ import annotations

from collections.abc import Iterator

import discord

from bot.enforcement.seen import PostView, Seen, link_is_hidden
from bot.rules import Attachment, MessageFacts
from bot.rules.facts import SPOILER_PREFIX


def has_more_than_words(message: discord.Message) -> bool:
    """Whether members see anything of ``message`` beyond its ``content`` (files, previews, a poll, a forward)."""
    return bool(message.attachments or message.embeds or message.poll is not None or message.message_snapshots)


def facts_from_message(message: discord.Message) -> MessageFacts:
    """The author's own words and files: what a fix rewrites."""
    if not message.attachments:  # most posts; every post pays for this line
        return MessageFacts(content=message.content)
    return MessageFacts(content=message.content, attachments=_attachments(message.attachments))


def view_of(message: discord.Message) -> PostView:
    """Everything members see of ``message``."""
    facts = facts_from_message(message)
    if not has_more_than_words(message):
        return PostView(facts)
    extra = [*_file_texts(message.attachments), *_previews(message.content, message.embeds)]
    if message.poll is not None:
        poll = message.poll
        extra.append(Seen("poll", "\n".join([poll.question or "", *(answer.text or "" for answer in poll.answers)])))
    for snapshot in message.message_snapshots:
        words = "\n".join(filter(None, [snapshot.content, *_file_lines(snapshot.attachments)]))
        if words:
            extra.append(Seen("forward", words))
        # A forward's files show blurred when they were spoilered; its previews show like the original's.
        extra += [Seen("forward", piece.text, piece.hidden) for piece in _previews(snapshot.content, snapshot.embeds)]
    return PostView(facts, tuple(piece for piece in extra if piece.text.strip()))


def seen_alike(before: discord.Message, after: discord.Message) -> bool:
    """Whether members see the same post before and after an update (a pin, a flag change)."""
    return (
        before.content == after.content
        and [(a.id, a.description) for a in before.attachments] == [(a.id, a.description) for a in after.attachments]
        and [e.to_dict() for e in before.embeds] == [e.to_dict() for e in after.embeds]
    )


def _attachments(items: list[discord.Attachment]) -> tuple[Attachment, ...]:
    return tuple(
        Attachment(filename=item.filename, spoiler=item.is_spoiler(), content_type=item.content_type) for item in items
    )


def _file_text(item: discord.Attachment) -> str:
    """A file's name as members read it (no SPOILER_ prefix, no extension, ``_`` as spaces) and its alt text."""
    name = item.filename.removeprefix(SPOILER_PREFIX).rsplit(".", 1)[0].replace("_", " ")
    return "\n".join(filter(None, [name, item.description or ""]))


def _file_texts(items: list[discord.Attachment]) -> Iterator[Seen]:
    for item in items:
        yield Seen("attachment", _file_text(item), hidden=item.is_spoiler(), handle=item.filename)


def _file_lines(items: list[discord.Attachment]) -> Iterator[str]:
    for item in items:
        if not item.is_spoiler():
            yield _file_text(item)


def _previews(content: str, embeds: list[discord.Embed]) -> Iterator[Seen]:
    """The text of each link preview; hidden when every mention of its link is spoilered or in ``<…>``."""
    for embed in embeds:  # a member's post has only the embeds Discord made from its links
        text = "\n".join(filter(None, [
            embed.author.name, embed.title, embed.description,
            *(f"{field.name}\n{field.value}" for field in embed.fields), embed.footer.text,
        ]))  # bounded by Discord: an embed holds at most 6,000 characters
        url = embed.url or ""
        yield Seen("preview", text, hidden=bool(url) and link_is_hidden(content, url), handle=url)
