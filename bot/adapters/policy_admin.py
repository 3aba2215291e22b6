"""Text for the policy commands: the guild's configuration, its own lists, and import problems.

Facts in (the configuration, a guild to name its channels and roles), Discord
message text out; user-written terms, patterns and phrases are made inert. No
decisions are made here.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence

import discord

from bot.configfile.problems import Problem
from bot.enforcement.config import EnforcementConfig
from bot.enforcement.transfer import GuildIds
from bot.formatting import escape_user_text
from bot.permissions import MODLOG_NEEDS, missing_permissions
from bot.rules import GuildPolicy, Pattern, Term

MESSAGE_LIMIT = 2000
MAX_CHUNKS = 3  # longer than this many messages, an answer is sent as a file
PROBLEM_REPORT_LIMIT = 1800  # leaves room for the closing "and N more"


def guild_ids(guild: discord.Guild, config: EnforcementConfig, modlog_id: int | None) -> GuildIds:
    """What an import may point at: the guild's channels and roles, and whatever the configuration
    already names (a deleted channel still listed), so that a guild's own export always reads back."""
    writable = [
        channel.id for channel in guild.text_channels
        if not missing_permissions(channel.permissions_for(guild.me), MODLOG_NEEDS)
    ]
    return GuildIds(
        places=frozenset(channel.id for channel in guild.channels) | config.watched.keys(),
        modlog_channels=frozenset(writable) | ({modlog_id} if modlog_id else set()),
        roles=frozenset(role.id for role in guild.roles) | config.exempt_roles,
        forum_tags=(
            frozenset(tag.id for forum in guild.forums for tag in forum.available_tags) | config.forum_tags.keys()
        ),
    )


def place_name(guild: discord.Guild, place_id: int) -> str:
    channel = guild.get_channel(place_id)
    if channel is None:
        return f"a deleted channel ({place_id})"
    if isinstance(channel, discord.CategoryChannel):
        return f"the category **{escape_user_text(channel.name, limit=100)}**"
    return channel.mention


def term_line(term: Term) -> str:
    aliases = f"; also {', '.join(escape_user_text(a, limit=60) for a in term.aliases)}" if term.aliases else ""
    return f"**{escape_user_text(term.name, limit=100)}** ({escape_user_text(term.category, limit=50)}{aliases})"


def regex_code(regex: str) -> str:
    """A pattern as inline code: shown as written (markdown escapes would show), a backtick replaced."""
    return "`" + regex.replace("`", "\u02cb")[:300] + "`"


def pattern_line(number: int, pattern: Pattern) -> str:
    return f"{number}. {regex_code(pattern.regex)} ({escape_user_text(pattern.category, limit=50)})"


def terms_text(terms: Sequence[Term]) -> str:
    if not terms:
        return "This server has no terms of its own. Add one with `/warden terms add`."
    return f"This server's own terms ({len(terms)}):\n" + "\n".join(f"- {term_line(t)}" for t in terms)


def patterns_text(patterns: Sequence[Pattern]) -> str:
    if not patterns:
        return "This server has no patterns of its own. Add one with `/warden patterns add`."
    lines = [pattern_line(number, pattern) for number, pattern in enumerate(patterns, 1)]
    return f"This server's own patterns ({len(patterns)}):\n" + "\n".join(lines)


def allow_text(allow: Sequence[str]) -> str:
    if not allow:
        return "This server allows no phrases of its own. Add one with `/warden allow add`."
    lines = [f"- {escape_user_text(p, limit=100)}" for p in allow]
    return f"Phrases that never count here ({len(allow)}):\n" + "\n".join(lines)


def configuration_text(
    config: EnforcementConfig, base: GuildPolicy, guild: discord.Guild, modlog_id: int | None
) -> str:
    """The whole effective configuration, as ``/warden show`` gives it."""
    places = [
        f"- {place_name(guild, place.place_id)}: requirement **{config.requirement_for(place) or base.requirement}**"
        f"{' (override)' if place.requirement else ''}, action **{config.action_for(place)}**"
        f"{' (override)' if place.action else ''}"
        for place in config.watched.values()
    ]
    modlog = guild.get_channel(modlog_id) if modlog_id else None
    exempt = [f"<@&{role_id}>" for role_id in sorted(config.exempt_roles)]
    exempt += [f"<@{user_id}>" for user_id in sorted(config.exempt_members)]
    sections = [
        f"**Genre Warden on {escape_user_text(guild.name, limit=100)}**",
        "**Watched places**\n" + ("\n".join(places) if places else "none yet (`/warden watch add`)"),
        f"**Requirement**: {config.requirement or base.requirement}{'' if config.requirement else ' (the default)'}",
        f"**Content-warning mode**: {config.cw_mode or base.cw_mode}{'' if config.cw_mode else ' (the default)'}",
        f"**Action**: {config.action}",
        f"**Dry run**: {'on, I only log' if config.dry_run else 'off'}",
        f"**Exempt**: {', '.join(exempt) if exempt else 'nobody'}",
        f"**Removed posts kept for**: {config.retention_days} days",
        f"**Mod log**: {modlog.mention if modlog else 'off'}",
        terms_text(config.terms),
        patterns_text(config.patterns),
        allow_text(config.allow),
    ]
    return "\n\n".join(sections)


def refusal_reason(problem: Problem, patterns: Sequence[Mapping[str, str]]) -> str:
    """A problem in words for a moderator at a slash command (the engine's speak to a file's author)."""
    path = problem.path
    if len(path) == 3 and path[0] == "patterns" and path[2] == "category" and isinstance(path[1], int):
        pattern = patterns[path[1]]
        return (
            f"the pattern {regex_code(pattern['regex'])} needs a category that a term has, and no term has "
            f"**{escape_user_text(pattern['category'], limit=50)}**: pick a category the autocomplete offers, "
            "add a term in it first (`/warden terms add`), or remove the pattern"
        )
    return escape_user_text(problem.message, limit=400)


def problem_report(problems: Sequence[Problem], intro: str) -> str:
    """``intro`` and one line per problem, cut short to fit one message."""
    lines = [intro]
    for shown, problem in enumerate(problems):
        line = f"- {escape_user_text(str(problem), limit=300)}"
        if sum(len(text) + 1 for text in lines) + len(line) > PROBLEM_REPORT_LIMIT:
            lines.append(f"…and {len(problems) - shown} more.")
            break
        lines.append(line)
    return "\n".join(lines)


def chunks(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """``text`` split at line ends into pieces of at most ``limit`` characters."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # one very long line: cut it
            pieces, current = pieces + ([current] if current else []), ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            candidate = line
        current = candidate
    return pieces + ([current] if current else [])


async def send_long(interaction: discord.Interaction, text: str, filename: str) -> None:
    """Answer privately: in one message, a few, or as a file when it is longer than that."""
    pieces = chunks(text)
    send: Callable = interaction.followup.send if interaction.response.is_done() else interaction.response.send_message
    if len(pieces) > MAX_CHUNKS:
        file = discord.File(io.BytesIO(text.encode("utf-8")), filename=filename)
        await send("It is too long to show here, so it is attached.", file=file, ephemeral=True)
        return
    await send(pieces[0], ephemeral=True)
    for piece in pieces[1:]:
        await interaction.followup.send(piece, ephemeral=True)
