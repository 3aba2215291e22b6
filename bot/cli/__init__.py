"""The ``genre-warden`` command line.

Every subcommand is a module in this package with a ``register(subparsers)``
function that adds its parser and sets ``handler`` (a callable taking the parsed
arguments and returning an exit code). Adding a subcommand means adding a module
and naming it in ``SUBCOMMANDS``; nothing else changes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot import __version__
from bot.cli import check_cmd, commands_cmd, config_cmd, glossary_cmd, run_cmd
from bot.errors import StartupError

SUBCOMMANDS = (run_cmd, config_cmd, commands_cmd, check_cmd, glossary_cmd)

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genre-warden",
        description="Genre Warden: glossary, content-warning enforcement and audited settings for Discord servers.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="subcommand", metavar="COMMAND")
    subparsers.required = True
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except StartupError as exc:
        print(f"genre-warden: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
