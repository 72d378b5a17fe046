from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.bank.load import load_bank
from quizgen.cli import cli
from quizgen.bank.sources import normalize, verify

from conftest import REAL_BANK, REAL_CORPUS


def test_normalize_folds_only_whitespace_quotes_and_dashes():
    assert normalize("a\u00a0\u201cb\u201d \u2014  c\n\u2019d") == "a \"b\" - c 'd"
    assert normalize("Kuril") != normalize("Kurils")


def test_mini_bank_verifies(mini_bank: Path, mini_corpus: Path):
    bank, _ = load_bank(mini_bank)
    report = verify(bank, mini_corpus)
    assert report.diagnostics == ()
    assert report.quotes_checked == 2
    assert [(c.source_id, c.curated, c.generated) for c in report.coverage] == [("harbour", 2, 0)]


def test_changed_quote_is_named(mini_bank: Path, mini_corpus: Path):
    path = mini_bank / "curated" / "basics.yaml"
    path.write_text(path.read_text().replace("meet again in 2030", "meet again in 2031"))
    bank, _ = load_bank(mini_bank)
    report = verify(bank, mini_corpus)
    assert [str(d) for d in report.diagnostics] == [
        f"{path}:24:16: error: quote: question 'next-year': expected the quote in harbour, "
        "found no match for \"meet again in 2031 - after the harvest festival\"; closest passage: "
        "\"meet again in 2030 - after the harvest festival.\"; first difference: the quote has '2031' where "
        "the article has '2030'"
    ]


def test_other_characters_are_not_tolerated(mini_bank: Path, mini_corpus: Path):
    path = mini_bank / "curated" / "basics.yaml"
    path.write_text(path.read_text().replace("Portville on Monday", "portville on Monday"))
    bank, _ = load_bank(mini_bank)
    assert len(verify(bank, mini_corpus).diagnostics) == 1


def test_hash_mismatch_reported(mini_bank: Path, mini_corpus: Path):
    (mini_corpus / "harbour.txt").write_text("Edited.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", "--bank", str(mini_bank), "--corpus", str(mini_corpus)])
    assert result.exit_code == 1
    assert f"{mini_bank / 'sources.yaml'}:2:5: error: sha256: expected sha256 " in result.output
    assert result.output.rstrip().endswith("quizgen: 1 error; nothing was written")


def test_missing_file_reported(mini_bank: Path, tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["verify", "--bank", str(mini_bank), "--corpus", str(empty)])
    assert result.exit_code == 1
    assert f"error: file: expected corpus file 'harbour.txt' in {empty}, found none" in result.output


def test_verify_cli_prints_coverage(mini_bank: Path, mini_corpus: Path):
    result = CliRunner().invoke(cli, ["verify", "--bank", str(mini_bank), "--corpus", str(mini_corpus)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "source   file         curated  generated  facts",
        "-------  -----------  -------  ---------  -----",
        "harbour  harbour.txt  2        0          0",
        "ok: 2 quotes found verbatim in 1 articles; all sha256 match",
    ]


@pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason="the real corpus is not at ../shared/corpus")
def test_real_bank_verifies_against_real_corpus():
    bank, diagnostics = load_bank(REAL_BANK)
    assert bank is not None, [str(d) for d in diagnostics]
    report = verify(bank, REAL_CORPUS)
    assert [str(d) for d in report.diagnostics] == []
    # every article is cited by curated questions
    assert all(c.curated >= 3 for c in report.coverage)
    assert len(report.coverage) == 5
