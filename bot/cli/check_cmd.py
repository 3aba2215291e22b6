"""``genre-warden check``: backtest a guild policy on messages before turning it on.

Input is JSON Lines (one ``{"content": ..., "attachments": [...]}`` per line) or a
DiscordChatExporter JSON export, told apart by shape. Every record is read and
judged before anything is printed, so bad input never leaves half a report behind.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.enforcement.sources import compile_with_glossary
from bot.errors import StartupError
from bot.glossary import Glossary, GlossaryFileError, load_glossary
from bot.resources import shipped_config_file
from bot.rules import (
    Attachment,
    Finding,
    GuildPolicy,
    MessageFacts,
    PolicyError,
    Verdict,
    evaluate,
    policy_from_yaml,
)

_EXPORT_KEYS = ("guild", "channel", "messages")


@dataclass(frozen=True, slots=True)
class _Record:
    where: str  # "line 3" or "message 1234", for error messages
    message_id: str | None
    facts: MessageFacts


def register(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser(
        "check",
        help="backtest a guild policy on messages (JSON Lines or a DiscordChatExporter export)",
        description="Judge each message with a guild policy and report what would be flagged. "
        "Exit 0 when done, 1 with --fail-on-flag when anything is flagged, 2 on bad input.",
    )
    check.add_argument(
        "file", nargs="?", default="-", help="JSON Lines or DiscordChatExporter JSON; - for standard input"
    )
    check.add_argument("--policy", type=Path, help="a policy YAML file (default: the shipped config/policy.yaml)")
    check.add_argument(
        "--glossary", type=Path,
        help="the glossary whose warning-worthy terms the policy includes (default: the shipped config/glossary.yaml)",
    )
    check.add_argument("--format", choices=("jsonl", "table"), default="jsonl", help="output format (default: jsonl)")
    check.add_argument("--fail-on-flag", action="store_true", help="exit with code 1 when any message is flagged")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    compiled = compile_with_glossary(_load_policy(args.policy), _load_glossary(args.glossary))
    records = parse_records(_read_input(args.file))
    verdicts = [evaluate(record.facts, compiled) for record in records]
    output = _jsonl(records, verdicts) if args.format == "jsonl" else _table(records, verdicts)
    sys.stdout.write(output)
    flagged = any(verdict.flagged for verdict in verdicts)
    return 1 if args.fail_on_flag and flagged else 0


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StartupError(f"there is no {what} at {path}; check the path.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StartupError(
            f"cannot read the {what} {path} ({exc}); check that it is a readable UTF-8 text file."
        ) from None


def _load_policy(path: Path | None) -> GuildPolicy:
    try:
        source = path if path is not None else shipped_config_file("policy.yaml")
    except FileNotFoundError as exc:
        raise StartupError(f"{exc}; pass a policy with --policy.") from None
    try:
        return policy_from_yaml(_read_text(source, "policy file"))
    except PolicyError as exc:
        raise StartupError(f"the policy file {source} cannot be used: {exc}") from None


def _load_glossary(path: Path | None) -> Glossary:
    try:
        source = path if path is not None else shipped_config_file("glossary.yaml")
        return load_glossary(source)
    except FileNotFoundError as exc:
        raise StartupError(f"{exc}; pass a glossary with --glossary.") from None
    except GlossaryFileError as exc:
        raise StartupError(f"the glossary {source} cannot be used: {exc}") from None
    except OSError as exc:
        raise StartupError(f"cannot read the glossary {source} ({exc.strerror}).") from None


def _read_input(name: str) -> str:
    if name == "-":
        try:
            return sys.stdin.read()
        except UnicodeDecodeError:
            raise StartupError("standard input is not UTF-8 text; save the messages as UTF-8 and try again.") from None
    return _read_text(Path(name), "input file")


def parse_records(text: str) -> list[_Record]:
    """Every message in ``text``; raise ``StartupError`` naming the first bad line or message."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            whole = json.loads(stripped)
        except json.JSONDecodeError:
            whole = None
        if isinstance(whole, dict) and all(key in whole for key in _EXPORT_KEYS):
            return _export_records(whole)
    return _jsonl_records(text)


def _jsonl_records(text: str) -> list[_Record]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise StartupError(f"{where} of the input is not valid JSON ({exc.msg}).") from None
        if not isinstance(item, dict) or not isinstance(item.get("content"), str):
            raise StartupError(f'{where} of the input must be a JSON object with a "content" string.')
        attachments = _attachments(item.get("attachments", []), "filename", where)
        message_id = item.get("id")
        records.append(
            _Record(where, None if message_id is None else str(message_id), MessageFacts(item["content"], attachments))
        )
    return records


def _export_records(export: dict) -> list[_Record]:
    messages = export["messages"]
    if not isinstance(messages, list):
        raise StartupError('the export\'s "messages" must be a list.')
    records = []
    for position, item in enumerate(messages, start=1):
        message_id = item.get("id") if isinstance(item, dict) else None
        where = f"message {message_id}" if message_id is not None else f"message number {position}"
        if not isinstance(item, dict) or not isinstance(item.get("content"), str) or message_id is None:
            raise StartupError(f'{where} of the export must be an object with an "id" and a "content" string.')
        attachments = _attachments(item.get("attachments", []), "fileName", where)
        records.append(_Record(where, str(message_id), MessageFacts(item["content"], attachments)))
    return records


def _attachments(items: object, name_key: str, where: str) -> tuple[Attachment, ...]:
    if not isinstance(items, list):
        raise StartupError(f'the "attachments" of {where} must be a list.')
    attachments = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get(name_key), str):
            raise StartupError(f'each attachment of {where} must be an object with a "{name_key}" string.')
        spoiler = item.get("spoiler", False)
        if not isinstance(spoiler, bool):
            raise StartupError(f'the "spoiler" of an attachment of {where} must be true or false.')
        content_type = item.get("contentType", item.get("content_type"))
        attachments.append(Attachment(item[name_key], spoiler, content_type if isinstance(content_type, str) else None))
    return tuple(attachments)


def _jsonl(records: list[_Record], verdicts: list[Verdict]) -> str:
    lines = []
    for record, verdict in zip(records, verdicts, strict=True):
        row: dict[str, object] = {} if record.message_id is None else {"id": record.message_id}
        row["flagged"] = verdict.flagged
        row["findings"] = [finding.as_dict() for finding in verdict.findings]
        row["fix"] = verdict.fix.content if verdict.fix is not None else None
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    return "".join(lines)


def _describe(finding: Finding) -> str:
    """``"N.T.R" as netorare (ntr, not hidden)``: what the member wrote, what it was read as, why."""
    why = f"({finding.category}, {finding.reason.replace('_', ' ')})"
    if not finding.text:
        return f"{finding.term} {why}"
    return f"{json.dumps(finding.text, ensure_ascii=False)} as {finding.term} {why}"


def _table(records: list[_Record], verdicts: list[Verdict]) -> str:
    lines = [f"{'message':<24} {'result':<8} findings"]
    by_category: Counter[str] = Counter()
    for record, verdict in zip(records, verdicts, strict=True):
        label = record.message_id or record.where
        if not verdict.flagged:
            lines.append(f"{label:<24} {'ok':<8} -")
            continue
        by_category.update(verdict.categories)
        described = "; ".join(_describe(finding) for finding in verdict.findings)
        lines.append(f"{label:<24} {'FLAGGED':<8} {described}")
    flagged = sum(verdict.flagged for verdict in verdicts)
    lines += ["", f"Messages read: {len(records)}", f"Flagged: {flagged}"]
    if by_category:
        lines.append("By category: " + ", ".join(f"{name} {count}" for name, count in sorted(by_category.items())))
    return "\n".join(lines) + "\n"
