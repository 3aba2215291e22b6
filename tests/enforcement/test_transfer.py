"""The export document: every setting in one shape, read back whole or not at all."""

from __future__ import annotations

import pytest
import yaml

from bot.configfile.problems import format_path
from bot.enforcement.transfer import (
    GuildIds,
    export_data,
    export_yaml,
    import_changes,
    read_config,
)

CONFIGURED = {
    "action": "delete",
    "requirement": "cw",
    "dry_run": True,
    "retention_days": 30,
    "modlog_channel_id": 900,
    "watched": {
        "500": {"kind": "channel", "action": "flag"},
        "300": {"kind": "category", "requirement": "both"},
        "600": {"kind": "channel", "dry_run": True},
    },
    "escalation": {"threshold": 3, "window_hours": 24, "timeout_minutes": 60},
    "forum_tags": {"4200": "NTR"},
    "exempt_roles": [70],
    "exempt_members": [80, 81],
    "terms": [{"name": "zorbling", "category": "Body Horror", "aliases": ["zorb"]}],
    "patterns": [{"category": "gore", "regex": "blood+bath"}],
    "allow": ["zorb free"],
}
IDS = GuildIds(places={300, 500, 600}, modlog_channels={900}, roles={70}, forum_tags={4200})


def read(policies, text: str, ids: GuildIds | None = IDS):
    return read_config(text, policies.extension_problems, ids)


def test_export_lists_every_key_with_defaults_for_a_new_server() -> None:
    assert export_data({}) == {
        "version": 1, "action": "flag", "requirement": None, "cw_mode": None, "dry_run": False,
        "retention_days": 14, "modlog_channel": None, "watched": [], "exempt_roles": [], "exempt_members": [],
        "escalation": None, "forum_tags": [], "terms": [], "patterns": [], "allow": [],
    }


def test_escalation_forum_tags_and_a_places_dry_run_are_exported() -> None:
    data = export_data(CONFIGURED)
    assert data["escalation"] == {"threshold": 3, "window_hours": 24, "timeout_minutes": 60}
    assert data["forum_tags"] == [{"tag": 4200, "category": "NTR"}]
    assert {"id": 600, "kind": "channel", "dry_run": True} in data["watched"]


def test_an_unknown_forum_tag_and_an_out_of_range_escalation_are_problems(policies) -> None:
    data = export_data(CONFIGURED)
    data["forum_tags"] = [{"tag": 4300, "category": "NTR"}]
    data["escalation"]["threshold"] = 1
    _, problems = read(policies, yaml.safe_dump(data, sort_keys=False))
    described = {(format_path(problem.path), problem.message) for problem in problems}
    assert ("forum_tags[0].tag", "no forum on this server has a tag with this id") in described
    assert any(path == "escalation.threshold" for path, _ in described)


def test_the_export_documents_each_key_it_holds() -> None:
    text = export_yaml(CONFIGURED)
    header = [line for line in text.splitlines() if line.startswith("# ")]
    for key in export_data({}):
        assert any(line.startswith(f"# {key} ") for line in header), key


@pytest.mark.parametrize("values", [{}, CONFIGURED], ids=["new-server", "configured"])
def test_reading_an_export_back_changes_nothing(policies, values) -> None:
    data, problems = read(policies, export_yaml(values))
    assert problems == []
    assert import_changes(values, data) == {}


def test_an_export_imported_elsewhere_exports_the_same_text(policies) -> None:
    data, _ = read(policies, export_yaml(CONFIGURED))
    changes = import_changes({}, data)
    assert changes == {key: value for key, value in CONFIGURED.items()}
    assert export_yaml(changes) == export_yaml(CONFIGURED)


def test_emptied_lists_and_nulls_return_settings_to_their_default(policies) -> None:
    data = {**export_data(CONFIGURED), "requirement": None, "watched": [], "terms": [], "modlog_channel": None}
    data, problems = read(policies, yaml.safe_dump(data))
    assert problems == []
    assert import_changes(CONFIGURED, data) == {
        "requirement": None, "watched": None, "terms": None, "modlog_channel_id": None,
    }


def test_every_problem_is_listed_with_its_path_and_line(policies) -> None:
    data = export_data(CONFIGURED)
    data.update(
        action="nuke", retention_days=0, exempt_roles=[71], surprise=1,
        watched=[{"id": 500, "kind": "room"}, {"id": 501, "kind": "channel"}],
        patterns=[{"category": "gore", "regex": "(?=x)y", "name": "peek"}],
    )
    result, problems = read(policies, yaml.safe_dump(data, sort_keys=False))
    assert result is None
    found = {format_path(problem.path): problem for problem in problems}
    assert set(found) == {
        "action", "retention_days", "exempt_roles[0]", "surprise", "watched[0].kind", "watched[1].id",
        "patterns[0].regex", "patterns[0].name",
    }
    assert "lookarounds" in found["patterns[0].regex"].message
    assert all(problem.line is not None for problem in problems)
    assert [p.line for p in problems] == sorted(p.line for p in problems)


@pytest.mark.parametrize(
    ("text", "words"),
    [("action: [", "not valid YAML"), ("- 1", "must be a mapping"), ("", "must be a mapping")],
)
def test_a_file_that_is_not_a_configuration_is_refused(policies, text, words) -> None:
    data, (problem,) = read(policies, text)
    assert data is None and words in problem.message


def test_a_missing_key_is_a_problem_not_a_silent_default(policies) -> None:
    data = export_data(CONFIGURED)
    del data["terms"]
    _, problems = read(policies, yaml.safe_dump(data))
    assert [(format_path(p.path), p.message) for p in problems] == [("terms", "is required")]


def test_ids_are_checked_against_the_server_only_when_given(policies) -> None:
    text = export_yaml(CONFIGURED)
    _, problems = read(policies, text, GuildIds(places=set(), modlog_channels=set(), roles=set()))
    assert {format_path(p.path) for p in problems} == {
        "watched[0].id", "watched[1].id", "watched[2].id", "exempt_roles[0]", "modlog_channel", "forum_tags[0].tag",
    }
    assert read(policies, text, None)[1] == []


def test_values_are_stored_tidied(policies) -> None:
    data = export_data({})
    data.update(
        exempt_members=[5, 3, 5],
        terms=[{"name": "  zorb ", "category": "gore"}],
        watched=[{"id": 9, "kind": "channel", "requirement": None}],
    )
    result, problems = read(policies, yaml.safe_dump(data), None)
    assert problems == []
    assert import_changes({}, result) == {
        "exempt_members": [3, 5],
        "terms": [{"name": "zorb", "category": "gore", "aliases": []}],
        "watched": {"9": {"kind": "channel"}},
    }


def test_yaml_aliases_are_refused_before_anything_expands_them(policies) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]  # 10^9 values once expanded

    data, (problem,) = read(policies, "\n".join(lines))

    assert data is None
    assert (problem.line, problem.message) == (2, "uses a YAML alias (*name); write each value out in full")
