"""End to end: `quizgen build` over a copy of the real bank."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.cli import cli

from conftest import REAL_BANK
from quizgen.bank.load import load_bank


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("build")
    bank = root / "questions"
    shutil.copytree(REAL_BANK, bank)  # the renderer updates the lock file; keep the repo's untouched
    out = root / "output"
    result = CliRunner().invoke(cli, ["build", "--bank", str(bank), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return bank, out, result.output


def test_build_writes_deck_worksheets_and_keys(built):
    bank, out, output = built
    names = sorted(p.name for p in out.iterdir())
    assert "russia-japan-peace-treaty.apkg" in names
    sets = sorted(p.stem for p in (bank / "sets").glob("*.yaml"))
    for name in sets:
        assert f"{name}.pdf" in names and f"{name}-key.pdf" in names
    assert not [n for n in names if n.endswith(".tmp") or n.startswith(".")]
    for name in names:
        assert f"wrote {out / name} (" in output
    total = len(load_bank(bank)[0].questions)
    assert output.rstrip().endswith(f"{len(names)} files from {total} questions")


def test_second_build_is_byte_identical(built, monkeypatch):
    bank, out, _ = built
    before = digests(out)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = CliRunner().invoke(cli, ["build", "--bank", str(bank), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert digests(out) == before


def test_failed_build_leaves_previous_outputs_intact(built, tmp_path):
    bank, out, _ = built
    broken = tmp_path / "questions"
    shutil.copytree(bank, broken)
    path = broken / "curated" / "dates.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("difficulty: easy", "difficulty: trivial", 1),
                    encoding="utf-8")
    before = digests(out)
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    result = CliRunner().invoke(cli, ["build", "--bank", str(broken), "--out", str(out)])
    assert result.exit_code == 1
    assert "error: questions[" in result.output and "expected one of easy, medium, hard; found 'trivial'" in result.output
    assert result.output.rstrip().endswith("quizgen: 1 error; nothing was written")
    assert "Traceback" not in result.output
    assert digests(out) == before
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == mtimes


def test_source_date_epoch_changes_embedded_dates(built, tmp_path, monkeypatch):
    bank, out, _ = built
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    other = tmp_path / "out"
    result = CliRunner().invoke(cli, ["pdf", "quick-check", "--bank", str(bank), "--out", str(other)])
    assert result.exit_code == 0, result.output
    data = (other / "quick-check.pdf").read_bytes()
    assert b"D:20231114" in data  # 1700000000 is 2023-11-14 UTC
    assert data != (out / "quick-check.pdf").read_bytes()


def test_library_build_matches_the_cli(built, tmp_path):
    from quizgen.build import build

    bank, out, _ = built
    result = build(bank, tmp_path / "lib")
    from quizgen.bank.support import is_pending

    # support warnings of generated questions are pending their regeneration
    assert [w for w in result.warnings if not is_pending(w)] == []
    assert len(result.bank.questions) == len(load_bank(bank)[0].questions)
    assert digests(tmp_path / "lib") == digests(out)
