"""quizgen coverage: every body sentence of every article, and who cites it."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

from click.testing import CliRunner

from conftest import REAL_BANK, REAL_CORPUS, write
from quizgen.bank.coverage import coverage, split_sentences
from quizgen.bank.load import load_bank
from quizgen.cli import cli

ARTICLE = (
    "Subscribe now!\n\n"
    "Harbour Talks Resume\n\n"
    "The two \u201cneighbouring\u201d ministers met in Portville on Monday\u00a0morning. "
    "They agreed to meet again in 2030 \u2014 after the harvest festival.\n"
    "Photo: the quay at St. Petersburg Street\n"
    "Nobody mentioned the fish market.\n"
    "Read more: Harbour fees rise again\n"
)


def bank_with(tmp_path: Path, exclude: str = "") -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "harbour.txt").write_text(ARTICLE, encoding="utf-8")
    sha = hashlib.sha256((corpus / "harbour.txt").read_bytes()).hexdigest()
    root = tmp_path / "bank"
    write(root / "bank.yaml", """
        title: Harbour Talks
        corpus: ../corpus
        """)
    write(root / "sources.yaml", textwrap.dedent(f"""
        sources:
          - id: harbour
            file: harbour.txt
            sha256: {sha}
            outlet: The Test Gazette
            headline: Harbour Talks Resume
            published: "2029-10-15"
        """).lstrip("\n") + exclude)
    write(root / "curated" / "q.yaml", """
        questions:
          - id: where-met
            type: mcq
            topic: meetings
            tags: [portville]
            difficulty: easy
            prompt: Where did the ministers meet?
            options: [Portville, Harbourton, Lakeside]
            answer: Portville
            explanation: They met in Portville.
            citations:
              - source: harbour
                quote: ministers met in Portville
          - id: festival
            type: true_false
            topic: dates
            tags: [plans]
            difficulty: easy
            prompt: They will meet again after the harvest festival.
            answer: true
            explanation: So the article says.
            citations:
              - source: harbour
                quote: after the harvest festival
        """)
    return root


EXCLUDE = """\
    exclude:
      - {text: "Subscribe now!", reason: banner}
      - {text: "Photo: the quay at St. Petersburg Street", reason: caption}
      - {text: "Read more: Harbour fees rise again", reason: related-article link}
"""


def test_sentences_split_at_full_stops_but_not_after_st_or_initials():
    line = "Kishida spoke. He met J. Smith at St. Petersburg. \u201cWe agree,\u201d he said."
    assert [text for _, _, text in split_sentences(0, line)] == [
        "Kishida spoke.", "He met J. Smith at St. Petersburg.", "\u201cWe agree,\u201d he said."]


def test_uncited_sentences_are_listed_and_furniture_left_out(tmp_path: Path):
    bank, diagnostics = load_bank(bank_with(tmp_path, EXCLUDE))
    assert bank is not None, diagnostics
    report = coverage(bank, tmp_path / "corpus")
    assert report.diagnostics == ()
    (article,) = report.articles
    assert [(s.text, s.curated) for s in article.sentences] == [
        # shown as quotes are matched: typographic quotes and dashes folded
        ('The two "neighbouring" ministers met in Portville on Monday morning.', ("where-met",)),
        ("They agreed to meet again in 2030 - after the harvest festival.", ("festival",)),
        ("Nobody mentioned the fish market.", ()),
    ]
    assert [s.text for s in article.uncited] == ["Nobody mentioned the fish market."]
    assert [(x.reason, x.text) for x in article.excluded] == [
        ("banner", "Subscribe now!"), ("caption", "Photo: the quay at St. Petersburg Street"),
        ("related-article link", "Read more: Harbour fees rise again"),
        ("headline (in the registry)", "Harbour Talks Resume")]


def test_without_excludes_furniture_counts_as_uncited(tmp_path: Path):
    bank, _ = load_bank(bank_with(tmp_path))
    (article,) = coverage(bank, tmp_path / "corpus").articles
    assert len(article.uncited) == 4


def test_an_excluded_text_must_be_in_the_article(tmp_path: Path):
    root = bank_with(tmp_path, EXCLUDE + '      - {text: "Advertisement", reason: advert}\n'
                                          '      - {text: "0", reason: counter}\n')
    bank, _ = load_bank(root)
    report = coverage(bank, tmp_path / "corpus")
    sources = root / "sources.yaml"
    # "0" is inside "2030" only, so it is not found as an excluded span of its own
    assert [str(d) for d in report.diagnostics] == [
        f"{sources}:12:16: error: exclude: expected the excluded text in harbour.txt, found no match "
        "for \"Advertisement\"",
        f"{sources}:13:16: error: exclude: expected the excluded text in harbour.txt, found no match for \"0\""]
    result = CliRunner().invoke(cli, ["coverage", "--bank", str(root)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "quizgen: 2 errors; nothing was written"


def test_an_exclude_entry_needs_text_and_reason(tmp_path: Path):
    root = bank_with(tmp_path, "    exclude:\n      - {text: Subscribe now!}\n")
    bank, diagnostics = load_bank(root)
    assert bank is None
    assert [str(d) for d in diagnostics] == [
        f"{root / 'sources.yaml'}:9:9: error: sources[0].exclude[0]: expected key 'reason', found none"]


def test_cli_output(tmp_path: Path):
    root = bank_with(tmp_path, EXCLUDE)
    result = CliRunner().invoke(cli, ["coverage", "--bank", str(root)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "harbour (harbour.txt): 2 of 3 sentences cited, 4 spans left out\n"
        '   1. The two "neighbouring" ministers met in Portville on Monday morning.\n'
        "      cited by where-met\n"
        "   2. They agreed to meet again in 2030 - after the harvest festival.\n"
        "      cited by festival\n"
        "   3. Nobody mentioned the fish market.\n"
        "      NOT CITED\n"
        "  left out (banner): Subscribe now!\n"
        "  left out (caption): Photo: the quay at St. Petersburg Street\n"
        "  left out (related-article link): Read more: Harbour fees rise again\n"
        "  left out (headline (in the registry)): Harbour Talks Resume\n"
        "\n"
        "2 of 3 body sentences cited in 1 articles; 1 not cited\n")
    uncited = CliRunner().invoke(cli, ["coverage", "--bank", str(root), "--uncited"])
    assert uncited.output.splitlines()[1:3] == ["   3. Nobody mentioned the fish market.", "      NOT CITED"]


def test_corpus_option_overrides_the_config(tmp_path: Path):
    root = bank_with(tmp_path, EXCLUDE)
    result = CliRunner().invoke(cli, ["coverage", "--bank", str(root), "--corpus", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert result.output == (f"{root / 'bank.yaml'}: error: corpus: expected the corpus folder {tmp_path / 'nowhere'}, "
                             "found none; pass --corpus DIR\nquizgen: 1 error; nothing was written\n")


def test_the_shipped_bank_cites_or_excludes_every_sentence():
    if not REAL_CORPUS.is_dir():
        import pytest

        pytest.skip(f"corpus not found at {REAL_CORPUS} (it lives outside the repository)")
    bank, _ = load_bank(REAL_BANK)
    report = coverage(bank, REAL_CORPUS)
    assert report.diagnostics == ()
    assert {a.source.id: [s.text for s in a.uncited] for a in report.articles} == {
        a.source.id: [] for a in report.articles}
    # curated questions alone cover every body sentence
    assert all(s.curated for a in report.articles for s in a.sentences)
