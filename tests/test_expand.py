"""Expansion: templates x facts -> Questions that keep the distractor rules,
record their lineage and inherit their facts' citations."""

from __future__ import annotations

import dataclasses
import re
import textwrap
from pathlib import Path

import pytest

from conftest import REAL_BANK
from quizgen.generate.expand import FactIndex, expand, generator_for, question_id
from quizgen.bank.facts import load_facts
from quizgen.model import Event, FactDate, Person, Question
from quizgen.bank.templates import load_templates, templates_document

DAY = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")
MONTH = re.compile(r"^[A-Z][a-z]+ \d{4}$")
YEAR = re.compile(r"^\d{4}$")


@pytest.fixture(scope="module")
def real():
    facts, d1 = load_facts(REAL_BANK)
    templates, d2 = load_templates(REAL_BANK)
    assert d1 == [] and d2 == []
    return facts, templates


@pytest.fixture(scope="module", params=[0, 7])
def questions(real, request) -> tuple[Question, ...]:
    facts, templates = real
    return expand(templates, facts, seed=request.param)


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def test_every_question_names_its_template_and_facts(real, questions):
    facts, templates = real
    fact_ids = {f.id for f in facts}
    names = {t.name for t in templates}
    assert len(questions) > 400
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        assert q.origin == "generated" and q.template in names
        assert q.id.startswith(f"gen-{q.template}-")
        assert q.facts and set(q.facts) <= fact_ids, q.id
        assert q.citations, q.id


def test_citations_come_from_the_facts_used(real, questions):
    facts, _ = real
    by_id = {f.id: f for f in facts}
    for q in questions:
        inherited = {(c.source, c.quote) for fid in q.facts for c in by_id[fid].citations}
        assert {(c.source, c.quote) for c in q.citations} <= inherited, q.id


def test_multiple_choice_options(questions):
    mcqs = [q for q in questions if q.type == "mcq"]
    assert mcqs
    for q in mcqs:
        folded = [fold(o) for o in q.options]
        assert len(set(folded)) == len(folded), q.id  # no duplicate option
        assert folded.count(fold(q.answer)) == 1, q.id  # the answer once, no distractor equal to it
        assert 2 <= len(q.options) <= 4


def test_date_distractors_keep_the_answers_precision(questions):
    for q in questions:
        if q.template == "event-date-mcq":
            shape = next(p for p in (DAY, MONTH, YEAR) if p.match(q.answer))
            assert all(shape.match(o) for o in q.options), (q.answer, q.options)


def test_no_distractor_also_held_the_office(real, questions):
    """A wrong option for "who was X at E" never held office X at an
    overlapping time (the issue's 'foreign minister in March 2017' rule)."""
    facts, _ = real
    index = FactIndex(facts)
    by_name = {p.name: p for p in index.people}
    for q in questions:
        if q.template != "role-holder-mcq":
            continue
        person_id, event_id = q.facts
        event = index.by_id[event_id]
        role = next(r.role for r in index.by_id[person_id].roles if r.at == event_id)  # type: ignore[union-attr]
        for option in q.options:
            if option == q.answer:
                continue
            other = by_name[option]
            for r in other.roles:
                assert not (r.role == role and index.by_id[r.at].date.overlaps(event.date)), (q.id, option)


def test_co_holders_are_never_distractors(tmp_path: Path):
    """Two foreign ministers of the same country at overlapping dates: neither is
    offered as a wrong answer for the other, nor stated false in a true/false."""
    facts = FactIndex(load_synthetic(tmp_path, """
        facts:
          - {id: person-a, kind: person, name: Ann Able, country: X,
             spellings: [{name: Ann Able, source: harbour}],
             roles: [{role: Foreign Minister of X, at: event-1, citations: [{source: harbour, quote: Ann Able}]}],
             citations: [{source: harbour, quote: Ann Able}]}
          - {id: person-b, kind: person, name: Bob Bell, country: X,
             spellings: [{name: Bob Bell, source: harbour}],
             roles: [{role: Foreign Minister of X, at: event-2, citations: [{source: harbour, quote: Bob Bell}]}],
             citations: [{source: harbour, quote: Bob Bell}]}
          - {id: person-c, kind: person, name: Cy Cole, country: X,
             spellings: [{name: Cy Cole, source: harbour}],
             roles: [{role: Mayor of Y, at: event-1, citations: [{source: harbour, quote: Cy Cole}]}],
             citations: [{source: harbour, quote: Cy Cole}]}
          - {id: event-1, kind: event, label: One, name: one, unnamed: the first talks, summary: One.,
             date: {value: "2017-03"}, citations: [{source: harbour, quote: one}]}
          - {id: event-2, kind: event, label: Two, name: two, unnamed: the second talks, summary: Two.,
             date: {value: "2017-03-20"}, citations: [{source: harbour, quote: two}]}
        """).facts)
    for type_ in ("mcq", "true_false"):
        gen = generator_for(template("role-holder", type_, "Who was {{ role }} at {{ event }}?"), facts)
        built = [gen.build(k) for k in gen.keys()]
        minister_questions = [q for q in built if "Foreign Minister of X" in q.prompt]
        assert minister_questions
        for q in minister_questions:
            if type_ == "mcq":
                assert set(q.options) == {q.answer, "Cy Cole"}  # never the other minister
        if type_ == "true_false":
            false = [q.prompt for q in built if q.answer == "False"]
            assert "Cy Cole was Foreign Minister of X at the first talks." in false
            assert not any(s.startswith(("Ann Able was Foreign", "Bob Bell was Foreign")) for s in false)


def test_true_false_variants_say_what_is_true(real, questions):
    falses = [q for q in questions if q.type == "true_false" and q.answer == "False"]
    trues = [q for q in questions if q.type == "true_false" and q.answer == "True"]
    assert falses and trues
    for q in falses:
        assert q.explanation.startswith("False. "), q.id
    claims = {f: c.statement for d in FactIndex(real[0]).documents for c in d.claims for f in c.false}
    decl = [q for q in falses if q.template == "declaration-true-false"]
    assert len(decl) == len(claims)
    for q in decl:  # the explanation states the true claim the prompt falsifies
        assert claims[q.prompt] in q.explanation, q.id


def test_inferred_dates_are_said_to_be_inferred(real, questions):
    facts, _ = real
    inferred = {f.id for f in facts if isinstance(f, Event) and f.date and f.date.inferred}
    for q in questions:
        if q.template.startswith(("event-date", "role-holder", "meeting-place")) and set(q.facts) & inferred:
            assert "inferred" in q.explanation, q.id
        if q.template.startswith("chronology") and set(q.facts) & inferred:
            assert "inferred" in q.explanation, q.id


def test_prompts_do_not_give_the_answer_away(questions):
    for q in questions:
        if q.type in ("mcq", "short_answer") and len(q.answer) >= 4:
            assert fold(q.answer) not in fold(q.prompt), q.id


def test_added_names_are_flagged(questions):
    for q in questions:
        if q.topic == "islands" and re.search(r"[\u0400-\u04ff\u3040-\u9fff]", q.prompt + " ".join(q.options)):
            assert "not quoted from any article" in q.explanation, q.id


def test_same_seed_same_questions_other_seed_other_options(real):
    facts, templates = real
    a, b, c = expand(templates, facts, 3), expand(templates, facts, 3), expand(templates, facts, 4)
    assert a == b
    assert [q.id for q in a] == [q.id for q in c]  # ids never depend on the seed
    assert [q.options for q in a] != [q.options for q in c]


def test_editing_a_fact_changes_exactly_the_questions_built_from_it(real):
    facts, templates = real
    before = {q.id: q for q in expand(templates, facts)}
    edited = tuple(dataclasses.replace(f, summary="The leaders met and agreed on nothing new.")
                   if f.id == "event-singapore-meeting-2018" else f for f in facts)
    after = {q.id: q for q in expand(templates, edited)}
    assert before.keys() == after.keys()  # same ids: an edit updates a card, it does not duplicate it
    changed = {i for i in before if before[i] != after[i]}
    users = {i for i, q in before.items() if "event-singapore-meeting-2018" in q.facts}
    assert changed and changed <= users
    assert all("agreed on nothing new" in after[i].explanation for i in changed)


def test_question_ids_depend_on_template_and_key_only(real):
    _, templates = real
    t = templates[0]
    assert question_id(t, ("a", "b")) == question_id(dataclasses.replace(t, prompt="Other?"), ("a", "b"))
    assert question_id(t, ("a", "b")) != question_id(t, ("a", "c"))


def test_every_generator_fills_every_slot_it_offers(real):
    from quizgen.bank.templates import GENERATORS

    facts, templates = real
    index = FactIndex(facts)
    for t in templates:
        spec = GENERATORS[t.generator]
        everything = " ".join(f"{{{{ {s} }}}} {{{{ {s}_cap }}}}" for s in spec.slots)
        gen = generator_for(dataclasses.replace(t, explanation=everything), index)
        for key in gen.keys()[:3]:
            gen.build(key)  # a missing slot would raise KeyError


def test_counts_match_what_is_built(real):
    facts, templates = real
    index = FactIndex(facts)
    for t in templates:
        gen = generator_for(t, index)
        assert gen.count() == len(gen.keys()), t.name


def test_orderings_never_combine_overlapping_dates(questions, real):
    facts, _ = real
    by_id = {f.id: f for f in facts}
    for q in questions:
        if q.type == "ordering":
            dates: list[FactDate] = [by_id[i].date for i in q.facts]  # type: ignore[union-attr]
            for a, b in zip(dates, dates[1:]):
                assert a.bounds[1] < b.bounds[0], q.id


def test_matching_pairs_are_one_to_one(questions, real):
    facts, _ = real
    people = {f.name: f for f in facts if isinstance(f, Person)}
    for q in questions:
        if q.template.startswith("people-roles"):
            rights = [r for _, r in q.pairs]
            assert len(set(rights)) == len(rights)
            for name, office in q.pairs:
                assert {r.role for r in people[name].roles} == {office}


# -- helpers ---------------------------------------------------------------------

def load_synthetic(tmp_path: Path, text: str) -> FactIndex:
    (tmp_path / "facts.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    facts, diagnostics = load_facts(tmp_path)
    assert diagnostics == []
    return FactIndex(facts)


def template(generator: str, type_: str, prompt: str):
    text = (f"templates:\n  - name: t\n    generator: {generator}\n    type: {type_}\n    topic: actors\n"
            f"    prompt: \"{prompt if type_ != 'true_false' else '{{ stated }} was {{ role }} at {{ event }}.'}\"\n"
            "    explanation: \"{{ verdict }} {{ person }}.\"\n")
    found, diagnostics = templates_document(text, "t.yaml")
    assert diagnostics == []
    return found[0]
