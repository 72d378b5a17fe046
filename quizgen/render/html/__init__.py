"""The bank as one self-contained HTML self-check quiz.

The page is static markup plus the questions as JSON in a
<script type="application/json"> block; the inline script builds every
question with textContent, so no bank text is ever parsed as HTML (or as
Anki's [sound:]/{{c1::}} markup: in a browser they are plain characters).
The JSON is escaped so that nothing in it can end the script element.
No network, no external file: CSS and JS are inlined from package data."""

from __future__ import annotations

import json
from html import escape
from importlib.resources import files

from quizgen.model import CLOZE_BLANK, Bank, Question
from quizgen.render import RenderOptions
from quizgen.render.fragments import pieces
from quizgen.render.anki.notes import shuffled_order

SUFFIX = ".html"

# Characters that could close the script element, open a comment or end a
# JavaScript line (U+2028/2029) are written as JSON escapes: JSON.parse reads
# them back as the same text.
_JSON_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                            "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _asset(name: str) -> str:
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def _source_line(bank: Bank, source_id: str) -> str:
    s = bank.source(source_id)
    return f"{s.outlet_label} \u2014 {s.headline}, {s.date_label}"


def _support(q: Question) -> str:
    if q.support.status == "quoted":
        return ""
    return f"Support: {q.support.status} \u2014 {q.support.reason}".rstrip(" \u2014")


def question_record(bank: Bank, q: Question) -> dict:
    rec: dict = {
        "id": q.id, "type": q.type,
        "label": f"{bank.config.topic_name(q.topic)} \u00b7 {q.type.replace('_', ' ')}",
        "answer": q.answer, "explanation": q.explanation, "support": _support(q),
        "citations": [{"quote": c.quote, "source": _source_line(bank, c.source)} for c in q.citations],
    }
    if q.type in ("mcq", "true_false"):
        rec.update(prompt=q.prompt, options=list(q.options), correct=q.correct_index)
    elif q.type == "short_answer":
        rec.update(prompt=q.prompt, accept=[q.answer, *q.accept])
    elif q.type == "cloze":
        # Even indexes: text; odd indexes: the blank's answer.
        rec.update(parts=CLOZE_BLANK.split(q.prompt))
    elif q.type == "matching":
        rights = [right for _, right in q.pairs] + list(q.spares)  # spares match no row
        order = shuffled_order(q.id, "html-matching", len(rights))
        rec.update(prompt=q.prompt, rows=[[left, str(i)] for i, (left, _) in enumerate(q.pairs)],
                   choices=[[str(i), rights[i]] for i in order])
    elif q.type == "ordering":
        order = shuffled_order(q.id, "html-ordering", len(q.items))
        rec.update(prompt=q.prompt, rows=[[q.items[i], str(i + 1)] for i in order],
                   choices=[[str(n), str(n)] for n in range(1, len(q.items) + 1)])
    return rec


def page_json(bank: Bank) -> str:
    # json.dumps({"questions": [...]}) with these separators, a question at a time
    records = pieces("html", bank.questions, lambda q: json.dumps(question_record(bank, q), ensure_ascii=False,
                                                                  separators=(",", ":")).translate(_JSON_SAFE))
    return '{"questions":[' + ",".join(records) + "]}"


def export(bank: Bank, options: RenderOptions) -> bytes:
    title = escape(options.deck_name or bank.config.deck, quote=True)
    n = len(bank.questions)
    page = "".join([
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        # No request may leave the page, even one a future edit adds by mistake.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ",
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n",
        "<title>", title, "</title>\n<style>\n", _asset("quiz.css"), "</style>\n</head>\n<body>\n",
        "<header><h1>", title, "</h1>\n",
        f"<span id=\"score\" class=\"score\" data-score=\"0\" aria-live=\"polite\">Score: 0 / {n}</span>\n",
        "<button type=\"button\" id=\"retry\" disabled>Retry wrong ones</button>\n",
        "<button type=\"button\" id=\"all\" hidden>Show all</button>\n</header>\n",
        "<main id=\"questions\"></main>\n",
        "<noscript><p>This quiz needs JavaScript.</p></noscript>\n",
        "<script type=\"application/json\" id=\"quiz-data\">", page_json(bank), "</script>\n",
        "<script>\n", _asset("quiz.js"), "</script>\n</body>\n</html>\n",
    ])
    return page.encode("utf-8")
