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
from bot.adapters.long_answers import ListAnswer
from bot.adapters.policy_admin import exempt_answer, watch_answer
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.enforcement.config import (
    ACTIONS,
    CW_MODES,
    MAX_RETENTION_DAYS,
    REQUIREMENTS,
    Escalation,
    WatchedPlace,
    config_from_settings,
    watched_to_data,
)
from bot.errors import UserFacingError
from bot.permissions import moderator_only

# Every place whose posts members write: text and announcement channels, forums and media channels,
# the text chat of voice and stage channels, and categories (everything in them).
Place = (
    discord.TextChannel | discord.ForumChannel | discord.VoiceChannel | discord.StageChannel | discord.CategoryChannel
)

ACTION_CHOICES = [app_commands.Choice(name=name, value=name) for name in ACTIONS]
REQUIREMENT_CHOICES = [app_commands.Choice(name=name, value=name) for name in REQUIREMENTS]
CW_MODE_CHOICES = [app_commands.Choice(name=name, value=name) for name in CW_MODES]

THRESHOLD_MIN, THRESHOLD_MAX = Escalation.LIMITS["threshold"]
WINDOW_MIN, WINDOW_MAX = Escalation.LIMITS["window_hours"]
TIMEOUT_MIN, TIMEOUT_MAX = Escalation.LIMITS["timeout_minutes"]

ACTION_HELP = {
    "flag": "react and reply with the fixed text and a Repost fixed button",
    "replace": "keep a copy, delete, and repost it fixed under the author's name",
    "delete": "keep a copy, delete, and DM the author their text (or hold it for /warden recover)",
}


def place_label(place: Place | discord.abc.GuildChannel) -> str:
    return f"the category **{discord.utils.escape_markdown(place.name)}**" if isinstance(
        place, discord.CategoryChannel
    ) else place.mention


class Watch(WardenCog):
    def __init__(self, bot: WardenBot) -> None:
        super().__init__(bot)
        self.watch_pager = self.add_pager("watch", self._watched)
        self.exempt_pager = self.add_pager("exempt", self._exempt_list)

    watch = app_commands.Group(
        name="watch", description="Channels and categories where posts need spoilers or warnings",
        extras={"parent": "warden"},
    )
    exempt = app_commands.Group(
        name="exempt", description="Roles and members the rules do not apply to", extras={"parent": "warden"}
    )
    escalation = app_commands.Group(
        name="escalation", description="Time out members who keep posting untagged", extras={"parent": "warden"}
    )

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
        await self.reply_change(
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

        await self.bot.guild_settings.update(
            interaction.guild.id, keys.WATCHED, remove, actor_id=interaction.user.id, default={}
        )
        await interaction.response.send_message(f"Stopped watching {place_label(place)}.", ephemeral=True)

    @watch.command(name="list", description="Watched places: each setting in force there and where it comes from")
    @moderator_only()
    async def watch_list(self, interaction: discord.Interaction) -> None:
        await self.watch_pager.send(interaction)

    async def _watched(self, interaction: discord.Interaction, arg: str) -> ListAnswer:
        enforcement = self.bot.enforcement
        return watch_answer(enforcement.config(interaction.guild.id), interaction.guild, enforcement.policies.base)

    # -- server-wide choices ------------------------------------------------------

    @app_commands.command(name="action", description="What I do about an untagged post", extras={"parent": "warden"})
    @app_commands.choices(action=ACTION_CHOICES)
    @moderator_only()
    async def set_action(self, interaction: discord.Interaction, action: app_commands.Choice[str]) -> None:
        await self.set_setting(
            interaction, keys.ACTION, action.value,
            f"Untagged posts: I will {ACTION_HELP[action.value]}.", f"The action was already **{action.value}**.",
        )

    @app_commands.command(
        name="requirement", description="What a post must use: spoilers, a CW line, either, or both",
        extras={"parent": "warden"},
    )
    @app_commands.choices(requirement=REQUIREMENT_CHOICES)
    @moderator_only()
    async def set_requirement(self, interaction: discord.Interaction, requirement: app_commands.Choice[str]) -> None:
        await self.set_setting(
            interaction, keys.REQUIREMENT, requirement.value,
            f"Posts in watched places now need: **{requirement.value}**.",
            f"The requirement was already **{requirement.value}**.",
        )

    @app_commands.command(
        name="cwmode", description="Strict: the CW must name each topic; lenient: any CW line will do",
        extras={"parent": "warden"},
    )
    @app_commands.choices(mode=CW_MODE_CHOICES)
    @moderator_only()
    async def set_cw_mode(self, interaction: discord.Interaction, mode: app_commands.Choice[str]) -> None:
        await self.set_setting(
            interaction, keys.CW_MODE, mode.value,
            f"Content-warning mode: **{mode.value}**.", f"The mode was already **{mode.value}**.",
        )

    @app_commands.command(
        name="dryrun", description="Only log what I would do, to try the rules on live posts",
        extras={"parent": "warden"},
    )
    @moderator_only()
    async def set_dry_run(self, interaction: discord.Interaction, enabled: bool) -> None:
        state = "on: I only log what I would do" if enabled else "off: I act on untagged posts"
        await self.set_setting(
            interaction, keys.DRY_RUN, enabled,
            f"Dry run is {state}.", f"Dry run was already {'on' if enabled else 'off'}.",
        )

    @app_commands.command(
        name="retention", description="How many days I keep removed posts for their authors",
        extras={"parent": "warden"},
    )
    @moderator_only()
    async def set_retention(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, MAX_RETENTION_DAYS]
    ) -> None:
        await self.set_setting(
            interaction, keys.RETENTION_DAYS, days,
            f"Removed posts are kept for {days} days.", f"Retention was already {days} days.",
        )

    # -- escalation ---------------------------------------------------------------

    @escalation.command(name="set", description="After this many untagged posts within the window, a timeout")
    @app_commands.describe(
        threshold="Untagged posts that lead to a timeout", window_hours="Counted over this many hours",
        timeout_minutes="How long the timeout lasts (at most 28 days)",
    )
    @moderator_only()
    async def escalation_set(
        self, interaction: discord.Interaction,
        threshold: app_commands.Range[int, THRESHOLD_MIN, THRESHOLD_MAX],
        window_hours: app_commands.Range[int, WINDOW_MIN, WINDOW_MAX],
        timeout_minutes: app_commands.Range[int, TIMEOUT_MIN, TIMEOUT_MAX],
    ) -> None:
        ladder = Escalation(threshold, window_hours, timeout_minutes)
        await self.set_setting(
            interaction, keys.ESCALATION, ladder.to_data(),
            f"Escalation on: {threshold} untagged posts within {window_hours} h lead to a "
            f"{timeout_minutes}-minute timeout (I need Moderate Members and a role above the member's).",
            "Escalation was already set that way.",
        )

    @escalation.command(name="off", description="Never time members out")
    @moderator_only()
    async def escalation_off(self, interaction: discord.Interaction) -> None:
        changed = await self.bot.guild_settings.reset(
            interaction.guild.id, keys.ESCALATION, actor_id=interaction.user.id
        )
        await self.reply_change(interaction, changed, "Escalation is off.", "Escalation was already off.")

    # -- exemptions -----------------------------------------------------------------

    @exempt.command(name="add", description="The rules will not apply to this role or member")
    @moderator_only()
    async def exempt_add(self, interaction: discord.Interaction, target: discord.Role | discord.Member) -> None:
        await self._exempt(interaction, target, add=True)

    @exempt.command(name="remove", description="The rules apply again to this role or member")
    @moderator_only()
    async def exempt_remove(self, interaction: discord.Interaction, target: discord.Role | discord.Member) -> None:
        await self._exempt(interaction, target, add=False)

    @exempt.command(name="list", description="The roles and members the rules do not apply to")
    @moderator_only()
    async def exempt_list(self, interaction: discord.Interaction) -> None:
        await self.exempt_pager.send(interaction)

    async def _exempt_list(self, interaction: discord.Interaction, arg: str) -> ListAnswer:
        return exempt_answer(self.bot.enforcement.config(interaction.guild.id))

    async def _exempt(
        self, interaction: discord.Interaction, target: discord.Role | discord.abc.User, *, add: bool
    ) -> None:
        key = keys.EXEMPT_ROLES if isinstance(target, discord.Role) else keys.EXEMPT_MEMBERS
        name = (
            f"the role **{discord.utils.escape_markdown(target.name)}**"
            if isinstance(target, discord.Role) else target.mention
        )

        def change(current: Any) -> list[int]:
            ids = [item for item in (current or []) if isinstance(item, int)]
            if add and target.id not in ids:
                ids.append(target.id)
            if not add and target.id in ids:
                ids.remove(target.id)
            return sorted(ids)

        before = self.bot.guild_settings.get(interaction.guild.id, key, [])
        after = await self.bot.guild_settings.update(
            interaction.guild.id, key, change, actor_id=interaction.user.id, default=[]
        )
        if add:
            await self.reply_change(
                interaction, before != after, f"The rules no longer apply to {name}.", f"{name} was already exempt."
            )
        else:
            await self.reply_change(
                interaction, before != after, f"The rules apply to {name} again.", f"{name} was not exempt."
            )


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(Watch(bot))
