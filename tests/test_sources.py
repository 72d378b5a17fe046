from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank.load import load_bank
from quizgen.cli import cli
from quizgen.bank.sources import closest_passage, normalize, verify

from conftest import MINI_ARTICLE, REAL_BANK, REAL_CORPUS


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


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_validate_checks_quotes_from_the_configured_corpus(mini_bank: Path):
    path = mini_bank / "curated" / "basics.yaml"
    path.write_text(path.read_text().replace("Portville on Monday", "Portville on Tuesday"))
    result = run("validate", str(mini_bank))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:13:16: error: quote: question 'where-met': expected the quote in harbour, found no match for "
        "\"The two \"neighbouring\" ministers met in Portville on Tuesday morning.\"; closest passage: \"The two "
        "\"neighbouring\" ministers met in Portville on Monday morning.\"; first difference: the quote has "
        "'Tuesday' where the article has 'Monday'",
        "quizgen: 1 error; nothing was written"]
    build = run("build", "--bank", str(mini_bank), "--out", str(mini_bank.parent / "out"))
    assert build.exit_code == 1 and "where-met" in build.output
    assert not (mini_bank.parent / "out").exists()


def test_missing_corpus_is_a_warning_for_validate_and_an_error_for_verify(mini_bank: Path, mini_corpus: Path):
    mini_corpus.rename(mini_corpus.with_name("elsewhere"))
    result = run("validate", str(mini_bank))
    assert (result.exit_code, result.output.splitlines()) == (0, [
        f"{mini_bank / 'bank.yaml'}: warning: corpus: expected the corpus folder {mini_bank / '../corpus'}, "
        "found none; quotes and sha256 were not checked",
        "ok: 2 questions in 1 files, 1 sources, 0 sets"])
    result = run("verify", "--bank", str(mini_bank))
    assert (result.exit_code, result.output.splitlines()) == (1, [
        f"{mini_bank / 'bank.yaml'}: error: corpus: expected the corpus folder {mini_bank / '../corpus'}, "
        "found none; pass --corpus DIR",
        "quizgen: 1 error; nothing was written"])
    ok = run("verify", "--bank", str(mini_bank), "--corpus", str(mini_corpus.with_name("elsewhere")))
    assert ok.exit_code == 0, ok.output
    ok = run("validate", str(mini_bank), "--corpus", str(mini_corpus.with_name("elsewhere")))
    assert ok.output == "ok: 2 questions in 1 files, 1 sources, 0 sets; 2 quotes found verbatim\n"


def test_unreadable_articles_are_one_diagnostic_each(mini_bank: Path, mini_corpus: Path, tmp_path: Path):
    article = mini_corpus / "harbour.txt"
    registry = mini_bank / "sources.yaml"
    latin1 = "Caf\u00e9\n".encode("latin-1")
    article.write_bytes(latin1)
    registry.write_text(registry.read_text().replace(
        registry.read_text().split("sha256: ")[1][:64], hashlib.sha256(latin1).hexdigest()))
    result = run("validate", str(mini_bank))
    assert (result.exit_code, result.output.splitlines()) == (1, [
        f"{registry}:2:5: error: file: expected UTF-8 text in 'harbour.txt', found undecodable bytes on its line 1",
        "quizgen: 1 error; nothing was written"])
    article.unlink()
    article.mkdir()
    assert run("validate", str(mini_bank)).output.splitlines()[0] == (
        f"{registry}:2:5: error: file: expected a readable corpus file 'harbour.txt', found Is a directory")
    article.rmdir()
    outside = tmp_path / "outside.txt"
    outside.write_text(MINI_ARTICLE, encoding="utf-8")
    article.symlink_to(outside)
    assert run("validate", str(mini_bank)).output.splitlines()[0] == (
        f"{registry}:2:5: error: file: expected a file inside the corpus folder {mini_bank / '../corpus'}, "
        "found 'harbour.txt' resolving outside it")


def test_closest_passage_names_the_first_different_word():
    text = normalize("Kono planned to meet with Lavrov during the session. Later he left.")
    assert closest_passage(text, "Kono planned to meet Lavrov") == (
        "Kono planned to meet with Lavrov", "the article has 'with' where the quote has nothing")
    assert closest_passage(text, "kono planned to meet with Lavrov") == (
        "Kono planned to meet with Lavrov", "the quote has 'kono' where the article has 'Kono'")
    assert closest_passage(text, "Kono planned to meet with the Lavrov")[1] == (
        "the quote has 'the' where the article has nothing")
    assert closest_passage(text, "bananas and pears are fruit") is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 999), min_size=20, max_size=400, unique=True), st.data())
def test_a_quote_with_one_word_changed_finds_its_passage(numbers, data):
    """In a text of distinct words, change one inner word of a passage: the
    closest passage is that passage and the changed word is the difference."""
    words = [f"w{n}" for n in numbers]
    length = data.draw(st.integers(3, 30))
    start = data.draw(st.integers(0, max(0, len(words) - length)))
    quote = words[start:start + length]
    at = data.draw(st.integers(1, len(quote) - 2))
    changed = quote[:at] + ["zebra"] + quote[at + 1:]
    passage, difference = closest_passage(" ".join(words), " ".join(changed))
    assert difference == f"the quote has 'zebra' where the article has '{quote[at]}'"
    assert passage == " ".join(quote)


def test_validate_of_the_shipped_bank_with_its_corpus_finds_every_quote():
    # how fast is measured in bench/ (bench_validate.py), never by a timed test
    if not REAL_CORPUS.is_dir():
        pytest.skip("the real corpus is not at ../shared/corpus")
    result = run("validate", str(REAL_BANK), "--corpus", str(REAL_CORPUS))
    assert result.exit_code == 0, result.output
    assert "quotes found verbatim" in result.output


def test_a_byte_order_mark_is_not_part_of_the_first_quote(mini_bank: Path, mini_corpus: Path):
    article = mini_corpus / "harbour.txt"
    article.write_bytes(b"\xef\xbb\xbf" + article.read_bytes())
    registry = mini_bank / "sources.yaml"
    registry.write_text(registry.read_text().replace(
        registry.read_text().split("sha256: ")[1][:64], hashlib.sha256(article.read_bytes()).hexdigest()))
    path = mini_bank / "curated" / "basics.yaml"
    path.write_text(path.read_text().replace(
        'The two "neighbouring" ministers met', 'Harbour Talks Resume The two "neighbouring" ministers met'))
    bank, _ = load_bank(mini_bank)
    assert verify(bank, mini_corpus).diagnostics == ()
