"""``genre-warden commands``: print the application-command payloads the bot would register.

Built from the same command tree as ``run``, with no token and no network, so an
operator can review names, options, default permissions and context menus first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from bot.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    commands = subparsers.add_parser(
        "commands",
        help="print, as JSON, the slash commands and context menus the bot registers",
        description="Print the application-command payloads the bot would send to Discord on sync, "
        "built without a token or network.",
    )
    commands.set_defaults(handler=handle_commands)


async def collect_payloads() -> list[dict[str, Any]]:
    # Imported here so that other subcommands never load discord.py (see run_cmd).
    from bot.app import create_bot
    from bot.command_sync import command_payloads

    bot = create_bot(Settings())
    try:
        await bot.load_features()
        return command_payloads(bot.tree)
    finally:
        await bot.close()


def handle_commands(args: argparse.Namespace) -> int:
    print(json.dumps(asyncio.run(collect_payloads()), indent=2, sort_keys=True, ensure_ascii=False))
    return 0
