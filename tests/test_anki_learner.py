"""The deck as a learner keeps it (issue 11): keys spread over the letters,
reverse cards only where they can be answered, support reasons shown, one tag
tree, one citation shown and the rest folded. Decks are imported into a real
Anki collection, like tests/test_render_anki.py does."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections import Counter

import pytest

from quizgen.bank.balance import MAX_LETTER_SHARE, balance, check_balance, keyed_index, option_order
from quizgen.errors import Loc
from quizgen.model import Citation, Question, Support
from quizgen.render.anki.notes import informative, reversible, tag_names, tags_for
from test_render_anki import (INFERRED, PUBLISHED, QUESTIONS, REAL_BANK, build, import_apkg,
                                    make_bank, new_collection, note_by_question, visible_text)

MCQ = QUESTIONS[0]
TF = QUESTIONS[1]
SHORT = QUESTIONS[2]


def back_of(card) -> str:
    return card.answer().split('id="answer"', 1)[1]


# --- 1. options shuffled per note --------------------------------------------------

def test_option_order_is_fixed_by_id_and_options():
    assert option_order("q", ("a", "b", "c", "d")) == option_order("q", ("a", "b", "c", "d"))
    assert sorted(option_order("q", ("a", "b", "c", "d"))) == [0, 1, 2, 3]
    # Keys land on every letter about equally often over many questions.
    at = Counter(option_order(f"q{i}", ("a", "b", "c", "d")).index(0) for i in range(400))
    assert set(at) == {0, 1, 2, 3} and max(at.values()) < 130


def test_a_changed_option_list_reshuffles_only_that_note(tmp_path):
    first = build(make_bank(tmp_path / "b1"), tmp_path / "o1")
    edited = tuple(dataclasses.replace(q, options=("15 December", "14 November", "20 March", "1 May"))
                   if q.id == MCQ.id else q for q in QUESTIONS)
    second = build(make_bank(tmp_path / "b1", edited), tmp_path / "o2")  # the same lock
    col = new_collection(tmp_path / "anki")
    try:
        import_apkg(col, first)
        before = {q.id: note_by_question(col, q.id).fields[1] for q in QUESTIONS if q.type == "mcq"}
        import_apkg(col, second)
        after = {q.id: note_by_question(col, q.id).fields[1] for q in QUESTIONS if q.type == "mcq"}
    finally:
        col.close()
    assert "1 May" in after[MCQ.id] and before[MCQ.id] != after[MCQ.id]
    assert before["dates-escaping"] == after["dates-escaping"]


def test_true_false_keeps_true_then_false(tmp_path):
    col = new_collection(tmp_path / "anki")
    try:
        import_apkg(col, build(make_bank(tmp_path / "b"), tmp_path / "o"))
        card = col.get_card(col.find_cards(f'"Question ID:{TF.id}"')[0])
        assert "False" in visible_text(back_of(card))
    finally:
        col.close()


def _keyed_at(letter_index: int, count: int, n: int = 4) -> list[Question]:
    out, i = [], 0
    while len(out) < count:
        q = dataclasses.replace(MCQ, id=f"skew-{i}", options=tuple(f"o{j}" for j in range(n)), answer="o0")
        if keyed_index(q) == letter_index:
            out.append(q)
        i += 1
    return out


def test_validate_warns_when_keys_pile_on_one_letter():
    skewed = _keyed_at(0, 12) + _keyed_at(1, 4) + _keyed_at(2, 4) + _keyed_at(3, 4)
    (warning,) = check_balance(skewed, Loc("bank"))
    assert warning.severity == "warning" and "12 of 24 (50%) at A" in warning.message
    even = _keyed_at(0, 6) + _keyed_at(1, 6) + _keyed_at(2, 6) + _keyed_at(3, 6)
    assert check_balance(even, Loc("bank")) == []
    assert check_balance(_keyed_at(0, 5), Loc("bank")) == []  # too few to judge


def test_validate_warns_when_true_false_is_one_sided():
    statements = [dataclasses.replace(TF, id=f"tf-{i}", answer="False" if i < 17 else "True") for i in range(20)]
    (warning,) = check_balance(statements, Loc("bank"))
    assert "17 of 20 (85%) False" in warning.message
    assert balance(statements).summary() == "true/false 3 True, 17 False"


def test_the_shipped_bank_raises_no_skew_warning():
    from quizgen.bank.load import load_bank

    bank, diagnostics = load_bank(REAL_BANK)
    assert bank is not None
    assert not [d for d in diagnostics if "keys" in d.message and d.severity == "warning"]


# --- 2. only answerable reverse cards ----------------------------------------------

def test_informative_answers():
    assert informative("Sergey Lavrov") and informative("the international agenda")
    for bare in ("four", "1066", "20 March 2017", "15 December", "Vladivostok", "two"):
        assert not informative(bare), bare


def test_a_reverse_card_only_for_a_unique_informative_answer():
    twin = dataclasses.replace(SHORT, id="actors-lavrov-again", prompt="Who answered Kono?")
    number = dataclasses.replace(SHORT, id="count", prompt="How many islands?", answer="four", accept=())
    assert reversible(QUESTIONS) == {SHORT.id}
    assert reversible((*QUESTIONS, twin, number)) == set()  # Lavrov twice; a bare number
    # An answer that is another question's option is no cue either.
    option = dataclasses.replace(MCQ, id="opt", options=("Сергей Лавров", "x"), answer="x")
    assert reversible((*QUESTIONS, option)) == set()


# --- 3. support shown --------------------------------------------------------------

def test_the_back_shows_the_support_reason_and_a_tag(tmp_path):
    inferred = dataclasses.replace(TF, support=Support("inferred", "Small is Putin's word; the comparison is ours."))
    questions = tuple(inferred if q.id == TF.id else q for q in QUESTIONS)
    col = new_collection(tmp_path / "anki")
    try:
        import_apkg(col, build(make_bank(tmp_path / "b", questions), tmp_path / "o"))
        card = col.get_card(col.find_cards(f'"Question ID:{TF.id}"')[0])
        back = visible_text(back_of(card))
        assert "Putin called them small. Inferred: Small is Putin's word; the comparison is ours." in \
            re.sub(r"\s+", " ", back)
        assert "quizgen::support::inferred" in note_by_question(col, TF.id).tags
        assert "quizgen::support::inferred" not in note_by_question(col, MCQ.id).tags
    finally:
        col.close()


# --- 4. one tag tree ---------------------------------------------------------------

def test_near_duplicate_free_tags_share_one_spelling():
    qs = [dataclasses.replace(MCQ, id=f"t{i}", tags=tags) for i, tags in enumerate(
        [("meeting",), ("Meetings",), ("meetings",), ("2plus2",), ("two-plus-two", "two plus two"), ("naming",),
         ("names",), ("names",)])]
    names = tag_names(qs)
    assert {names[t] for t in ("meeting", "Meetings", "meetings")} == {"meetings"}
    assert {names[t] for t in ("2plus2", "two-plus-two", "two plus two")} == {"two-plus-two"}
    assert names["naming"] == "names"
    tags = tags_for(dataclasses.replace(MCQ, topic="meetings", tags=("meeting", "putin", "mcq")), names)
    assert all(t.startswith("quizgen::") for t in tags)
    assert "quizgen::tag::putin" in tags and not any("meeting" in t for t in tags if "::tag::" in t)
    assert "quizgen::tag::mcq" not in tags  # the type tag says it


# --- 5. one citation shown -----------------------------------------------------------

def test_one_citation_shown_the_rest_folded_by_article(tmp_path):
    q = dataclasses.replace(MCQ, citations=(
        Citation(PUBLISHED.id, "Kishida spoke in Tokyo"),
        Citation(INFERRED.id, "Kishida also spoke"),
        Citation(PUBLISHED.id, "expected to visit Japan on December 15"),
        Citation(PUBLISHED.id, "the visit was long awaited"),
    ))
    col = new_collection(tmp_path / "anki")
    try:
        import_apkg(col, build(make_bank(tmp_path / "b", (q,)), tmp_path / "o"))
        back = back_of(col.get_card(col.find_cards("")[0]))
    finally:
        col.close()
    shown, folded = back.split("<details", 1)
    assert "expected to visit Japan on December 15" in shown  # the quote that states the key
    assert "Kishida spoke" not in shown
    assert "3 more quotes from 2 articles" in folded
    # The shown article's other quotes first, its header not repeated; each other article once.
    assert PUBLISHED.outlet not in folded and folded.count(INFERRED.headline) == 1
    assert folded.index("long awaited") < folded.index("Kishida also spoke")


# --- the shipped deck ------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    from quizgen.bank.load import load_bank
    from quizgen.select import deliverable

    tmp = tmp_path_factory.mktemp("shipped")
    root = tmp / "questions"
    shutil.copytree(REAL_BANK, root)  # never rewrite the repository's lock
    bank, diagnostics = load_bank(root)
    assert bank is not None, [str(d) for d in diagnostics]
    bank = deliverable(bank)
    col = new_collection(tmp / "anki")
    import_apkg(col, build(bank, tmp / "out"))
    yield bank, col
    col.close()


def test_the_shipped_deck_spreads_mcq_keys_over_the_letters(shipped):
    bank, col = shipped
    letters = Counter()
    for cid in col.find_cards("tag:quizgen::type::mcq"):
        back = back_of(col.get_card(cid))
        letters[re.search(r'qg-answer"><span class="qg-letter">([A-Z])<', back).group(1)] += 1
    total = sum(letters.values())
    assert total == sum(q.type == "mcq" for q in bank.questions)
    assert max(letters.values()) <= MAX_LETTER_SHARE * total, letters


def test_every_reverse_card_front_is_unique_in_the_shipped_deck(shipped):
    bank, col = shipped
    fronts = Counter()
    reverse = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        front = visible_text(card.question())
        fronts[front] += 1
        if card.note_type()["name"].startswith("quizgen Short answer") and card.ord == 1:
            reverse.append(front)
    assert len(reverse) == len(reversible(bank.questions))
    for front in reverse:
        assert fronts[front] == 1, front
        cue = front.split("Which question has this answer?", 1)[1].strip()
        assert informative(cue), cue


def test_every_tag_of_the_shipped_deck_is_under_quizgen(shipped):
    _, col = shipped
    tags = col.tags.all()
    assert tags and all(t.startswith("quizgen::") for t in tags), tags
    keys = Counter(re.sub(r"[^a-z0-9]", "", t.rsplit("::", 1)[1].casefold()).rstrip("s") for t in tags
                   if "::tag::" in t)
    assert max(keys.values()) == 1, [k for k, n in keys.items() if n > 1]


def test_validate_reports_the_skew_warning(monkeypatch):
    import quizgen.bank.balance as balance_module
    from quizgen.bank.load import load_bank

    monkeypatch.setattr(balance_module, "MAX_TRUTH_SHARE", 0.4)  # the shipped bank is 22 True, 23 False
    _, diagnostics = load_bank(REAL_BANK)
    assert [d.message for d in diagnostics if "true/false keys" in d.message and d.severity == "warning"]
