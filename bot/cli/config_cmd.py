"""``genre-warden config validate FILE``: check a YAML file and list every problem in it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.configfile.kinds import KINDS, validate_file
from bot.errors import StartupError


def register(subparsers: argparse._SubParsersAction) -> None:
    config = subparsers.add_parser("config", help="work with configuration files")
    actions = config.add_subparsers(dest="config_action", metavar="ACTION")
    actions.required = True
    validate = actions.add_parser(
        "validate",
        help="check a YAML file and report every problem with its place in the file",
        description="Check a YAML file and report every problem with its line and path. "
        "Exit 0 when the file is valid, 2 when it has problems or cannot be read.",
    )
    validate.add_argument("file", type=Path, help="the YAML file to check")
    validate.add_argument(
        "--kind", choices=sorted(KINDS), help="the kind of file (detected from its first line or its keys when omitted)"
    )
    validate.set_defaults(handler=run_validate)


def run_validate(args: argparse.Namespace, *, family: str | None = None) -> int:
    """The report for ``args.file``; ``family`` as in ``validate_text`` (``glossary lint`` uses it)."""
    try:
        kind, problems = validate_file(args.file, args.kind, family=family)
    except FileNotFoundError:
        raise StartupError(f"there is no file at {args.file}; check the path.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StartupError(f"cannot read {args.file} ({exc}); check that it is a readable UTF-8 text file.") from None
    label = f"{args.file} ({kind.name})" if kind else str(args.file)
    if not problems:
        print(f"{label}: valid")
        return 0
    count = len(problems)
    print(f"{label}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 2
