"""Text for the policy commands: the guild's configuration, its own lists, and import problems.

Facts in (the configuration, a guild to name its channels and roles), Discord
message text out; user-written terms, patterns and phrases are made inert. No
decisions are made here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.adapters.long_answers import ListAnswer
from bot.configfile.problems import Problem
from bot.enforcement.config import EnforcementConfig, WatchedPlace
from bot.enforcement.transfer import GuildIds
from bot.errors import UserFacingError
from bot.formatting import escape_user_text, make_inert
from bot.permissions import MODLOG_NEEDS, missing_permissions
from bot.rules import GuildPolicy, Pattern, Term

PROBLEM_REPORT_LIMIT = 1800  # leaves room for the closing "and N more"


def modlog_state(modlog_id: int | None, channel: discord.abc.GuildChannel | None) -> str:
    """The mod log as moderators should read it: its channel, off, or set to a channel that is gone."""
    if not modlog_id:
        return "off"
    if channel is None:
        return f"its channel ({modlog_id}) was deleted; set a new one with `/warden modlog set`"
    return channel.mention


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
        return f"the category **{make_inert(channel.name)}**"
    return channel.mention


def _source_name(guild: discord.Guild, source: int | None, place_id: int) -> str:
    if source is None:
        return "server default"
    if source == place_id:
        channel = guild.get_channel(place_id)
        return "this category" if isinstance(channel, discord.CategoryChannel) else "this channel"
    channel = guild.get_channel(source)
    if isinstance(channel, discord.CategoryChannel):
        return f"category **{make_inert(channel.name)}**"
    return place_name(guild, source)


def watched_line(config: EnforcementConfig, place: WatchedPlace, guild: discord.Guild, base: GuildPolicy) -> str:
    """A watched place's effective settings, each with where it comes from (its own override, its
    category's, or the server's setting)."""
    channel = guild.get_channel(place.place_id)
    category_id = getattr(channel, "category_id", None) if place.kind == "channel" else None
    effective = config.settings_for(place.place_id, None, category_id)
    assert effective is not None  # the place is watched
    values = (
        ("requirement", effective.requirement.value or base.requirement, effective.requirement.source),
        ("action", effective.action.value, effective.action.source),
        ("dry run", "on" if effective.dry_run.value else "off", effective.dry_run.source),
    )
    shown = " · ".join(
        f"{name}: **{value}** ({_source_name(guild, source, place.place_id)})" for name, value, source in values
    )
    return f"- {place_name(guild, place.place_id)}: {shown}"


def watch_answer(config: EnforcementConfig, guild: discord.Guild, base: GuildPolicy) -> ListAnswer:
    places = list(config.watched.values())
    return ListAnswer(
        title=f"Watched places ({len(places)}):" if places else "",
        lines=[watched_line(config, place, guild, base) for place in places],
        empty="No channel is watched yet. Add one with `/warden watch add`.",
        filename="watched.txt", noun=("place", "places"),
    )


def term_line(term: Term) -> str:
    """A term as a list shows it: whole (a list never cuts an item), made inert."""
    aliases = f"; also {', '.join(make_inert(a) for a in term.aliases)}" if term.aliases else ""
    return f"**{make_inert(term.name)}** ({make_inert(term.category)}{aliases})"


def regex_code(regex: str) -> str:
    """A pattern as inline code: shown as written (markdown escapes would show), a backtick replaced."""
    return "`" + regex.replace("`", "\u02cb") + "`"


def pattern_line(number: int, pattern: Pattern) -> str:
    return f"{number}. {regex_code(pattern.regex)} ({make_inert(pattern.category)})"


def terms_answer(terms: Sequence[Term]) -> ListAnswer:
    return ListAnswer(
        title=f"This server's own terms ({len(terms)}):" if terms else "",
        lines=[f"- {term_line(t)}" for t in terms],
        empty="This server has no terms of its own. Add one with `/warden terms add`.",
        filename="terms.txt", noun=("term", "terms"),
    )


def patterns_answer(patterns: Sequence[Pattern]) -> ListAnswer:
    return ListAnswer(
        title=f"This server's own patterns ({len(patterns)}):" if patterns else "",
        lines=[pattern_line(number, pattern) for number, pattern in enumerate(patterns, 1)],
        empty="This server has no patterns of its own. Add one with `/warden patterns add`.",
        filename="patterns.txt", noun=("pattern", "patterns"),
    )


def allow_answer(allow: Sequence[str]) -> ListAnswer:
    return ListAnswer(
        title=f"Phrases that never count here ({len(allow)}):" if allow else "",
        lines=[f"- {make_inert(p)}" for p in allow],
        empty="This server allows no phrases of its own. Add one with `/warden allow add`.",
        filename="allow.txt", noun=("phrase", "phrases"),
    )


def exempt_lines(config: EnforcementConfig) -> list[str]:
    return [f"<@&{role_id}>" for role_id in sorted(config.exempt_roles)] + [
        f"<@{user_id}>" for user_id in sorted(config.exempt_members)
    ]


def exempt_answer(config: EnforcementConfig) -> ListAnswer:
    lines = exempt_lines(config)
    return ListAnswer(
        title=f"The rules do not apply to ({len(lines)}):" if lines else "",
        lines=[f"- {line}" for line in lines],
        empty="Nobody is exempt. Add a role or member with `/warden exempt add`.",
        filename="exempt.txt", noun=("role or member", "roles and members"),
    )


def configuration_text(
    config: EnforcementConfig, base: GuildPolicy, guild: discord.Guild, modlog_id: int | None
) -> str:
    """The whole effective configuration, as ``/warden show`` gives it."""
    places = [watched_line(config, place, guild, base) for place in config.watched.values()]
    modlog = guild.get_channel(modlog_id) if modlog_id else None
    exempt = exempt_lines(config)
    sections = [
        f"**Genre Warden on {escape_user_text(guild.name, limit=100)}**",
        "**Watched places**\n" + ("\n".join(places) if places else "none yet (`/warden watch add`)"),
        f"**Requirement**: {config.requirement or base.requirement}{'' if config.requirement else ' (the default)'}",
        f"**Content-warning mode**: {config.cw_mode or base.cw_mode}{'' if config.cw_mode else ' (the default)'}",
        f"**Action**: {config.action}",
        f"**Dry run**: {'on, I only log' if config.dry_run else 'off'}",
        f"**Exempt**: {', '.join(exempt) if exempt else 'nobody'}",
        f"**Removed posts kept for**: {config.retention_days} days",
        f"**Mod log**: {modlog_state(modlog_id, modlog)}",
        terms_answer(config.terms).as_text(),
        patterns_answer(config.patterns).as_text(),
        allow_answer(config.allow).as_text(),
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
    """``intro`` and one line per problem, cut short to fit one message (the rest: ``problem_error``'s file)."""
    lines = [intro]
    for shown, problem in enumerate(problems):
        line = f"- {escape_user_text(str(problem), limit=300)}"
        if sum(len(text) + 1 for text in lines) + len(line) > PROBLEM_REPORT_LIMIT:
            lines.append(f"…and {len(problems) - shown} more, every one in the attached file.")
            break
        lines.append(line)
    return "\n".join(lines)


def problem_error(problems: Sequence[Problem], intro: str) -> UserFacingError:
    """The error to raise for an import's ``problems``: all in the answer, or a summary and all as a file."""
    message = problem_report(problems, intro)
    if len(message.splitlines()) == len(problems) + 1:
        return UserFacingError(message)
    full = "\n".join([intro, *(f"- {problem}" for problem in problems)])
    return UserFacingError(message, details=full, details_name="problems.txt")
