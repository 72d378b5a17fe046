"""Exports put together a question at a time (quizgen.render.fragments): the
same bytes as the whole document serialised at once, and the same bytes
whether each piece is made or taken from the build cache; after an edit
only the edited question's pieces are made again."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import quizgen.render.csv_export as csv_export
import quizgen.render.gift as gift
import quizgen.render.html as html_export
import quizgen.render.moodle as moodle
import quizgen.render.qti as qti
from quizgen.build import default_options, load_or_raise
from quizgen.build_cache import Digests, pieces_context
from quizgen.cachestore import Store
from quizgen.render import exporter
from quizgen.render.fragments import Memo, remembered
from quizgen.render.units import plan_units
from quizgen.render.xmlbytes import xml_bytes
from quizgen.select import deliverable

from conftest import REAL_BANK, REPO
from export_fixtures import hostile_bank

FORMATS = ("gift", "moodle", "qti", "csv", "tsv", "html")
# the function each format makes a question's piece with, to count the pieces made
MAKERS = {"gift": (gift, "question"), "moodle": (moodle, "question"), "qti": (qti, "item_element"),
          "csv": (csv_export, "_row"), "tsv": (csv_export, "term"), "html": (html_export, "question_record")}


@pytest.fixture(scope="module")
def banks():
    real = deliverable(load_or_raise(REAL_BANK)[0])
    example = deliverable(load_or_raise(REPO / "examples" / "science-history")[0])
    hostile = hostile_bank()
    return {"real": real, "example": example, "hostile": hostile, "empty": replace(hostile, questions=())}


# -- the old whole-document serialisations, as references ---------------------------

def moodle_whole(bank) -> bytes:
    quiz = ET.Element("quiz")
    questions = sorted(bank.questions, key=lambda q: bank.config.topic_rank(q.topic))
    topic = None
    for q in questions:
        if q.topic != topic:
            topic = q.topic
            quiz.append(moodle.category(bank, topic))
        quiz.append(moodle.question(q, bank))
    ET.indent(quiz)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + xml_bytes(quiz) + b"\n"


def qti_whole(bank, ident: str, title: str) -> bytes:
    root = ET.Element("questestinterop", {"xmlns": qti.QTI_NS, "xmlns:xsi": qti.XSI_NS,
                                          "xsi:schemaLocation": f"{qti.QTI_NS} {qti.QTI_XSD}"})
    assessment = qti._sub(root, "assessment", ident=ident, title=title)
    field = qti._sub(qti._sub(assessment, "qtimetadata"), "qtimetadatafield")
    qti._sub(field, "fieldlabel", "cc_maxattempts")
    qti._sub(field, "fieldentry", "1")
    section = qti._sub(assessment, "section", ident="root_section")
    for q in bank.questions:
        section.append(qti.item_element(bank, q))
    return qti._serialize(root)


def html_whole(bank) -> str:
    doc = {"questions": [html_export.question_record(bank, q) for q in bank.questions]}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).translate(html_export._JSON_SAFE)


def csv_whole(bank, options) -> bytes:
    parent = options.deck_name or bank.config.deck
    sources = csv_export.SourcesHtml({s.id: s for s in bank.sources})
    names = csv_export.tag_names(bank.questions)
    labels = {s: bank.config.label(f"support_{s}") for s in ("inferred", "outside")}
    out = io.StringIO()
    out.write(csv_export.HEADER)
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for q in bank.questions:
        writer.writerow(csv_export._row(bank, q, parent, sources, names, labels))
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("name", ["real", "example", "hostile", "empty"])
def test_pieces_put_together_are_the_whole_document(banks, name):
    bank = banks[name]
    options = default_options()
    assert moodle.export(bank, options) == moodle_whole(bank)
    assert qti.assessment_xml(bank, "ident-1", "A & <title>") == qti_whole(bank, "ident-1", "A & <title>")
    assert html_export.page_json(bank) == html_whole(bank)
    assert csv_export.export(bank, options) == csv_whole(bank, options)


# -- with the build cache ------------------------------------------------------------

def memo_for(bank, fmt: str, store: Store, options):
    (unit,) = [u for u in plan_units(bank, ("exports",), replace(options, exports=(fmt,)))]
    context, digests = pieces_context(unit, options, Digests())
    return Memo(store, context, {id(q): d for q, d in zip(unit.bank.questions, digests)})


def counting(monkeypatch, fmt: str) -> list:
    module, name = MAKERS[fmt]
    real = getattr(module, name)
    made: list = []

    def count(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, count)
    return made


def edited(bank):
    """The bank with one question's prompt changed."""
    questions = list(bank.questions)
    questions[3] = replace(questions[3], prompt=questions[3].prompt + " {edited} <&> ::~=#")
    return replace(bank, questions=tuple(questions))


def setting(bank, fmt: str, tmp_path):
    """Options, an empty cache, the exporter and what it makes of ``bank`` without the cache."""
    options = default_options()
    export = exporter(fmt)
    return options, Store("build", tmp_path / "cache"), export, export(bank, options)


def only_entry(tmp_path) -> Path:
    (entry,) = [p for p in (tmp_path / "cache" / "build").rglob("*") if p.is_file()]
    return entry


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_bytes_from_the_cache_and_only_an_edit_made_again(banks, fmt, tmp_path, monkeypatch):
    bank = banks["real"]
    options, store, export, plain = setting(bank, fmt, tmp_path)
    made = counting(monkeypatch, fmt)
    with remembered(memo_for(bank, fmt, store, options)):
        assert export(bank, options) == plain  # every piece made, and remembered
    assert len(made) == len(bank.questions)
    made.clear()
    with remembered(memo_for(bank, fmt, store, options)):
        assert export(bank, options) == plain  # every piece from the cache
    assert made == []

    changed = edited(bank)
    expected = export(changed, options)  # (no memo: made in full)
    assert expected != plain
    made.clear()
    with remembered(memo_for(changed, fmt, store, options)):
        assert export(changed, options) == expected
    assert len(made) == 1
    # the entry follows the bank: it holds the pieces of exactly the questions it was last made from
    kept = json.loads(store.get(only_entry(tmp_path).name))["pieces"]
    assert sorted(kept) == sorted(memo_for(changed, fmt, store, options).digests.values())


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_damaged_or_foreign_entry_is_made_again(banks, fmt, tmp_path, monkeypatch):
    bank = banks["example"]
    options, store, export, plain = setting(bank, fmt, tmp_path)
    with remembered(memo_for(bank, fmt, store, options)):
        export(bank, options)
    entry = only_entry(tmp_path)
    for bad in (b"{", json.dumps({"format": "other", "pieces": {}}).encode(),
                json.dumps({"format": "quizgen-export-pieces/1", "pieces": {"x": 3}}).encode()):
        store.put(entry.name, bad)  # a valid cache entry (its checksum is right) of the wrong shape
        made = counting(monkeypatch, fmt)
        with remembered(memo_for(bank, fmt, store, options)):
            assert export(bank, options) == plain
        assert len(made) == len(bank.questions)
        monkeypatch.undo()


def test_a_piece_depends_on_the_context(banks, tmp_path):
    """Another deck name (csv's deck column) or other sources (every
    format's feedback): what the cache gives is what a render without it
    gives, never a piece of the old context."""
    bank = banks["example"]
    options = default_options()
    store = Store("build", tmp_path / "cache")
    for fmt in FORMATS:
        with remembered(memo_for(bank, fmt, store, options)):
            exporter(fmt)(bank, options)
    renamed = replace(options, deck_name="Another deck")
    other = replace(bank, sources=tuple(replace(s, headline=s.headline + " (corrected)") for s in bank.sources))
    for fmt in FORMATS:
        for b, o in ((bank, renamed), (other, options)):
            expected = exporter(fmt)(b, o)
            with remembered(memo_for(b, fmt, store, o)):
                assert exporter(fmt)(b, o) == expected
    assert exporter("csv")(bank, renamed) != exporter("csv")(bank, options)
    assert exporter("gift")(other, options) != exporter("gift")(bank, options)


def test_tag_spellings_of_the_whole_bank_are_part_of_a_csv_piece(banks, tmp_path):
    """A csv row spells its tags as all questions decide together: a new
    question that changes a spelling changes the other rows' pieces too."""
    bank = banks["example"]
    options = default_options()
    store = Store("build", tmp_path / "cache")
    with remembered(memo_for(bank, "csv", store, options)):
        exporter("csv")(bank, options)
    tag = bank.questions[0].tags[0]
    plural = replace(bank.questions[1], id="extra-plural", tags=(tag + "s",))
    crowd = replace(bank, questions=bank.questions + tuple(replace(plural, id=f"extra-{i}") for i in range(5)))
    with remembered(memo_for(crowd, "csv", store, options)):
        assert exporter("csv")(crowd, options) == exporter("csv")(crowd, options) == csv_whole(crowd, options)


# any character, and more often those XML, HTML, JSON and CSV treat specially
_SPECIAL = st.sampled_from(["<", ">", "&", '"', "'", ",", "\n", "\r", "\x00", "\x0b", "\u2028", "]"])


@settings(max_examples=60, deadline=None)
@example(texts=["a\ud800 <b>&amp; ]]>", "x\udfff\x0b\u2028", "\"Title\", 'quoted' & <more>"])  # text() draws no surrogates
@given(texts=st.lists(st.text(st.one_of(st.characters(), _SPECIAL), max_size=40), min_size=3, max_size=3))
def test_pieces_put_together_are_the_whole_document_for_any_text(banks, texts):
    """Whatever a prompt, an explanation or a source says (markup, entities,
    control characters, lone surrogates), the document put together from
    pieces is the document serialised at once."""
    bank = banks["example"]
    prompt, explanation, headline = texts
    questions = list(bank.questions[:4])
    questions[0] = replace(questions[0], prompt=prompt or "?", explanation=explanation)
    bank = replace(bank, questions=tuple(questions),
                   sources=(replace(bank.sources[0], headline=headline),) + bank.sources[1:])
    options = default_options()
    assert moodle.export(bank, options) == moodle_whole(bank)
    assert qti.assessment_xml(bank, "i", headline) == qti_whole(bank, "i", headline)
    assert html_export.page_json(bank) == html_whole(bank)
    # A bank's YAML cannot hold a lone surrogate (PyYAML refuses the escape); the XML
    # exports would write one as a character reference, the flat ones cannot encode it.
    if all(not any(0xD800 <= ord(c) <= 0xDFFF for c in t) for t in texts):
        assert csv_export.export(bank, options) == csv_whole(bank, options)
