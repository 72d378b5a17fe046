"""The HTML self-check quiz, played in headless Chromium with the network blocked.

Skipped when Chromium or playwright is missing, except under .ci/run
(QUIZGEN_CI=1), where a missing consumer is a failure."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import REAL_BANK
from quizgen import select
from quizgen.bank.load import load_bank
from quizgen.model import Citation, Question
from quizgen.render import RenderOptions
from quizgen.render.html import export

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE = "</script><img src=x onerror=alert(1)> [sound:x.mp3] {{c1::x}} <!-- & \u2028"
SHOTS = Path(os.environ.get("QUIZGEN_SHOTS", "")) if os.environ.get("QUIZGEN_SHOTS") else None


def _need(ok: bool, why: str) -> None:
    if ok:
        return
    if os.environ.get("QUIZGEN_CI") == "1":
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="module")
def bank():
    b, diags = load_bank(REAL_BANK)
    assert b is not None, diags
    return select.deliverable(b)


@pytest.fixture(scope="module")
def html(bank) -> bytes:
    return export(bank, RenderOptions(timestamp=1700000000))


def test_reproducible_and_self_contained(bank, html):
    assert export(bank, RenderOptions(timestamp=1700000000)) == html
    text = html.decode("utf-8")
    assert "http://" not in text and "https://" not in text
    tags = re.findall(r"<(?:script|link|img|iframe|video|audio|source|object|embed)\b[^>]*>", text, re.I)
    assert all("src" not in t and "href" not in t for t in tags), tags
    # The data block holds no character that could end it or open markup.
    data = re.search(r'<script type="application/json" id="quiz-data">(.*?)</script>', text, re.S).group(1)
    assert not set(data) & set("<>&\u2028\u2029")


@pytest.fixture(scope="module")
def browser():
    _need(Path(CHROMIUM).exists(), "chromium not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "playwright not installed")
    import tempfile
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        # A persistent context so the profile is ours, not the default one.
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
            viewport={"width": 420, "height": 900})
        yield ctx
        ctx.close()


class Page:
    """A loaded quiz page with every request and console error recorded."""

    def __init__(self, ctx, path: Path, scheme: str = "light"):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = ctx.new_page()
        self.page.emulate_media(color_scheme=scheme)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append("dialog " + d.message), d.dismiss()))

        def route(r):
            if r.request.url.startswith("file://") and r.request.url.endswith(path.name):
                r.continue_()
            else:  # the network is blocked: anything else is recorded and refused
                self.requests.append(r.request.url)
                r.abort()
        self.page.route("**/*", route)
        self.page.goto(path.as_uri())

    def card(self, qid: str):
        return self.page.locator(f'[data-qid="{qid}"]')

    def score(self) -> int:
        return int(self.page.locator("[data-score]").get_attribute("data-score"))


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "quiz.html"
    path.write_bytes(data)
    return path


def _first(bank, kind: str) -> Question:
    return next(q for q in bank.questions if q.type == kind)


def _check(p: Page, q: Question) -> str:
    card = p.card(q.id)
    card.get_by_role("button", name="Check").click()
    return card.inner_text()


def test_play_the_shipped_bank(browser, bank, html, tmp_path):
    p = Page(browser, _write(tmp_path, html))
    assert p.page.locator("[data-qid]").count() == len(bank.questions)
    assert p.score() == 0
    assert f"Score: 0 / {len(bank.questions)}" in p.page.locator("[data-score]").inner_text()
    for q in bank.questions:
        visible = p.card(q.id).inner_text()
        assert not any(c.quote in visible for c in q.citations), q.id

    # The first mcq, answered with the mouse: click the option, then Check.
    q = _first(bank, "mcq")
    p.card(q.id).locator("label", has_text=q.answer).first.click()
    shown = _check(p, q)
    assert "Correct." in shown and q.explanation in shown
    assert all(c.quote in shown for c in q.citations)
    assert all(bank.source(c.source).headline in shown for c in q.citations)
    assert p.score() >= 1

    # true/false with the keyboard: focus the radio group, arrow to the answer, Space.
    q = _first(bank, "true_false")
    card = p.card(q.id)
    card.locator("input[type=radio]").first.focus()
    p.page.keyboard.press("Space")
    for _ in range(q.correct_index):
        p.page.keyboard.press("ArrowDown")
    assert "Correct." in _check(p, q)

    q = next((q for q in bank.questions if q.type == "short_answer" and q.accept), _first(bank, "short_answer"))
    form = (q.accept or (q.answer,))[-1]
    p.card(q.id).locator("input[type=text]").fill("  " + form.upper().replace(" ", "   ") + " ")
    assert "Correct." in _check(p, q)

    q = _first(bank, "cloze")
    for box, blank in zip(p.card(q.id).locator("input[type=text]").all(), q.cloze_blanks):
        box.fill(blank)
    assert "Correct." in _check(p, q)

    q = _first(bank, "matching")
    for box, (_, right) in zip(p.card(q.id).locator("select").all(), q.pairs):
        box.select_option(label=right)
    assert "Correct." in _check(p, q)

    q = _first(bank, "ordering")
    card = p.card(q.id)
    for row in card.locator(".row").all():
        item = row.locator("span").inner_text()
        row.locator("select").select_option(label=str(q.items.index(item) + 1))
    shown = _check(p, q)
    assert "Correct." in shown and all(c.quote in shown for c in q.citations)
    assert p.score() == 6

    # A wrong answer, then "retry wrong ones" shows only it, reset.
    wrong = [x for x in bank.questions if x.type == "mcq"][1]
    p.card(wrong.id).locator("label", has_text=next(o for o in wrong.options if o != wrong.answer)).first.click()
    assert "Not quite." in _check(p, wrong)
    assert p.score() == 6
    p.page.get_by_role("button", name="Retry wrong ones").click()
    assert [c.get_attribute("data-qid") for c in p.page.locator("[data-qid]:visible").all()] == [wrong.id]
    assert "Not quite." not in p.card(wrong.id).inner_text()
    p.page.get_by_role("button", name="Show all").click()
    assert p.page.locator("[data-qid]:visible").count() == len(bank.questions)

    assert p.errors == [] and p.requests == []
    if SHOTS:
        p.page.evaluate("window.scrollTo(0, 0)")
        p.page.screenshot(path=str(SHOTS / "html-light.png"))
        for kind in ("cloze", "matching", "ordering"):
            p.card(_first(bank, kind).id).screenshot(path=str(SHOTS / f"html-{kind}.png"))
        p.card(wrong.id).screenshot(path=str(SHOTS / "html-retry.png"))
        d = Page(browser, _write(tmp_path, html), scheme="dark")
        d.card(_first(bank, "mcq").id).locator("label").first.click()
        _check(d, _first(bank, "mcq"))
        d.page.screenshot(path=str(SHOTS / "html-dark.png"))
        q = [x for x in bank.questions if x.type == "mcq"][1]
        d.card(q.id).locator("label", has_text=next(o for o in q.options if o != q.answer)).first.click()
        _check(d, q)
        d.card(q.id).screenshot(path=str(SHOTS / "html-dark-wrong.png"))


def test_hostile_text_is_text(browser, bank, tmp_path):
    src = bank.questions[0].citations[0].source
    base = _first(bank, "mcq")
    hostile = [
        dataclasses.replace(base, id="hostile-mcq", prompt="Q " + HOSTILE, explanation="E " + HOSTILE,
                            options=(HOSTILE, "plain"), answer=HOSTILE,
                            citations=(Citation(src, "quote " + HOSTILE),)),
        dataclasses.replace(_first(bank, "cloze"), id="hostile-cloze", prompt="A [[" + HOSTILE + "]] b",
                            answer=HOSTILE, citations=(Citation(src, "quote two"),)),
    ]
    small = dataclasses.replace(bank, questions=tuple(hostile))
    p = Page(browser, _write(tmp_path, export(small, RenderOptions())))
    assert p.page.locator("img").count() == 0
    card = p.card("hostile-mcq")
    assert ("Q " + HOSTILE.replace("\u2028", "")).split("<!--")[0] in card.inner_text()
    card.locator("label", has_text="[sound:x.mp3]").click()
    shown = _check(p, hostile[0])
    assert "Correct." in shown and "{{c1::x}}" in shown and "quote </script><img" in shown
    p.card("hostile-cloze").locator("input[type=text]").fill(HOSTILE)
    assert "Correct." in _check(p, hostile[1])
    assert p.page.locator("img, iframe, audio").count() == 0
    assert p.errors == [] and p.requests == []


def test_support_reason_travels(bank):
    from quizgen.render.html import question_record
    inferred = [q for q in bank.questions if q.support.status == "inferred"]
    assert inferred, "the shipped bank has inferred keys"
    for q in inferred:
        rec = question_record(bank, q)
        assert rec["support"] == f"Support: inferred \u2014 {q.support.reason}"
        assert [c["quote"] for c in rec["citations"]] == [c.quote for c in q.citations]
