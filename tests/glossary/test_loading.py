"""Validation reports every problem with its line, path and entry id; good files load."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.configfile.kinds import validate_text
from bot.configfile.problems import format_path
from bot.glossary import (
    GlossaryFileError,
    load_glossary,
    parse_glossary_text,
    validate_glossary_data,
)

GOOD = textwrap.dedent(
    """\
    version: 1
    entries:
      - id: alpha
        term: alpha
        aliases: [first letter]
        category: test
        summary: The first.
        definition: The first entry.
        related: [beta]
      - id: beta
        term: beta
        category: test
        summary: The second.
        definition: The second entry.
    """
)

BROKEN = textwrap.dedent(
    """\
    version: 1
    entries:
      - id: alpha
        term: alpha
        aliases: [shared name]
        category: test
        summary: The first.
        definition: The first entry.
        related: [gamma]
      - id: beta
        term: beta
        aliases: [Shared-Name]
        category: test
        summary: "   "
        definition: The second entry.
        colour: blue
      - id: delta
        term: delta
        category: test
        summary: The fourth.
        definition: The fourth entry.
        requires_cw: true
      - id: alpha
        term: epsilon
        category: test
        summary: The fifth.
        definition: The fifth entry.
    """
)


def _report(text: str) -> list[str]:
    kind, problems = validate_text(text, "glossary")
    return [str(problem) for problem in problems]


def test_a_good_file_loads_with_its_entries_in_order() -> None:
    glossary = parse_glossary_text(GOOD)
    assert [entry.id for entry in glossary] == ["alpha", "beta"]
    assert glossary.lookup("First Letter").id == "alpha"
    assert glossary.related_entries(glossary.get("alpha"))[0].id == "beta"


def test_every_problem_is_listed_with_line_path_and_entry_id() -> None:
    report = _report(BROKEN)
    expected = [
        ("line 9: entries[0].related[0]", "'gamma'", "entry alpha"),
        ("line 12: entries[1].aliases[0]", "'Shared-Name'", "entry alpha", "entries[0].aliases[0]", "(entry beta)"),
        ("line 14: entries[1].summary", "must not be empty", "entry beta"),
        ("line 16: entries[1].colour", "is not a known field", "entry beta"),
        ("line 17: entries[2].warnings", "requires_cw", "entry delta"),  # the entry's line: no warnings key
        ("line 23: entries[3].id", "'alpha' is already the id of entries[0]"),
    ]
    assert len(report) == len(expected), report
    for needles in expected:
        assert any(all(needle in line for needle in needles) for line in report), (needles, report)


def test_a_yaml_syntax_error_gives_its_line() -> None:
    report = _report("version: 1\nentries:\n  - id: alpha\n    term: [unclosed\n")
    assert len(report) == 1
    assert report[0].startswith("line ")
    assert "is not valid YAML" in report[0]


def test_an_entry_without_an_id_is_still_checked_and_named_by_position() -> None:
    problems = validate_glossary_data({"version": 1, "entries": [{"term": "x"}]})
    paths = {format_path(problem.path) for problem in problems}
    assert {"entries[0].id", "entries[0].category", "entries[0].summary", "entries[0].definition"} <= paths
    assert all("entry #0" in problem.message for problem in problems)


def _one_entry(**fields: object) -> dict[str, object]:
    entry = {"id": "a", "term": "t", "category": "c", "summary": "s", "definition": "d", **fields}
    return {"version": 1, "entries": [entry]}


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"entries": []}, "version"),
        ({"version": 2, "entries": []}, "version"),
        ({"version": 1}, "entries"),
        ({"version": 1, "entries": [], "extra": 1}, "extra"),
        (_one_entry(id="Bad Id"), "entries[0].id"),
        (_one_entry(nsfw="yes"), "entries[0].nsfw"),
        (_one_entry(aliases=[""]), "entries[0].aliases[0]"),
        (_one_entry(related=["a"]), "entries[0].related[0]"),
        (_one_entry(summary="two\nlines"), "entries[0].summary"),
        (_one_entry(contrast={"Plot Arc": "x"}), "entries[0].contrast.Plot Arc"),
    ],
)
def test_file_level_and_field_level_problems_name_their_path(data: object, path: str) -> None:
    assert path in {format_path(problem.path) for problem in validate_glossary_data(data)}


def test_messages_speak_yaml_not_python() -> None:
    entry = {"id": "Bad Id", "term": 5, "category": "c", "summary": "s" * 201, "definition": "d", "nsfw": "yes"}
    messages = {format_path(p.path): p.message for p in validate_glossary_data({"version": 2, "entries": ["x", entry]})}
    assert messages["version"] == "must be 1"
    assert messages["entries[0]"] == "must be a mapping (key: value lines) (entry #0, which has no id)"
    assert messages["entries[1].id"].startswith("'Bad Id' must be lowercase letters and digits joined by")
    assert messages["entries[1].term"] == "must be text (entry Bad Id)"
    assert messages["entries[1].summary"] == "must be at most 200 characters (it has 201) (entry Bad Id)"
    assert messages["entries[1].nsfw"] == "must be true or false (entry Bad Id)"


def test_related_may_name_known_ids_from_another_layer() -> None:
    data = _one_entry(related=["netori"])
    assert validate_glossary_data(data) != []
    assert validate_glossary_data(data, known_ids={"netori"}) == []


def test_load_glossary_raises_with_every_problem_and_its_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(GlossaryFileError) as caught:
        load_glossary(path)
    assert len(caught.value.problems) == 6
    assert all(problem.line is not None for problem in caught.value.problems)
    assert str(path) in str(caught.value)


def test_a_glossary_file_is_recognised_by_config_validate() -> None:
    kind, problems = validate_text(GOOD)
    assert kind.name == "glossary" and problems == []


def test_the_glossary_package_never_imports_discord() -> None:
    code = "import sys, bot.glossary, bot.cli.glossary_cmd; print('discord' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
