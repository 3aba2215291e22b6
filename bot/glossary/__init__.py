"""The glossary: genre vocabulary, how to find it, and which terms need a content warning.

PURE: nothing here imports discord or touches a database; ``load_glossary`` is the
only function that reads a file. The Discord cog keeps one ``Glossary`` for the
shipped file and builds each server's view with ``Glossary.layered``.

A moderator's change goes through the same border as the shipped file:
``validate_glossary_data({"version": 1, "entries": [...]}, known_ids=shipped ids)``
for the fields, then ``entries_from_data`` and ``shipped.check_layer(entries,
removed_ids)`` for clashes with the rest. Store the change only when both are empty;
``layered`` can then never fail for that server.
"""

from bot.glossary.compare import DIMENSION_ORDER, Comparison, ComparisonRow, dimension_label
from bot.glossary.finding import Completion, SearchHit
from bot.glossary.glossary import CwTerm, Glossary, GlossaryConflict, UnknownTerm, consistency_problems
from bot.glossary.loading import (
    GlossaryFileError,
    entries_from_data,
    load_glossary,
    parse_glossary_text,
    validate_glossary_data,
)
from bot.glossary.model import EntryModel, GlossaryEntry, entry_to_data
from bot.glossary.names import MIN_CHAT_ALIAS_LETTERS, is_lookup_only, name_key

__all__ = [
    "DIMENSION_ORDER",
    "MIN_CHAT_ALIAS_LETTERS",
    "Comparison",
    "ComparisonRow",
    "Completion",
    "CwTerm",
    "EntryModel",
    "Glossary",
    "GlossaryConflict",
    "GlossaryEntry",
    "GlossaryFileError",
    "SearchHit",
    "UnknownTerm",
    "consistency_problems",
    "dimension_label",
    "entries_from_data",
    "entry_to_data",
    "is_lookup_only",
    "load_glossary",
    "name_key",
    "parse_glossary_text",
    "validate_glossary_data",
]
