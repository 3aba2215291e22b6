"""The enforcement cog: judge each new or edited post, and each new thread, in watched places.

The decision is made synchronously in the bot's message handler, from memory
only (the guild's cached configuration and compiled policy); only a flagged post
gets a task, in which ``Actions`` acts. Members get their removed posts back with
``/warden recover`` and preview a text with ``/cw check``.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.adapters.components import DeleteRepostButton
from bot.adapters.long_answers import send_text
from bot.adapters.places import place_ids, role_ids
from bot.adapters.render import held_post_message, title_embed, verdict_answer
from bot.adapters.routes import UNKNOWN
from bot.adapters.surfaces import facts_from_message
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.enforcement.verdicts import without_categories
from bot.errors import UserFacingError
from bot.rules import MessageFacts, evaluate
from cogs.enforcement._actions import Actions, Flagged

log = logging.getLogger(__name__)


class Enforcement(WardenCog):
    def __init__(self, bot: WardenBot) -> None:
        super().__init__(bot)
        self.actions = Actions(bot)
        self.delete_repost_menu = app_commands.ContextMenu(name="Delete my repost", callback=self.delete_repost)
        self.delete_repost_menu.guild_only = True

    async def cog_load(self) -> None:
        await super().cog_load()
        # Read for every post; the state lives as long as the store (`genre-warden commands` has neither).
        self._state = self.bot.enforcement if self.bot.store_is_open else None
        self._route_tables = self._state.route_tables if self._state is not None else {}
        self.bot.add_message_handler(self.judge, self.actions.enforce)
        self.bot.add_dynamic_items(DeleteRepostButton)
        self.bot.tree.add_command(self.delete_repost_menu)
        if self.bot.store_is_open:  # `genre-warden commands` loads cogs without a store
            self.purge_expired.start()

    async def cog_unload(self) -> None:
        self.bot.remove_message_handler(self.judge)
        self.bot.remove_dynamic_items(DeleteRepostButton)
        self.bot.tree.remove_command(self.delete_repost_menu.name, type=self.delete_repost_menu.type)
        self.purge_expired.cancel()
        await super().cog_unload()

    @tasks.loop(hours=1)
    async def purge_expired(self) -> None:
        """Held posts are kept for the retention period, then deleted for good."""
        removed = await self.actions.held.purge_expired()
        if removed:
            log.info("Deleted %d held post(s) past their retention period", removed)

    # -- the hot path: synchronous, memory only ----------------------------

    def judge(self, message: discord.Message) -> Flagged | None:
        """The verdict on a new post, or None when the rules do not apply to it or it passes.

        Every post in the bot's guilds comes through here, so the cheap questions
        come first: is the channel watched (one lookup in a per-channel table), and
        does the prefilter prove the text clean (most posts end there).
        """
        guild = message.guild
        if guild is None or message.webhook_id is not None:
            return None
        channel = message.channel
        # place_ids() inlined for a text channel, and the route read from its table here: the
        # calls cost as much as the prefilter itself.
        place = (channel.id, None, channel.category_id) if type(channel) is discord.TextChannel else place_ids(channel)
        table = self._route_tables.get(guild.id)
        route = UNKNOWN if table is None else table.get(place, UNKNOWN)
        if route is UNKNOWN:
            route = self._state.route(guild.id, *place)
        if route is None:
            return None
        # evaluate() asks the prefilter again for the few posts that get past this; building the
        # facts and calling it for every post would cost more than that repeat.
        if not message.attachments and route.rules_out(message.content):
            return None
        if message.author.bot:  # a property: asked only of the few posts the prefilter did not clear
            return None
        facts = facts_from_message(message)
        verdict = evaluate(facts, route.policy, requirement=route.requirement, with_fix=False)
        if not verdict.flagged:
            return None
        config = route.config
        if route.has_exemptions and config.is_exempt(message.author.id, role_ids(message.author)):
            return None
        if isinstance(channel, discord.Thread) and config.forum_tags:
            # A forum post's CW tags ("CW: NTR") are its content warning for those categories.
            tagged = config.categories_tagged(tag.id for tag in channel.applied_tags)
            verdict = without_categories(verdict, tagged)
            if verdict is None:
                return None
        return Flagged(verdict, route.place, config, facts, route.policy, route.requirement)

    @commands.Cog.listener()
    async def on_message_edit(self, before: discord.Message, after: discord.Message) -> None:
        # A pin, an embed unfurling or a flag change arrives as an edit too; only new
        # words or files are judged again, so an edit that drops a spoiler is caught.
        if before.content == after.content and [a.id for a in before.attachments] == [a.id for a in after.attachments]:
            return
        flagged = self.judge(after)
        if flagged is not None:
            await self.actions.enforce(after, flagged)

    # -- acting on a flagged post ------------------------------------------

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        """A thread or forum post title cannot hold spoilers: a sensitive one is tagged or must be renamed."""
        if thread.guild is None:
            return
        state = self.bot.enforcement
        config = state.config(thread.guild.id)
        place = config.place_for(*place_ids(thread)) if config.watched else None
        if place is None or thread.owner_id in config.exempt_members:
            return
        verdict = evaluate(MessageFacts(content=thread.name), state.policy(thread.guild.id), requirement="spoiler")
        if verdict.flagged:
            verdict = without_categories(verdict, config.categories_tagged(tag.id for tag in thread.applied_tags))
        if verdict is None or not verdict.flagged:
            return
        dry_run = config.dry_run_for(place)
        outcome = await self.actions.tag_thread(thread, verdict, config, reply_to=None, dry_run=dry_run)
        if outcome is None:
            outcome = "dry run: would ask for a new title" if dry_run else "asked for a new title"
            if not dry_run:
                try:
                    await thread.send(
                        "This title names a topic that needs a content warning here, and titles cannot hold "
                        "spoilers: please rename the thread."
                    )
                except discord.HTTPException:
                    outcome = "could not ask for a new title (no permission to post in the thread)"
        names = self.bot.enforcement.category_names(thread.guild.id)
        await self.actions.send_to_modlog(thread.guild, title_embed(thread, verdict, outcome=outcome, names=names))

    # -- commands for members ---------------------------------------------

    async def delete_repost(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Message menu: the author of a post the bot reposted fixed may delete the repost."""
        author_id = await self.actions.held.author_of_repost(message.id) if message.webhook_id else None
        if author_id is None:
            raise UserFacingError("That is not a post I reposted for someone.")
        if author_id != interaction.user.id:
            raise UserFacingError("Only the author of this post can delete it.")
        try:
            await message.delete()
        except discord.HTTPException:
            raise UserFacingError("I could not delete that post; ask a moderator to remove it.") from None
        await interaction.response.send_message("Deleted.", ephemeral=True)

    @app_commands.command(name="recover", description="Get back your posts that I removed", extras={"parent": "warden"})
    @app_commands.guild_only()
    async def recover(self, interaction: discord.Interaction) -> None:
        posts = await self.actions.held.for_author(interaction.guild.id, interaction.user.id)
        if not posts:
            await interaction.response.send_message(
                "I am not holding any of your posts on this server.", ephemeral=True
            )
            return
        await interaction.response.send_message(**held_post_message(posts[0], interaction.guild.name), ephemeral=True)
        for post in posts[1:]:
            await interaction.followup.send(**held_post_message(post, interaction.guild.name), ephemeral=True)
        await self.actions.held.mark_delivered([post.id for post in posts])

    cw = app_commands.Group(name="cw", description="Content warnings and spoilers", guild_only=True)

    @cw.command(name="check", description="Would this text be flagged here? Shows a fixed version")
    @app_commands.describe(text="The text you want to post")
    async def check(self, interaction: discord.Interaction, text: str) -> None:
        config = self.bot.enforcement.config(interaction.guild.id)
        place = config.place_for(*place_ids(interaction.channel))
        compiled = self.bot.enforcement.policy(interaction.guild.id)
        requirement = config.requirement_for(place) if place else None
        verdict = evaluate(MessageFacts(content=text), compiled, requirement=requirement)
        where = "in this channel" if place else "in a watched channel (this one is not watched)"
        names = self.bot.enforcement.category_names(interaction.guild.id)
        answer = verdict_answer(verdict, names, subject="That text", where=where)
        await send_text(interaction, answer, "verdict.txt")
