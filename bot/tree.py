"""The one place where application-command errors become answers.

Known errors turn into a short ephemeral sentence for the member; anything else
is logged with its traceback and the member gets a short apology. Cogs raise
``UserFacingError`` instead of writing their own try/except replies; buttons and
modals, whose errors discord.py does not send to the tree, call ``answer_error``.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.adapters.failures import DISCORD_FAILURES, describe_failure, is_connection_failure
from bot.adapters.files import attachment
from bot.errors import UserFacingError
from bot.permissions import describe_permissions

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on my side while running that command. "
    "The moderators can find the details in the bot's log."
)
NETWORK_TROUBLE = "Discord did not answer me just now, so that did not go through; please try again in a moment."


def describe_command_error(error: Exception) -> str | None:
    """The sentence to show for a known error, or None for an unexpected one."""
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(original, UserFacingError):
        return str(original)
    if isinstance(original, app_commands.MissingPermissions):
        return f"You need the {describe_permissions(original.missing_permissions)} permission to use this command."
    if isinstance(original, app_commands.BotMissingPermissions):
        return (
            f"I need the {describe_permissions(original.missing_permissions)} permission here to do that; "
            "ask a server admin to grant it."
        )
    if isinstance(original, app_commands.NoPrivateMessage):
        return "This command works only inside a server."
    if isinstance(original, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {original.retry_after:.0f} seconds."
    if isinstance(original, app_commands.TransformerError):
        return "One of the values you gave is not valid for that option; please check it and try again."
    if isinstance(original, app_commands.CheckFailure):
        return "You cannot use this command here."
    if is_connection_failure(original):
        return NETWORK_TROUBLE
    if isinstance(original, discord.Forbidden):
        return (
            "Discord did not let me do that: I am missing a permission in this channel. "
            "A moderator can run /warden doctor to see which."
        )
    return None


async def reply_ephemeral(interaction: discord.Interaction, content: str, file: discord.File | None = None) -> None:
    """Answer ``interaction`` privately, whether or not it was already acknowledged."""
    try:
        extra = {"file": file} if file is not None else {}
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True, **extra)
        else:
            await interaction.response.send_message(content, ephemeral=True, **extra)
    except DISCORD_FAILURES as error:
        # The error handler must not fail in turn: one line, and the member's client shows its own notice.
        log.warning("Could not deliver the answer to interaction %s: %s", interaction.id, describe_failure(error))


async def answer_error(interaction: discord.Interaction, error: Exception, source: str) -> None:
    """Answer a failed command, button or modal: known errors plainly, anything else with the apology.

    ``source`` names what failed in the log ("Command /define", "Button of /glossary list").
    """
    message = describe_command_error(error)
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if message is None:
        log.error("%s failed unexpectedly", source, exc_info=error)
        message = APOLOGY
    elif is_connection_failure(original):
        log.warning("%s failed: %s", source, describe_failure(original))
    else:
        log.info("%s refused: %s", source, message)
    details = original.details if isinstance(original, UserFacingError) else None
    await reply_ephemeral(interaction, message, attachment(details, original.details_name) if details else None)


class WardenTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        command = interaction.command.qualified_name if interaction.command else "unknown command"
        await answer_error(interaction, error, f"Command /{command}")
