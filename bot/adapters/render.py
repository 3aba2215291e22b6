"""What the bot writes about enforcement: flag replies, previews, mod-log embeds, held posts.

Facts and verdicts in, Discord text and embeds out; user text is made inert. No
decisions are made here.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import discord

from bot.enforcement.verdicts import categories_of
from bot.formatting import escape_user_text
from bot.rules import Verdict
from bot.store.held_posts import HeldPost

FLAG_EMOJI = "\N{WARNING SIGN}\N{VARIATION SELECTOR-16}"
MESSAGE_LIMIT = 2000


def spoilered_excerpt(text: str, limit: int = 300) -> str:
    """User text cut short, made inert, and hidden behind a spoiler (it is what was flagged)."""
    inert = escape_user_text(text, limit=limit).replace("||", "|\u200b|")
    return f"||{inert}||" if inert else "*(no text)*"


def code_block(text: str) -> str:
    # A ``` inside would close the block early; a zero-width space between the backticks keeps it literal.
    return "```\n" + text.replace("```", "`\u200b`\u200b`") + "\n```"


def describe_findings(verdict: Verdict, names: Mapping[str, str]) -> str:
    """One line per category found (named as ``names`` spells it), with what is wrong."""
    reasons = {
        "not_hidden": "not hidden in spoilers",
        "cw_missing_label": "not covered by the content warning",
        "attachment_not_spoilered": "an image or video not marked as a spoiler",
    }
    lines = []
    for category in categories_of(verdict):
        kinds = sorted({reasons.get(f.reason, f.reason) for f in verdict.findings if f.category == category})
        lines.append(f"**{escape_user_text(names.get(category, category), limit=60)}**: {', '.join(kinds)}")
    return "\n".join(lines)


def verdict_answer(verdict: Verdict, names: Mapping[str, str], *, subject: str, where: str) -> str:
    """A private preview of a verdict: passes, or what is wrong and a version that passes."""
    if not verdict.flagged:
        return f"{subject} would pass {where}."
    answer = f"{subject} would be flagged {where}:\n{describe_findings(verdict, names)}"
    if verdict.fix is not None:
        answer += "\nA version that passes:\n" + code_block(verdict.fix.content)
    return answer


def flag_reply(verdict: Verdict, fixed: str | None, names: Mapping[str, str]) -> str:
    """The short reply under a flagged post: what is wrong, and the fixed text to copy if it fits."""
    head = (
        "This channel asks for spoilers or a content warning on these topics:\n"
        f"{describe_findings(verdict, names)}\n"
    )
    if fixed is None:
        return head + "Edit your post to hide them, or start it with a line such as `CW: NTR`."
    body = head + "Here is your post fixed, ready to copy (or press **Repost fixed**):\n" + code_block(fixed)
    if len(body) <= MESSAGE_LIMIT:
        return body
    return head + "Your fixed post is too long to show here; press **Repost fixed**, or edit your post."


def modlog_embed(
    message: discord.Message, verdict: Verdict, seen: str, *, outcome: str, message_exists: bool,
    names: Mapping[str, str], notes: tuple[str, ...] = (),
) -> discord.Embed:
    embed = discord.Embed(title="Untagged post", colour=discord.Colour.orange(), timestamp=message.created_at)
    embed.add_field(name="Author", value=f"{message.author.mention} ({message.author.id})")
    embed.add_field(name="Channel", value=getattr(message.channel, "mention", str(message.channel.id)))
    embed.add_field(name="Action", value=outcome)
    embed.add_field(name="Found", value=describe_findings(verdict, names) or "—", inline=False)
    embed.add_field(name="Content", value=spoilered_excerpt(seen), inline=False)
    if message_exists:
        embed.add_field(name="Post", value=f"[Jump to the post]({message.jump_url})", inline=False)
    if notes:
        embed.add_field(name="Notes", value="\n".join(notes), inline=False)
    return embed


def title_embed(thread: discord.Thread, verdict: Verdict, *, outcome: str, names: Mapping[str, str]) -> discord.Embed:
    """The mod-log entry for a thread or forum post whose title names a sensitive term."""
    embed = discord.Embed(title="Sensitive thread title", colour=discord.Colour.orange())
    embed.add_field(name="Thread", value=thread.mention)
    embed.add_field(name="Started by", value=f"<@{thread.owner_id}>")
    embed.add_field(name="Action", value=outcome)
    embed.add_field(name="Found", value=describe_findings(verdict, names) or "—", inline=False)
    embed.add_field(name="Title", value=spoilered_excerpt(thread.name, limit=100), inline=False)
    return embed


def server_name(guild: discord.Guild | None, guild_id: int) -> str:
    """The name to show for a server: its name while the bot is in it, else its id."""
    return guild.name if guild is not None else f"server {guild_id}"


def more_held_posts_note(remaining: Mapping[str, int]) -> str:
    """The line after the held posts shown in a DM: how many more wait, and where."""
    total = sum(remaining.values())
    places = sorted(remaining.items(), key=lambda item: (-item[1], item[0]))
    where = ", ".join(f"{count} in **{escape_user_text(name, limit=100)}**" for name, count in places[:5])
    if len(places) > 5:  # a name is at most 100 characters: the line stays far below Discord's 2,000
        where += f" and {sum(count for _, count in places[5:])} in {len(places) - 5} other servers"
    return f"I am holding {total} more of your posts ({where}); run /warden recover again for the next ones."


def held_post_message(post: HeldPost, guild_name: str) -> dict:
    """A held post as message arguments: the original and the fixed text, as files when long."""
    intro = (
        f"Your post in **{escape_user_text(guild_name, limit=100)}** was removed because it needs spoilers or a "
        f"content warning ({', '.join(escape_user_text(c, limit=40) for c in post.categories)}). Here it is:"
    )
    original, fixed = code_block(post.content), code_block(post.fixed_content) if post.fixed_content else None
    text = intro + "\n**Original**\n" + original + (("\n**Fixed, ready to post**\n" + fixed) if fixed else "")
    if len(text) <= 2000:
        return {"content": text}
    files = [discord.File(io.BytesIO(post.content.encode()), filename="original.txt")]
    if post.fixed_content:
        files.append(discord.File(io.BytesIO(post.fixed_content.encode()), filename="fixed.txt"))
    return {"content": intro + " (attached, it is too long to show)", "files": files}
