"""``genre-warden glossary``: what an editor sees at the terminal, and the exit codes scripts rely on."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.cli import main
from bot.resources import shipped_config_file

REPO = Path(__file__).resolve().parents[1]


def test_show_prints_the_entry_found_by_an_alias(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "show", "ntr"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("netorare  [relationship drama · adult · needs a content warning (NTR)]")
    assert "Also: NTR, 寝取られ" in out
    assert "  Roles: The betrayed protagonist" in out
    assert "Warnings: NTR, infidelity, emotional distress" in out
    assert "Related: netori, netorase" in out


def test_show_json_gives_the_entry_in_file_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "show", "Shōnen", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data)[:4] == ["id", "term", "aliases", "category"]
    assert data["id"] == "shounen" and data["requires_cw"] is False


def test_an_unknown_term_exits_2_with_up_to_three_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "show", "netorae"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        "genre-warden: there is no glossary entry called 'netorae'; did you mean netorare, netorase, netori?"
    )


def test_an_unknown_term_without_near_misses_points_at_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "show", "xyzzyq"]) == 2
    assert "genre-warden glossary list" in capsys.readouterr().err


def test_list_groups_every_entry_under_its_category(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "list"]) == 0
    out = capsys.readouterr().out
    assert "relationship drama (" in out and "demographics (5)" in out
    assert "  shounen: Manga and anime aimed at teenage boys" in out


def test_list_one_category_ignoring_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "list", "--category", "Demographics"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "demographics (5)"
    assert [line.split(":")[0].strip() for line in lines[1:]] == ["shounen", "shoujo", "seinen", "josei", "kodomomuke"]


def test_list_an_unknown_category_exits_2_naming_the_real_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "list", "--category", "cooking"]) == 2
    assert "the categories are: relationship drama, story set-ups" in capsys.readouterr().err


def test_lint_accepts_the_shipped_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = shipped_config_file("glossary.yaml")
    assert main(["glossary", "lint", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path} (glossary): valid"


def test_lint_lists_every_problem_with_line_path_and_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            version: 1
            entries:
              - id: alpha
                term: alpha
                category: test
                summary: ""
                definition: Text.
                related: [nowhere]
              - id: beta
                term: ALPHA
                category: test
                summary: Beta.
                definition: Text.
            """
        ),
        encoding="utf-8",
    )
    assert main(["glossary", "lint", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{path} (glossary): 3 problems"
    assert err[1].startswith("  line 6: entries[0].summary: must not be empty (entry alpha)")
    assert err[2].startswith("  line 8: entries[0].related[0]: names 'nowhere'")
    assert err[3].startswith("  line 10: entries[1].term: 'ALPHA' is already a name of entry alpha")


def test_lint_of_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "lint", str(tmp_path / "absent.yaml")]) == 2
    assert "there is no file at" in capsys.readouterr().err


def test_show_from_a_broken_file_exits_2_and_suggests_lint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nentries: [{id: a}]\n", encoding="utf-8")
    assert main(["glossary", "show", "a", "--file", str(path)]) == 2
    assert f"run 'genre-warden glossary lint {path}'" in capsys.readouterr().err


def test_python_dash_m_bot_shows_an_entry() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "glossary", "show", "netorare"],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("netorare  [relationship drama")
