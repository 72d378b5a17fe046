"""The bank as Moodle XML (``<quiz>``), written with the standard library.

One ``<question>`` per item, ``<name>`` and ``<idnumber>`` = the question id,
preceded by a category question per topic (``$course$/top/<bank title>/<topic>``).
Native forms: mcq -> multichoice (single, answers not shuffled: the bank's
order is the worksheets' order), true_false -> truefalse, short_answer ->
shortanswer (key and accepted forms at 100%), matching -> matching,
cloze -> cloze (embedded SHORTANSWER answers), ordering -> ordering
(qtype_ordering). The explanation, support status and every citation are the
general feedback. See docs/exports.md, "Moodle XML".
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

from quizgen.model import CLOZE_BLANK, Bank, Question
from quizgen.render import RenderOptions
from quizgen.render.feedback import feedback_lines
from quizgen.render.fragments import pieces

SUFFIX = ".xml"


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if fmt:
        el.set("format", fmt)
    ET.SubElement(el, "text").text = value
    return el


def _html(value: str) -> str:
    """Plain bank text as Moodle HTML: entities, line breaks kept."""
    return html.escape(value, quote=False).replace("\n", "<br>")


def feedback_html(q: Question, bank: Bank) -> str:
    return "".join(f"<p>{_html(p)}</p>" for p in feedback_lines(q, bank))


def shortanswer_key(value: str) -> str:
    # Moodle's shortanswer reads "*" as a wildcard; "\*" is a literal star.
    return value.replace("*", "\\*")


def cloze_answer(value: str) -> str:
    """One embedded answer: Moodle's cloze specials escaped by backslash."""
    out = value.replace("\\", "\\\\")
    for ch in '}#~/"{':
        out = out.replace(ch, "\\" + ch)
    return html.escape(out, quote=False)


def _answer(parent: ET.Element, fraction: int, text: str, fmt: str = "html") -> ET.Element:
    return _text(parent, "answer", text, fmt, fraction=str(fraction))


def question(q: Question, bank: Bank) -> ET.Element:
    kind = {"mcq": "multichoice", "true_false": "truefalse", "short_answer": "shortanswer",
            "matching": "matching", "cloze": "cloze", "ordering": "ordering"}.get(q.type)
    if kind is None:  # fail loudly, never drop a question
        raise ValueError(f"{q.id}: no Moodle XML form for type {q.type!r}")
    el = ET.Element("question", type=kind)
    _text(el, "name", q.id)
    if q.type == "cloze":
        stem = "".join(
            _html(part) if i % 2 == 0 else f"{{1:SHORTANSWER:%100%{cloze_answer(part)}}}"
            for i, part in enumerate(CLOZE_BLANK.split(q.prompt)))
    else:
        stem = _html(q.prompt)
    _text(el, "questiontext", stem, "html")
    _text(el, "generalfeedback", feedback_html(q, bank), "html")
    ET.SubElement(el, "defaultgrade").text = str(q.points or 1)
    ET.SubElement(el, "penalty").text = "0.3333333"
    ET.SubElement(el, "hidden").text = "0"
    ET.SubElement(el, "idnumber").text = q.id
    if q.type == "mcq":
        ET.SubElement(el, "single").text = "true"
        ET.SubElement(el, "shuffleanswers").text = "0"
        ET.SubElement(el, "answernumbering").text = "abc"
        for o in q.options:
            _answer(el, 100 if o == q.answer else 0, _html(o))
    elif q.type == "true_false":
        for word in ("true", "false"):
            _answer(el, 100 if (q.answer == "True") == (word == "true") else 0, word, "moodle_auto_format")
    elif q.type == "short_answer":
        ET.SubElement(el, "usecase").text = "0"
        for a in dict.fromkeys((q.answer, *q.accept)):
            _answer(el, 100, shortanswer_key(a), "moodle_auto_format")
    elif q.type == "matching":
        ET.SubElement(el, "shuffleanswers").text = "true"
        for left, right in q.pairs:
            sub = _text(el, "subquestion", _html(left), "html")
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = right
        for spare in q.spares:  # Moodle's extra wrong answer: a subquestion with empty text
            sub = _text(el, "subquestion", "", "html")
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = spare
    elif q.type == "ordering":
        ET.SubElement(el, "layouttype").text = "VERTICAL"
        ET.SubElement(el, "selecttype").text = "ALL"
        ET.SubElement(el, "selectcount").text = "0"
        ET.SubElement(el, "gradingtype").text = "ABSOLUTE_POSITION"
        ET.SubElement(el, "showgrading").text = "SHOW"
        ET.SubElement(el, "numberingstyle").text = "none"
        for position, item in enumerate(q.items, 1):
            # qtype_ordering keeps the correct position in the fraction (its own
            # test fixtures: fraction="1.0000000" for the first item).
            _answer(el, position, _html(item))
    tags = ET.SubElement(el, "tags")
    for t in dict.fromkeys((q.topic, *q.tags, f"difficulty:{q.difficulty}", f"origin:{q.origin}",
                            f"support:{q.support.status}")):
        ET.SubElement(ET.SubElement(tags, "tag"), "text").text = t
    return el


def category(bank: Bank, topic: str) -> ET.Element:
    def name(s: str) -> str:  # "/" separates levels; "//" is a literal slash
        return " ".join(s.split()).replace("/", "//")
    el = ET.Element("question", type="category")
    _text(el, "category", f"$course$/top/{name(bank.config.title)}/{name(bank.config.topic_name(topic))}")
    return el


def piece(el: ET.Element) -> str:
    """An element as ``ET.indent(quiz)`` would print it as a child of ``<quiz>``."""
    ET.indent(el, level=1)
    return ET.tostring(el, encoding="unicode")


def export(bank: Bank, options: RenderOptions) -> bytes:
    questions = sorted(bank.questions, key=lambda q: bank.config.topic_rank(q.topic))  # stable
    parts: list[str] = []
    topic = None
    for q, made in zip(questions, pieces("moodle", questions, lambda q: piece(question(q, bank)))):
        if q.topic != topic:
            topic = q.topic
            parts.append(piece(category(bank, topic)))
        parts.append(made)
    # the bytes of ET.indent(quiz) then ET.tostring(quiz), put together a question at a time
    body = "<quiz>" + "".join("\n  " + p for p in parts) + "\n</quiz>" if parts else "<quiz />"
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body.encode("utf-8", "xmlcharrefreplace") + b"\n"
