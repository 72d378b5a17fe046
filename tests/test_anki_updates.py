"""Updates that always land (issue 11): a collection that imported a deck and
reviewed some of its cards, then edit / remove / re-add edited / lose the lock,
each rebuilt with the CLI's fixed default timestamp and re-imported into the
same real Anki collection. After each step the collection holds exactly the
expected notes, edits have landed, review history is kept, nothing is doubled."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from quizgen.build import DEFAULT_EPOCH
from quizgen.model import Question
from quizgen.render.anki import RETIRED_TAG
from quizgen.render.anki.lock import LOCK_NAME
from test_render_anki import QUESTIONS, build, import_apkg, make_bank, new_collection, note_by_question

MCQ, TF = QUESTIONS[0], QUESTIONS[1]
DECK = "Russia–Japan Peace Treaty"


@pytest.fixture
def clock(monkeypatch):
    """The wall clock the renderer reads when the lock is missing or a note is new."""
    import quizgen.render.anki as anki_renderer

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    now = [1_760_000_000]
    monkeypatch.setattr(anki_renderer.time, "time", lambda: now[0])
    return now


def review_all(col) -> int:
    """Answer every due card 'Good' through the scheduler; the number answered."""
    col.decks.select(col.decks.id_for_name(DECK))
    answered = 0
    while True:
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            return answered
        card = col.get_card(queued.cards[0].card.id)
        card.start_timer()
        col.sched.answerCard(card, 3)
        answered += 1


def revlog_count(col, question_id: str) -> int:
    nid = note_by_question(col, question_id).id
    return col.db.scalar(f"SELECT count() FROM revlog WHERE cid IN (SELECT id FROM cards WHERE nid = {nid})")


def step(bank_root: Path, questions, out: Path, col, warned=None):
    apkg = build(make_bank(bank_root, questions), out, timestamp=DEFAULT_EPOCH,
                 warn=(warned.append if warned is not None else lambda d: None))
    return import_apkg(col, apkg)


def test_edit_remove_readd_and_a_lost_lock_all_land(tmp_path, clock):
    root = tmp_path / "bank"
    col = new_collection(tmp_path / "anki")
    try:
        step(root, QUESTIONS, tmp_path / "v1", col)
        assert col.note_count() == len(QUESTIONS)
        # Created at the first build, not 2000-01-01.
        assert note_by_question(col, MCQ.id).id // 1000 == clock[0]
        assert review_all(col) > 0
        reviews = revlog_count(col, MCQ.id)
        assert reviews > 0

        # 1. edit
        clock[0] += 3600
        edited = tuple(dataclasses.replace(q, explanation="Edited once.") if q.id == MCQ.id else q for q in QUESTIONS)
        step(root, edited, tmp_path / "v2", col)
        assert "Edited once." in note_by_question(col, MCQ.id)["Explanation"]
        assert revlog_count(col, MCQ.id) == reviews and col.note_count() == len(QUESTIONS)

        # 2. remove: announced, the note stays, tagged retired
        clock[0] += 3600
        warned = []
        without = tuple(q for q in edited if q.id != MCQ.id)
        step(root, without, tmp_path / "v3", col, warned)
        assert any(MCQ.id in d.message and RETIRED_TAG in d.message for d in warned)
        assert col.note_count() == len(QUESTIONS)
        assert list(col.find_notes(f"tag:{RETIRED_TAG}")) == [note_by_question(col, MCQ.id).id]
        assert "Retired" in note_by_question(col, MCQ.id)["Prompt"]
        assert revlog_count(col, MCQ.id) == reviews

        # 3. re-add it edited: the edit lands though the note was shipped as a stub
        clock[0] += 3600
        readded = (*without, dataclasses.replace(MCQ, explanation="Back, edited."))
        step(root, readded, tmp_path / "v4", col)
        note = note_by_question(col, MCQ.id)
        assert "Back, edited." in note["Explanation"] and MCQ.prompt in note["Prompt"]
        assert RETIRED_TAG not in note.tags and not col.find_notes(f"tag:{RETIRED_TAG}")
        assert revlog_count(col, MCQ.id) == reviews and col.note_count() == len(QUESTIONS)

        # 4. lose the lock, edit: the build time beats every mod time shipped before
        (root / LOCK_NAME).unlink()
        clock[0] += 3600
        again = tuple(dataclasses.replace(q, explanation="After the lock was lost.") if q.id == TF.id else q
                      for q in readded)
        step(root, again, tmp_path / "v5", col)
        assert "After the lock was lost." in note_by_question(col, TF.id)["Explanation"]
        assert col.note_count() == len(QUESTIONS)
        assert revlog_count(col, MCQ.id) == reviews
    finally:
        col.close()


def test_a_fresh_import_gets_retired_stubs_suspended(tmp_path, clock):
    root = tmp_path / "bank"
    build(make_bank(root, QUESTIONS), tmp_path / "v1", timestamp=DEFAULT_EPOCH, warn=lambda d: None)
    apkg = build(make_bank(root, QUESTIONS[1:]), tmp_path / "v2", timestamp=DEFAULT_EPOCH, warn=lambda d: None)
    col = new_collection(tmp_path / "anki")
    try:
        from test_render_anki import ImportAnkiPackageOptions, ImportAnkiPackageRequest
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg),
                                                         options=ImportAnkiPackageOptions(with_scheduling=True)))
        (nid,) = col.find_notes(f"tag:{RETIRED_TAG}")
        assert col.get_note(nid)["Question ID"] == MCQ.id
        assert all(col.get_card(c).queue == -1 for c in col.find_cards(f"tag:{RETIRED_TAG}"))
        assert not col.find_cards(f"-tag:{RETIRED_TAG} is:suspended")
    finally:
        col.close()


def test_the_lock_keeps_first_build_ids_and_is_reproducible_with_it(tmp_path, clock):
    root = tmp_path / "bank"
    first = build(make_bank(root, QUESTIONS), tmp_path / "v1", timestamp=DEFAULT_EPOCH).read_bytes()
    lock = json.loads((root / LOCK_NAME).read_text(encoding="utf-8"))
    assert {v["id"] // 1000 for v in lock["notes"].values()} == {clock[0]}
    clock[0] += 999
    again = build(make_bank(root, QUESTIONS), tmp_path / "v2", timestamp=DEFAULT_EPOCH).read_bytes()
    assert again == first  # the clock only matters for what the lock does not know yet


def test_a_type_change_lands_as_a_new_note_and_retires_the_old(tmp_path, clock):
    root = tmp_path / "bank"
    col = new_collection(tmp_path / "anki")
    try:
        step(root, QUESTIONS, tmp_path / "v1", col)
        review_all(col)
        old_nid = note_by_question(col, MCQ.id).id
        reviews = revlog_count(col, MCQ.id)
        short = Question(id=MCQ.id, type="short_answer", topic=MCQ.topic, prompt="On what day was the visit due?",
                         answer="15 December", explanation="Now a short answer.", citations=MCQ.citations)
        clock[0] += 3600
        warned = []
        changed = tuple(short if q.id == MCQ.id else q for q in QUESTIONS)
        step(root, changed, tmp_path / "v2", col, warned)
        assert any("changed type (mcq -> short_answer)" in d.message for d in warned)
        notes = [col.get_note(n) for n in col.find_notes(f'"Question ID:{MCQ.id}"')]
        assert len(notes) == 2 and col.note_count() == len(QUESTIONS) + 1
        (old,) = [n for n in notes if RETIRED_TAG in n.tags]
        (new,) = [n for n in notes if RETIRED_TAG not in n.tags]
        assert old.id == old_nid and new.note_type()["name"].startswith("quizgen Short answer")
        assert "Now a short answer." in new["Explanation"]
        assert col.db.scalar(f"SELECT count() FROM revlog WHERE cid IN (SELECT id FROM cards WHERE nid = {old_nid})") \
            == reviews  # the history stays with the old note until the user deletes it

        # An unchanged rebuild changes nothing more.
        clock[0] += 3600
        log = step(root, changed, tmp_path / "v3", col)
        assert not log.new and col.note_count() == len(QUESTIONS) + 1
    finally:
        col.close()
