"""Moodle XML export, read back with lxml (an independent XML parser):
well-formed, one <question> per item with its id, keyed and cited."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from quizgen.model import Bank
from quizgen.render import RenderOptions
from quizgen.render import moodle
from quizgen.select import deliverable

from test_export_gift import HOSTILE, hostile_bank, real_bank  # noqa: E402  (shared fixtures)

etree = pytest.importorskip("lxml.etree")

TYPES = {"mcq": "multichoice", "true_false": "truefalse", "short_answer": "shortanswer",
         "matching": "matching", "cloze": "cloze", "ordering": "ordering"}


def parse(data: bytes):
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def visible(markup: str) -> str:
    """HTML text as a reader sees it: tags gone, entities decoded, <br> a line break."""
    markup = re.sub(r"<br>", "\n", markup)
    markup = re.sub(r"</p><p>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def check(bank: Bank, root) -> None:
    assert root.tag == "quiz"
    cats = root.findall("question[@type='category']")
    items = [q for q in root.findall("question") if q.get("type") != "category"]
    assert len(cats) == len({q.topic for q in bank.questions})
    ids = [el.findtext("idnumber") for el in items]
    assert len(ids) == len(set(ids)) == len(bank.questions)
    assert set(ids) == {q.id for q in bank.questions}
    for el in items:
        q = bank.question(el.findtext("idnumber"))
        assert el.findtext("name/text") == q.id
        assert el.get("type") == TYPES[q.type]
        fb = visible(el.findtext("generalfeedback/text"))
        for c in q.citations:
            assert c.quote in fb and bank.source(c.source).headline in fb
        assert q.explanation in fb
        if q.support.status != "quoted":
            assert q.support.reason in fb
        assert q.topic in [t.text for t in el.findall("tags/tag/text")]
        stem = visible(el.findtext("questiontext/text"))
        answers = el.findall("answer")
        if q.type == "mcq":
            assert stem == q.prompt and el.findtext("single") == "true"
            assert [visible(a.findtext("text")) for a in answers] == list(q.options)
            assert [visible(a.findtext("text")) for a in answers if a.get("fraction") == "100"] == [q.answer]
        elif q.type == "true_false":
            right = [a.findtext("text") for a in answers if a.get("fraction") == "100"]
            assert right == [q.answer.lower()]
        elif q.type == "short_answer":
            assert stem == q.prompt
            right = [a.findtext("text").replace("\\*", "*") for a in answers if a.get("fraction") == "100"]
            assert right[0] == q.answer and right == list(dict.fromkeys((q.answer, *q.accept)))
            assert all(a.get("fraction") == "100" for a in answers)
        elif q.type == "matching":
            got = [(visible(s.findtext("text")), s.findtext("answer/text")) for s in el.findall("subquestion")]
            # spares: Moodle's extra wrong answers, subquestions with empty text
            assert stem == q.prompt and got == list(q.pairs) + [("", spare) for spare in q.spares]
        elif q.type == "ordering":
            got = sorted((int(a.get("fraction")), visible(a.findtext("text"))) for a in answers)
            assert [item for _, item in got] == list(q.items)
        elif q.type == "cloze":
            raw = el.findtext("questiontext/text")
            embedded = re.findall(r"\{1:SHORTANSWER:%100%((?:[^\\}]|\\.)*)\}", raw)
            unescaped = [re.sub(r"\\(.)", r"\1", html.unescape(e)) for e in embedded]
            assert unescaped == list(q.cloze_blanks)


def test_shipped_bank_is_well_formed_keyed_and_cited():
    bank = real_bank()
    root = parse(moodle.export(bank, RenderOptions()))
    check(bank, root)
    cat = root.find("question[@type='category']/category/text").text
    assert cat.startswith(f"$course$/top/{bank.config.title}/")


def test_hostile_strings_survive_exactly():
    bank = hostile_bank()
    root = parse(moodle.export(bank, RenderOptions()))
    check(bank, root)
    cats = [c.text for c in root.findall("question/category/text")]
    assert cats[0] == "$course$/top/Title // with slash: {x}/Topic = one"
    stems = {el.findtext("idnumber"): el.findtext("questiontext/text") for el in root.findall("question")}
    assert "<b>" not in stems["h-mcq"] and visible(stems["h-mcq"]) == HOSTILE


def test_bytes_are_reproducible():
    bank = hostile_bank()
    assert moodle.export(bank, RenderOptions()) == moodle.export(bank, RenderOptions(timestamp=9))
