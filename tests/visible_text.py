"""A message's text as a member reads it: its content, then every text of every embed.

Written here, apart from the bot's own code, so that a test of the bot's answers
does not judge them with the bot's own idea of what an embed shows. Embeds are read
as the lead's link-preview reading will read them: title, description, each field's
name and value, footer, author name, one a line.
"""

from __future__ import annotations

from collections.abc import Iterable

import discord


def embed_parts(embed: discord.Embed) -> list[str]:
    parts = [embed.author.name, embed.title, embed.description]
    for field in embed.fields:
        parts += [field.name, field.value]
    parts.append(embed.footer.text)
    return [part for part in parts if part]


def visible_text(content: str | None, embeds: Iterable[discord.Embed] = ()) -> str:
    parts = [content] if content else []
    for embed in embeds:
        parts += embed_parts(embed)
    return "\n".join(parts)
