"""Each set's selection is made once per build, in the build's process, and
remembered in the build cache (quizgen.build_selection): a hit is exactly
the selection the candidates make; anything damaged is a miss; and a pdf
unit's key follows what its file prints, so an edit to a question a set
leaves out re-renders the set's manifest alone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from quizgen import build_selection
from quizgen.build import default_options, load_or_raise
from quizgen.build_cache import Digests, unit_key
from quizgen.cachestore import Store
from quizgen.render.pdf import set_selection
from quizgen.render.units import plan_units
from quizgen.select import deliverable

from conftest import REAL_BANK


@pytest.fixture(scope="module")
def bank():
    return deliverable(load_or_raise(Path(REAL_BANK))[0])


def same(a, b) -> None:
    assert [q.id for q in a.questions] == [q.id for q in b.questions]
    assert a.left_out == b.left_out


def test_a_hit_is_the_selection_the_candidates_make(bank, tmp_path, monkeypatch):
    import quizgen.render.pdf as pdf

    options = default_options()
    store = Store("build", tmp_path)
    first = plan_units(bank, ("pdf",), options, build_selection.CachedSelections(store, Digests()))
    assert first == plan_units(bank, ("pdf",), options)  # as the selection made without the cache
    assert sum(len(u.left_out) for u in first) > 0  # the shipped bank's sets do leave questions out
    calls = []
    monkeypatch.setattr(pdf, "set_selection", lambda *args: calls.append(args))
    again = plan_units(bank, ("pdf",), options, build_selection.CachedSelections(store, Digests()))
    assert calls == []  # every set came from the cache
    assert again == first
    for u, v in zip(first, again):
        assert [q.id for q in u.bank.questions] == [q.id for q in v.bank.questions]


def test_damaged_entries_are_misses(bank, tmp_path):
    qset = next(s for s in bank.sets if s.name == "full-review")
    from quizgen.render.units import bank_slice
    from quizgen.select import matches

    candidates = bank_slice(bank, (q for q in bank.questions if matches(q, qset)))
    truth = set_selection(candidates, qset, None)
    blob = build_selection.encode(truth, candidates.questions)
    same(build_selection.decode(blob, candidates.questions), truth)
    for damaged in (b"", b"{", blob.replace(b'"questions":[', b'"questions":[100000,'),
                    blob.replace(b'"questions":[', b'"questions":["x",'),
                    blob.replace(build_selection.SELECTION_FORMAT.encode(), b"quizgen-selection/0"),
                    b'{"format":"quizgen-selection/1","questions":[],"left_out":[[0,1,"a","b","c"]]}'):
        assert build_selection.decode(damaged, candidates.questions) is None
    # a damaged entry in the store: worked out again, the same selection
    store = Store("build", tmp_path)
    cached = build_selection.CachedSelections(store, Digests())
    key = cached._key(candidates, qset, None)
    store.put(key, b"not json")
    same(cached(candidates, qset, None), truth)
    same(build_selection.decode(store.get(key), candidates.questions), truth)  # and stored again


def test_an_edit_to_a_left_out_question_changes_the_manifest_key_alone(bank, tmp_path):
    options = default_options()
    units = plan_units(bank, ("pdf",), options)
    manifest = next(u for u in units if u.part == ("manifest",) and u.left_out)
    victim = manifest.left_out[0].question
    edited = replace(victim, explanation=victim.explanation + " Checked again.")
    bank2 = replace(bank, questions=tuple(edited if q is victim else q for q in bank.questions))
    units2 = plan_units(bank2, ("pdf",), options)
    name = manifest.qset.name
    keys = {u.name: unit_key(u, options, Digests(), None) for u in units if u.qset.name == name}
    keys2 = {u.name: unit_key(u, options, Digests(), None) for u in units2 if u.qset.name == name}
    printed = [u for u in units if u.qset.name == name and u.part != ("manifest",)]
    printed2 = [u for u in units2 if u.qset.name == name and u.part != ("manifest",)]
    assert [q.id for q in printed[0].bank.questions] == [q.id for q in printed2[0].bank.questions]
    for u in printed:
        assert keys[u.name] == keys2[u.name]  # the sheets print the same questions: hits
    assert keys[manifest.name] != keys2[manifest.name]  # the manifest lists the left-out question: rendered
