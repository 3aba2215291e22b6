"""Checking the files a server exports, away from the server, before they are imported.

``/glossary export`` writes a server's glossary changes and ``/warden export`` its
whole configuration; a moderator or an operator may edit either by hand. Both
only make sense next to what the bot ships (a change names a shipped entry, the
server's own terms join the shipped policy), so they are checked here against the
shipped glossary and policy, with the same checks ``/glossary import`` and
``/warden import`` run. What only the server knows (that a channel or role id
exists there) is left to the import.
"""

from __future__ import annotations

from functools import cache

from bot.configfile.problems import Problem
from bot.enforcement.transfer import check_config_data
from bot.glossary import Glossary, GlossaryFileError, load_glossary
from bot.guild_glossary.layer import read_layer_data
from bot.resources import shipped_config_file
from bot.rules import GuildPolicy, PolicyError, policy_from_yaml


class ShippedConfigMissing(Exception):
    """The shipped glossary or policy cannot be read, so an export cannot be checked against it."""


def validate_glossary_export(data: object) -> list[Problem]:
    try:
        shipped = _shipped_glossary()
    except ShippedConfigMissing as exc:
        return [Problem((), str(exc))]
    return read_layer_data(data, shipped)[1]


def validate_warden_export(data: object) -> list[Problem]:
    # Only this kind needs the policy machinery; `config validate` on other files skips loading it.
    from bot.enforcement.policies import GuildPolicies

    try:
        policies = GuildPolicies(_shipped_policy(), _shipped_glossary())
    except ShippedConfigMissing as exc:
        return [Problem((), str(exc))]
    return check_config_data(data, policies.extension_problems)[1]


@cache
def _shipped_glossary() -> Glossary:
    try:
        return load_glossary(shipped_config_file("glossary.yaml"))
    except (OSError, GlossaryFileError) as exc:
        raise ShippedConfigMissing(f"cannot check against the shipped glossary: {exc}") from None


@cache
def _shipped_policy() -> GuildPolicy:
    try:
        return policy_from_yaml(shipped_config_file("policy.yaml").read_text(encoding="utf-8"))
    except (OSError, PolicyError) as exc:
        raise ShippedConfigMissing(f"cannot check against the shipped policy: {exc}") from None
