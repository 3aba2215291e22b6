"""Autocomplete choices for the glossary commands.

Members' lookups (``cogs/glossary.py``) and moderators' editing
(``cogs/glossary_admin.py``) offer the same terms and categories; both build
them here, so the two cogs cannot drift apart.
"""

from __future__ import annotations

from discord import app_commands

from bot.glossary import Glossary

Choices = list[app_commands.Choice[str]]


def term_choices(glossary: Glossary, current: str) -> Choices:
    return [app_commands.Choice(name=c.label, value=c.value) for c in glossary.autocomplete(current)]


def category_choices(glossary: Glossary, current: str) -> Choices:
    wanted = current.casefold().strip()
    names = [name for name in glossary.categories() if wanted in name.casefold()]
    return [app_commands.Choice(name=name, value=name) for name in names[:25]]
