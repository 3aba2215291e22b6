"""``config validate`` and ``glossary lint`` on the files servers export, checked against what the bot ships."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.configfile.kinds import UnknownKind, detect_kind
from bot.enforcement.transfer import export_yaml
from bot.guild_glossary import GlossaryLayer, layer_to_yaml
from tests.enforcement.test_transfer import CONFIGURED
from tests.glossary.factories import make_entry

# Its `related` names a shipped entry, which a glossary file on its own could not do.
KEMONOMIMI = make_entry("kemonomimi", term="kemonomimi", aliases=("animal ears",), related=("tsundere",))


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_servers_whole_configuration_export_is_valid(tmp_path, capsys) -> None:
    path = write(tmp_path, "warden.yaml", export_yaml(CONFIGURED))
    assert main(["config", "validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path} (warden-export): valid"


def test_an_edited_configuration_export_lists_each_problem_with_its_line(tmp_path, capsys) -> None:
    text = export_yaml(CONFIGURED).replace("action: delete", "action: ban", 1).replace("blood+bath", "(a+)+\\1")
    path = write(tmp_path, "warden.yaml", text)
    assert main(["config", "validate", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    lines = text.splitlines()
    action_line = lines.index("action: ban") + 1
    assert err[0] == f"{path} (warden-export): 2 problems"
    assert err[1].startswith(f"  line {action_line}: action: must be ")
    regex_line = next(number for number, line in enumerate(lines, 1) if "(a+)+" in line)
    assert err[2].startswith(f"  line {regex_line}: patterns[0].regex: ")


def test_a_configuration_export_without_its_header_is_told_apart_from_a_policy_file(tmp_path, capsys) -> None:
    body = "\n".join(line for line in export_yaml(CONFIGURED).splitlines() if not line.startswith("#"))
    path = write(tmp_path, "warden.yaml", body + "\n")
    assert main(["config", "validate", str(path)]) == 0
    assert "(warden-export): valid" in capsys.readouterr().out


def test_a_glossary_export_is_checked_against_the_shipped_glossary(tmp_path, capsys) -> None:
    path = write(tmp_path, "glossary.yaml", layer_to_yaml(GlossaryLayer((KEMONOMIMI,))))
    assert main(["glossary", "lint", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path} (glossary-export): valid"
    # As a standalone glossary the same file is wrong: `related` names an entry it does not hold.
    assert main(["config", "validate", "--kind", "glossary", str(path)]) == 2
    assert "names 'tsundere', which is not the id of any entry" in capsys.readouterr().err


def test_a_glossary_export_that_removes_an_unknown_entry_is_refused_with_the_line(tmp_path, capsys) -> None:
    text = layer_to_yaml(GlossaryLayer((KEMONOMIMI,), frozenset({"netori"}))).replace("- netori", "- netorii")
    path = write(tmp_path, "glossary.yaml", text)
    for command in (["glossary", "lint", str(path)], ["config", "validate", str(path)]):
        assert main(command) == 2
        err = capsys.readouterr().err.splitlines()
        line = text.splitlines().index("- netorii") + 1
        assert err == [
            f"{path} (glossary-export): 1 problem",
            f"  line {line}: removed[0]: 'netorii' is not the id of a shipped entry",
        ]


def test_glossary_lint_still_checks_anything_else_as_a_glossary(tmp_path, capsys) -> None:
    path = write(tmp_path, "warden.yaml", export_yaml(CONFIGURED))
    assert main(["glossary", "lint", str(path)]) == 2
    assert "(glossary): " in capsys.readouterr().err


@pytest.mark.parametrize(
    ("keys", "kind"),
    [
        ({"version", "entries"}, "glossary"),
        ({"version", "entries", "removed"}, "glossary-export"),
        ({"terms", "allow", "requirement"}, "policy"),
        ({"terms", "allow", "requirement", "watched"}, "warden-export"),
    ],
)
def test_a_kind_that_narrows_another_wins_when_both_match(keys, kind) -> None:
    assert detect_kind(dict.fromkeys(keys)).name == kind


def test_keys_of_two_unrelated_kinds_are_still_ambiguous() -> None:
    with pytest.raises(UnknownKind):
        detect_kind({"entries": [], "watched": []})
