"""The Anki renderer's shortcuts give what the plain code gives: text() that
skips escaping, the lock's JSON strings, the per-build caches of tags and of
folded citations. Correctness only; the speed is measured in bench/bench_anki.py."""

from __future__ import annotations

import json
from html import escape

from quizgen.model import Citation, Question, Source, Support
from quizgen.render.anki.lock import json_str
from quizgen.render.anki.notes import _ANKI_MARKUP, SourcesHtml, note_content, tags_for, text
from quizgen.render.anki.shown_quote import best_citation

SAMPLES = ["plain", "", "a & b", "<b>", "x > y", "[sound:a.mp3]", "{{c1::x}}", "\\(x\\)", "a\nb", "\x1f",
           "河野 & Лавров", "“quoted” — dash", "tab\there", "\x7f", "\u2028", "]", "}", "end\\"]


def test_text_is_escape_then_markup_translation():
    for value in SAMPLES + [a + b for a in SAMPLES for b in SAMPLES]:
        assert text(value) == escape(value, quote=False).translate(_ANKI_MARKUP)


def test_json_str_is_json_dumps():
    for value in SAMPLES + [chr(i) for i in range(0x300)] + ["\ud800", "a\"b", "\\"]:
        for ensure_ascii in (False, True):
            assert json_str(value, ensure_ascii) == json.dumps(value, ensure_ascii=ensure_ascii)


SOURCES = {s.id: s for s in (
    Source(id="a", file="a.txt", sha256="0" * 64, outlet="Outlet A", headline="Head & A", published="2016-12-15"),
    Source(id="b", file="b.txt", sha256="0" * 64, outlet=None, headline="Head B", inferred_date="2018-09",
           inferred_reason="No date printed."),
)}


def _questions() -> list[Question]:
    cites = [Citation("a", "Abe met Putin in Nagato on 15 December"), Citation("b", "a general quote"),
             Citation("a", "a second quote from A"), Citation("b", "a general quote"), Citation("c", "unknown")]
    out = []
    for i in range(60):
        chosen = tuple(cites[j % len(cites)] for j in range(i % 4 + 1 + i // 20)) if i % 7 else ()
        support = Support("inferred", "Read from the text.") if i % 5 == 0 else Support()
        out.append(Question(
            id=f"q{i}", type="mcq" if i % 2 else "short_answer", topic=("dates", "actors")[i % 2],
            prompt="When?", answer="15 December" if i % 3 else "Nagato", options=("15 December", "Nagato", "x")
            if i % 2 else (), explanation="", citations=chosen[i % 3:] + chosen[: i % 3],
            tags=(("meetings", "Meeting", "two-plus-two")[i % 3],), support=support))
    return out


def reference_sources_html(sources: SourcesHtml, question: Question) -> str:
    """SourcesHtml.__call__ as it was before its cache of folded blocks."""
    cites = question.citations
    if not cites:
        return ""
    best = best_citation(question, SOURCES) if len(cites) > 1 else 0
    shown = sources._block(cites[best].source, [cites[best].quote])
    rest: dict[str, list[str]] = {}
    for i, c in enumerate(cites):
        if i != best and c.quote not in rest.get(c.source, []):
            rest.setdefault(c.source, []).append(c.quote)
    if not rest:
        return shown
    quotes = sum(len(q) for q in rest.values())
    summary = f"{quotes} more quote{'s' if quotes != 1 else ''}"
    if len(rest) > 1:
        summary += f" from {len(rest)} articles"
    first = cites[best].source
    folded = "".join(sources._block(sid, quotes, head=sid != first)
                     for sid, quotes in sorted(rest.items(), key=lambda item: item[0] != first))
    return f'{shown}<details class="qg-more"><summary>{summary}</summary>{folded}</details>'


def test_cached_sources_html_and_tags_equal_the_uncached():
    cached = SourcesHtml(SOURCES)
    tags_cache: dict = {}
    names = {"meetings": "meetings", "Meeting": "meetings", "two-plus-two": "two-plus-two"}
    for q in _questions() * 2:  # the second round is served from the caches
        assert cached(q) == reference_sources_html(SourcesHtml(SOURCES), q), q.id
        assert tags_for(q, names, tags_cache) == tags_for(q, names), q.id
        assert (note_content(q, cached, tag_names=names, tags_cache=tags_cache)
                == note_content(q, SourcesHtml(SOURCES), tag_names=names)), q.id
    assert tags_cache


def test_plan_views_equal_the_plain_dicts():
    from pathlib import Path

    from quizgen.render.anki.lock import EMPTY, guid_key, plan, question_of
    from quizgen.render.anki.notetypes import NOTE_TYPES

    sources = SourcesHtml(SOURCES)
    contents = [note_content(q, sources) for q in _questions()]
    first = plan(EMPTY, contents, NOTE_TYPES.values(), 1_700_000_000, Path("anki-lock.json"))
    # a rebuild that drops some questions and changes the type of one: retired notes and a new generation
    changed = [c._replace(kind="true_false") if c.question_id == "q1" else c for c in contents[10:]]
    for p in (first, plan(first.lock, changed, NOTE_TYPES.values(), 1_700_000_100, Path("anki-lock.json"))):
        states = p.lock.notes
        assert p.note_mods == {k: s.mod for k, s in states.items()}
        assert p.note_ids == {k: s.id for k, s in states.items()}
        assert p.guid_keys == {k: guid_key(question_of(k), s.gen) for k, s in states.items()}
        assert list(p.guid_keys) == list(states) and len(p.note_ids) == len(states)


def test_reversible_equals_the_uncached():
    from collections import Counter

    from quizgen.render.anki.notes import _answer_key, informative, reversible

    questions = _questions() + [
        Question(id=f"s{i}", type="short_answer", topic="actors", prompt="Who?", answer=answer, explanation="",
                 citations=(), accept=accept)
        for i, (answer, accept) in enumerate([("Shinzo Abe", ()), ("Shinzo Abe", ()), ("Sergei Lavrov", ("Lavrov",)),
                                              ("Taro Kono", ("Kono Taro",)), ("Kono Taro", ()), ("20 March 2017", ())])]
    seen: Counter = Counter()
    for q in questions:
        cues = {q.answer, *q.accept, *q.options, *(r for _, r in q.pairs), *(l for l, _ in q.pairs)}
        seen.update({_answer_key(c) for c in cues if c})
    expected = {q.id for q in questions if q.type == "short_answer" and informative(q.answer)
                and all(seen[_answer_key(c)] == 1 for c in (q.answer, *q.accept))}
    assert reversible(questions) == expected
    assert "s2" in expected and "s0" not in expected
