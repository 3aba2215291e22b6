"""``genre-warden run``: start the bot and keep it running until SIGTERM or SIGINT.

discord.py and the bot are imported inside the functions that use them, so the
other subcommands (config, glossary, check) start quickly and never load them.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from pathlib import Path

from bot.errors import StartupError
from bot.logging_setup import configure_logging
from bot.settings import Settings, load_settings

log = logging.getLogger(__name__)

INTENT_HELP = (
    "Discord refused the connection because the Message Content intent is not enabled for this "
    "application: open the Discord Developer Portal, go to Applications > your application > Bot > "
    "Privileged Gateway Intents, turn on Message Content Intent, save, and start the bot again."
)
TOKEN_REJECTED_HELP = (
    "Discord rejected DISCORD_TOKEN: it is wrong, expired or was reset; copy a fresh token from the "
    "Discord Developer Portal (Applications > your application > Bot > Reset Token) into DISCORD_TOKEN."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser(
        "run",
        help="start the bot (needs DISCORD_TOKEN)",
        description="Start the bot. Reads DISCORD_TOKEN and WARDEN_* settings from the environment, "
        "a .env file in the current folder, and an optional YAML settings file.",
    )
    run.add_argument("--settings", type=Path, help="a YAML settings file (default: $WARDEN_SETTINGS_FILE, if set)")
    run.set_defaults(handler=handle_run)


def handle_run(args: argparse.Namespace) -> int:
    settings = load_settings(os.environ, settings_file=args.settings)
    token = settings.require_token()
    configure_logging(settings.log_level, secrets=[token])
    asyncio.run(run_until_stopped(settings, token))
    return 0


def describe_startup_failure(error: BaseException) -> StartupError | None:
    """The operator-facing sentence for a failure Discord reports while connecting."""
    import aiohttp
    import discord

    if isinstance(error, StartupError):
        return error
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return StartupError(INTENT_HELP)
    if isinstance(error, discord.LoginFailure):
        return StartupError(TOKEN_REJECTED_HELP)
    if isinstance(error, aiohttp.ClientConnectorError):
        return StartupError(
            f"cannot reach Discord ({error.host}:{error.port}); check this machine's network connection and try again."
        )
    return None


async def run_until_stopped(settings: Settings, token: str) -> None:
    """Run the bot until a signal asks it to stop; close the gateway and the store cleanly."""
    from bot.app import create_bot

    bot = create_bot(settings)
    await bot.open_store()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    runner = asyncio.create_task(bot.start(token), name="warden-bot")
    stopper = asyncio.create_task(stop.wait(), name="warden-stop-signal")
    try:
        await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            log.info("Stop signal received; shutting down")
    finally:
        stopper.cancel()
        await bot.close()
        if not runner.done():
            runner.cancel()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
    if runner.cancelled():
        return
    error = runner.exception()
    if error is not None:
        friendly = describe_startup_failure(error)
        if friendly is not None:
            raise friendly from None
        raise error
    log.info("Stopped cleanly")
