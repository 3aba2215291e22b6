"""Moderator commands that configure enforcement: watched places, requirement, action, exemptions.

Every command checks permissions at run time, answers privately, validates its
input (the choices are fixed lists, places are typed channels) and writes through
the settings repository, which records each change in the audit log.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot import setting_keys as keys
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.enforcement.config import (
    ACTIONS,
    Escalation,
    CW_MODES,
    MAX_RETENTION_DAYS,
    REQUIREMENTS,
    WatchedPlace,
    config_from_settings,
    watched_to_data,
)
from bot.enforcement.plan import plan_action
from bot.enforcement_discord import granted_names
from bot.errors import UserFacingError
from bot.formatting import escape_user_text
from bot.rules.index import category_id
from bot.permissions import MODLOG_NEEDS, describe_permissions, missing_permissions, moderator_only

Place = discord.TextChannel | discord.ForumChannel | discord.CategoryChannel

ACTION_CHOICES = [app_commands.Choice(name=name, value=name) for name in ACTIONS]
REQUIREMENT_CHOICES = [app_commands.Choice(name=name, value=name) for name in REQUIREMENTS]
CW_MODE_CHOICES = [app_commands.Choice(name=name, value=name) for name in CW_MODES]

ACTION_HELP = {
    "flag": "react and reply with the fixed text and a Repost fixed button",
    "replace": "keep a copy, delete, and repost it fixed under the author's name",
    "delete": "keep a copy, delete, and DM the author their text (or hold it for /warden recover)",
}


def find_tag(forum: discord.ForumChannel, name: str) -> discord.ForumTag:
    """The forum's tag called ``name`` (any case), or a clear refusal listing the tags it has."""
    for tag in forum.available_tags:
        if tag.name.casefold() == name.strip().casefold() or str(tag.id) == name.strip():
            return tag
    listed = ", ".join(tag.name for tag in forum.available_tags) or "none"
    raise UserFacingError(
        f"{forum.mention} has no tag called “{escape_user_text(name, limit=60)}”. Its tags: {escape_user_text(listed, limit=300)}."
    )


def diagnose(channel: discord.abc.GuildChannel, action: str, me: discord.Member) -> str:
    """One line: whether ``action`` can be carried out in ``channel``, and the fallback if not."""
    granted = granted_names(channel.permissions_for(me))
    plan = plan_action(action, granted)  # type: ignore[arg-type]
    if not plan.fell_back:
        return f"- {channel.mention}: **{action}** ready"
    return (
        f"- {channel.mention}: **{action}** needs {describe_permissions(list(plan.missing))}; "
        f"until then I would **{plan.step}**"
    )


def place_label(place: Place | discord.abc.GuildChannel) -> str:
    return f"the category **{discord.utils.escape_markdown(place.name)}**" if isinstance(
        place, discord.CategoryChannel
    ) else place.mention


class Watch(WardenCog):
    watch = app_commands.Group(
        name="watch", description="Channels and categories where posts need spoilers or warnings",
        extras={"parent": "warden"},
    )
    exempt = app_commands.Group(
        name="exempt", description="Roles and members the rules do not apply to", extras={"parent": "warden"}
    )
    forumtag = app_commands.Group(
        name="forumtag", description="Forum tags that count as a content warning", extras={"parent": "warden"}
    )
    escalation = app_commands.Group(
        name="escalation", description="Time out members who keep posting untagged", extras={"parent": "warden"}
    )

    async def _set(self, interaction: discord.Interaction, key: str, value: Any, done: str, unchanged: str) -> None:
        """Store one setting (audited) and say whether it changed."""
        changed = await self.bot.guild_settings.set(interaction.guild.id, key, value, actor_id=interaction.user.id)
        await self._reply(interaction, changed, done, unchanged)

    async def _reply(self, interaction: discord.Interaction, changed: bool, done: str, unchanged: str) -> None:
        await interaction.response.send_message(done if changed else unchanged, ephemeral=True)

    # -- watched places --------------------------------------------------------

    @watch.command(name="add", description="Watch a channel, forum or category (its threads and posts too)")
    @app_commands.describe(
        place="The channel, forum or category", requirement="Override the server's requirement here",
        action="Override the server's action here", dry_run="Only log here, whatever the server's dry-run setting",
    )
    @app_commands.choices(requirement=REQUIREMENT_CHOICES, action=ACTION_CHOICES)
    @moderator_only()
    async def watch_add(
        self, interaction: discord.Interaction, place: Place,
        requirement: app_commands.Choice[str] | None = None, action: app_commands.Choice[str] | None = None,
        dry_run: bool | None = None,
    ) -> None:
        new = WatchedPlace(
            place_id=place.id,
            kind="category" if isinstance(place, discord.CategoryChannel) else "channel",
            requirement=requirement.value if requirement else None,  # type: ignore[arg-type]
            action=action.value if action else None,  # type: ignore[arg-type]
            dry_run=dry_run,
        )

        def add(current: Any) -> dict[str, Any]:
            watched = dict(config_from_settings({keys.WATCHED: current}).watched)
            watched[new.place_id] = new
            return watched_to_data(watched)

        before = self.bot.guild_settings.get(interaction.guild.id, keys.WATCHED)
        after = await self.bot.guild_settings.update(
            interaction.guild.id, keys.WATCHED, add, actor_id=interaction.user.id, default={}
        )
        details = [
            f"requirement **{new.requirement}**" if new.requirement else "",
            f"action **{new.action}**" if new.action else "",
            f"dry run **{'on' if new.dry_run else 'off'}**" if new.dry_run is not None else "",
        ]
        chosen = [d for d in details if d]
        extra = " with " + ", ".join(chosen[:-1]) + (" and " if len(chosen) > 1 else "") + chosen[-1] if chosen else ""
        await self._reply(
            interaction, before != after, f"Now watching {place_label(place)}{extra}.",
            f"{place_label(place).capitalize()} was already watched that way.",
        )

    @watch.command(name="remove", description="Stop watching a channel, forum or category")
    @moderator_only()
    async def watch_remove(self, interaction: discord.Interaction, place: Place) -> None:
        def remove(current: Any) -> dict[str, Any]:
            watched = dict(config_from_settings({keys.WATCHED: current}).watched)
            if place.id not in watched:
                raise UserFacingError(f"{place_label(place).capitalize()} is not watched; nothing changed.")
            del watched[place.id]
            return watched_to_data(watched)

        await self.bot.guild_settings.update(interaction.guild.id, keys.WATCHED, remove, actor_id=interaction.user.id, default={})
        await interaction.response.send_message(f"Stopped watching {place_label(place)}.", ephemeral=True)

    @watch.command(name="list", description="The watched channels and categories, with their overrides")
    @moderator_only()
    async def watch_list(self, interaction: discord.Interaction) -> None:
        config = config_from_settings(self.bot.guild_settings.snapshot(interaction.guild.id))
        if not config.watched:
            await interaction.response.send_message(
                "No channel is watched yet. Add one with `/warden watch add`.", ephemeral=True
            )
            return
        lines = []
        for place in config.watched.values():
            channel = interaction.guild.get_channel(place.place_id)
            name = place_label(channel) if channel else f"a deleted channel ({place.place_id})"
            lines.append(
                f"- {name}: requirement **{config.requirement_for(place) or 'policy default'}**, "
                f"action **{config.action_for(place)}**" + (", dry run" if config.dry_run_for(place) else "")
            )
        await interaction.response.send_message("\n".join(lines)[:2000], ephemeral=True)

    # -- server-wide choices ------------------------------------------------------

    @app_commands.command(name="action", description="What I do about an untagged post", extras={"parent": "warden"})
    @app_commands.choices(action=ACTION_CHOICES)
    @moderator_only()
    async def set_action(self, interaction: discord.Interaction, action: app_commands.Choice[str]) -> None:
        await self._set(
            interaction, keys.ACTION, action.value,
            f"Untagged posts: I will {ACTION_HELP[action.value]}.", f"The action was already **{action.value}**.",
        )

    @app_commands.command(name="requirement", description="What a post must use: spoilers, a CW line, either, or both", extras={"parent": "warden"})
    @app_commands.choices(requirement=REQUIREMENT_CHOICES)
    @moderator_only()
    async def set_requirement(self, interaction: discord.Interaction, requirement: app_commands.Choice[str]) -> None:
        await self._set(
            interaction, keys.REQUIREMENT, requirement.value,
            f"Posts in watched places now need: **{requirement.value}**.",
            f"The requirement was already **{requirement.value}**.",
        )

    @app_commands.command(name="cwmode", description="Strict: the CW must name each topic; lenient: any CW line will do", extras={"parent": "warden"})
    @app_commands.choices(mode=CW_MODE_CHOICES)
    @moderator_only()
    async def set_cw_mode(self, interaction: discord.Interaction, mode: app_commands.Choice[str]) -> None:
        await self._set(
            interaction, keys.CW_MODE, mode.value,
            f"Content-warning mode: **{mode.value}**.", f"The mode was already **{mode.value}**.",
        )

    @app_commands.command(name="dryrun", description="Only log what I would do, to try the rules on live posts", extras={"parent": "warden"})
    @moderator_only()
    async def set_dry_run(self, interaction: discord.Interaction, enabled: bool) -> None:
        state = "on: I only log what I would do" if enabled else "off: I act on untagged posts"
        await self._set(interaction, keys.DRY_RUN, enabled, f"Dry run is {state}.", f"Dry run was already {'on' if enabled else 'off'}.")

    @app_commands.command(name="retention", description="How many days I keep removed posts for their authors", extras={"parent": "warden"})
    @moderator_only()
    async def set_retention(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, MAX_RETENTION_DAYS]
    ) -> None:
        await self._set(interaction, keys.RETENTION_DAYS, days, f"Removed posts are kept for {days} days.", f"Retention was already {days} days.")

    # -- diagnosis ------------------------------------------------------------------

    @app_commands.command(name="doctor", description="What I lack to act as configured, place by place", extras={"parent": "warden"})
    @moderator_only()
    async def doctor(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild
        config = self.bot.enforcement.config(guild.id)
        lines = [
            "**Message Content intent**: "
            + ("on" if self.bot.intents.message_content else "off: I cannot read posts; enable it in the Developer Portal")
        ]
        if not config.watched:
            lines.append("No channel is watched yet: add one with `/warden watch add`.")
        for place in config.watched.values():
            channel = guild.get_channel(place.place_id)
            if channel is None:
                lines.append(f"- a deleted channel ({place.place_id}) is still listed as watched")
                continue
            targets = channel.channels if isinstance(channel, discord.CategoryChannel) else [channel]
            for target in targets:
                lines.append(diagnose(target, config.action_for(place), guild.me))
        lines.append(self._diagnose_modlog(guild))
        if config.escalation is not None:
            ok = guild.me.guild_permissions.moderate_members
            lines.append("**Escalation**: " + ("ready" if ok else "needs Moderate Members to time members out"))
        text = "\n".join(lines)
        if len(text) > 2000:
            text = text[:1990].rsplit("\n", 1)[0] + "\n…"
        await interaction.response.send_message(text, ephemeral=True)

    def _diagnose_modlog(self, guild: discord.Guild) -> str:
        channel_id = self.bot.guild_settings.get(guild.id, keys.MODLOG_CHANNEL)
        channel = guild.get_channel(channel_id) if channel_id else None
        if channel is None:
            return "**Mod log**: off (set one with `/warden modlog set`)"
        missing = missing_permissions(channel.permissions_for(guild.me), MODLOG_NEEDS)
        return f"**Mod log** {channel.mention}: " + (f"missing {describe_permissions(missing)}" if missing else "ready")

    # -- forum tags -------------------------------------------------------------------

    @forumtag.command(name="map", description="A forum tag that counts as a content warning for a category")
    @app_commands.describe(forum="The forum", tag="One of the forum's tags", category="The category the tag warns of")
    @moderator_only()
    async def forumtag_map(self, interaction: discord.Interaction, forum: discord.ForumChannel, tag: str, category: str) -> None:
        chosen = find_tag(forum, tag)
        known = self.bot.enforcement.category_names(interaction.guild.id)
        key = category_id(category)
        if key not in known:
            listed = ", ".join(sorted(known.values())[:25])
            raise UserFacingError(f"I know no category called “{escape_user_text(category, limit=60)}”. Known: {listed}.")

        def add(current: Any) -> dict[str, str]:
            mapping = dict(current or {})
            mapping[str(chosen.id)] = known[key]
            return mapping

        before = self.bot.guild_settings.get(interaction.guild.id, keys.FORUM_TAGS)
        after = await self.bot.guild_settings.update(interaction.guild.id, keys.FORUM_TAGS, add, actor_id=interaction.user.id, default={})
        tag_name = escape_user_text(chosen.name, limit=40)
        await self._reply(
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
                raise UserFacingError(f"**{escape_user_text(chosen.name, limit=40)}** stands for no category; nothing changed.")
            return mapping

        await self.bot.guild_settings.update(interaction.guild.id, keys.FORUM_TAGS, remove, actor_id=interaction.user.id, default={})
        await interaction.response.send_message(
            f"**{escape_user_text(chosen.name, limit=40)}** no longer counts as a content warning.", ephemeral=True
        )

    @forumtag.command(name="list", description="Forum tags that count as content warnings")
    @moderator_only()
    async def forumtag_list(self, interaction: discord.Interaction) -> None:
        mapping = self.bot.guild_settings.get(interaction.guild.id, keys.FORUM_TAGS, {})
        tags = {tag.id: (forum, tag) for forum in interaction.guild.forums for tag in forum.available_tags}
        lines = []
        for tag_id, category in mapping.items():
            forum, tag = tags.get(int(tag_id), (None, None))
            where = f"**{escape_user_text(tag.name, limit=40)}** in {forum.mention}" if tag else f"a deleted tag ({tag_id})"
            lines.append(f"- {where}: **{escape_user_text(category, limit=40)}**")
        await interaction.response.send_message("\n".join(lines)[:2000] or "No forum tag is mapped yet.", ephemeral=True)

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
        return [app_commands.Choice(name=name, value=name) for name in names if current.casefold() in name.casefold()][:25]

    # -- escalation ---------------------------------------------------------------

    @escalation.command(name="set", description="After this many untagged posts within the window, a timeout")
    @app_commands.describe(
        threshold="Untagged posts that lead to a timeout", window_hours="Counted over this many hours",
        timeout_minutes="How long the timeout lasts (at most 28 days)",
    )
    @moderator_only()
    async def escalation_set(
        self, interaction: discord.Interaction,
        threshold: app_commands.Range[int, *Escalation.LIMITS["threshold"]],
        window_hours: app_commands.Range[int, *Escalation.LIMITS["window_hours"]],
        timeout_minutes: app_commands.Range[int, *Escalation.LIMITS["timeout_minutes"]],
    ) -> None:
        ladder = Escalation(threshold, window_hours, timeout_minutes)
        await self._set(
            interaction, keys.ESCALATION, ladder.to_data(),
            f"Escalation on: {threshold} untagged posts within {window_hours} h lead to a "
            f"{timeout_minutes}-minute timeout (I need Moderate Members and a role above the member's).",
            "Escalation was already set that way.",
        )

    @escalation.command(name="off", description="Never time members out")
    @moderator_only()
    async def escalation_off(self, interaction: discord.Interaction) -> None:
        changed = await self.bot.guild_settings.reset(interaction.guild.id, keys.ESCALATION, actor_id=interaction.user.id)
        await self._reply(interaction, changed, "Escalation is off.", "Escalation was already off.")

    # -- exemptions -----------------------------------------------------------------

    @exempt.command(name="add", description="The rules will not apply to this role or member")
    @moderator_only()
    async def exempt_add(self, interaction: discord.Interaction, target: discord.Role | discord.Member) -> None:
        await self._exempt(interaction, target, add=True)

    @exempt.command(name="remove", description="The rules apply again to this role or member")
    @moderator_only()
    async def exempt_remove(self, interaction: discord.Interaction, target: discord.Role | discord.Member) -> None:
        await self._exempt(interaction, target, add=False)

    async def _exempt(self, interaction: discord.Interaction, target: discord.Role | discord.abc.User, *, add: bool) -> None:
        key = keys.EXEMPT_ROLES if isinstance(target, discord.Role) else keys.EXEMPT_MEMBERS
        name = f"the role **{discord.utils.escape_markdown(target.name)}**" if isinstance(target, discord.Role) else target.mention

        def change(current: Any) -> list[int]:
            ids = [item for item in (current or []) if isinstance(item, int)]
            if add and target.id not in ids:
                ids.append(target.id)
            if not add and target.id in ids:
                ids.remove(target.id)
            return sorted(ids)

        before = self.bot.guild_settings.get(interaction.guild.id, key, [])
        after = await self.bot.guild_settings.update(interaction.guild.id, key, change, actor_id=interaction.user.id, default=[])
        if add:
            await self._reply(interaction, before != after, f"The rules no longer apply to {name}.", f"{name} was already exempt.")
        else:
            await self._reply(interaction, before != after, f"The rules apply to {name} again.", f"{name} was not exempt.")


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(Watch(bot))
