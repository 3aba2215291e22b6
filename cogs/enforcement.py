"""Enforcement in watched channels: flag, repost fixed, or delete and hand back untagged posts.

The decision is made synchronously in a message gate, from memory only (cached
configuration and compiled policy); only a flagged post reaches ``on_message``,
where the bot acts. A member's words are never lost: before the bot deletes a
post it commits a copy, and the author gets it back by DM or ``/warden recover``.
"""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from dataclasses import dataclass

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import setting_keys
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.enforcement.config import EnforcementConfig, WatchedPlace
from bot.enforcement.plan import ActionPlan, next_step, plan_action
from bot.enforcement_discord import (
    FLAG_EMOJI,
    categories_of,
    code_block,
    facts_from_message,
    flag_reply,
    granted_names,
    modlog_embed,
    place_ids,
    role_ids,
    title_embed,
    verdict_answer,
    without_categories,
)
from bot.errors import UserFacingError
from bot.formatting import escape_user_text
from bot.permissions import describe_permissions
from bot.repost_button import DeleteRepostButton, repost_view
from bot.rules import MessageFacts, Verdict, evaluate
from bot.store.held_posts import HeldPost, HeldPostRepository, ViolationRepository
from bot.views import OwnedView

log = logging.getLogger(__name__)

FLAG_REPLY_SECONDS = 120
INVALID_FORM_BODY = 50035
WEBHOOK_NAME = "Genre Warden"


@dataclass(frozen=True, slots=True)
class Flagged:
    verdict: Verdict
    place: WatchedPlace
    config: EnforcementConfig


class RepostFixedView(OwnedView):
    """The button under a flag reply: only the author may repost their post, fixed."""

    refusal = "Only the author of the post can repost it."

    def __init__(self, cog: Enforcement, message: discord.Message, verdict: Verdict, timeout: float) -> None:
        super().__init__(message.author.id, timeout=timeout)
        self.cog = cog
        self.message = message
        self.verdict = verdict

    @discord.ui.button(label="Repost fixed", style=discord.ButtonStyle.primary)
    async def repost(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        granted = granted_names(self.message.channel.permissions_for(self.message.guild.me))
        if not {"manage_messages", "manage_webhooks"} <= granted:
            raise UserFacingError("I cannot repost here; please copy the fixed text above and edit your post.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        config = self.cog.bot.enforcement.config(self.message.guild.id)
        await self.cog.replace(self.message, self.verdict, config, action="repost")
        button.disabled = True
        self.stop()
        await interaction.followup.send("Done: your post is back, with spoilers added.", ephemeral=True)


class Enforcement(WardenCog):
    def __init__(self, bot: WardenBot) -> None:
        super().__init__(bot)
        self._flagged: dict[int, Flagged] = {}
        self._webhooks: dict[int, discord.Webhook] = {}
        self.delete_repost_menu = app_commands.ContextMenu(name="Delete my repost", callback=self.delete_repost)
        self.delete_repost_menu.guild_only = True

    async def cog_load(self) -> None:
        await super().cog_load()
        self.bot.add_message_gate(self.gate)
        self.bot.add_dynamic_items(DeleteRepostButton)
        self.bot.tree.add_command(self.delete_repost_menu)
        if self.bot.store_is_open:  # `genre-warden commands` loads cogs without a store
            self.purge_expired.start()

    async def cog_unload(self) -> None:
        self.bot.remove_message_gate(self.gate)
        self.bot.remove_dynamic_items(DeleteRepostButton)
        self.bot.tree.remove_command(self.delete_repost_menu.name, type=self.delete_repost_menu.type)
        self.purge_expired.cancel()
        await super().cog_unload()

    @tasks.loop(hours=1)
    async def purge_expired(self) -> None:
        """Held posts are kept for the retention period, then deleted for good."""
        removed = await self.held.purge_expired()
        if removed:
            log.info("Deleted %d held post(s) past their retention period", removed)

    def category_names(self, guild_id: int) -> dict[str, str]:
        """Category ids as people spell them, the guild's own categories included."""
        return self.bot.enforcement.category_names(guild_id)

    @property
    def held(self) -> HeldPostRepository:
        return HeldPostRepository(self.bot.database)

    # -- the hot path: synchronous, memory only ----------------------------

    def judge(self, message: discord.Message) -> Flagged | None:
        """The verdict on a new post, or None when the rules do not apply to it or it passes."""
        if message.guild is None or message.author.bot or message.webhook_id is not None:
            return None
        state = self.bot.enforcement
        config = state.config(message.guild.id)
        if not config.watched:
            return None
        place = config.place_for(*place_ids(message.channel))
        if place is None:
            return None
        # Reading the author's roles costs more than the rest of this check; skip it when nobody is exempt.
        if (config.exempt_roles or config.exempt_members) and config.is_exempt(message.author.id, role_ids(message.author)):
            return None
        compiled = state.policy(message.guild.id)
        verdict = evaluate(facts_from_message(message), compiled, requirement=config.requirement_for(place))
        if not verdict.flagged:
            return None
        if isinstance(message.channel, discord.Thread) and config.forum_tags:
            # A forum post's CW tags ("CW: NTR") are its content warning for those categories.
            tagged = config.categories_tagged(tag.id for tag in message.channel.applied_tags)
            verdict = without_categories(verdict, tagged)
            if verdict is None:
                return None
        return Flagged(verdict, place, config)

    def gate(self, message: discord.Message) -> bool:
        flagged = self.judge(message)
        if flagged is None:
            return False
        self._flagged[message.id] = flagged
        return True

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        flagged = self._flagged.pop(message.id, None)
        if flagged is not None:
            await self.enforce(message, flagged)

    @commands.Cog.listener()
    async def on_message_edit(self, before: discord.Message, after: discord.Message) -> None:
        # A pin, an embed unfurling or a flag change arrives as an edit too; only new
        # words or files are judged again, so an edit that drops a spoiler is caught.
        if before.content == after.content and [a.id for a in before.attachments] == [a.id for a in after.attachments]:
            return
        flagged = self.judge(after)
        if flagged is not None:
            await self.enforce(after, flagged)

    # -- acting on a flagged post ------------------------------------------

    async def enforce(self, message: discord.Message, flagged: Flagged) -> None:
        config = flagged.config
        if isinstance(message.channel, discord.Thread):
            outcome = await self.tag_thread(
                message.channel, flagged.verdict, config, reply_to=message, dry_run=config.dry_run_for(flagged.place)
            )
            if outcome is not None:
                await self.write_modlog(message, flagged.verdict, outcome=outcome, message_exists=True, notes=[])
                return
        granted = granted_names(message.channel.permissions_for(message.guild.me))
        dry_run = config.dry_run_for(flagged.place)
        plan: ActionPlan | None = plan_action(config.action_for(flagged.place), granted, dry_run=dry_run)
        notes: list[str] = []
        if plan.fell_back:
            notes.append(
                f"Wanted to {plan.chosen} but I lack {describe_permissions(list(plan.missing))} here, so I used {plan.step}."
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
        if not dry_run:  # a dry run only logs: no violation counted, nobody timed out
            notes.extend(await self.count_violation(message, flagged))
        await self.write_modlog(message, flagged.verdict, outcome=outcome, message_exists=message_exists, notes=notes)

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
        except discord.HTTPException:
            return "could not tag or ask for tags"
        return f"asked for the tag {names}"

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
        outcome = await self.tag_thread(thread, verdict, config, reply_to=None, dry_run=dry_run)
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
        await self.send_to_modlog(thread.guild, title_embed(thread, verdict, outcome=outcome, names=self.category_names(thread.guild.id)))

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
        verdict, config = flagged.verdict, flagged.config
        if plan.step == "log":
            return True
        if plan.step == "react":
            await message.add_reaction(FLAG_EMOJI)
            return True
        if plan.step == "flag":
            await message.add_reaction(FLAG_EMOJI)
            fixed = verdict.fix.content if verdict.fix else None
            view = RepostFixedView(self, message, verdict, timeout=FLAG_REPLY_SECONDS)
            await message.reply(flag_reply(verdict, fixed, self.category_names(message.guild.id)), view=view, delete_after=FLAG_REPLY_SECONDS, mention_author=False)
            return True
        if plan.step == "delete":
            await self.delete_and_return(message, verdict, config)
            return False
        await self.replace(message, verdict, config, action="replace")
        return False

    async def hold(self, message: discord.Message, verdict: Verdict, config: EnforcementConfig, action: str) -> HeldPost:
        return await self.held.hold(
            guild_id=message.guild.id, channel_id=message.channel.id, message_id=message.id,
            author_id=message.author.id, content=message.content,
            fixed_content=verdict.fix.content if verdict.fix else None,
            attachments=tuple(item.filename for item in message.attachments),
            categories=categories_of(verdict), action=action, retention_days=config.retention_days,
        )

    async def delete_and_return(self, message: discord.Message, verdict: Verdict, config: EnforcementConfig) -> None:
        held = await self.hold(message, verdict, config, "delete")  # committed before anything is deleted
        await message.delete()
        try:
            await message.author.send(**held_post_message(held, message.guild.name))
        except discord.HTTPException:
            log.info("Could not DM %s their removed post; it is held for /warden recover", message.author.id)
            await message.channel.send(
                f"{message.author.mention}, I removed your post because it needs spoilers or a content warning. "
                "I could not DM you, so it is kept for you: use `/warden recover` to get it back.",
                delete_after=FLAG_REPLY_SECONDS,
            )
        else:
            await self.held.mark_delivered([held.id])

    async def replace(self, message: discord.Message, verdict: Verdict, config: EnforcementConfig, *, action: str) -> None:
        """Keep a copy, delete the post, and repost it fixed under the author's name and avatar."""
        held = await self.hold(message, verdict, config, action)
        files = []
        spoiler_names = set(verdict.fix.spoiler_attachments) if verdict.fix else set()
        for item in message.attachments:
            data = await item.read()
            files.append(discord.File(io.BytesIO(data), filename=item.filename, spoiler=item.filename in spoiler_names or item.is_spoiler()))
        await message.delete()
        webhook, thread = await self.webhook_for(message.channel)
        content = held.fixed_content if held.fixed_content is not None else message.content
        send: dict = dict(
            content=content, username=message.author.display_name[:80], wait=True,
            avatar_url=message.author.display_avatar.url, files=files, allowed_mentions=discord.AllowedMentions.none(),
        )
        if thread is not None:
            send["thread"] = thread
        try:
            # A webhook the bot created may carry the author's Delete button.
            repost = await webhook.send(**send, view=repost_view(message.author.id))
        except discord.HTTPException as refusal:
            if refusal.code != INVALID_FORM_BODY:
                raise
            log.info("Webhook refused the Delete button; reposting without it (the context menu still works)")
            for file in files:
                file.reset()
            repost = await webhook.send(**send)
        await self.held.link_repost(held.id, repost.id)
        await self.held.mark_delivered([held.id])

    async def webhook_for(self, channel: discord.abc.Messageable) -> tuple[discord.Webhook, discord.Thread | None]:
        thread = channel if isinstance(channel, discord.Thread) else None
        parent = channel.parent if thread is not None else channel
        webhook = self._webhooks.get(parent.id)
        if webhook is None:
            existing = [hook for hook in await parent.webhooks() if hook.user == self.bot.user and hook.name == WEBHOOK_NAME]
            webhook = existing[0] if existing else await parent.create_webhook(name=WEBHOOK_NAME)
            self._webhooks[parent.id] = webhook
        return webhook, thread

    async def write_modlog(self, message: discord.Message, verdict: Verdict, *, outcome: str,
                           message_exists: bool, notes: list[str]) -> None:
        embed = modlog_embed(
            message, verdict, outcome=outcome, message_exists=message_exists, names=self.category_names(message.guild.id), notes=tuple(notes)
        )
        await self.send_to_modlog(message.guild, embed)

    async def send_to_modlog(self, guild: discord.Guild, embed: discord.Embed) -> None:
        channel_id = self.bot.guild_settings.get(guild.id, setting_keys.MODLOG_CHANNEL)
        channel = guild.get_channel(channel_id) if channel_id else None
        if channel is None:
            return
        try:
            await channel.send(embed=embed)
        except discord.HTTPException:
            log.warning("Could not write to the mod log channel %s in guild %s", channel_id, guild.id)

    # -- commands for members ---------------------------------------------

    async def delete_repost(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Message menu: the author of a post the bot reposted fixed may delete the repost."""
        author_id = await self.held.author_of_repost(message.id) if message.webhook_id else None
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
        posts = await self.held.for_author(interaction.guild.id, interaction.user.id)
        if not posts:
            await interaction.response.send_message("I am not holding any of your posts on this server.", ephemeral=True)
            return
        await interaction.response.send_message(**held_post_message(posts[0], interaction.guild.name), ephemeral=True)
        for post in posts[1:]:
            await interaction.followup.send(**held_post_message(post, interaction.guild.name), ephemeral=True)
        await self.held.mark_delivered([post.id for post in posts])

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
        answer = verdict_answer(verdict, self.category_names(interaction.guild.id), subject="That text", where=where)
        await interaction.response.send_message(answer, ephemeral=True)


def held_post_message(post: HeldPost, guild_name: str) -> dict:
    """A held post as message arguments: the original and the fixed text, as files when long."""
    intro = (
        f"Your post in **{escape_user_text(guild_name, limit=100)}** was removed because it needs spoilers or a "
        f"content warning ({', '.join(escape_user_text(c, limit=40) for c in post.categories)}). Here it is:"
    )
    original, fixed = code_block(post.content), code_block(post.fixed_content) if post.fixed_content else None
    text = intro + "\n**Original**\n" + original + (("\n**Fixed, ready to post**\n" + fixed) if fixed else "")
    if len(text) <= 2000:
        return {"content": text}
    files = [discord.File(io.BytesIO(post.content.encode()), filename="original.txt")]
    if post.fixed_content:
        files.append(discord.File(io.BytesIO(post.fixed_content.encode()), filename="fixed.txt"))
    return {"content": intro + " (attached, it is too long to show)", "files": files}


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(Enforcement(bot))
