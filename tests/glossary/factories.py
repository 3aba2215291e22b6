"""Entries for tests that need a glossary of their own."""

from __future__ import annotations

from bot.glossary import GlossaryEntry


def make_entry(entry_id: str, **fields: object) -> GlossaryEntry:
    """An entry with plausible defaults; tests name only the fields they are about."""
    values: dict[str, object] = {
        "id": entry_id,
        "term": entry_id.replace("-", " "),
        "category": "test",
        "summary": f"Summary of {entry_id}.",
        "definition": f"Definition of {entry_id}.",
    }
    values.update(fields)
    return GlossaryEntry(**values)
