"""Moderator commands for the guild's own policy: terms, patterns, allow-list phrases,
and the "Check content warnings" message command.

Every change is checked merged into the shipped policy by the rule engine's own
validators before it is stored, and is stored through the settings repository,
which records it in the audit log. The enforcement cog hears of each change and
judges the next post by the new policy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands

from bot import setting_keys as keys
from bot.adapters.long_answers import ListAnswer, send_text
from bot.adapters.places import place_ids, role_ids
from bot.adapters.policy_admin import (
    allow_answer,
    pattern_line,
    patterns_answer,
    refusal_reason,
    regex_code,
    term_line,
    terms_answer,
)
from bot.adapters.render import verdict_answer
from bot.adapters.surfaces import view_of
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.enforcement.config import (
    EnforcementConfig,
    config_from_settings,
    pattern_to_data,
    term_to_data,
)
from bot.enforcement.policies import GuildPolicies
from bot.enforcement.seen import judge as judge_seen
from bot.errors import UserFacingError
from bot.formatting import escape_user_text
from bot.permissions import is_moderator, moderator_only
from bot.rules import Pattern, Term
from bot.rules.index import category_id
from bot.store.settings_repo import RESET

Choices = list[app_commands.Choice[str]]
MAX_CHOICES = 25


def _may_configure(interaction: discord.Interaction) -> bool:
    # Autocomplete runs no command checks; members do not get to read the lists through it.
    try:
        return is_moderator(interaction)
    except app_commands.AppCommandError:
        return False


class PolicyAdmin(WardenCog):
    terms = app_commands.Group(
        name="terms", description="This server's own terms that need a spoiler or content warning",
        extras={"parent": "warden"},
    )
    patterns = app_commands.Group(
        name="patterns", description="This server's own regular expressions (RE2) for sensitive text",
        extras={"parent": "warden"},
    )
    allow = app_commands.Group(
        name="allow", description="Phrases that never count, such as 'no NTR'", extras={"parent": "warden"}
    )

    def __init__(self, bot: WardenBot) -> None:
        super().__init__(bot)
        menu = app_commands.ContextMenu(name="Check content warnings", callback=self.check_message)
        self.check_menu = moderator_only()(menu)
        self.pagers = (
            self.add_pager("terms", self._list_of(lambda config: terms_answer(config.terms))),
            self.add_pager("patterns", self._list_of(lambda config: patterns_answer(config.patterns))),
            self.add_pager("allow", self._list_of(lambda config: allow_answer(config.allow))),
        )
        self.terms_pager, self.patterns_pager, self.allow_pager = self.pagers

    async def cog_load(self) -> None:
        await super().cog_load()
        self.bot.tree.add_command(self.check_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.check_menu.name, type=self.check_menu.type)
        await super().cog_unload()

    def _list_of(self, answer: Callable[[EnforcementConfig], ListAnswer]):
        """A pager's source: the list from the guild's current configuration (a page turn reads it again)."""

        async def source(interaction: discord.Interaction, arg: str) -> ListAnswer:
            return answer(self.config_of(interaction.guild.id))

        return source

    @property
    def policies(self) -> GuildPolicies:
        return self.bot.enforcement.policies

    def config_of(self, guild_id: int) -> EnforcementConfig:
        return self.bot.enforcement.config(guild_id)

    def offer(
        self, interaction: discord.Interaction, typed: str,
        options: Callable[[EnforcementConfig], list[tuple[str, str]]],
    ) -> Choices:
        """Autocomplete: the (label, value) pairs whose label holds what was typed; nothing for members."""
        if not _may_configure(interaction):
            return []
        typed = typed.casefold().strip()
        return [
            app_commands.Choice(name=label[:100], value=value[:100])
            for label, value in options(self.config_of(interaction.guild.id))
            if typed in label.casefold()
        ][:MAX_CHOICES]

    def category_spelling(self, guild_id: int, category: str) -> str:
        """A known category as it is spelled where it was declared ("ntr" -> "NTR"); a new one as typed."""
        names = self.policies.category_names_for(self.config_of(guild_id))
        return names.get(category_id(category), category.strip())

    async def change_list(
        self, interaction: discord.Interaction, key: str, change: Callable[[EnforcementConfig], list[Any]]
    ) -> bool:
        """Replace one of the guild's own lists with ``change(config)``; return whether it changed.

        Runs inside the settings transaction, on the value on disk; the whole policy
        is checked before anything is stored, so a refused value changes nothing.
        """
        guild_id = interaction.guild.id
        before = self.bot.guild_settings.get(guild_id, key)

        def compute(current: Any) -> list[Any] | Any:
            config = config_from_settings({**self.bot.guild_settings.snapshot(guild_id), key: current})
            lists = {
                keys.TERMS: [term_to_data(term) for term in config.terms],
                keys.PATTERNS: [pattern_to_data(pattern) for pattern in config.patterns],
                keys.ALLOW: list(config.allow),
            }
            lists[key] = change(config)
            problems = self.policies.extension_problems(lists[keys.TERMS], lists[keys.PATTERNS], lists[keys.ALLOW])
            if problems:
                reasons = "; ".join(refusal_reason(problem, lists[keys.PATTERNS]) for problem in problems[:3])
                raise UserFacingError(f"Nothing changed: {reasons}")
            return lists[key] if lists[key] else RESET

        after = await self.bot.guild_settings.update(guild_id, key, compute, actor_id=interaction.user.id, default=[])
        return (before or []) != (after if after is not RESET else [])

    async def reply(self, interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text, ephemeral=True)

    # -- terms ---------------------------------------------------------------

    @terms.command(name="add", description="Add a term (or change one) that needs a spoiler or content warning here")
    @app_commands.describe(
        name="The term, as members write it", category="The topic it belongs to, such as NTR; a CW line names it",
        aliases="Other spellings, separated by commas",
    )
    @moderator_only()
    async def terms_add(
        self, interaction: discord.Interaction, name: str, category: str, aliases: str | None = None
    ) -> None:
        spellings = dict.fromkeys(alias.strip() for alias in (aliases or "").split(",") if alias.strip())
        term = Term(name.strip(), self.category_spelling(interaction.guild.id, category), tuple(spellings))
        replaced = False

        def add(config: EnforcementConfig) -> list[Any]:
            nonlocal replaced
            if term in config.terms:
                return [term_to_data(t) for t in config.terms]
            kept = [t for t in config.terms if t.name.casefold() != term.name.casefold()]
            replaced = len(kept) != len(config.terms)
            return [term_to_data(t) for t in (*kept, term)]

        if not await self.change_list(interaction, keys.TERMS, add):
            await self.reply(interaction, f"The term {term_line(term)} was already there; nothing changed.")
            return
        verb = "Updated" if replaced else "Added"
        await self.reply(interaction, f"{verb} the term {term_line(term)}. It applies from the next post.")

    @terms.command(name="remove", description="Remove one of this server's own terms")
    @app_commands.describe(name="The term's name")
    @moderator_only()
    async def terms_remove(self, interaction: discord.Interaction, name: str) -> None:
        def remove(config: EnforcementConfig) -> list[Any]:
            kept = [t for t in config.terms if t.name.casefold() != name.strip().casefold()]
            if len(kept) == len(config.terms):
                raise UserFacingError(
                    f"This server has no term of its own named **{escape_user_text(name, limit=100)}**; "
                    "nothing changed. Terms of the shipped policy and glossary cannot be removed; "
                    "add the phrase to `/warden allow` instead."
                )
            return [term_to_data(t) for t in kept]

        await self.change_list(interaction, keys.TERMS, remove)
        await self.reply(interaction, f"Removed the term **{escape_user_text(name.strip(), limit=100)}**.")

    @terms.command(name="list", description="This server's own terms")
    @moderator_only()
    async def terms_list(self, interaction: discord.Interaction) -> None:
        await self.terms_pager.send(interaction)

    @terms_remove.autocomplete("name")
    async def term_names(self, interaction: discord.Interaction, current: str) -> Choices:
        return self.offer(interaction, current, lambda config: [(t.name, t.name) for t in config.terms])

    @terms_add.autocomplete("category")
    async def categories(self, interaction: discord.Interaction, current: str) -> Choices:
        return self.offer(interaction, current, lambda config: [(n, n) for n in self.policies.categories(config)])

    # -- patterns ------------------------------------------------------------------

    @patterns.command(name="add", description="Add a regular expression (RE2) that marks text as sensitive")
    @app_commands.describe(
        category="The topic it belongs to, such as NTR", regex="The pattern, matched without regard to case"
    )
    @moderator_only()
    async def patterns_add(self, interaction: discord.Interaction, category: str, regex: str) -> None:
        pattern = Pattern(self.category_spelling(interaction.guild.id, category), regex)

        def add(config: EnforcementConfig) -> list[Any]:
            listed = config.patterns if pattern in config.patterns else (*config.patterns, pattern)
            return [pattern_to_data(p) for p in listed]

        number = len(self.config_of(interaction.guild.id).patterns) + 1
        if not await self.change_list(interaction, keys.PATTERNS, add):
            await self.reply(interaction, "That pattern was already there; nothing changed.")
            return
        await self.reply(
            interaction, f"Added the pattern {pattern_line(number, pattern)}. It applies from the next post."
        )

    @patterns.command(name="remove", description="Remove one of this server's patterns, by its number or its text")
    @app_commands.describe(pattern="The pattern's number in /warden patterns list, or the pattern itself")
    @moderator_only()
    async def patterns_remove(self, interaction: discord.Interaction, pattern: str) -> None:
        removed: list[Pattern] = []

        def remove(config: EnforcementConfig) -> list[Any]:
            chosen = pattern.strip()
            by_number = chosen.isdigit() and 1 <= int(chosen) <= len(config.patterns)
            kept = [
                p for number, p in enumerate(config.patterns, 1)
                if not (number == int(chosen) if by_number else p.regex == pattern)
            ]
            removed[:] = [p for p in config.patterns if p not in kept]
            if not removed:
                raise UserFacingError(
                    f"This server has no pattern numbered or written {regex_code(pattern)}; "
                    "nothing changed. `/warden patterns list` shows them."
                )
            return [pattern_to_data(p) for p in kept]

        await self.change_list(interaction, keys.PATTERNS, remove)
        shown = ", ".join(regex_code(p.regex) for p in removed)
        await self.reply(interaction, f"Removed the pattern {shown}.")

    @patterns.command(name="list", description="This server's own patterns, numbered")
    @moderator_only()
    async def patterns_list(self, interaction: discord.Interaction) -> None:
        await self.patterns_pager.send(interaction)

    @patterns_remove.autocomplete("pattern")
    async def pattern_choices(self, interaction: discord.Interaction, current: str) -> Choices:
        return self.offer(
            interaction, current,
            lambda config: [(f"{n}. {p.regex} ({p.category})", str(n)) for n, p in enumerate(config.patterns, 1)],
        )

    patterns_add.autocomplete("category")(categories)

    # -- allow list ------------------------------------------------------------------

    @allow.command(name="add", description="A phrase that never counts, such as 'no NTR'")
    @moderator_only()
    async def allow_add(self, interaction: discord.Interaction, phrase: str) -> None:
        phrase = phrase.strip()

        def add(config: EnforcementConfig) -> list[Any]:
            if any(p.casefold() == phrase.casefold() for p in config.allow):
                return list(config.allow)
            return [*config.allow, phrase]

        shown = escape_user_text(phrase, limit=100)
        if not await self.change_list(interaction, keys.ALLOW, add):
            await self.reply(interaction, f"**{shown}** was already allowed; nothing changed.")
            return
        await self.reply(interaction, f"**{shown}** no longer counts here.")

    @allow.command(name="remove", description="A phrase counts again")
    @moderator_only()
    async def allow_remove(self, interaction: discord.Interaction, phrase: str) -> None:
        shown = escape_user_text(phrase.strip(), limit=100)

        def remove(config: EnforcementConfig) -> list[Any]:
            kept = [p for p in config.allow if p.casefold() != phrase.strip().casefold()]
            if len(kept) == len(config.allow):
                raise UserFacingError(f"**{shown}** is not on this server's allow list; nothing changed.")
            return kept

        await self.change_list(interaction, keys.ALLOW, remove)
        await self.reply(interaction, f"**{shown}** counts again.")

    @allow.command(name="list", description="Phrases that never count on this server")
    @moderator_only()
    async def allow_list(self, interaction: discord.Interaction) -> None:
        await self.allow_pager.send(interaction)

    @allow_remove.autocomplete("phrase")
    async def allowed_phrases(self, interaction: discord.Interaction, current: str) -> Choices:
        return self.offer(interaction, current, lambda config: [(p, p) for p in config.allow])

    # -- "Check content warnings" on a message ---------------------------------------

    async def check_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        # Judged exactly as the message path judges: the guild's cached configuration and policy.
        config = self.config_of(interaction.guild.id)
        place = config.place_for(*place_ids(message.channel))
        compiled = self.bot.enforcement.policy(interaction.guild.id)
        requirement = config.requirement_for(place) if place else None
        # Judged as enforcement judges it: everything members see of the post (files, previews, polls, forwards).
        verdict = judge_seen(view_of(message), compiled, requirement=requirement, with_fix=True)
        where = "in its channel" if place else "in a watched channel (its channel is not watched)"
        names = self.bot.enforcement.category_names(interaction.guild.id)
        answer = verdict_answer(verdict, names, subject="That message", where=where)
        if place and (message.author.bot or config.is_exempt(message.author.id, role_ids(message.author))):
            answer = "Its author is exempt or a bot, so I would leave it alone.\n" + answer
        await send_text(interaction, answer, "verdict.txt")


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(PolicyAdmin(bot))
