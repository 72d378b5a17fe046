"""A small hostile bank for the export tests: every question type, text that
is markup in one target or another, an inferred key and two quotes."""

from __future__ import annotations

import html
import re
import unicodedata

from quizgen.model import Bank, BankConfig, Citation, Question, Source, Support, cloze_answer, matching_answer, \
    ordering_answer

SOURCE = Source(id="harbour", file="harbour.txt", sha256="0" * 64, outlet="Port <Gazette> & Co",
                headline="Harbour \"Talks\" [Resume]", published="2030-01-02")
HOSTILE = "<script>alert(1)</script> & {{c1::x}} [sound:a.mp3] \\(x\\) ~=#{}: \"q\" 'a'"


def cite(*quotes: str) -> tuple[Citation, ...]:
    return tuple(Citation("harbour", q) for q in quotes)


QUESTIONS = (
    Question(id="h-mcq", type="mcq", topic="talks", prompt="Which <b>day</b>? " + HOSTILE,
             options=("Monday & more", "Tuesday {x}", "[blank]"), answer="Monday & more",
             explanation="Said " + HOSTILE, citations=cite("met in Portville on Monday", "agreed to meet again")),
    Question(id="h-tf", type="true_false", topic="talks", prompt="They met on <Monday>.",
             options=("True", "False"), answer="True", explanation="Yes.", citations=cite("on Monday morning")),
    Question(id="h-short", type="short_answer", topic="talks", prompt="Where did they meet?\tTab\nline",
             answer="Portville", accept=("Port-ville",), explanation="Town.", citations=cite("met in Portville"),
             support=Support("inferred", "We infer <this> from the dateline.")),
    Question(id="h-cloze", type="cloze", topic="talks", prompt="They met in [[Portville]] on [[Monday]] {ok}.",
             answer=cloze_answer("They met in [[Portville]] on [[Monday]] {ok}."), explanation="Two.",
             citations=cite("met in Portville on Monday")),
    Question(id="h-match", type="matching", topic="talks", prompt="Match.",
             pairs=(("town", "Portville & <b>"), ("day", "Monday")),
             answer=matching_answer((("town", "Portville & <b>"), ("day", "Monday"))), explanation="Pairs.",
             citations=cite("met in Portville on Monday")),
    Question(id="h-order", type="ordering", topic="talks", prompt="Order.", items=("meet", "harvest", "meet again"),
             answer=ordering_answer(("meet", "harvest", "meet again")), explanation="Order.",
             citations=cite("after the harvest festival")),
)


def hostile_bank(root: str = ".") -> Bank:
    return Bank(root=root, sources=(SOURCE,), questions=QUESTIONS,
                config=BankConfig(title="Harbour & <Talks>", id_namespace="harbour-tests"))


def normal(value: str, markup: bool = True) -> str:
    """How EXPORTS.md compares quotes: unescaped, tags stripped, NFKC, straight
    quotes, whitespace collapsed, case-folded. markup=False for bank text,
    which is text, not HTML."""
    if markup:
        value = value.replace("<span></span>", "")  # what cuts a backslash from MathJax
        value = html.unescape(re.sub(r"<[^>]*>", " ", value))
    value = unicodedata.normalize("NFKC", value)
    value = value.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}))
    return re.sub(r"\s+", " ", value).strip().casefold()
