"""Moderator input (slash options and modal text) turned into a checked ``GlossaryEntry``.

Lists are typed as comma-separated text ("NTR, 寝取られ"), contrast data as one
``dimension: text`` line per dimension. Every problem is collected and reported
at once, in the words of the form rather than of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from bot.configfile.problems import Problem, format_path
from bot.errors import UserFacingError
from bot.formatting import escape_user_text, make_inert
from bot.glossary import (
    Glossary,
    GlossaryEntry,
    GlossaryFileError,
    entries_from_data,
    entry_to_data,
    validate_glossary_data,
)
from bot.guild_glossary.layer import GlossaryLayer, parse_layer_text

MAX_LISTED_PROBLEMS = 10
MAX_PROBLEM_LENGTH = 160
# A Discord message holds 2,000 characters; leave room for the sentence around the list.
MAX_PROBLEMS_TEXT = 1_700


def split_list(text: str | None) -> list[str]:
    """``"NTR, 寝取られ,, NTR"`` -> ``["NTR", "寝取られ"]``: commas or new lines separate, repeats dropped."""
    if not text:
        return []
    items = (item.strip() for item in re.split(r"[,\n]", text))
    return list(dict.fromkeys(item for item in items if item))


def join_list(items: Iterable[str]) -> str:
    return ", ".join(items)


def parse_contrast(text: str | None) -> tuple[dict[str, str], list[Problem]]:
    """``"plot arc: A happy start…"`` lines -> ``{"plot_arc": "A happy start…"}``."""
    contrast: dict[str, str] = {}
    problems = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        dimension, colon, value = line.partition(":")
        if not colon:
            problems.append(Problem(("contrast", f"line {number}"), "must look like 'dimension: text'"))
            continue
        contrast["_".join(dimension.strip().lower().split())] = value.strip()
    return contrast, problems


def contrast_text(entry: GlossaryEntry) -> str:
    return "\n".join(f"{dimension.replace('_', ' ')}: {text}" for dimension, text in entry.contrast)


def slug_for(term: str) -> str:
    """A default id for a new term: ``"Reverse NTR"`` -> ``"reverse-ntr"``."""
    return "-".join(re.findall(r"[a-z0-9]+", term.casefold()))


def build_entry(fields: Mapping[str, object], known_ids: Iterable[str]) -> GlossaryEntry:
    """Check ``fields`` (an entry's data) as a glossary file would; raise ``UserFacingError`` listing problems."""
    problems = validate_glossary_data({"version": 1, "entries": [dict(fields)]}, known_ids=known_ids)
    if problems:
        raise problems_error("The entry was not saved", [_form_problem(p) for p in problems])
    return entries_from_data([dict(fields)])[0]


def _form_problem(problem: Problem) -> Problem:
    # "entries[0].summary" is the file's view; the form has just "summary".
    path = problem.path[2:] if problem.path[:2] == ("entries", 0) else problem.path
    return Problem(path, problem.message)


def problems_message(intro: str, problems: Sequence[Problem]) -> str:
    """``intro`` and the problems as a list, cut to what one Discord message holds."""
    count = len(problems)
    lines = [f"{intro}: {count} problem{'s' if count != 1 else ''}."]
    shown = 0
    for problem in problems[:MAX_LISTED_PROBLEMS]:
        text = _problem_line(problem)
        if sum(len(line) + 1 for line in lines) + len(text) > MAX_PROBLEMS_TEXT:
            break
        lines.append(text)
        shown += 1
    if shown < count:
        lines.append(f"…and {count - shown} more, every one in the attached file.")
    return "\n".join(lines)


def problems_error(intro: str, problems: Sequence[Problem]) -> UserFacingError:
    """The error to raise for ``problems``: all of them in the answer, or a summary and all of them as a file."""
    message = problems_message(intro, problems)
    if len(message.splitlines()) == len(problems) + 1:
        return UserFacingError(message)
    full = "\n".join([message.splitlines()[0], *(_problem_line(problem) for problem in problems)])
    return UserFacingError(message, details=full, details_name="problems.txt")


def _problem_line(problem: Problem) -> str:
    where = format_path(problem.path)
    if problem.line is not None:
        where = f"line {problem.line}, {where}"
    return "• " + escape_user_text(f"{where}: {problem.message}", limit=MAX_PROBLEM_LENGTH)


SHORT_FIELDS = frozenset({"id", "term", "category", "related", "nsfw", "requires_cw"})
_PLACEHOLDER_LONG_FIELDS = {"summary": "-", "definition": "-", "warnings": ["-"]}


def check_short_fields(fields: Mapping[str, object], known_ids: Iterable[str]) -> None:
    """Refuse bad slash-command options before the modal opens, so nobody types a definition in vain."""
    data = {**_PLACEHOLDER_LONG_FIELDS, **fields}
    problems = validate_glossary_data({"version": 1, "entries": [data]}, known_ids=known_ids)
    problems = [_form_problem(p) for p in problems]
    problems = [p for p in problems if p.path and p.path[0] in SHORT_FIELDS]
    if problems:
        raise problems_error("The entry cannot be saved", problems)


def entry_from_form(base: Mapping[str, object], values: Mapping[str, str], known_ids: Iterable[str]) -> GlossaryEntry:
    """The entry from the command's options (``base``) and the modal's text fields (``values``)."""
    contrast, problems = parse_contrast(values.get("contrast"))
    if problems:
        raise problems_error("The entry was not saved", problems)
    fields = {
        **base,
        "summary": values.get("summary", ""),
        "definition": values.get("definition", ""),
        "aliases": split_list(values.get("aliases")),
        "warnings": split_list(values.get("warnings")),
        "contrast": contrast,
    }
    return build_entry(fields, known_ids)


def form_values(entry: GlossaryEntry) -> dict[str, str]:
    """The modal's fields filled in from an existing entry."""
    return {
        "summary": entry.summary,
        "definition": entry.definition,
        "aliases": join_list(entry.aliases),
        "warnings": join_list(entry.warnings),
        "contrast": contrast_text(entry),
    }


MAX_IMPORT_BYTES = 256 * 1024
# A modal's paragraph field holds at most 4,000 characters.
MAX_FORM_CONTRAST = 4000


def new_entry_fields(glossary: Glossary, options: Mapping[str, object]) -> dict[str, object]:
    """The short fields of ``/glossary add`` (its options), checked; the id is made from the term if left out."""
    term = str(options["term"])
    fields = {**options, "id": options.get("id") or slug_for(term), "related": split_list(options.get("related"))}
    existing = glossary.get(str(fields["id"])) or glossary.lookup(term)
    if existing is not None:
        raise UserFacingError(
            f"This server's glossary already has **{make_inert(existing.term)}** (id `{existing.id}`); "
            f"change it with /glossary edit {existing.id}."
        )
    check_short_fields(fields, [entry.id for entry in glossary])
    return fields


def edited_entry_fields(entry: GlossaryEntry, glossary: Glossary, options: Mapping[str, object]) -> dict[str, object]:
    """``entry``'s data with the options of ``/glossary edit`` that were given, checked."""
    if len(contrast_text(entry)) > MAX_FORM_CONTRAST:
        raise UserFacingError(
            f"The contrast texts of {make_inert(entry.term)} are too long for Discord's form; "
            "change them with /glossary export and /glossary import."
        )
    fields = entry_to_data(entry) | {key: value for key, value in options.items() if value is not None}
    if options.get("related") is not None:
        fields["related"] = split_list(str(options["related"]))
    check_short_fields(fields, [other.id for other in glossary])
    return fields


def check_import_size(size: int, filename: str) -> None:
    if size > MAX_IMPORT_BYTES:
        raise UserFacingError(
            f"{escape_user_text(filename, limit=80)} is larger than {MAX_IMPORT_BYTES // 1024} KiB; "
            "nothing was imported."
        )


def read_import(data: bytes, filename: str, shipped: Glossary) -> GlossaryLayer:
    """The layer in an uploaded file, or a ``UserFacingError`` that lists what is wrong with it."""
    check_import_size(len(data), filename)
    name = escape_user_text(filename, limit=80)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserFacingError(
            f"{name} is not UTF-8 text (a YAML file from /glossary export is); nothing was imported."
        ) from None
    try:
        return parse_layer_text(text, shipped, source=filename)
    except GlossaryFileError as exc:
        raise problems_error(f"{name} was not imported and nothing changed", exc.problems) from None
