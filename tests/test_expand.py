"""Expansion: templates x facts -> Questions that keep the distractor rules,
record their lineage and inherit their facts' citations; the generic
generators on the shipped bank and on a made-up bank of another subject."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from conftest import REAL_BANK
from inventions import FACTS, template, write_bank
from quizgen.bank.facts import load_facts
from quizgen.bank.generators import template_slots
from quizgen.bank.kinds import load_kinds
from quizgen.bank.templates import load_templates
from quizgen.generate.expand import FactIndex, expand, generator_for, question_id
from quizgen.model import FactDate, Question

DAY = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d+( BC)?$")
MONTH = re.compile(r"^[A-Z][a-z]+ \d+( BC)?$")
YEAR = re.compile(r"^\d+( BC)?$")


def load_all(root: Path):
    kinds, d0, _ = load_kinds(root)
    facts, d1 = load_facts(root, kinds=kinds)
    templates, d2 = load_templates(root, kinds=kinds)
    assert d0 == [] and d1 == [] and d2 == []
    return facts, templates, kinds


@pytest.fixture(scope="module")
def real():
    return load_all(REAL_BANK)


@pytest.fixture(scope="module", params=[0, 7])
def questions(real, request) -> tuple[Question, ...]:
    facts, templates, kinds = real
    return expand(templates, facts, kinds, seed=request.param)


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


# -- the shipped bank ---------------------------------------------------------------

def test_every_question_names_its_template_and_facts(real, questions):
    facts, templates, _ = real
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
    by_id = {f.id: f for f in real[0]}
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
        assert 3 <= len(q.options) <= 4, q.id  # never a two-option coin toss


def test_no_two_pair_matching_or_two_item_ordering(questions):
    for q in questions:
        if q.type == "matching":
            assert len(q.pairs) >= 3, q.id
        if q.type == "ordering":
            assert len(q.items) >= 3, q.id


def test_date_distractors_keep_the_answers_precision(questions):
    for q in questions:
        if q.template == "event-date-mcq":
            shape = next(p for p in (DAY, MONTH, YEAR) if p.match(q.answer))
            assert all(shape.match(o) for o in q.options), (q.answer, q.options)


def test_no_distractor_also_held_the_office(real, questions):
    """A wrong option for "who was X at E" never held office X at an
    overlapping time (the issue's 'foreign minister in March 2017' rule)."""
    index = FactIndex(real[0], real[2])
    by_name = {p.title: p for p in index.of("person")}
    for q in questions:
        if q.template != "role-holder-mcq":
            continue
        person_id, event_id = q.facts
        event = index.by_id[event_id]
        role = next(r.role for r in index.by_id[person_id].get("roles") if r.at == event_id)
        for option in q.options:
            if option == q.answer:
                continue
            for r in by_name[option].get("roles") or ():
                assert not (r.role == role and index.by_id[r.at].get("date").overlaps(event.get("date"))), q.id


def test_true_false_variants_say_what_is_true(real, questions):
    falses = [q for q in questions if q.type == "true_false" and q.answer == "False"]
    trues = [q for q in questions if q.type == "true_false" and q.answer == "True"]
    assert falses and trues
    for q in falses:
        assert q.explanation.startswith("False. "), q.id
    claims = {f: c.statement for d in real[0] if d.kind == "document" for c in d.get("claims") for f in c.false}
    decl = [q for q in falses if q.template == "declaration-true-false"]
    assert len(decl) == len(claims)
    for q in decl:  # the explanation states the true claim the prompt falsifies
        assert claims[q.prompt] in q.explanation, q.id


def test_inferred_dates_are_said_to_be_inferred(real, questions):
    inferred = {f.id for f in real[0] if f.kind == "event" and f.get("date") and f.get("date").inferred}
    for q in questions:
        if q.template.startswith(("event-date", "role-holder", "meeting-place", "chronology")) \
                and set(q.facts) & inferred:
            assert "inferred" in q.explanation, q.id


def test_prompts_do_not_give_the_answer_away(questions):
    for q in questions:
        if q.type in ("mcq", "short_answer") and len(q.answer) >= 4:
            assert fold(q.answer) not in fold(q.prompt), q.id


def test_added_names_are_flagged(questions):
    for q in questions:
        if re.search(r"[\u0400-\u04ff\u3040-\u9fff]", q.prompt + " ".join(q.options) + " ".join(
                a + b for a, b in q.pairs)):
            assert "not quoted from any source" in q.explanation, q.id


def test_no_repetition_in_role_prompts(questions):
    """The event a role is asked about is described without its office
    holders, so the prompt never says who holds the office it asks for."""
    for q in questions:
        if q.template.startswith("role-holder"):
            role = re.match(r"(?:Who was|.+? was) (.+?) at the time of", q.prompt).group(1)
            assert fold(role) not in fold(q.prompt.split(" at the time of ", 1)[1]), q.id


def test_same_seed_same_questions_other_seed_other_options(real):
    facts, templates, kinds = real
    a, b, c = (expand(templates, facts, kinds, s) for s in (3, 3, 4))
    assert a == b
    assert [q.id for q in a] == [q.id for q in c]  # ids never depend on the seed
    assert [q.options for q in a] != [q.options for q in c]


def test_editing_a_fact_changes_exactly_the_questions_built_from_it(real):
    facts, templates, kinds = real
    before = {q.id: q for q in expand(templates, facts, kinds)}
    edited = tuple(dataclasses.replace(f, values={**f.values, "summary": "The leaders met and agreed on nothing new."})
                   if f.id == "event-singapore-meeting-2018" else f for f in facts)
    after = {q.id: q for q in expand(templates, edited, kinds)}
    assert before.keys() == after.keys()  # same ids: an edit updates a card, it does not duplicate it
    changed = {i for i in before if before[i] != after[i]}
    users = {i for i, q in before.items() if "event-singapore-meeting-2018" in q.facts}
    assert changed and changed <= users
    assert all("agreed on nothing new" in after[i].explanation for i in changed)


def test_question_ids_depend_on_template_and_key_only(real):
    t = real[1][0]
    assert question_id(t, ("a", "b")) == question_id(dataclasses.replace(t, prompt="Other?"), ("a", "b"))
    assert question_id(t, ("a", "b")) != question_id(t, ("a", "c"))


def test_every_generator_fills_every_slot_it_offers(real):
    facts, templates, kinds = real
    index = FactIndex(facts, kinds)
    for t in templates:
        every = template_slots(t.generator, t.type, dict(t.params), kinds).every
        everything = " ".join(f"{{{{ {s} }}}} {{{{ {s}_cap }}}}" for s in every)
        gen = generator_for(dataclasses.replace(t, explanation=everything), index)
        for key in gen.keys()[:3]:
            gen.build(key)  # a missing slot would raise KeyError


def test_counts_match_what_is_built(real):
    index = FactIndex(real[0], real[2])
    for t in real[1]:
        gen = generator_for(t, index)
        assert gen.count() == len(gen.keys()), t.name


def test_orderings_never_combine_overlapping_dates(questions, real):
    by_id = {f.id: f for f in real[0]}
    for q in questions:
        if q.type == "ordering":
            dates: list[FactDate] = [by_id[i].get("date") for i in q.facts]  # type: ignore[misc]
            for a, b in zip(dates, dates[1:]):
                assert a.bounds[1] < b.bounds[0], q.id


def test_matching_pairs_are_one_to_one(questions, real):
    # by every spelling: a person is named as the cited source spells them
    people = {name: f for f in real[0] if f.kind == "person" for name in (f.title, *(s.name for s in f.spellings))}
    for q in questions:
        if q.template.startswith("people-roles"):
            rights = [r for _, r in q.pairs]
            assert len(set(rights)) == len(rights)
            for name, office in q.pairs:
                assert {r.role for r in people[name].get("roles")} == {office}


# -- a made-up bank on another subject -----------------------------------------------

def made_up(tmp_path: Path, *templates: str, facts: str = FACTS) -> dict[str, list[Question]]:
    root = write_bank(tmp_path / "bank", facts, templates="templates:\n" + "".join(templates))
    facts_, templates_, kinds = load_all(root)
    index = FactIndex(facts_, kinds)
    out = {}
    for t in templates_:
        gen = generator_for(t, index)
        out[t.name] = [gen.build(k, 1) for k in gen.keys(1)]
        assert gen.count() == len(out[t.name]), t.name
    return out


def test_event_date_any_year_never_an_approximate_key(tmp_path: Path):
    built = made_up(tmp_path, template("when", "event-date", "mcq", "{kind: invention, field: date}",
                                       "When was the {{ name }} first made?", "{{ name }}: {{ date_on }}."),
                    template("when-tf", "event-date", "true_false", "{kind: event, field: date}",
                             "{{ name_cap }} was {{ stated }}."))
    answers = {q.facts[0]: q for q in built["when"]}
    assert set(answers) == {"invention-lens", "invention-clock", "invention-kiln"}  # the pump's month has no peers
    kiln = answers["invention-kiln"]
    assert kiln.answer == "3000 BC" and kiln.explanation == "Kiln: in 3000 BC."
    assert kiln.options == ("3000 BC", "1590", "1656", "1712")  # in date order, BC first; 1712-03 as a year
    tf = built["when-tf"]
    assert not any("event-press" in q.facts for q in tf)  # "around 1440" is never asked for
    assert not any("around" in q.prompt or "between" in q.prompt for q in tf)  # nor offered
    assert "The first water-screw demonstration was in 250 BC." in [q.prompt for q in tf]


def test_attribute_same_type_and_related_places_are_never_wrong(tmp_path: Path):
    built = made_up(tmp_path, template("where", "attribute", "mcq", "{kind: event, field: place, same: type}",
                                       "{{ date_on_cap }}, {{ unplaced }}. Where?", "{{ answer }}. {{ note }}"))
    fair = next(q for q in built["where"] if "event-fair" in q.facts)
    assert fair.answer == "Mainport" and fair.prompt == "On 1 May 1851, the great fair opened. Where?"
    assert set(fair.options) == {"Mainport", "Lowtown", "Hilltop"}  # not Riverbend (related), not the Grey Sea
    assert set(fair.facts) == {"event-fair", "place-mainport"}
    assert {c.quote for c in fair.citations} == {"the fair in Mainport", "in Mainport"}


def test_attribute_of_a_point_and_of_text(tmp_path: Path):
    built = made_up(tmp_path, template("use", "attribute", "mcq", "{kind: invention, field: use}",
                                       "What is the {{ name }} for?", "{{ answer_cap }}."),
                    template("material", "attribute", "short_answer", "{kind: invention, field: material}",
                             "What is the {{ name }} made of?"))
    (use,) = built["use"]
    assert sorted(use.options) == ["Bending light", "Measuring time", "Storing heat"]
    assert [c.quote for c in use.citations] == ["bending light"]
    assert {q.answer for q in built["material"]} == {"glass", "brass", "clay", "iron"}


def test_entity_for_an_attribute_value(tmp_path: Path):
    built = made_up(tmp_path, template("which", "entity", "mcq", "{kind: invention, field: material}",
                                       "Which invention is made of {{ material }}?"))
    lens = next(q for q in built["which"] if q.answer == "Lens")
    assert sorted(lens.options) == ["Clock", "Kiln", "Lens", "Pump"]
    assert len(built["which"]) == 4


def test_role_holder_never_offers_a_co_holder(tmp_path: Path):
    """Two chief engineers at overlapping dates (1 May 1851 and May 1851):
    neither is a wrong answer for the other, nor stated false in a true/false."""
    built = made_up(tmp_path,
                    template("who", "role-holder", "mcq", "{kind: person, field: roles, prefer: country}",
                             "Who was {{ role }} at {{ event_unnamed }}?"),
                    template("who-tf", "role-holder", "true_false", "{kind: person, field: roles, prefer: country}",
                             "{{ stated }} was {{ role }} at {{ event_unnamed }}."))
    for q in built["who"]:
        if "Chief Engineer" in q.prompt:
            assert not {"Ada Quill", "Bo Tarn"} - {q.answer} & set(q.options), q.options
    false = [q.prompt for q in built["who-tf"] if q.answer == "False"]
    assert "Cy Vell was Chief Engineer at the great fair." in false
    assert not any(s.startswith(("Ada Quill was Chief", "Bo Tarn was Chief")) for s in false)
    assert not any(s.startswith("Di Orm was") for s in false if "great fair" in s)  # another country


def test_chronology_spans_bc_and_skips_approximate(tmp_path: Path):
    built = made_up(tmp_path, template("order", "chronology", "ordering", "{kind: event, field: date, size: 3}",
                                       "Order these {{ count }}.", "{{ timeline }}"))
    orders = built["order"]
    assert orders and all("event-press" not in q.facts for q in orders)  # ~1440 has no bounds
    first = next(q for q in orders if q.items[0] == "the first water-screw demonstration")
    assert "(250 BC)" in first.explanation
    assert not any({"event-fair", "event-trial"} <= set(q.facts) for q in orders)  # May 1851 overlaps 1 May 1851


def test_match_one_value_each(tmp_path: Path):
    built = made_up(tmp_path, template("match", "match", "matching", "{kind: person, field: roles, size: 3}",
                                       "Match them.", "{{ pairs_text }}"))
    for q in built["match"]:
        assert len({r for _, r in q.pairs}) == 3
    # four offices, three at a time; the chief engineer's office has two holders
    assert len(built["match"]) == 2 + 2 + 2 + 1


def test_claims_true_false_and_pick(tmp_path: Path):
    built = made_up(tmp_path,
                    template("tf", "claim", "true_false", "{kind: invention, field: claims}", "{{ statement }}",
                             "{{ verdict }} {{ truth }}"),
                    template("pick", "claim", "mcq", "{kind: invention, field: claims, pick: \"false\"}",
                             "Which is false about the {{ name }}?", "{{ answer }}"))
    assert len(built["tf"]) == 3 + 4
    assert {q.prompt for q in built["tf"] if q.answer == "False"} == {
        "The lens is made of bronze.", "The lens is made of wood.", "The lens is newer than the ferry.",
        "A lens stores heat."}
    for q in built["pick"]:
        assert len(q.options) == 3 and q.answer in {"The lens is made of bronze.", "The lens is made of wood.",
                                                    "The lens is newer than the ferry.", "A lens stores heat."}


def test_names_the_sources_do_not_print_are_never_asked_shown_nor_offered(tmp_path: Path):
    built = made_up(tmp_path,
                    template("german", "names", "mcq", "{kind: invention, field: names, ask: german, given: english}",
                             "What is the {{ english }} called in German?", "{{ names_note }}"),
                    template("from-german", "names", "mcq",
                             "{kind: invention, field: names, ask: english, given: german}",
                             "Which invention is called {{ german }} in German?", "It is the {{ english }}."),
                    template("english", "names", "short_answer", "{kind: invention, field: names, ask: english}",
                             "What is the invention of the {{ use }} called?", "The {{ english }}."),
                    template("pairs", "names", "matching",
                             "{kind: invention, field: names, given: english, ask: latin, size: 3}",
                             "Match {{ left_language }} to {{ right_language }}.", "{{ names_note }}"))
    assert built["german"] == built["from-german"] == built["pairs"] == []
    lens = next(q for q in built["english"] if q.answer == "Lens")
    assert lens.explanation == "The Lens." and "Linse" not in lens.prompt


def test_a_prompt_needing_a_missing_field_makes_no_question(tmp_path: Path):
    built = made_up(tmp_path, template("who", "attribute", "short_answer", "{kind: invention, field: inventor}",
                                       "Who made the {{ name }} from {{ material }}?"))
    assert {q.answer for q in built["who"]} == {"Ada Quill", "Bo Tarn", "Di Orm"}  # the kiln has no inventor


def test_the_engine_knows_no_subject():
    """Subject words live in the bank's own files: kinds, facts, templates."""
    engine = [REAL_BANK.parent / "quizgen" / p for p in ("bank/facts.py", "bank/fields.py", "bank/kinds.py",
                                                          "bank/templates.py", "bank/generators.py", "model.py",
                                                          "dates.py")]
    engine += sorted((REAL_BANK.parent / "quizgen" / "generate").glob("*.py"))
    words = re.compile(r"russia|japan|kuril|island|declaration|putin|abe\b|1956|nagato|shikotan|habomai|iturup|"
                       r"kunashir|english|russian|japanese", re.IGNORECASE)
    for path in engine:
        found = words.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.name}: {found.group() if found else ''}"


def test_combinations_past_the_limit_are_sampled_with_the_seed(tmp_path: Path, monkeypatch):
    import quizgen.generate.base as base

    monkeypatch.setattr(base, "MAX_COMBINATIONS", 50)
    events = "".join(f"  - {{id: event-y{i}, kind: event, name: year {i}, date: \"{-500 + 37 * i}\", "
                     f"citations: [{{source: notes, quote: year {i}}}]}}\n" for i in range(30))
    root = write_bank(tmp_path / "bank", "facts:\n" + events, templates="templates:\n" + template(
        "order", "chronology", "ordering", "{kind: event, field: date, size: 3}", "Order them.", "{{ timeline }}"))
    facts, templates, kinds = load_all(root)
    gen = generator_for(templates[0], FactIndex(facts, kinds))
    assert gen.count() == 4060  # C(30, 3): no two of these years overlap
    a, b, c = gen.keys(1), gen.keys(1), gen.keys(2)
    assert len(a) == 50 and a == b and a != c
    by_id = {f.id: f for f in facts}
    for key in a:  # BC and AD years in time order: 500 BC < 463 BC < ... < AD 1 < ...
        starts = [by_id[i].get("date").bounds[0] for i in gen.build(key).facts]
        assert starts == sorted(starts)
