"""The invite permission integer in the README is the one the code asks for."""

from __future__ import annotations

import re
from pathlib import Path

from bot.permissions import invite_permissions

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_states_the_invite_permission_integer():
    value = invite_permissions().value
    assert f"permissions={value}" in README.read_text(encoding="utf-8")


def test_the_bot_never_asks_for_administrator_or_role_management():
    permissions = invite_permissions()
    assert not permissions.administrator
    assert not permissions.manage_roles
    assert not permissions.manage_guild
    assert not permissions.mention_everyone


def test_every_permission_asked_for_is_explained():
    doc = invite_permissions.__doc__ or ""
    # discord.py iterates the legacy name of "View Channel".
    aliases = {"read_messages": "view_channel"}
    for name, granted in invite_permissions():
        if granted:
            name = aliases.get(name, name)
            assert re.search(rf"\b{name}\b", doc), f"{name} is requested but not explained"
