"""``genre-warden glossary show|list|lint``: the glossary from a terminal, for the people who edit it.

``show`` and ``list`` read the shipped glossary unless ``--file`` names another,
so an editor can look at a draft exactly as the bot would; ``lint`` is the
glossary kind of ``config validate``, with the same report.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path

from bot.cli import config_cmd
from bot.errors import StartupError
from bot.glossary import Glossary, GlossaryEntry, GlossaryFileError, dimension_label, entry_to_data, load_glossary
from bot.resources import shipped_config_file

WIDTH = 88


def register(subparsers: argparse._SubParsersAction) -> None:
    glossary = subparsers.add_parser("glossary", help="look up, list and check glossary entries")
    actions = glossary.add_subparsers(dest="glossary_action", metavar="ACTION")
    actions.required = True

    show = actions.add_parser("show", help="show one entry, found by its id, term or any alias")
    show.add_argument("term", help="an id, term or alias (case, accents and punctuation do not matter)")
    show.add_argument("--json", action="store_true", help="print the entry as JSON in the file's field order")
    _add_file_option(show)
    show.set_defaults(handler=run_show)

    listing = actions.add_parser("list", help="list the entries, grouped by category")
    listing.add_argument("--category", help="only this category")
    _add_file_option(listing)
    listing.set_defaults(handler=run_list)

    lint = actions.add_parser(
        "lint",
        help="check a glossary file and report every problem with its line, path and entry id",
        description="Check a glossary file, or a server's /glossary export against the shipped glossary. "
        "Exit 0 when it is valid, 2 when it has problems or cannot be read.",
    )
    lint.add_argument("file", type=Path, help="the glossary YAML file (or /glossary export) to check")
    lint.set_defaults(handler=run_lint)


def _add_file_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--file", type=Path, help="read this glossary file instead of the shipped one")


def _load(args: argparse.Namespace) -> Glossary:
    path = args.file
    try:
        path = path or shipped_config_file("glossary.yaml")
        return load_glossary(path)
    except FileNotFoundError as exc:
        raise StartupError(f"{exc}; check the path.") from None
    except GlossaryFileError as exc:
        count = len(exc.problems)
        raise StartupError(
            f"the glossary {path} has {count} problem{'s' if count != 1 else ''}; "
            f"run 'genre-warden glossary lint {path}' to see them."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StartupError(f"cannot read {path} ({exc}); check that it is a readable UTF-8 text file.") from None


def run_show(args: argparse.Namespace) -> int:
    glossary = _load(args)
    entry = glossary.lookup(args.term)
    if entry is None:
        suggestions = glossary.suggest(args.term)
        hint = (
            "did you mean " + ", ".join(s.term for s in suggestions) + "?"
            if suggestions
            else "see 'genre-warden glossary list' for every term."
        )
        raise StartupError(f"there is no glossary entry called '{args.term}'; {hint}")
    if args.json:
        print(json.dumps(entry_to_data(entry), ensure_ascii=False, indent=2))
    else:
        print(render_entry(entry, glossary))
    return 0


def render_entry(entry: GlossaryEntry, glossary: Glossary) -> str:
    """The entry as a terminal page: heading, names, summary, definition, contrasts, warnings, related."""
    flags = [entry.category]
    if entry.nsfw:
        flags.append("adult")
    if entry.cw_category:
        flags.append(f"needs a content warning ({entry.cw_category})")
    lines = [f"{entry.term}  [{' · '.join(flags)}]"]
    if entry.aliases:
        lines.append(f"Also: {', '.join(entry.aliases)}")
    lines += ["", entry.summary, "", *textwrap.wrap(entry.definition, WIDTH)]
    if entry.contrast:
        lines += ["", "Contrast"]
        for dimension, text in entry.contrast:
            lines += textwrap.wrap(
                f"{dimension_label(dimension)}: {text}", WIDTH, initial_indent="  ", subsequent_indent="    "
            )
    lines.append("")
    if entry.warnings:
        lines.append(f"Warnings: {', '.join(entry.warnings)}")
    related = glossary.related_entries(entry)
    if related:
        lines.append(f"Related: {', '.join(other.term for other in related)}")
    return "\n".join(lines).rstrip()


def run_list(args: argparse.Namespace) -> int:
    glossary = _load(args)
    categories = glossary.categories()
    if args.category is not None:
        entries = glossary.by_category(args.category)
        if not entries:
            raise StartupError(f"there is no category '{args.category}'; the categories are: {', '.join(categories)}.")
        categories = (entries[0].category,)
    for number, category in enumerate(categories):
        entries = glossary.by_category(category)
        if number:
            print()
        print(f"{category} ({len(entries)})")
        for entry in entries:
            print(f"  {entry.term}: {entry.summary}")
    return 0


def run_lint(args: argparse.Namespace) -> int:
    # A server's /glossary export is checked as one, against the shipped glossary it changes.
    return config_cmd.run_validate(argparse.Namespace(file=args.file, kind=None), family="glossary")
