"""The enforcement cog: judge each new or edited post, and each new thread, in watched places.

The decision is made synchronously in the bot's message handler, from memory
only (the guild's cached configuration and compiled policy); only a flagged post
gets a task, in which ``Actions`` acts. Members get their removed posts back with
``/warden recover`` and preview a text with ``/cw check``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.adapters.components import DeleteRepostButton
from bot.adapters.failures import DISCORD_FAILURES
from bot.adapters.long_answers import send_text
from bot.adapters.places import place_ids, role_ids
from bot.adapters.render import held_post_message, more_held_posts_note, server_name, title_embed, verdict_answer
from bot.adapters.routes import UNKNOWN
from bot.adapters.surfaces import has_more_than_words, seen_alike, view_of
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.enforcement.seen import judge as judge_seen
from bot.enforcement.verdicts import without_categories
from bot.errors import UserFacingError
from bot.rules import MessageFacts, evaluate
from bot.store.judged import findings_signature
from cogs.enforcement._actions import Actions, Flagged
from cogs.enforcement._views import RepostFixedButton

log = logging.getLogger(__name__)

# Catching up after downtime: at most this many posts a channel, none older than this
# (README, "While the bot was away").
CATCH_UP_PER_CHANNEL = 200
CATCH_UP_MAX_AGE = timedelta(days=1)
# How often how far each channel was read is written down (and at shutdown).
PROGRESS_SAVE_SECONDS = 30


def _log_catch_up_failure(task: asyncio.Task[int]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("Catching up on missed posts failed", exc_info=error)


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
        self._judged = self.bot.judged if self.bot.store_is_open else None
        self.bot.add_message_handler(self.judge, self.actions.enforce)
        self.bot.add_dynamic_items(DeleteRepostButton, RepostFixedButton)
        self.bot.tree.add_command(self.delete_repost_menu)
        self._catch_up: asyncio.Task[int] | None = None
        if self.bot.store_is_open:  # `genre-warden commands` loads cogs without a store
            self.purge_expired.start()
            self.save_progress.start()

    async def cog_unload(self) -> None:
        self.bot.remove_message_handler(self.judge)
        self.bot.remove_dynamic_items(DeleteRepostButton, RepostFixedButton)
        self.bot.tree.remove_command(self.delete_repost_menu.name, type=self.delete_repost_menu.type)
        self.purge_expired.cancel()
        self.save_progress.cancel()
        await self.actions.flush_modlog()  # the gateway is still up: cogs unload first when the bot closes
        if self._catch_up is not None:
            self._catch_up.cancel()
        await super().cog_unload()

    @tasks.loop(hours=1)
    async def purge_expired(self) -> None:
        """Held posts are kept for the retention period, then deleted for good."""
        removed = await self.actions.held.purge_expired()
        if removed:
            log.info("Deleted %d held post(s) past their retention period", removed)
        await self._judged.purge_old_flags()

    # -- the hot path: synchronous, memory only ----------------------------

    def judge(self, message: discord.Message) -> Flagged | None:
        """The verdict on a post, or None when the rules do not apply to it or it passes.

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
        self._judged.judged(guild.id, channel.id, message.id)  # memory: where catch-up starts after downtime
        # Files, link previews, a poll or a forward are read below; a post of words alone may end here.
        # evaluate() asks the prefilter again for the few posts that get past this.
        if not has_more_than_words(message) and route.rules_out(message.content):
            return None
        if message.author.bot:  # a property: asked only of the few posts the prefilter did not clear
            return None
        view = view_of(message)
        verdict = judge_seen(view, route.policy, requirement=route.requirement, with_fix=False)
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
        return Flagged(verdict, route.place, config, view, route.policy, route.requirement)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """Any edit of any post, cached or not, old or new, and the link previews Discord adds.

        A pin or a flag change arrives as an edit too: when the bot still has the post
        from before, only a change in what members see is judged again; without it, the
        remembered flags keep the same breach from being flagged twice.
        """
        after = payload.message
        if payload.cached_message is not None and seen_alike(payload.cached_message, after):
            return
        flagged = self.judge(after)
        if flagged is not None:
            await self.actions.enforce(after, flagged)
        elif self._judged.was_flagged(after.id, "post"):
            await self._judged.forget_flag(after.id, "post")  # fixed: a later breach is a new one

    # -- while the bot was away ----------------------------------------------

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Discord replays nothing missed during a deploy, a crash or an outage: read it now.

        READY comes on every fresh connection (a resumed session replays its events
        itself); one catch-up runs at a time, and a newer READY starts it over.
        """
        if self._catch_up is not None:
            self._catch_up.cancel()
        self._catch_up = asyncio.create_task(self.catch_up(), name="warden-catch-up")
        self._catch_up.add_done_callback(_log_catch_up_failure)

    async def catch_up(self) -> int:
        """Judge, in order, the posts each watched channel got after the last one judged there; return how many.

        Bounded: at most ``CATCH_UP_PER_CHANNEL`` posts a channel, and none older than
        ``CATCH_UP_MAX_AGE``; channels are read one after the other, each page of history
        one request, so discord.py's rate limiter paces it. A channel never judged before
        is not read (watching starts now, not in the past).
        """
        judged = 0
        for channel in self._watched_channels():
            last = self._judged.last_judged(channel.id)
            if last is None:
                continue
            oldest = discord.utils.time_snowflake(discord.utils.utcnow() - CATCH_UP_MAX_AGE)
            after = discord.Object(id=max(last, oldest))
            try:
                missed = [m async for m in channel.history(limit=CATCH_UP_PER_CHANNEL, after=after, oldest_first=True)]
            except DISCORD_FAILURES as failure:
                log.warning("Could not read what channel %s got while I was away: %s", channel.id, failure)
                continue
            for message in missed:
                flagged = self.judge(message)
                judged += 1
                if flagged is not None:
                    await self.actions.enforce(message, flagged)
            if len(missed) == CATCH_UP_PER_CHANNEL:
                log.warning(
                    "Channel %s got more than %d posts while I was away; judged the first %d",
                    channel.id, CATCH_UP_PER_CHANNEL, CATCH_UP_PER_CHANNEL,
                )
        await self._judged.save_progress()
        if judged:
            log.info("Caught up on %d post(s) sent while I was away", judged)
        return judged

    def _watched_channels(self) -> list[discord.abc.Messageable]:
        """Every channel and open thread the bot can see that a guild watches."""
        found = []
        for guild in self.bot.guilds:
            if not self._state.config(guild.id).watched:
                continue
            for channel in [*guild.channels, *guild.threads]:
                if not isinstance(channel, discord.abc.Messageable):
                    continue  # categories and forums hold no posts of their own; their threads do
                if self._state.route(guild.id, *place_ids(channel)) is not None:
                    found.append(channel)
        return found

    @tasks.loop(seconds=PROGRESS_SAVE_SECONDS)
    async def save_progress(self) -> None:
        await self._judged.save_progress()

    # -- places that are gone ---------------------------------------------------

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        self.actions.forget_channel(channel.id)
        if self._state is not None:
            self._state.forget_channel(channel.guild.id, channel.id)

    @commands.Cog.listener()
    async def on_raw_thread_delete(self, payload: discord.RawThreadDeleteEvent) -> None:
        if self._state is not None:
            self._state.forget_channel(payload.guild_id, payload.thread_id)

    # -- thread and forum-post titles ---------------------------------------

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        await self.judge_title(thread)

    @commands.Cog.listener()
    async def on_thread_update(self, before: discord.Thread, after: discord.Thread) -> None:
        if before.name != after.name or before.applied_tags != after.applied_tags:
            await self.judge_title(after)

    @commands.Cog.listener()
    async def on_thread_join(self, thread: discord.Thread) -> None:
        """A thread the bot did not have (revived from the archive, or made while the bot was away)."""
        await self.judge_title(thread)

    async def judge_title(self, thread: discord.Thread) -> None:
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
            if self._judged.was_flagged(thread.id, "title"):
                await self._judged.forget_flag(thread.id, "title")
            return
        signature = findings_signature(verdict.findings)
        if not self._judged.claim(thread.id, "title", signature):
            return  # this title was dealt with already (the thread came back from the archive)
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
                except DISCORD_FAILURES:
                    outcome = "could not ask for a new title (no permission to post in the thread)"
        await self._judged.remember_flag(thread.guild.id, thread.id, "title", signature)
        names = self.bot.enforcement.category_names(thread.guild.id)
        await self.actions.send_to_modlog(thread.guild, title_embed(thread, verdict, outcome=outcome, names=names))

    # -- commands for members ---------------------------------------------

    async def repost_fixed(self, guild: discord.Guild, channel_id: int, message_id: int) -> str:
        """The Repost fixed button (``_views.RepostFixedButton``): the post is judged as it is now, then reposted."""
        return await self.actions.repost_pressed(guild, channel_id, message_id, self.judge)

    async def delete_repost(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Message menu: the author of a post the bot reposted fixed may delete the repost."""
        author_id = await self.actions.held.author_of_repost(message.id) if message.webhook_id else None
        if author_id is None:
            raise UserFacingError("That is not a post I reposted for someone.")
        if author_id != interaction.user.id:
            raise UserFacingError("Only the author of this post can delete it.")
        try:
            await message.delete()
        except DISCORD_FAILURES:
            raise UserFacingError("I could not delete that post; ask a moderator to remove it.") from None
        await interaction.response.send_message("Deleted.", ephemeral=True)

    @app_commands.command(name="recover", description="Get back your posts that I removed", extras={"parent": "warden"})
    async def recover(self, interaction: discord.Interaction) -> None:
        """In a server: the member's held posts from that server. In a DM: from every server, each named."""
        held, note = self.actions.held, None
        if interaction.guild is not None:
            posts = await held.for_author(interaction.guild.id, interaction.user.id)
            nothing = "I am not holding any of your posts on this server."
        else:
            posts = await held.for_author_everywhere(interaction.user.id)
            nothing = "I am not holding any of your posts in any server."
            remaining = await held.count_waiting_by_guild(interaction.user.id)
            for post in posts:
                if post.delivered_at is None:
                    remaining[post.guild_id] -= 1
            named: dict[str, int] = {}
            for guild_id, count in remaining.items():
                if count > 0:
                    name = server_name(self.bot.get_guild(guild_id), guild_id)
                    named[name] = named.get(name, 0) + count
            note = more_held_posts_note(named) if named else None
        if not posts:
            await interaction.response.send_message(nothing, ephemeral=True)
            return
        answers = [
            held_post_message(post, server_name(self.bot.get_guild(post.guild_id), post.guild_id)) for post in posts
        ]
        await interaction.response.send_message(**answers[0], ephemeral=True)
        for answer in answers[1:]:
            await interaction.followup.send(**answer, ephemeral=True)
        if note is not None:
            await interaction.followup.send(note, ephemeral=True)
        await held.mark_delivered([post.id for post in posts])

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
