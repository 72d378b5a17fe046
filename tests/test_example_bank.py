"""The second example bank (examples/science-history), end to end as a user
meets it: validate, verify its quotes against its own three texts, build the
Anki deck and import it into a real Anki collection, build the worksheets and
read them back. It is on another subject than the shipped bank, so these tests
show that nothing of the shipped bank's subject leaks into a build."""

from __future__ import annotations

import re
import shutil
import sqlite3
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.bank.load import load_bank
from quizgen.cli import cli
from quizgen.ids import note_guid

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "science-history"
OWN_BANK_DOC = REPO / "docs" / "own-bank.md"
TITLE = "History of Science"
TOPIC_DECKS = ("Measuring in antiquity", "The printing press", "Penicillin", "Across the centuries")
QUESTION_TYPES = {"mcq", "true_false", "short_answer", "cloze", "matching", "ordering"}

# Proper names and words of the shipped bank's subject: none may reach an
# output of this bank (they could only come from quizgen/ itself).
SHIPPED_WORDS = ("Russia", "Russian", "Japan", "Japanese", "Kuril", "Kurils", "Putin", "Abe", "Lavrov",
                 "Kishida", "Medvedev", "Tokyo", "Moscow", "Sputnik", "TASS", "NHK", "Habomai", "Shikotan",
                 "Iturup", "Kunashir", "Northern Territories", "peace treaty", "island", "islands", "1956")
SHIPPED = re.compile(r"\b(" + "|".join(re.escape(w) for w in SHIPPED_WORDS) + r")\b", re.IGNORECASE)


def shipped_words_in(text: str) -> list[str]:
    return sorted({m.group(1) for m in SHIPPED.finditer(text)})


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def bank_copy(tmp_path_factory) -> Path:
    """The example bank copied aside: building writes anki-lock.json into the bank."""
    root = tmp_path_factory.mktemp("example") / "science-history"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("anki-lock.json"))
    return root


def test_the_example_validates_without_warnings():
    code, out = run("validate", str(EXAMPLE))
    assert code == 0, out
    assert out.strip().splitlines() == ["ok: 35 questions in 4 files, 3 sources, 3 sets; 57 quotes found verbatim"]


def test_the_example_covers_every_question_type_and_topic():
    bank, diagnostics = load_bank(EXAMPLE)
    assert bank is not None, diagnostics
    assert {q.type for q in bank.questions} == QUESTION_TYPES
    assert bank.config.title == TITLE
    assert bank.config.id_namespace == "science-history-7f3a"
    assert [bank.config.topic_name(t.id) for t in bank.config.topics] == list(TOPIC_DECKS)
    assert {q.topic for q in bank.questions} == {t.id for t in bank.config.topics}
    # one text prints no date: its date is ours, with the reasoning
    undated = [s for s in bank.sources if s.published is None]
    assert [(s.id, s.inferred_date) for s in undated] == [("penicillin", "2026")]
    assert "2028" in undated[0].inferred_reason
    assert shipped_words_in(" ".join(q.prompt + q.explanation + q.answer for q in bank.questions)) == []


def test_every_quote_is_in_the_examples_own_texts():
    code, out = run("verify", "--bank", str(EXAMPLE), "--corpus", str(EXAMPLE / "sources"))
    assert code == 0, out
    assert out.strip().splitlines()[-1] == "ok: 57 quotes found verbatim in 3 articles; all sha256 match"


def test_the_texts_are_short_plain_utf8_with_greek():
    texts = {p.name: p.read_bytes().decode("utf-8") for p in sorted((EXAMPLE / "sources").glob("*.txt"))}
    assert sorted(texts) == ["eratosthenes.txt", "penicillin.txt", "printing-press.txt"]
    for name, text in texts.items():
        assert 150 <= len(text.split()) <= 320, name
    assert "β-lactam" in texts["penicillin.txt"] and "π" in texts["eratosthenes.txt"]
    assert "around 1440" in texts["printing-press.txt"] and "BC" in texts["eratosthenes.txt"]
    assert shipped_words_in(" ".join(texts.values())) == []


def test_the_questions_in_docs_own_bank_validate_and_verify(tmp_path):
    """The doc's YAML examples are meant to be copied: every one must load and
    its quotes must be in the example's texts. The doc leaves out tags,
    difficulty and explanation after its first example to save space; they are
    filled in here."""
    import yaml

    from quizgen.bank.sources import verify

    blocks = re.findall(r"```yaml\n(.*?)```", OWN_BANK_DOC.read_text(encoding="utf-8"), re.S)
    questions = []
    for block in blocks:
        block = block.split("\n", 1)[1] if block.startswith("questions:") else block
        if block.lstrip().startswith("- id:"):
            questions += yaml.safe_load(textwrap.dedent(block))
    assert {q["type"] for q in questions} == QUESTION_TYPES
    for q in questions:
        q.setdefault("tags", ["example"])
        q.setdefault("difficulty", "medium")
        q.setdefault("explanation", "As the quote says.")
    root = tmp_path / "mybank"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("curated", "anki-lock.json"))
    (root / "curated").mkdir()
    (root / "curated" / "from-the-doc.yaml").write_text(yaml.safe_dump({"questions": questions}, allow_unicode=True),
                                                        encoding="utf-8")
    for extra in root.glob("sets/*.yaml"):  # the sets name topics the doc's few questions do not all cover
        extra.unlink()
    bank, diagnostics = load_bank(root)
    assert bank is not None and diagnostics == [], [str(d) for d in diagnostics]
    report = verify(bank, root / "sources")
    assert not report.diagnostics and report.quotes_checked == sum(len(q["citations"]) for q in questions)


# --- the Anki deck, imported into a real collection ---------------------------


@pytest.fixture(scope="module")
def apkg(bank_copy, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example-out")
    code, output = run("anki", "--bank", str(bank_copy), "--out", str(out))
    assert code == 0, output
    (package,) = out.glob("*.apkg")
    assert package.name == "history-of-science.apkg"
    return package


def test_nothing_in_the_package_names_the_shipped_banks_subject(apkg, tmp_path):
    """Not the notes only: note types, their templates and CSS, deck descriptions."""
    with zipfile.ZipFile(apkg) as z:
        z.extract("collection.anki2", tmp_path)
    con = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        dump = "\n".join(con.iterdump())
    finally:
        con.close()
    assert "History of Science" in dump
    assert shipped_words_in(dump) == []


@pytest.fixture(scope="module")
def collection(apkg, tmp_path_factory):
    anki_collection = pytest.importorskip("anki.collection")
    folder = tmp_path_factory.mktemp("example-anki")
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    request = anki_collection.ImportAnkiPackageRequest(package_path=str(apkg))
    log = col.import_anki_package(request).log
    assert len(log.new) == 35
    yield col
    col.close()


def test_the_deck_is_named_after_the_banks_title(collection):
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert {TITLE, *(f"{TITLE}::{topic}" for topic in TOPIC_DECKS)} <= names
    assert "β-lactam" in collection.decks.by_name(TITLE)["desc"]
    for cid in collection.find_cards(""):
        assert collection.decks.get(collection.get_card(cid).did)["name"].startswith(f"{TITLE}::")


def test_one_note_per_question_with_namespaced_guids(collection):
    bank, _ = load_bank(EXAMPLE)
    assert collection.note_count() == len(bank.questions) == 35
    guids = {collection.get_note(nid).guid for nid in collection.find_notes("")}
    assert guids == {note_guid(q.id, "science-history-7f3a") for q in bank.questions}
    assert not guids & {note_guid(q.id) for q in bank.questions}  # the namespace changes every GUID


def test_no_shipped_bank_word_in_any_note_and_greek_survives(collection):
    text = " ".join(" ".join(collection.get_note(nid).fields) for nid in collection.find_notes(""))
    assert shipped_words_in(text) == []
    for greek in ("β-lactam", "π", "σταφυλή", "Ερατοσθένης"):
        assert greek in text


# --- the worksheets and keys, read back --------------------------------------


def test_worksheets_and_keys_carry_the_title_and_greek_and_nothing_of_the_shipped_bank(bank_copy, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    code, output = run("pdf", "--bank", str(bank_copy), "--out", str(tmp_path))
    assert code == 0, output
    names = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert names == sorted(f"{s}{k}.pdf" for s in ("chronology", "full-review", "measuring-the-world")
                           for k in ("", "-key"))
    texts = {}
    for name in names:
        reader = pypdf.PdfReader(tmp_path / name)
        texts[name] = "\n".join(page.extract_text() for page in reader.pages)
        meta = " ".join(str(v) for v in (reader.metadata or {}).values())
        assert shipped_words_in(texts[name] + " " + meta) == [], name
    flat = {name: " ".join(text.split()) for name, text in texts.items()}
    assert "Full review: the history of science in three texts" in flat["full-review.pdf"]
    assert "Measuring the world: Eratosthenes and Archimedes" in flat["measuring-the-world-key.pdf"]
    for name in ("full-review.pdf", "full-review-key.pdf"):
        assert "β-lactam" in flat[name] and "σταφυλή" in flat[name] and "π" in flat[name]
