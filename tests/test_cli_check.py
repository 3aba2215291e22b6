"""``genre-warden check``: backtesting a policy from the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

REPO = Path(__file__).resolve().parents[1]


def run(capsys, monkeypatch, stdin: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def test_jsonl_in_jsonl_out(capsys, monkeypatch) -> None:
    stdin = jsonl(
        {"content": "I love ntr"}, {"content": "||ntr||"}, {"content": "hi", "attachments": [{"filename": "a.png"}]}
    )
    code, out, err = run(capsys, monkeypatch, stdin, "-")
    assert code == 0 and err == ""
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[0] == {
        "flagged": True,
        "findings": [
            {"term": "netorare", "category": "ntr", "text": "ntr", "start": 7, "end": 10, "reason": "not_hidden"}
        ],
        "fix": "||I love ntr||",
    }
    assert rows[1] == {"flagged": False, "findings": [], "fix": None}
    assert rows[2]["flagged"] is False


def test_fail_on_flag(capsys, monkeypatch) -> None:
    assert run(capsys, monkeypatch, jsonl({"content": "ntr"}), "--fail-on-flag")[0] == 1
    assert run(capsys, monkeypatch, jsonl({"content": "||ntr||"}), "--fail-on-flag")[0] == 0


def test_discord_chat_exporter_input_keeps_message_ids(capsys, monkeypatch, tmp_path) -> None:
    export = {
        "guild": {"id": "1", "name": "g"},
        "channel": {"id": "2", "name": "c"},
        "messages": [
            {
                "id": "100",
                "timestamp": "2024-01-01T00:00:00+00:00",
                "author": {"id": "9"},
                "content": "netori!",
                "attachments": [],
            },
            {
                "id": "101",
                "timestamp": "2024-01-01T00:01:00+00:00",
                "author": {"id": "9"},
                "content": "||ntr||",
                "attachments": [{"id": "5", "fileName": "SPOILER_x.png"}, {"id": "6", "fileName": "y.png"}],
            },
        ],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, indent=2), encoding="utf-8")
    code, out, _ = run(capsys, monkeypatch, "", str(path))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [row["id"] for row in rows] == ["100", "101"]
    assert rows[0]["findings"][0]["term"] == "netori"
    assert [f["term"] for f in rows[1]["findings"]] == ["y.png"]


def test_table_format_summarises(capsys, monkeypatch) -> None:
    stdin = jsonl({"content": "ntr", "id": 1}, {"content": "fine"}, {"content": "cuck"})
    code, out, _ = run(capsys, monkeypatch, stdin, "--format", "table")
    assert code == 0
    assert "Messages read: 3" in out and "Flagged: 2" in out and "By category: ntr 2" in out
    assert "line 2" in out
    assert '"ntr" as netorare (ntr, not hidden)' in out


def test_custom_policy(capsys, monkeypatch, tmp_path) -> None:
    policy = tmp_path / "policy.yaml"
    # Only the file's own terms: glossary terms (which include NTR) are switched off.
    policy.write_text(
        "requirement: spoiler\ninclude_glossary_terms: false\nterms:\n  - name: guro\n    category: gore\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, monkeypatch, jsonl({"content": "ntr"}, {"content": "guro"}), "--policy", str(policy))
    assert [json.loads(line)["flagged"] for line in out.splitlines()] == [False, True]


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        ('{"content": "ok"}\nnot json\n', "line 2"),
        ('{"content": "ok"}\n{"text": "x"}\n', "line 2"),
        ('{"content": "ok", "attachments": [{"name": "a"}]}\n', "line 1"),
        ('{"guild": {}, "channel": {}, "messages": [{"id": "7", "content": 3}]}', "message 7"),
    ],
)
def test_bad_input_names_the_place_and_prints_no_record(capsys, monkeypatch, stdin: str, words: str) -> None:
    code, out, err = run(capsys, monkeypatch, stdin)
    assert code == 2
    assert out == ""
    assert words in err


def test_bad_policy_is_a_startup_error(capsys, monkeypatch, tmp_path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("requirement: sometimes\n", encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, jsonl({"content": "x"}), "--policy", str(policy))
    assert code == 2 and out == ""
    assert "line 1: requirement" in err


def test_real_process(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check", "--fail-on-flag", "-"],
        input=jsonl({"content": "NTR time"}),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["findings"][0]["text"] == "NTR"


def test_the_glossarys_warning_worthy_terms_are_checked_too(capsys, monkeypatch) -> None:
    # "mind break" is not in config/policy.yaml; the shipped glossary marks it requires_cw.
    lines = '{"content": "the last arc is basically mind break"}\n{"content": "CW: mind break\\nthe last arc"}\n'
    code, out, _ = run(capsys, monkeypatch, lines)
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 0
    assert first["flagged"] is True
    assert first["findings"][0]["term"] == "mind break"
    assert second["flagged"] is False


def test_a_policy_that_excludes_glossary_terms_ignores_them(capsys, monkeypatch, tmp_path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "requirement: either\n"
        "include_glossary_terms: false\n"
        "terms:\n"
        "  - {name: netorare, category: NTR}\n"
    )
    code, out, _ = run(
        capsys, monkeypatch, '{"content": "the last arc is basically mind break"}\n', "--policy", str(policy)
    )
    assert json.loads(out)["flagged"] is False


def test_a_broken_default_glossary_is_named_by_its_path(capsys, monkeypatch, tmp_path) -> None:
    import bot.cli.check_cmd as check_cmd

    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("version: 1\nentries:\n  - id: x\n", encoding="utf-8")
    shipped = check_cmd.shipped_config_file
    monkeypatch.setattr(
        check_cmd, "shipped_config_file", lambda name: glossary if name == "glossary.yaml" else shipped(name)
    )
    code, _, err = run(capsys, monkeypatch, '{"content": "hello"}\n')
    assert code == 2
    assert f"the glossary {glossary} cannot be used" in err
