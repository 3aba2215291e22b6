"""Carrying out what enforcement decided: flag, repost fixed, delete and hand back, tag, time out, log.

The cog decides (synchronously, from memory); this module acts, with Discord
calls only. A member's words are never lost: a copy is committed before anything
is deleted. A step Discord refuses falls to the next one on the plan's ladder.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import timedelta

import discord

from bot import setting_keys
from bot.adapters.components import repost_view
from bot.adapters.failures import DISCORD_FAILURES
from bot.adapters.modlog_writer import ModlogWriter
from bot.adapters.places import granted_names
from bot.adapters.render import FLAG_EMOJI, flag_reply, held_post_message, modlog_embed
from bot.app import WardenBot
from bot.enforcement.config import EnforcementConfig, Requirement, WatchedPlace
from bot.enforcement.plan import ActionPlan, next_step, plan_action
from bot.enforcement.seen import PostView
from bot.enforcement.seen import judge as judge_seen
from bot.enforcement.verdicts import categories_of
from bot.errors import UserFacingError
from bot.formatting import escape_user_text
from bot.permissions import describe_permissions
from bot.rules import CompiledPolicy, Verdict
from bot.store.held_posts import HeldPost, HeldPostRepository, ViolationRepository
from bot.store.judged import findings_signature
from cogs.enforcement._views import flag_reply_view

log = logging.getLogger(__name__)

FLAG_REPLY_SECONDS = 120
INVALID_FORM_BODY = 50035
UNKNOWN_WEBHOOK = 10015
WEBHOOK_NAME = "Genre Warden"


MIB = 1024 * 1024


class TooLargeToRepost(Exception):
    """The post's files are over what the bot may upload in its guild: a repost would lose them."""


def repost_size_problem(message: discord.Message) -> str | None:
    """Why ``message`` cannot be reposted whole, or None. Checked before any file is read: a
    200 MB video is never downloaded only to fail the upload (nor held in memory)."""
    total = sum(item.size for item in message.attachments)
    limit = message.guild.filesize_limit
    if total <= limit:
        return None
    return (
        f"its files ({total / MIB:.1f} MiB) are over what I may upload here ({limit / MIB:.0f} MiB), "
        "and a repost would lose them"
    )


@dataclass(slots=True)
class Flagged:
    """A post the message handler found breaking the rules. Its fix is worked out only if an action shows or posts it.

    The handler runs for every post and only needs to know whether and where a post
    breaks the rules; the fix costs as much again (it is read once more to prove it
    passes), and a dry run, a log or a forum tag never uses it.
    """

    verdict: Verdict  # findings only: fix is None until ``with_fix``
    place: WatchedPlace
    config: EnforcementConfig
    view: PostView  # everything members see of the post
    policy: CompiledPolicy
    requirement: Requirement | None
    _fixed: Verdict | None = None

    def with_fix(self) -> Verdict:
        if self._fixed is None:
            fix = judge_seen(self.view, self.policy, requirement=self.requirement, with_fix=True).fix
            self._fixed = replace(self.verdict, fix=fix)
        return self._fixed


class Actions:
    def __init__(self, bot: WardenBot) -> None:
        self.bot = bot
        self._webhooks: dict[int, discord.Webhook] = {}  # by channel (a thread's parent)
        # Mod-log channels Discord said are gone (or the cache lost), each logged once and not written to again.
        self._lost_modlogs: set[int] = set()
        self._modlog = ModlogWriter(on_gone=lambda channel: self._lost_modlog(channel.guild, channel.id))
        self._channel_locks: dict[int, tuple[asyncio.Lock, int]] = {}  # the lock, and how many hold or wait

    @property
    def held(self) -> HeldPostRepository:
        return HeldPostRepository(self.bot.database)

    async def enforce(self, message: discord.Message, flagged: Flagged) -> None:
        """Act on a flagged post once: an edit or a catch-up that finds the same breach again does nothing."""
        signature = findings_signature(flagged.verdict.findings)
        if not self.bot.judged.claim(message.id, "post", signature):
            return
        try:
            async with self._in_order(message.channel.id):  # a burst is acted on post by post, in order
                await self._enforce(message, flagged)
        finally:
            await self.bot.judged.remember_flag(message.guild.id, message.id, "post", signature)

    @asynccontextmanager
    async def _in_order(self, channel_id: int) -> AsyncIterator[None]:
        """One flagged post at a time per channel, in the order they came (asyncio's locks are first come,
        first served); a channel's lock is dropped when nobody holds or waits for it."""
        lock, users = self._channel_locks.get(channel_id, (asyncio.Lock(), 0))
        self._channel_locks[channel_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._channel_locks[channel_id]
            if users == 1:
                del self._channel_locks[channel_id]
            else:
                self._channel_locks[channel_id] = (lock, users - 1)

    async def _enforce(self, message: discord.Message, flagged: Flagged) -> None:
        config = flagged.config
        notes: list[str] = []
        if isinstance(message.channel, discord.Thread):
            outcome = await self.tag_thread(
                message.channel, flagged.verdict, config, reply_to=message, dry_run=config.dry_run_for(flagged.place)
            )
            if outcome is not None:
                await self.write_modlog(message, flagged, outcome=outcome, message_exists=True, notes=[])
                return
            notes.extend(self.removed_tag_notes(message.channel, flagged.verdict, config))
        granted = granted_names(message.channel.permissions_for(message.guild.me))
        dry_run = config.dry_run_for(flagged.place)
        plan: ActionPlan | None = plan_action(config.action_for(flagged.place), granted, dry_run=dry_run)
        if plan.fell_back:
            notes.append(
                f"Wanted to {plan.chosen} but I lack {describe_permissions(list(plan.missing))} here, "
                f"so I used {plan.step}."
            )
        message_exists = True
        outcome = "none"
        if plan.dry_run:
            outcome = f"dry run: would {plan.step}"
        while plan is not None and not plan.dry_run:
            try:
                message_exists = await self._carry_out(plan, message, flagged)
                outcome = plan.step
                break
            except discord.Forbidden as refusal:
                log.warning("Discord refused %s in channel %s (code %s)", plan.step, message.channel.id, refusal.code)
                notes.append(f"Discord refused to {plan.step} (code {refusal.code}); trying the next step.")
                plan = next_step(plan)
            except TooLargeToRepost as too_large:
                notes.append(f"Did not repost: {too_large}; flagged instead.")
                plan = plan_action("flag", granted)
            except discord.NotFound:
                notes.append("The post was deleted before I could act on it.")
                outcome, message_exists = "none: the post was already gone", False
                break
        if not dry_run:  # a dry run only logs: no violation counted, nobody timed out
            notes.extend(await self.count_violation(message, flagged))
        await self.write_modlog(message, flagged, outcome=outcome, message_exists=message_exists, notes=notes)

    async def tag_thread(
        self, thread: discord.Thread, verdict: Verdict, config: EnforcementConfig, *,
        reply_to: discord.Message | None, dry_run: bool,
    ) -> str | None:
        """For a forum post whose every category found has a mapped tag: apply the tags, or ask for them.

        Returns what was done, or None when tags cannot settle it (not a forum, or a
        category without a mapped tag), so the usual action applies.
        """
        forum = thread.parent
        if not isinstance(forum, discord.ForumChannel):
            return None
        needed = set(categories_of(verdict))
        tags = [tag for tag in forum.available_tags if config.forum_tags.get(tag.id) in needed]
        if {config.forum_tags[tag.id] for tag in tags} != needed:
            return None
        names = ", ".join(f"**{escape_user_text(tag.name, limit=40)}**" for tag in tags)
        if dry_run:
            return f"dry run: would tag {names}"
        if "manage_threads" in granted_names(thread.permissions_for(thread.guild.me)):
            try:
                await thread.add_tags(*tags, reason="Genre Warden: the post names a tagged topic")
                return f"tagged {names}"
            except discord.HTTPException as refusal:
                log.warning("Could not tag thread %s (code %s)", thread.id, refusal.code)
        text = f"This post is about a topic that needs a content warning here: please add the tag {names} to it."
        try:
            if reply_to is not None:
                await reply_to.reply(text, mention_author=False)
            else:
                await thread.send(text)
        except DISCORD_FAILURES:
            return "could not tag or ask for tags"
        return f"asked for the tag {names}"

    def removed_tag_notes(self, thread: discord.Thread, verdict: Verdict, config: EnforcementConfig) -> list[str]:
        """A line for the mod log per category found whose mapped forum tag a moderator removed.

        ``tag_thread`` then tags nothing (it only applies tags the forum has), so the
        usual action applied; the mapping stays until a moderator maps another tag.
        """
        forum = thread.parent
        if not isinstance(forum, discord.ForumChannel) or not config.forum_tags:
            return []
        existing = {tag.id for each in thread.guild.forums for tag in each.available_tags}
        covered = {config.forum_tags.get(tag.id) for tag in forum.available_tags}
        lost = sorted({
            category for tag_id, category in config.forum_tags.items()
            if tag_id not in existing and category in categories_of(verdict) and category not in covered
        })
        names = self.bot.enforcement.category_names(thread.guild.id)
        return [
            f"The forum tag mapped to **{escape_user_text(names.get(category, category), limit=60)}** is no longer "
            f"in {forum.mention}, so I used the usual action; map another one with `/warden forumtag map`."
            for category in lost
        ]

    async def count_violation(self, message: discord.Message, flagged: Flagged) -> list[str]:
        """Record the violation; time the member out when the escalation threshold is reached."""
        violations = ViolationRepository(self.bot.database)
        await violations.record(message.guild.id, message.author.id, categories_of(flagged.verdict))
        escalation = flagged.config.escalation
        if escalation is None or not isinstance(message.author, discord.Member):
            return []
        count = await violations.count(
            message.guild.id, message.author.id, within=timedelta(hours=escalation.window_hours)
        )
        if not escalation.reached(count):
            return []
        summary = f"{count} untagged posts in {escalation.window_hours} h"
        me = message.guild.me
        if not me.guild_permissions.moderate_members or message.author.top_role >= me.top_role:
            return [f"{summary}: escalation asks for a timeout, but I may not time this member out."]
        try:
            await message.author.timeout(
                timedelta(minutes=escalation.timeout_minutes), reason=f"Genre Warden escalation: {summary}"
            )
        except discord.HTTPException as refusal:
            return [f"{summary}: Discord refused the timeout (code {refusal.code})."]
        return [f"{summary}: timed out for {escalation.timeout_minutes} min."]

    async def _carry_out(self, plan: ActionPlan, message: discord.Message, flagged: Flagged) -> bool:
        """Do one step; return whether the post still exists afterwards."""
        if plan.step == "log":
            return True
        if plan.step == "react":
            await message.add_reaction(FLAG_EMOJI)
            return True
        verdict, config = flagged.with_fix(), flagged.config
        if plan.step == "flag":
            await message.add_reaction(FLAG_EMOJI)
            fixed = verdict.fix.content if verdict.fix else None
            names = self.bot.enforcement.category_names(message.guild.id)
            # A poll or a forward has no fix: nothing to repost, so no button.
            view = flag_reply_view(message) if verdict.fix is not None else None
            reply = await message.reply(flag_reply(verdict, fixed, names), view=view, mention_author=False)
            await self.bot.cleanups.delete_later(reply, FLAG_REPLY_SECONDS)
            return True
        if plan.step == "delete" or verdict.fix is None:
            # A post with no fix (a poll, a forward) cannot be reposted: it is deleted and handed back.
            await self.delete_and_return(message, verdict, config, words=flagged.view.seen_text())
            return False
        await self.replace(message, verdict, config, action="replace")
        return False

    async def repost_pressed(
        self, guild: discord.Guild, channel_id: int, message_id: int, judge: Callable[[discord.Message], Flagged | None]
    ) -> str:
        """The author pressed Repost fixed: judge the post as it is now, under the rules as they are now, and repost.

        The press may come long after the flag (a restart in between): nothing is taken
        from memory but the guild's rules, and the post is fetched, as it may have been
        edited, deleted or reposted since. Refusals are ``UserFacingError``s.
        """
        channel = guild.get_channel_or_thread(channel_id)
        try:
            if channel is None:  # a thread the cache no longer holds
                channel = await guild.fetch_channel(channel_id)
            granted = granted_names(channel.permissions_for(guild.me))
            if not {"manage_messages", "manage_webhooks"} <= granted:
                raise UserFacingError("I cannot repost here; please copy the fixed text above and edit your post.")
            message = await channel.fetch_message(message_id)
        except discord.NotFound:
            raise UserFacingError(await self._why_gone(message_id)) from None
        flagged = judge(message)
        if flagged is None:
            raise UserFacingError("Your post passes the rules here as it is now, so I left it as it is.")
        verdict = flagged.with_fix()
        if verdict.fix is None:
            raise UserFacingError("I cannot repost this post fixed; please edit it to hide the topics named above.")
        if (problem := repost_size_problem(message)) is not None:
            raise UserFacingError(f"I cannot repost this post: {problem}. Please edit it to hide the topics instead.")
        try:
            await self.replace(message, verdict, flagged.config, action="repost")
        except discord.NotFound:
            raise UserFacingError(await self._why_gone(message_id)) from None
        return "Done: your post is back, with spoilers added."

    async def _why_gone(self, message_id: int) -> str:
        action = await self.held.action_on(message_id)
        if action in ("replace", "repost"):
            return "Your post was already reposted fixed; there is nothing left to repost."
        if action == "delete":
            return "I removed that post already; use `/warden recover` to get its text back."
        return "That post is gone (it was deleted), so there is nothing to repost."

    async def hold(
        self, message: discord.Message, verdict: Verdict, config: EnforcementConfig, action: str,
        words: str | None = None,
    ) -> HeldPost:
        """Commit a copy of the post; ``words`` is all the text members saw, when more than its content."""
        return await self.held.hold(
            guild_id=message.guild.id, channel_id=message.channel.id, message_id=message.id,
            author_id=message.author.id, content=words if words is not None else message.content,
            fixed_content=verdict.fix.content if verdict.fix else None,
            attachments=tuple(item.filename for item in message.attachments),
            categories=categories_of(verdict), action=action, retention_days=config.retention_days,
        )

    async def delete_and_return(
        self, message: discord.Message, verdict: Verdict, config: EnforcementConfig, *, words: str | None = None
    ) -> None:
        held = await self.hold(message, verdict, config, "delete", words)  # committed before anything is deleted
        await message.delete()  # a refusal here is a refused step: nothing is gone yet
        await self.hand_back(message, held)

    async def hand_back(self, message: discord.Message, held: HeldPost) -> None:
        """The post is gone: DM the author their text, else tell them it waits for /warden recover.

        Never raises: once the post is deleted, a failure here must not look like a
        refused step, or the fallback ladder would act on a post that no longer exists.
        """
        try:
            await message.author.send(**held_post_message(held, message.guild.name))
        except DISCORD_FAILURES:
            log.info("Could not DM %s their removed post; it is held for /warden recover", message.author.id)
        else:
            await self.held.mark_delivered([held.id])
            return
        try:
            notice = await message.channel.send(
                f"{message.author.mention}, I removed your post because it needs spoilers or a content warning. "
                "I could not DM you, so it is kept for you: use `/warden recover` to get it back.",
            )
        except DISCORD_FAILURES:
            log.warning(
                "Could not tell %s where their removed post is; it waits for /warden recover", message.author.id
            )
        else:
            await self.bot.cleanups.delete_later(notice, FLAG_REPLY_SECONDS)

    async def replace(
        self, message: discord.Message, verdict: Verdict, config: EnforcementConfig, *, action: str
    ) -> None:
        """Keep a copy, delete the post, and repost it fixed under the author's name and avatar."""
        if (problem := repost_size_problem(message)) is not None:
            raise TooLargeToRepost(problem)
        # Everything that Discord may refuse comes before the delete, so a refusal falls back cleanly.
        webhook, thread = await self.webhook_for(message.channel)
        spoiler_names = set(verdict.fix.spoiler_attachments) if verdict.fix else set()
        files = [
            discord.File(
                io.BytesIO(await item.read()), filename=item.filename,
                spoiler=item.filename in spoiler_names or item.is_spoiler(),
            )
            for item in message.attachments
        ]
        held = await self.hold(message, verdict, config, action)
        await message.delete()
        try:
            try:
                repost = await self._repost(webhook, thread, message, held, files)
            except discord.NotFound as gone:
                if gone.code != UNKNOWN_WEBHOOK:
                    raise
                # Someone deleted the bot's webhook: forget it and repost once through a new one.
                log.info("The webhook for channel %s is gone; making a new one", webhook.channel_id)
                self.forget_channel(webhook.channel_id)
                webhook, thread = await self.webhook_for(message.channel)
                for file in files:
                    file.reset()
                repost = await self._repost(webhook, thread, message, held, files)
        except DISCORD_FAILURES:
            log.warning("The repost failed after the post was removed; handing the text back instead", exc_info=True)
            await self.hand_back(message, held)
            return
        await self.held.link_repost(held.id, repost.id)
        await self.held.mark_delivered([held.id])

    async def _repost(
        self, webhook: discord.Webhook, thread: discord.Thread | None, message: discord.Message, held: HeldPost,
        files: list[discord.File],
    ) -> discord.WebhookMessage:
        content = held.fixed_content if held.fixed_content is not None else message.content
        send: dict = dict(
            content=content, username=message.author.display_name[:80], wait=True,
            avatar_url=message.author.display_avatar.url, files=files, allowed_mentions=discord.AllowedMentions.none(),
        )
        if thread is not None:
            send["thread"] = thread
        try:
            # A webhook the bot created may carry the author's Delete button.
            return await webhook.send(**send, view=repost_view(message.author.id))
        except discord.HTTPException as refusal:
            if refusal.code != INVALID_FORM_BODY:
                raise
            log.info("Webhook refused the Delete button; reposting without it (the context menu still works)")
            for file in files:
                file.reset()
            return await webhook.send(**send)

    async def webhook_for(self, channel: discord.abc.Messageable) -> tuple[discord.Webhook, discord.Thread | None]:
        thread = channel if isinstance(channel, discord.Thread) else None
        parent = channel.parent if thread is not None else channel
        webhook = self._webhooks.get(parent.id)
        if webhook is None:
            existing = [
                hook for hook in await parent.webhooks() if hook.user == self.bot.user and hook.name == WEBHOOK_NAME
            ]
            webhook = existing[0] if existing else await parent.create_webhook(name=WEBHOOK_NAME)
            self._webhooks[parent.id] = webhook
        return webhook, thread

    async def write_modlog(self, message: discord.Message, flagged: Flagged, *, outcome: str,
                           message_exists: bool, notes: list[str]) -> None:
        channel = self.modlog_channel(message.guild)
        if channel is None:
            return  # nowhere to write: the embed is not even built
        embed = modlog_embed(
            message, flagged.verdict, flagged.view.seen_text(), outcome=outcome, message_exists=message_exists,
            names=self.bot.enforcement.category_names(message.guild.id), notes=tuple(notes),
        )
        await self._post(channel, embed)

    def forget_channel(self, channel_id: int) -> None:
        """Drop what is cached for a channel Discord deleted (its webhook)."""
        self._webhooks.pop(channel_id, None)

    def modlog_channel(self, guild: discord.Guild) -> discord.abc.GuildChannel | None:
        channel_id = self.bot.guild_settings.get(guild.id, setting_keys.MODLOG_CHANNEL)
        if not channel_id or channel_id in self._lost_modlogs:
            return None
        channel = guild.get_channel(channel_id)
        if channel is None:
            self._lost_modlog(guild, channel_id)
        return channel

    def _lost_modlog(self, guild: discord.Guild, channel_id: int) -> None:
        # Said once per channel: moderators learn it from /warden doctor, which asks Discord itself.
        self._lost_modlogs.add(channel_id)
        log.warning(
            "The mod log channel %s of guild %s was deleted; no mod log there until a moderator sets a new one",
            channel_id, guild.id,
        )

    async def send_to_modlog(self, guild: discord.Guild, embed: discord.Embed) -> None:
        channel = self.modlog_channel(guild)
        if channel is not None:
            await self._post(channel, embed)

    async def flush_modlog(self) -> None:
        """Send the mod-log entries a burst left waiting (at shutdown)."""
        await self._modlog.flush()

    async def _post(self, channel: discord.abc.GuildChannel, embed: discord.Embed) -> None:
        await self._modlog.write(channel, embed)
