"""The card's shown citation, chosen with the quick proof (shown_quote.cannot_state)
that most citations cannot state a key: always the one the support check alone
would choose. Correctness only; the speed is measured in bench/bench_anki.py."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen.bank.load import load_bank
from quizgen.bank.support import gaps, may_be_quoted
from quizgen.model import Citation, Question, Source, cloze_answer
from quizgen.render.anki.shown_quote import _printed, best_citation, cannot_state

ROOT = Path(__file__).resolve().parent.parent

# Fragments where the support check forgives a difference of form: number
# words, date forms, eras, centuries, decades, possessives, asides, typography,
# listed keys, digits other than 0-9, and fullwidth forms NFKC folds.
FRAGMENTS = [
    "15 December", "December 15", "Dec. 15th", "2016-12-15", "15.12.2016", "December 15, 2016", "December",
    "2016", "Sept 1928", "September 1928", "sept", "May", "may 3", "3 May", "March", "mar",
    "212 BC", "240 B.C.", "AD 79", "79 AD", "287-212 BC", "the eleventh century", "11th century",
    "the 1440s", "1440s", "around 1440", "c. 287 BC", "two", "2", "forty-two", "42", "two hundred", "200",
    "one fiftieth", "a fiftieth of", "1/50", "a third of", "seventy", "70", "twenty one", "21",
    "Fleming's", "Fleming", "Florey and Chain", "Florey", "Chain", "A, B or C", "A", "B", "C",
    "which stadion (στάδιον, a unit) he used", "which stadion he used", "foo (aside)bar", "foobar",
    "“Nagato”", '"nagato"', "Nagato", "Tokyo", "the Tokyo", "an island", "island", "island's",
    "１５ December", "١٥ December", "١٥", "15", "12", "2016-09-05", "9", "5", "Putin & Abe", "Putin",
    "Abe", "0079", "79", "the", "", "Лавров", "河野", "ninety-nine", "99", "1956", "19 October 1956",
]


def _question(kind: str, key: str, accept: tuple[str, ...], quotes: list[tuple[str, str]]) -> Question:
    citations = tuple(Citation(source, quote) for source, quote in quotes)
    if kind == "cloze":
        prompt = f"Before [[{key}]] after." if key.strip() and "]" not in key else "Before [[x]] after."
        return Question(id="q", type="cloze", topic="t", prompt=prompt, answer=cloze_answer(prompt),
                        explanation="", citations=citations)
    if kind == "short_answer":
        return Question(id="q", type="short_answer", topic="t", prompt="?", answer=key, accept=accept,
                        explanation="", citations=citations)
    return Question(id="q", type="mcq", topic="t", prompt="?", answer=key, options=(key, "other"),
                    explanation="", citations=citations)


SOURCES = {
    "s1": Source(id="s1", file="1.txt", sha256="0" * 64, outlet="Outlet one", headline="A headline of 1956",
                 published="2016-12-15"),
    "s2": Source(id="s2", file="2.txt", sha256="0" * 64, outlet=None, headline="Talks in Nagato", published=None),
}


def reference_best_citation(q: Question, sources: dict[str, Source]) -> int:
    """best_citation as it was before the quick proof: the support check on every citation."""
    if q.support.status != "quoted" or q.type not in ("mcq", "short_answer", "cloze"):
        return 0
    keys = list(q.cloze_blanks) if q.type == "cloze" else [q.answer]
    folded = [k.casefold() for k in keys if k]
    for i, c in enumerate(q.citations):
        if folded and all(k in c.quote.casefold() for k in folded):
            return i
    for i, c in enumerate(q.citations):
        alone = dataclasses.replace(q, citations=(c,))
        if may_be_quoted(alone, sources) and not gaps(alone, sources):
            return i
    return 0


def _keys(q: Question) -> list[str]:
    return [q.answer, *q.accept] if q.type == "short_answer" else (
        list(q.cloze_blanks) if q.type == "cloze" else [q.answer])


def _assert_sound(q: Question) -> int:
    """Checks every citation the quick proof rejects; returns how many it rejected."""
    rejected = 0
    for c in q.citations:
        if cannot_state(_keys(q), _printed(c.quote, SOURCES.get(c.source), {})):
            rejected += 1
            alone = dataclasses.replace(q, citations=(c,))
            assert not may_be_quoted(alone, SOURCES), (q.answer, q.accept, c)
    return rejected


@pytest.mark.parametrize("kind", ["mcq", "cloze"])  # a short answer's keys are read as an mcq's
def test_quick_proof_never_rejects_a_citation_the_support_check_takes(kind):
    rejected = tried = 0
    for key in FRAGMENTS:
        for quote in FRAGMENTS:
            for source, text in (("s1", quote), ("s2", f"It was {quote}, they said."), ("missing", quote)):
                rejected += _assert_sound(_question(kind, key, (), [(source, text)]))
                tried += 1
    assert rejected > tried / 2  # the proof is put to the test, not vacuously sound


@settings(derandomize=True, deadline=None, database=None, max_examples=200,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(["mcq", "short_answer", "cloze"]),
    key=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=3).map(" ".join),
    accept=st.lists(st.sampled_from(FRAGMENTS), max_size=2).map(tuple),
    quotes=st.lists(st.tuples(st.sampled_from(["s1", "s2", "missing"]),
                              st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map(" ".join)),
                    min_size=1, max_size=3),
)
def test_shown_citation_is_the_support_checks_choice(kind, key, accept, quotes):
    q = _question(kind, key, accept, quotes)
    _assert_sound(q)
    assert best_citation(q, SOURCES, {}) == reference_best_citation(q, SOURCES)


def test_shown_citation_of_every_shipped_question_is_unchanged():
    bank, _ = load_bank(ROOT / "questions")
    sources = {s.id: s for s in bank.sources}
    folded: dict = {}
    assert bank.questions
    for q in bank.questions:
        assert best_citation(q, sources, folded) == reference_best_citation(q, sources), q.id
