"""``/warden doctor``: what the bot lacks to act as configured, place by place.

It runs the same fallback planner the enforcement uses, so what it predicts is
what happens.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot import setting_keys as keys
from bot.adapters.failures import DISCORD_FAILURES
from bot.adapters.long_answers import send_text
from bot.adapters.places import granted_names, place_ids
from bot.adapters.policy_admin import modlog_state
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.enforcement.plan import plan_action
from bot.permissions import MODLOG_NEEDS, describe_permissions, missing_permissions, moderator_only


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



class Doctor(WardenCog):
    @app_commands.command(
        name="doctor", description="What I lack to act as configured, place by place", extras={"parent": "warden"}
    )
    @moderator_only()
    async def doctor(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild
        config = self.bot.enforcement.config(guild.id)
        lines = [
            "**Message Content intent**: "
            + (
                "on" if self.bot.intents.message_content
                else "off: I cannot read posts; enable it in the Developer Portal"
            )
        ]
        if not config.watched:
            lines.append("No channel is watched yet: add one with `/warden watch add`.")
        diagnosed: set[int] = set()
        for place in config.watched.values():
            channel = guild.get_channel(place.place_id)
            if channel is None:
                lines.append(f"- a deleted channel ({place.place_id}) is still listed as watched")
                continue
            targets = channel.channels if isinstance(channel, discord.CategoryChannel) else [channel]
            for target in targets:
                if target.id in diagnosed:
                    continue  # watched itself and through its category: once, as the message path sees it
                diagnosed.add(target.id)
                effective = config.place_for(*place_ids(target)) or place
                lines.append(diagnose(target, config.action_for(effective), guild.me))
        lines.append(await self._diagnose_modlog(guild))
        if config.escalation is not None:
            ok = guild.me.guild_permissions.moderate_members
            lines.append("**Escalation**: " + ("ready" if ok else "needs Moderate Members to time members out"))
        await send_text(interaction, "\n".join(lines), "doctor.txt")

    async def _diagnose_modlog(self, guild: discord.Guild) -> str:
        channel_id = self.bot.guild_settings.get(guild.id, keys.MODLOG_CHANNEL)
        if not channel_id:
            return "**Mod log**: off (set one with `/warden modlog set`)"
        deleted = f"**Mod log**: {modlog_state(channel_id, None)}"
        channel = guild.get_channel(channel_id)
        if channel is None:
            return deleted
        try:  # the cache may be behind: Discord has the last word
            await guild.fetch_channel(channel_id)
        except discord.NotFound:
            return deleted
        except DISCORD_FAILURES:
            pass  # cannot ask now (no access, network): the permissions below still tell
        missing = missing_permissions(channel.permissions_for(guild.me), MODLOG_NEEDS)
        return f"**Mod log** {channel.mention}: " + (f"missing {describe_permissions(missing)}" if missing else "ready")


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(Doctor(bot))
