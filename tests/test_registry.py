"""add-source and rehash: sources.yaml edited as text (comments kept),
re-validated, written atomically; every refusal is one clear message."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank.load import load_bank
from quizgen.bank.article import guess_headline, id_from_file_name
from quizgen.bank.registry import NewSource, appended, yaml_scalar
from quizgen.cli import cli

ARTICLE = "\n\nThe Press That Changed Europe\n\nAround 1440, a goldsmith in Mainz began printing with movable type.\n"


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    root = tmp_path / "bank"
    assert CliRunner().invoke(cli, ["init", str(root), "--title", "Printing"]).exit_code == 0
    return root


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "press.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def add(bank: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["add-source", *args, "--bank", str(bank)], input=input)


def test_add_source_with_the_prompt_answered(bank: Path, article: Path):
    before = (bank / "sources.yaml").read_text(encoding="utf-8")
    result = add(bank, str(article), "--published", "2026-02-28", input="n\nPrinting Comes to Mainz\n")
    sha = hashlib.sha256(article.read_bytes()).hexdigest()
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Headline guessed from the text: The Press That Changed Europe\n"
        "Use this headline? [Y/n]: n\n"
        "Headline: Printing Comes to Mainz\n"
        f"copied {article} to {bank / 'sources' / 'press.txt'}\n"
        f"registered 'press' in {bank / 'sources.yaml'}: Printing Comes to Mainz (2026-02-28, sha256 {sha[:12]}...)\n")
    after = (bank / "sources.yaml").read_text(encoding="utf-8")
    assert after == before + ("\n  - id: press\n    file: press.txt\n    sha256: " + sha + "\n    outlet: null\n"
                              "    headline: Printing Comes to Mainz\n    published: \"2026-02-28\"\n")
    assert (bank / "sources" / "press.txt").read_bytes() == article.read_bytes()
    loaded, diagnostics = load_bank(bank)
    assert loaded is not None, diagnostics
    assert loaded.source("press").published == "2026-02-28"


def test_add_source_answering_y_takes_the_guess(bank: Path, article: Path):
    # A yes/no question, so "y" confirms the guess rather than becoming the headline.
    result = add(bank, str(article), input="y\n")
    assert result.exit_code == 0, result.output
    assert load_bank(bank)[0].source("press").headline == "The Press That Changed Europe"


def test_add_source_yes_takes_the_guess(bank: Path, article: Path):
    result = add(bank, str(article), "--yes", "--id", "gutenberg", "--outlet", "Class notes: week 1",
                 "--inferred-date", "1440/1450", "--inferred-reason", "The text says around 1440.")
    assert result.exit_code == 0, result.output
    source = load_bank(bank)[0].source("gutenberg")
    assert (source.headline, source.outlet, source.inferred_date) == (
        "The Press That Changed Europe", "Class notes: week 1", "1440/1450")


def test_add_source_already_in_the_corpus_is_not_copied(bank: Path):
    inside = bank / "sources" / "press.txt"
    inside.write_text(ARTICLE, encoding="utf-8")
    result = add(bank, str(inside), "--headline", "The Press")
    assert result.exit_code == 0, result.output
    assert "copied" not in result.output


def test_add_source_refuses_duplicates(bank: Path, article: Path):
    assert add(bank, str(article), "--yes").exit_code == 0
    before = (bank / "sources.yaml").read_bytes()
    result = add(bank, str(article), "--yes")
    assert result.exit_code == 1
    assert result.output == (
        f"{article}: error: expected a file not yet registered, found 'press.txt' registered as 'press' at "
        f"{bank / 'sources.yaml'}:12:5\n"
        "quizgen: 1 error; nothing was written\n")
    other = article.with_name("example.txt")
    other.write_text("Another text\n", encoding="utf-8")
    result = add(bank, str(other), "--headline", "Another")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{other}: error: expected a file not yet registered, found 'example.txt' registered as 'example' at "
        f"{bank / 'sources.yaml'}:6:5",
        f"{other}: error: expected no other file named 'example.txt' in the corpus folder {bank / 'sources'}, "
        "found a different one; rename the article",
        "quizgen: 2 errors; nothing was written"]
    assert (bank / "sources.yaml").read_bytes() == before


def test_add_source_non_utf8_is_one_clear_error(bank: Path, tmp_path: Path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Caf\u00e9 society\n".encode("latin-1"))
    result = add(bank, str(bad), "--yes")
    assert (result.exit_code, result.output) == (1, (
        f"{bad}:1:4: error: expected UTF-8 text, found undecodable bytes (byte 0xe9); save the article as UTF-8 "
        "and try again\nquizgen: 1 error; nothing was written\n"))
    missing = add(bank, str(tmp_path / "nope.txt"), "--yes")
    assert missing.exit_code == 1 and "expected an article file here, found none" in missing.output


def test_add_source_checks_dates_before_asking(bank: Path, article: Path):
    result = add(bank, str(article), "--published", "2026-11-31")
    assert (result.exit_code, result.output) == (1, (
        f"{article}: error: --published: expected a day that exists in the calendar, found '2026-11-31' (November 2026 has 30 days)\n"
        "quizgen: 1 error; nothing was written\n"))
    result = add(bank, str(article), "--inferred-date", "2019-03/2018", "--inferred-reason", "x", "--yes")
    assert result.output.splitlines()[0] == (
        f"{article}: error: --inferred-date: expected a range earliest first, found '2019-03/2018' "
        "(it ends before it starts)")


def test_add_source_to_a_registry_with_errors_is_refused(bank: Path, article: Path):
    path = bank / "sources.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("outlet: quizgen", "outlet: [quizgen]"), encoding="utf-8")
    result = add(bank, str(article), "--yes")
    assert result.exit_code == 1
    assert result.output.splitlines()[-2] == (f"{path}: error: expected a valid registry to add to; fix the errors "
                                              "above first")


def test_rehash_updates_the_hash_and_reports_broken_quotes(bank: Path):
    example = bank / "sources" / "example.txt"
    example.write_text(example.read_text(encoding="utf-8").replace("at most thirty words", "at most 30 words"),
                       encoding="utf-8")
    registry = bank / "sources.yaml"
    before = registry.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["rehash", "--bank", str(bank)])
    new = hashlib.sha256(example.read_bytes()).hexdigest()
    old = before.split("sha256: ")[1][:64]
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"example: sha256 {old[:12]}... -> {new[:12]}... (example.txt)",
        f"{bank / 'curated' / 'example.yaml'}:15:16: error: quote: question 'example-quote-length': expected the "
        "quote in example, found no match for \"A quote may be at most thirty words long\"; closest passage: "
        "\"A quote may be at most 30 words long,\"; first difference: the quote has 'thirty' where the article "
        "has '30'",
        "quizgen: 1 error; updated the sha256 of 1 source; 1 quote no longer verifies"]
    assert registry.read_text(encoding="utf-8") == before.replace(old, new)
    again = CliRunner().invoke(cli, ["rehash", "--bank", str(bank), "example"])
    assert again.output.splitlines()[-1] == "quizgen: 1 error; no sha256 changed; 1 quote no longer verifies"


def test_rehash_with_nothing_changed_and_unknown_ids(bank: Path):
    result = CliRunner().invoke(cli, ["rehash", "--bank", str(bank)])
    assert (result.exit_code, result.output) == (0, "ok: no sha256 changed; all 2 quotes still verify\n")
    result = CliRunner().invoke(cli, ["rehash", "--bank", str(bank), "exampel"])
    assert (result.exit_code, result.output) == (1, (
        f"{bank / 'sources.yaml'}: error: expected a source id of the registry, found 'exampel' "
        "(did you mean 'example'?)\nquizgen: 1 error; nothing was written\n"))


def test_guess_headline_skips_page_furniture():
    text = ("Currency converter\nAll news\nYou can filter your feed,\nby choosing only interesting\n\n"
            "Tokyo, Moscow to continue close work on treaty\n\nMarch 20, 2017, 11:44 UTC+3\n")
    assert guess_headline(text) == "Tokyo, Moscow to continue close work on treaty"
    banner = "DONATE - Make a charitable donation in support of us!\n\nPenicillin Found by Accident in London\n"
    assert guess_headline(banner) == "Penicillin Found by Accident in London"
    assert guess_headline("short\n\n") is None


def test_id_from_file_name():
    assert id_from_file_name("Printing Press (1).txt") == "printing-press-1"
    assert id_from_file_name("000_2f4a.txt") == "000-2f4a"


text_values = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(headline=text_values.filter(lambda s: s.strip()), outlet=st.one_of(st.none(), text_values))
def test_appended_record_reads_back_exactly(headline: str, outlet: str | None):
    """Whatever a headline or outlet holds, the appended block reads back as the same strings."""
    import yaml

    record = NewSource("x", "x.txt", "0" * 64, outlet, headline, published="2020")
    text = appended("# keep me\nsources:  # and me\n  - id: a\n    file: a.txt\n", record, "s.yaml")
    assert text.startswith("# keep me\nsources:  # and me\n  - id: a\n    file: a.txt\n")
    doc = yaml.safe_load(text)
    assert doc["sources"][1] == {"id": "x", "file": "x.txt", "sha256": "0" * 64, "outlet": outlet,
                                 "headline": headline, "published": "2020"}
    assert yaml.safe_load("k: " + yaml_scalar(headline)) == {"k": headline}


def test_add_source_with_no_guess_asks_for_the_headline(bank: Path, tmp_path: Path):
    # No line reads like a headline: nothing to confirm, and never a headline "None".
    plain = tmp_path / "notes.txt"
    plain.write_text("the mayors met.\nthey signed.\n", encoding="utf-8")
    result = add(bank, str(plain), "--published", "2021", input="River Notes\n")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("No line of the text reads like a headline.\nHeadline: River Notes\n")
    assert "None" not in result.output
    assert load_bank(bank)[0].source("notes").headline == "River Notes"
