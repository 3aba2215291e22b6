"""Shared helpers: the shipped glossary (loaded once) and a small entry factory."""

from __future__ import annotations

import pytest

from bot.glossary import Glossary, GlossaryEntry, load_glossary
from bot.resources import shipped_config_file


@pytest.fixture(scope="session")
def shipped() -> Glossary:
    return load_glossary(shipped_config_file("glossary.yaml"))


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
