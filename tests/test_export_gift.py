"""GIFT export, read back by the independent gift-pegjs 1.0.2 parser (npm),
installed by .ci/run into a cache folder outside the repo."""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from quizgen.model import Bank, BankConfig, Citation, Question, Source, Topic, cloze_answer, matching_answer, \
    ordering_answer
from quizgen.render import RenderOptions
from quizgen.render import gift
from quizgen.select import deliverable

REPO = Path(__file__).parents[1]
CONSUMER = REPO / "tests" / "consumers" / "gift_parse.js"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "quizgen-ci"
NODE_MODULES = Path(os.environ.get("QUIZGEN_NODE_MODULES") or CACHE / "node_modules")

# Every GIFT special, backslash, a line break, HTML and a would-be matching arrow.
HOSTILE = "a~b=c#d{e}f:g\\h\nnext line <b>&amp;</b> x->y 50% \"q\" // *"
SRC = Source(id="src", file="a.txt", sha256="0" * 64, outlet="Out: {let}", headline="Head = ~line~ #1",
             published="2020-01-02")


def cite(quote: str = "quote with : and { } = ~ #") -> tuple[Citation, ...]:
    return (Citation("src", quote),)


def hostile_bank() -> Bank:
    h = HOSTILE
    pairs = ((h + " L1", h + " R1"), ("L2 " + h, "R2 " + h))
    items = (h + " 1", h + " 2", h + " 3")
    g = h.replace("\n", " ")  # a blank is one line (model.CLOZE_BLANK)
    cloze1 = f"Before {h} [[{g} gap]] after {h}."
    cloze2 = f"One [[{g} first]] two [[second {g}]]."
    qs = (
        Question(id="h-mcq", type="mcq", topic="t/one", prompt=h, options=(h + " right", h + " wrong"),
                 answer=h + " right", explanation=h, citations=cite(h)),
        Question(id="h-tf", type="true_false", topic="t/one", prompt=h, options=("True", "False"),
                 answer="False", explanation=h, citations=cite()),
        Question(id="h-short", type="short_answer", topic="two", prompt=h, answer=h + " key",
                 accept=(h + " other",), explanation=h, citations=cite(),
                 support=dataclasses.replace(Question.__dataclass_fields__["support"].default,
                                             status="inferred", reason=h)),
        Question(id="h-match", type="matching", topic="two", prompt=h, pairs=pairs,
                 answer=matching_answer(pairs), explanation=h, citations=cite()),
        Question(id="h-order", type="ordering", topic="two", prompt=h, items=items,
                 answer=ordering_answer(items), explanation=h, citations=cite()),
        Question(id="h-cloze1", type="cloze", topic="two", prompt=cloze1, answer=cloze_answer(cloze1),
                 explanation=h, citations=cite()),
        Question(id="h-cloze2", type="cloze", topic="two", prompt=cloze2, answer=cloze_answer(cloze2),
                 explanation=h, citations=cite()),
    )
    config = BankConfig(title="Title / with slash: {x}", topics=(Topic("t/one", "Topic = one"),))
    return Bank(root=".", sources=(SRC,), questions=qs, config=config)


def real_bank() -> Bank:
    from quizgen.bank.load import load_bank
    bank, diagnostics = load_bank(REPO / "questions")
    assert bank is not None, diagnostics
    return deliverable(bank)


def parse(data: bytes, tmp_path: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "gift-pegjs").is_dir():
        if os.environ.get("QUIZGEN_CI") == "1":
            pytest.fail(f"gift-pegjs not installed (node={node}, {NODE_MODULES}): .ci/run installs it")
        pytest.skip("gift-pegjs (npm) not installed; .ci/run installs it")
    path = tmp_path / "bank.gift"
    path.write_bytes(data)
    run = subprocess.run([node, str(CONSUMER), str(path)], capture_output=True, text=True,
                         env={**os.environ, "NODE_PATH": str(NODE_MODULES)}, timeout=60)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def plain(text: str) -> str:
    """Parsed HTML text back to the bank's (placeholders as in plain_key)."""
    return html.unescape(re.sub(r"&&(\d{3});?", lambda m: chr(int(m.group(1))), text).replace("<br>", "\n"))


def plain_key(text: str) -> str:
    """A short-answer key or matching answer back to the bank's (plain text).
    gift-pegjs leaves its own placeholders for escaped characters in matching
    answers (``&&126;`` for ``~``, ``&&010`` for a line break): decoded here."""
    text = re.sub(r"&&(\d{3});?", lambda m: chr(int(m.group(1))), text)
    return text.replace("-&gt;", "->")


def check(bank: Bank, parsed: list[dict]) -> dict[str, str]:
    """Every question present, titled by id, keyed right, quoting its citations.
    Returns the form each question took."""
    cats = [p["title"] for p in parsed if p["type"] == "Category"]
    items = [p for p in parsed if p["type"] != "Category"]
    assert len(cats) == len({q.topic for q in bank.questions})
    assert sorted(p["title"] for p in items) == sorted(q.id for q in bank.questions)
    forms = {}
    for p in items:
        q = bank.question(p["title"])
        forms[q.id] = p["type"]
        fb = plain(p["globalFeedback"]["text"])
        for c in q.citations:
            assert c.quote in fb, (q.id, c.quote)
            assert bank.source(c.source).headline in fb
        assert q.explanation in fb
        if q.support.status != "quoted":
            assert q.support.reason in fb
        assert p["stem"]["format"] == "html"
        stem = plain(p["stem"]["text"])
        if q.type == "mcq":
            assert p["type"] == "MC" and stem == q.prompt
            assert [plain(c["text"]["text"]) for c in p["choices"]] == list(q.options)
            assert [plain(c["text"]["text"]) for c in p["choices"] if c["isCorrect"]] == [q.answer]
        elif q.type == "true_false":
            assert p["type"] == "TF" and stem == q.prompt and p["isTrue"] == (q.answer == "True")
        elif q.type == "short_answer":
            assert p["type"] == "Short" and stem == q.prompt
            keys = [plain_key(c["text"]["text"]) for c in p["choices"] if c["isCorrect"]]
            assert keys[0] == q.answer and set(keys) == {q.answer, *q.accept}
        elif q.type == "cloze" and len(q.cloze_blanks) == 1:
            assert p["type"] == "Short" and p["hasEmbeddedAnswers"]
            assert [plain_key(c["text"]["text"]) for c in p["choices"]] == list(q.cloze_blanks)
        else:
            assert p["type"] == "Matching"
            got = [(plain(m["subquestion"]["text"]), plain_key(m["subanswer"])) for m in p["matchPairs"]]
            if q.type == "matching":
                assert stem == q.prompt and got == list(q.pairs)
            elif q.type == "ordering":
                assert got == [(item, str(i)) for i, item in enumerate(q.items, 1)]
            else:
                assert got == [(f"[{i}]", b) for i, b in enumerate(q.cloze_blanks, 1)]
    return forms


def test_shipped_bank_parses_with_every_question_keyed_and_cited(tmp_path):
    bank = real_bank()
    data = gift.export(bank, RenderOptions())
    forms = check(bank, parse(data, tmp_path))
    assert len(forms) == len(bank.questions) >= 100


def test_hostile_strings_round_trip_exactly(tmp_path):
    bank = hostile_bank()
    data = gift.export(bank, RenderOptions())
    parsed = parse(data, tmp_path)
    check(bank, parsed)
    cats = [p["title"] for p in parsed if p["type"] == "Category"]
    assert cats[0] == "$course$/top/Title // with slash: {x}/Topic = one"
    stems = {p["title"]: plain(p["stem"]["text"]) for p in parsed if p["type"] != "Category"}
    assert stems["h-cloze1"] == f"Before {HOSTILE} _____ after {HOSTILE}."
    assert stems["h-cloze2"] == f"One [1] _____ two [2] _____."


def test_escape_is_exact():
    assert gift.escape("~=#{}:\\\n") == "\\~\\=\\#\\{\\}\\:\\\\\\n"
    assert gift.key("a->b &amp;") == "a-&gt;b &amp;"
    assert gift.rich("a->b <&>") == "a-&gt;b &lt;&amp;&gt;"


def test_bytes_are_reproducible():
    bank = hostile_bank()
    assert gift.export(bank, RenderOptions()) == gift.export(bank, RenderOptions(timestamp=5))
