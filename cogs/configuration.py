"""``/warden show``, ``/warden export`` and ``/warden import``: a server's whole configuration at once.

Show answers in words; export writes every setting to one YAML file; import reads
such a file back, checked whole (its shape, each value, the ids it names, and the
guild's own terms, patterns and allow phrases through the rule engine), so either
every change is stored, each in the audit log, or nothing is and the answer lists
each problem.
"""

from __future__ import annotations

import asyncio
import io

import discord
from discord import app_commands

from bot import setting_keys as keys
from bot.adapters.long_answers import send_text
from bot.adapters.policy_admin import (
    configuration_text,
    guild_ids,
    problem_error,
)
from bot.app import WardenBot
from bot.cogbase import WardenCog
from bot.enforcement.transfer import (
    MAX_IMPORT_BYTES,
    export_yaml,
    import_changes,
    read_config,
)
from bot.errors import UserFacingError
from bot.formatting import human_bytes
from bot.permissions import moderator_only
from bot.store.settings_repo import RESET


class Configuration(WardenCog):
    @app_commands.command(
        name="show", description="Everything Genre Warden is set to on this server", extras={"parent": "warden"}
    )
    @moderator_only()
    async def show(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild
        modlog_id = self.bot.guild_settings.get(guild.id, keys.MODLOG_CHANNEL)
        text = configuration_text(
            self.bot.enforcement.config(guild.id), self.bot.enforcement.policies.base, guild, modlog_id
        )
        await send_text(interaction, text, "genre-warden-configuration.txt")

    @app_commands.command(
        name="export", description="This server's whole configuration as a YAML file", extras={"parent": "warden"}
    )
    @moderator_only()
    async def export(self, interaction: discord.Interaction) -> None:
        guild = interaction.guild
        text = export_yaml(self.bot.guild_settings.snapshot(guild.id))
        file = discord.File(io.BytesIO(text.encode("utf-8")), filename=f"genre-warden-{guild.id}.yaml")
        await interaction.response.send_message(
            "This server's whole configuration. Edit it if you like, and give it back with `/warden import`.",
            file=file, ephemeral=True,
        )

    @app_commands.command(
        name="import", description="Replace the whole configuration with a file from /warden export",
        extras={"parent": "warden"},
    )
    @app_commands.describe(file="A YAML file in the shape /warden export writes")
    @moderator_only()
    async def import_file(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        if file.size > MAX_IMPORT_BYTES:
            raise UserFacingError(
                f"That file is {human_bytes(file.size)}; the limit is {human_bytes(MAX_IMPORT_BYTES)}. Nothing changed."
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            text = (await file.read()).decode("utf-8")
        except UnicodeDecodeError:
            raise UserFacingError(
                "That file is not UTF-8 text, as /warden export writes it. Nothing changed."
            ) from None
        guild = interaction.guild
        modlog_id = self.bot.guild_settings.get(guild.id, keys.MODLOG_CHANNEL)
        ids = guild_ids(guild, self.bot.enforcement.config(guild.id), modlog_id)
        # Reading a large file takes a good part of a second of pure Python; off the event loop, posts keep flowing.
        data, problems = await asyncio.to_thread(
            read_config, text, self.bot.enforcement.policies.extension_problems, ids
        )
        if problems:
            count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
            raise problem_error(problems, f"Nothing changed: the file has {count}.")
        assert data is not None
        changes = import_changes(self.bot.guild_settings.snapshot(guild.id), data)
        stored = {key: RESET if value is None else value for key, value in changes.items()}
        changed = await self.bot.guild_settings.apply(guild.id, stored, actor_id=interaction.user.id)
        if not changed:
            await interaction.followup.send(
                "The file matches the current configuration; nothing changed.", ephemeral=True
            )
            return
        await interaction.followup.send(
            f"Imported. Changed: {', '.join(sorted(changed))}. `/warden history` lists each change.", ephemeral=True
        )


async def setup(bot: WardenBot) -> None:
    await bot.add_cog(Configuration(bot))
