from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from quizgen import __version__
from quizgen.cli import cli

from conftest import REAL_BANK


def test_every_command_has_help_text():
    runner = CliRunner()
    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help text"
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, name


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert (result.exit_code, result.output) == (0, f"quizgen, version {__version__}\n")


def test_help_does_not_import_heavy_modules():
    code = ("import sys; from quizgen.cli import main; sys.argv=['quizgen','--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "bad=[m for m in ('genanki','reportlab','yaml') if m in sys.modules]\n"
            "print('HEAVY', bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("HEAVY []")


def test_export_json_contract(mini_bank: Path):
    result = CliRunner().invoke(cli, ["export", "--bank", str(mini_bank), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert list(doc) == ["format", "sources", "questions"]
    assert doc["sources"][0] == {
        "id": "harbour", "file": "harbour.txt", "sha256": doc["sources"][0]["sha256"],
        "outlet": "The Test Gazette", "headline": "Harbour Talks Resume", "published": None,
        "inferred_date": "2029-10", "inferred_reason": "Invented for the tests.",
    }
    q = doc["questions"][0]
    assert {k: q[k] for k in ("id", "type", "topic", "answer", "options", "origin", "template", "facts")} == {
        "id": "where-met", "type": "mcq", "topic": "meetings", "answer": "Portville",
        "options": ["Portville", "Harbourton", "Lakeside"], "origin": "curated", "template": None, "facts": [],
    }
    assert q["citations"] == [{"source": "harbour",
                               "quote": 'The two "neighbouring" ministers met in Portville on Monday morning.'}]
    assert doc["questions"][1]["options"] == ["True", "False"] and doc["questions"][1]["answer"] == "True"


def test_export_refuses_to_overwrite_without_force(mini_bank: Path, tmp_path: Path):
    target = tmp_path / "bank.json"
    target.write_text("edited by hand")
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--bank", str(mini_bank), "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == f"Error: {target} exists; pass --force to overwrite it\n"
    assert target.read_text() == "edited by hand"
    result = runner.invoke(cli, ["export", "--bank", str(mini_bank), "-o", str(target), "--force"])
    assert result.exit_code == 0
    assert json.loads(target.read_text())["questions"][0]["id"] == "where-met"


def test_list_filters(mini_bank: Path):
    result = CliRunner().invoke(cli, ["list", "--bank", str(mini_bank), "--topic", "dates"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "type", "topic", "difficulty", "support", "sources", "prompt"]
    assert lines[2].split()[:6] == ["next-year", "true_false", "dates", "medium", "quoted", "harbour"]
    assert lines[-1] == "1 of 2 questions; support: 1 quoted, 0 inferred, 0 outside"


def test_bad_bank_exits_1_without_traceback(tmp_path: Path):
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output == (f"{tmp_path / 'nope'}: error: expected a bank folder, found no such directory\n"
                             "quizgen: 1 error; nothing was written\n")
    assert "Traceback" not in result.output


def test_export_real_bank_lists_all_types():
    result = CliRunner().invoke(cli, ["export", "--bank", str(REAL_BANK)])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)  # warnings go to stderr
    types = {q["type"] for q in doc["questions"]}
    assert types <= {"mcq", "true_false", "short_answer", "cloze", "matching", "ordering"}
    assert len(types) >= 4
    for q in doc["questions"]:
        assert q["citations"], q["id"]
        if q["type"] in ("mcq", "true_false"):
            assert q["answer"] in q["options"]
        else:
            assert q["options"] == []


def test_json_schemas_agree_with_the_validator():
    from quizgen.bank import records as validate
    from quizgen.model import DIFFICULTIES, QUESTION_TYPES

    schema = json.loads((REAL_BANK / "schema" / "questions.schema.json").read_text())
    question = schema["$defs"]["question"]
    assert question["properties"]["type"]["enum"] == list(QUESTION_TYPES)
    by_type = {rule["if"]["properties"]["type"]["const"]: rule["then"] for rule in question["allOf"]}
    assert sorted(by_type) == sorted(QUESTION_TYPES)
    for qtype, then in by_type.items():
        req, opt = validate.TYPE_KEYS[qtype]
        assert set(then["required"]) == set(validate.COMMON_REQUIRED + req), qtype
        assert set(then["properties"]) == set(validate.COMMON_REQUIRED + validate.COMMON_OPTIONAL + req + opt)
        assert then["properties"]["difficulty"]["enum"] == list(DIFFICULTIES)
    sets = json.loads((REAL_BANK / "schema" / "set.schema.json").read_text())
    assert sets["properties"]["set"]["properties"]["order"]["enum"] == list(validate.SET_ORDERS)


def test_build_with_a_corpus_option_that_names_no_folder(mini_bank: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--bank", str(mini_bank), "--out", str(out),
                                      "--corpus", str(tmp_path / "nope")])
    assert (result.exit_code, result.output) == (1, (
        f"{mini_bank / 'bank.yaml'}: error: corpus: expected the corpus folder {tmp_path / 'nope'}, found none; "
        "pass --corpus DIR\nquizgen: 1 error; nothing was written\n"))
    assert not out.exists()


def test_deck_option_is_checked_like_the_config(mini_bank: Path, tmp_path: Path):
    result = CliRunner().invoke(cli, ["anki", "--bank", str(mini_bank), "--out", str(tmp_path), "--deck", "A::"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--deck': expected a deck name without empty '::' parts, found 'A::'")


def test_validate_takes_the_bank_as_path_or_as_bank_option(mini_bank: Path):
    runner = CliRunner()
    by_path = runner.invoke(cli, ["validate", str(mini_bank)])
    by_option = runner.invoke(cli, ["validate", "--bank", str(mini_bank)])
    assert by_path.exit_code == by_option.exit_code == 0, by_path.output
    assert by_path.output == by_option.output
    assert by_path.output.startswith("ok: 2 questions in 1 files, 1 sources, 0 sets")
    both = runner.invoke(cli, ["validate", str(mini_bank), "--bank", str(mini_bank / "other")])
    assert both.exit_code == 2 and "two banks named" in both.output
