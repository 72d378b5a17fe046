"""Per-student copies: `quizgen pdf SET --students roster.csv`."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from quizgen.cli import cli
from quizgen.errors import QuizgenError
from quizgen.render import RenderOptions
from quizgen.render.pdf import render
from quizgen.render.pdf.roster import read_roster

from test_render_pdf import BANK, flat

ROSTER = ("Ada Lovelace", "Анна Петрова", "佐藤 花子", "Émile Zola")


def text(path: Path) -> str:
    return flat(" ".join(p.extract_text() for p in pypdf.PdfReader(path).pages))


def test_each_student_gets_a_named_copy_a_key_and_a_row_in_the_class_grid(tmp_path):
    options = RenderOptions(timestamp=1, set_names=("review",), students=ROSTER)
    paths = {p.name: p for p in render(BANK, tmp_path, options)}
    assert sorted(paths) == sorted([f"review-0{i}{k}.pdf" for i in range(1, 5) for k in ("", "-key")]
                                   + ["review-grid-key.pdf", "review.manifest.json"])
    manifest = json.loads(paths["review.manifest.json"].read_text(encoding="utf-8"))
    copies = manifest["copies"]
    assert [c["student"] for c in copies] == list(ROSTER)
    assert len({c["seed"] for c in copies}) == len(ROSTER)  # a seed of their own, recorded
    orders = {tuple(q["id"] for q in c["questions"]) for c in copies}
    assert len(orders) > 1, "every student got the same order"
    grid = text(paths["review-grid-key.pdf"])
    for number, (name, copy) in enumerate(zip(ROSTER, copies), start=1):
        sheet, key = text(paths[copy["worksheet"]]), text(paths[copy["key"]])
        assert name in sheet and f"Copy 0{number}" in sheet and f"s{copy['seed']}" in sheet
        assert name in key
        assert f"0{number} {name}" in grid
        first = copy["questions"][0]
        assert f"1. {first['key'].get('letter', '')}" in key or first["type"] != "mcq"


def test_the_same_roster_gives_the_same_copies_whatever_else_changes(tmp_path):
    a = render(BANK, tmp_path / "a", RenderOptions(set_names=("review",), students=ROSTER))
    b = render(BANK, tmp_path / "b", RenderOptions(set_names=("review",), students=ROSTER[:2]))
    ma = json.loads(next(p for p in a if p.suffix == ".json").read_text(encoding="utf-8"))["copies"]
    mb = json.loads(next(p for p in b if p.suffix == ".json").read_text(encoding="utf-8"))["copies"]
    assert ma[:2] == mb  # Ada's copy does not depend on who else is in the class


def test_roster_problems_are_reported_at_their_lines(tmp_path):
    roster = tmp_path / "class.csv"
    roster.write_text("name,class\nAda,7b\n,7b\nAda,7c\n", encoding="utf-8")
    with pytest.raises(QuizgenError) as err:
        read_roster(roster)
    messages = [str(d) for d in err.value.diagnostics]
    assert messages == [f"{roster}:3:1: error: expected a student's name, found an empty cell",
                        f"{roster}:4:1: error: expected each name once, found 'Ada' again (first on line 2)"]
    plain = tmp_path / "plain.csv"
    plain.write_text("Ada\nGrace\n", encoding="utf-8")
    assert read_roster(plain) == ("Ada", "Grace")


def test_the_cli_option(tmp_path, mini_bank: Path):
    roster = tmp_path / "class.csv"
    roster.write_text("name\nAda\nGrace\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["pdf", "--bank", str(mini_bank), "--students", str(roster), "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert any(n.endswith("-01.pdf") for n in names) and any(n.endswith("-02-key.pdf") for n in names)
    bad = tmp_path / "bad.csv"
    bad.write_text("name\n\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pdf", "--bank", str(mini_bank), "--students", str(bad), "--out", str(out)])
    assert result.exit_code == 1 and "expected at least one student's name" in result.output
    assert "Traceback" not in result.output
