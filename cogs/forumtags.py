"""``/warden forumtag``: forum tags that count as a content warning for a category.

A post carrying a mapped tag ("CW: NTR") is warned for that category; the
enforcement cog adds the tag to posts about the category that lack it.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot import setting_keys as keys
from bot.adapters.long_answers import ListAnswer
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.errors import UserFacingError
from bot.formatting import escape_user_text, make_inert
from bot.permissions import moderator_only
from bot.rules.index import category_id


def find_tag(forum: discord.ForumChannel, name: str) -> discord.ForumTag:
    """The forum's tag called ``name`` (any case), or a clear refusal listing the tags it has."""
    for tag in forum.available_tags:
        if tag.name.casefold() == name.strip().casefold() or str(tag.id) == name.strip():
            return tag
    listed = ", ".join(tag.name for tag in forum.available_tags) or "none"
    raise UserFacingError(
        f"{forum.mention} has no tag called “{escape_user_text(name, limit=60)}”. "
        f"Its tags: {escape_user_text(listed, limit=300)}."
    )


class ForumTags(WardenCog):
    forumtag = app_commands.Group(
        name="forumtag", description="Forum tags that count as a content warning", extras={"parent": "warden"}
    )

    def __init__(self, bot: WardenBot) -> None:
        super().__init__(bot)
        self.pager = self.add_pager("tags", self._mapped_tags)

    @forumtag.command(name="map", description="A forum tag that counts as a content warning for a category")
    @app_commands.describe(forum="The forum", tag="One of the forum's tags", category="The category the tag warns of")
    @moderator_only()
    async def forumtag_map(
        self, interaction: discord.Interaction, forum: discord.ForumChannel, tag: str, category: str
    ) -> None:
        chosen = find_tag(forum, tag)
        known = self.bot.enforcement.category_names(interaction.guild.id)
        key = category_id(category)
        if key not in known:
            listed = ", ".join(sorted(known.values()))
            raise UserFacingError(
                f"I know no category called “{escape_user_text(category, limit=60)}”. Known: {listed}."
            )

        def add(current: Any) -> dict[str, str]:
            mapping = dict(current or {})
            mapping[str(chosen.id)] = known[key]
            return mapping

        before = self.bot.guild_settings.get(interaction.guild.id, keys.FORUM_TAGS)
        after = await self.bot.guild_settings.update(
            interaction.guild.id, keys.FORUM_TAGS, add, actor_id=interaction.user.id, default={}
        )
        tag_name = escape_user_text(chosen.name, limit=40)
        await self.reply_change(
            interaction, before != after,
            f"Posts in {forum.mention} tagged **{tag_name}** now count as warned for **{known[key]}**; "
            f"I add the tag to posts about {known[key]} that lack it, when I may.",
            f"**{tag_name}** already stood for **{known[key]}**.",
        )

    @forumtag.command(name="unmap", description="The tag no longer counts as a content warning")
    @moderator_only()
    async def forumtag_unmap(self, interaction: discord.Interaction, forum: discord.ForumChannel, tag: str) -> None:
        chosen = find_tag(forum, tag)

        def remove(current: Any) -> dict[str, str]:
            mapping = dict(current or {})
            if mapping.pop(str(chosen.id), None) is None:
                raise UserFacingError(
                    f"**{escape_user_text(chosen.name, limit=40)}** stands for no category; nothing changed."
                )
            return mapping

        await self.bot.guild_settings.update(
            interaction.guild.id, keys.FORUM_TAGS, remove, actor_id=interaction.user.id, default={}
        )
        await interaction.response.send_message(
            f"**{escape_user_text(chosen.name, limit=40)}** no longer counts as a content warning.", ephemeral=True
        )

    @forumtag.command(name="list", description="Forum tags that count as content warnings")
    @moderator_only()
    async def forumtag_list(self, interaction: discord.Interaction) -> None:
        await self.pager.send(interaction)

    async def _mapped_tags(self, interaction: discord.Interaction, arg: str) -> ListAnswer:
        mapping = self.bot.guild_settings.get(interaction.guild.id, keys.FORUM_TAGS, {})
        tags = {tag.id: (forum, tag) for forum in interaction.guild.forums for tag in forum.available_tags}
        lines = []
        for tag_id, category in mapping.items():
            forum, tag = tags.get(int(tag_id), (None, None))
            where = f"**{make_inert(tag.name)}** in {forum.mention}" if tag else f"a deleted tag ({tag_id})"
            lines.append(f"- {where}: **{make_inert(category)}**")
        return ListAnswer(
            title=f"Forum tags that count as a content warning ({len(lines)}):" if lines else "",
            lines=lines, empty="No forum tag is mapped yet.", filename="forum-tags.txt", noun=("tag", "tags"),
        )

    @forumtag_map.autocomplete("tag")
    @forumtag_unmap.autocomplete("tag")
    async def _tag_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        forum = getattr(interaction.namespace, "forum", None)
        channel = interaction.guild.get_channel(forum.id) if forum is not None and interaction.guild else None
        if not isinstance(channel, discord.ForumChannel):
            return []
        return [
            app_commands.Choice(name=tag.name, value=tag.name)
            for tag in channel.available_tags if current.casefold() in tag.name.casefold()
        ][:25]

    @forumtag_map.autocomplete("category")
    async def _category_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        names = sorted(set(self.bot.enforcement.category_names(interaction.guild.id).values()), key=str.casefold)
        return [
            app_commands.Choice(name=name, value=name) for name in names if current.casefold() in name.casefold()
        ][:25]


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(ForumTags(bot))
