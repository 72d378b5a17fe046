"""The Anki renderer, read back the way a user meets it: every deck here is
imported into a real (headless) Anki collection."""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest

from quizgen.errors import QuizgenError
from quizgen.ids import deck_id, note_guid
from quizgen.model import (Bank, BankConfig, Citation, Question, Source, Topic, cloze_answer, matching_answer,
                           ordering_answer)
from quizgen.render import RenderOptions
from quizgen.render.anki import deck_slug, render

DEFAULT_DECK_NAME = "Russia–Japan Peace Treaty"  # the shipped bank's deck, from its bank.yaml
CONFIG = BankConfig(title=DEFAULT_DECK_NAME, deck_description="Answers cite a verbatim quote.",
                    topics=(Topic("declaration-1956", "Declaration 1956"),))
from quizgen.render.anki.lock import LOCK_NAME, next_mod
from quizgen.bank.balance import balance, keyed_index, option_order
from quizgen.render.anki.notes import reversible, shuffled_order, tag_names, tags_for
from quizgen.render.anki.notetypes import MULTIPLE_CHOICE, NOTE_TYPES

anki_collection = pytest.importorskip("anki.collection")
Collection = anki_collection.Collection
ImportAnkiPackageRequest = anki_collection.ImportAnkiPackageRequest
ImportAnkiPackageOptions = anki_collection.ImportAnkiPackageOptions
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as Update  # noqa: E402

TS = 1_700_000_000
REAL_BANK = Path(__file__).parents[1] / "questions"
TEMPLATE_ERROR = "templates/errors.html"  # every Anki template error links here

PUBLISHED = Source(
    id="tass-test",
    file="a.txt",
    sha256="0" * 64,
    outlet="TASS",
    headline="Tokyo & Moscow <continue> work",
    published="2017-03-20",
)
INFERRED = Source(
    id="undated-test",
    file="b.txt",
    sha256="1" * 64,
    outlet=None,
    headline="STILL AT WAR! Japan to Discuss Proposed Peace Treaty",
    inferred_date="2018-09",
    inferred_reason="Prints no date.",
)


def cite(quote: str, source: Source = PUBLISHED) -> tuple[Citation, ...]:
    return (Citation(source.id, quote),)


QUESTIONS = (
    Question(
        id="dates-visit-day", type="mcq", topic="dates", tags=("putin",), difficulty="easy",
        prompt="On what day was Putin expected to visit Japan?",
        options=("15 December", "14 November", "20 March"), answer="15 December",
        explanation="Kishida named the day.", citations=cite("expected to visit Japan on December 15"),
    ),
    Question(
        id="islands-tf", type="true_false", topic="islands", difficulty="medium",
        prompt="The islands are large compared with Russia.", options=("True", "False"), answer="False",
        explanation="Putin called them small.", citations=cite("were small in comparison", INFERRED),
    ),
    Question(
        id="actors-lavrov", type="short_answer", topic="actors", tags=("lavrov",),
        prompt="Who is Russia's foreign minister (ラブロフ外相 in the Japanese press)? Answer in Russian.",
        answer="Сергей Лавров", accept=("Sergey Lavrov", "ラブロフ"),
        explanation="Lavrov met Kono (河野太郎) in Moscow.", citations=cite("Sergey Lavrov said", INFERRED),
    ),
    Question(
        id="meetings-venues", type="cloze", topic="meetings",
        prompt="Abe (安倍晋三) met Putin in [[Nagato]] and then in [[Tokyo]].",
        answer=cloze_answer("Abe (安倍晋三) met Putin in [[Nagato]] and then in [[Tokyo]]."),
        explanation="Two venues.", citations=cite("in Nagato and would continue it in Tokyo"),
    ),
    Question(
        id="actors-who-said", type="matching", topic="actors",
        prompt="Match each statement to its speaker.",
        pairs=(("Seven decades", "Kawamura"), ("2+2 helps", "Kishida"), ("Islands are small", "Putin")),
        answer=matching_answer((("Seven decades", "Kawamura"), ("2+2 helps", "Kishida"),
                                ("Islands are small", "Putin"))),
        explanation="Three speakers.", citations=cite("acute for more than 70 years"),
    ),
    Question(
        id="declaration-order", type="ordering", topic="declaration-1956",
        prompt="Put these in order, earliest first.",
        items=("1956 declaration", "Visit postponed", "Vladivostok forum", "Nagato summit"),
        answer=ordering_answer(("1956 declaration", "Visit postponed", "Vladivostok forum", "Nagato summit")),
        explanation="Chronology.", citations=cite("In 1956, Russia and Japan inked a declaration"),
    ),
    Question(
        id="dates-escaping", type="mcq", topic="dates", difficulty="hard",
        prompt="Is <script>alert(1)</script> shown as text when a < b & c?",
        options=("a < b & c", "<b>bold</b>"), answer="a < b & c",
        explanation="Escaped: <i>not italic</i> & {{c1::not a cloze}}.",
        citations=cite("a < b & c"),
    ),
)
# mcq 1, true/false 1, short answer 2 (and reversed), cloze 2 (one per blank),
# matching 1, ordering 1, mcq 1
EXPECTED_CARDS = 9


def make_bank(root: Path, questions=QUESTIONS) -> Bank:
    return Bank(root=str(root), sources=(PUBLISHED, INFERRED), questions=tuple(questions), config=CONFIG)


def replace_question(bank: Bank, question_id: str, **changes) -> Bank:
    questions = tuple(dataclasses.replace(q, **changes) if q.id == question_id else q for q in bank.questions)
    return dataclasses.replace(bank, questions=questions)


def build(bank: Bank, out: Path, **options) -> Path:
    options.setdefault("timestamp", TS)
    written = render(bank, out, RenderOptions(**options))
    return written[0]


def import_apkg(col, path: Path, update=Update.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER, merge=False):
    request = ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(update_notes=update, update_notetypes=update, merge_notetypes=merge),
    )
    return col.import_anki_package(request).log


def visible_text(markup: str) -> str:
    markup = re.sub(r"<style>.*?</style>", "", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup)).strip()


def note_by_question(col, question_id: str):
    (nid,) = col.find_notes(f'"Question ID:{question_id}"')
    return col.get_note(nid)


@pytest.fixture
def bank(tmp_path: Path) -> Bank:
    return make_bank(tmp_path / "bank")


@pytest.fixture
def col(tmp_path: Path):
    collection = new_collection(tmp_path / "anki")
    yield collection
    collection.close()


def new_collection(path: Path):
    path.mkdir(parents=True, exist_ok=True)
    return Collection(str(path / "collection.anki2"))


# --- importing into Anki -----------------------------------------------------


def test_one_note_per_question_and_the_expected_cards(bank, col, tmp_path):
    apkg = build(bank, tmp_path / "out")
    assert apkg == tmp_path / "out" / "russia-japan-peace-treaty.apkg"
    log = import_apkg(col, apkg)
    assert len(log.new) == len(QUESTIONS)
    assert col.note_count() == len(QUESTIONS)
    assert col.card_count() == EXPECTED_CARDS


def test_decks_are_a_parent_with_a_subdeck_per_topic(bank, col, tmp_path):
    import_apkg(col, build(bank, tmp_path / "out"))
    names = {d.name for d in col.decks.all_names_and_ids()}
    parent = DEFAULT_DECK_NAME
    assert {parent, f"{parent}::Dates", f"{parent}::Islands", f"{parent}::Actors",
            f"{parent}::Meetings", f"{parent}::Declaration 1956"} <= names
    for q in QUESTIONS:
        for cid in col.find_cards(f'"Question ID:{q.id}"'):
            deck = col.decks.get(col.get_card(cid).did)["name"]
            assert deck.startswith(f"{parent}::"), deck
    assert "verbatim quote" in col.decks.by_name(parent)["desc"]


def test_note_types_one_per_question_shape(bank, col, tmp_path):
    import_apkg(col, build(bank, tmp_path / "out"))
    for q in QUESTIONS:
        note = note_by_question(col, q.id)
        assert note.note_type()["name"] == NOTE_TYPES[q.type].name
    cloze = col.models.by_name(NOTE_TYPES["cloze"].name)
    assert cloze["type"] == 1  # Anki's cloze kind, so Anki makes one card per blank
    assert "{{cloze:Text}}" in cloze["tmpls"][0]["qfmt"]
    assert ".nightMode" in cloze["css"] and ".night_mode" in cloze["css"]


def test_every_card_renders_and_cites_its_source(bank, col, tmp_path):
    import_apkg(col, build(bank, tmp_path / "out"))
    by_id = {q.id: q for q in QUESTIONS}
    sources = {s.id: s for s in (PUBLISHED, INFERRED)}
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        front, back = card.question(), card.answer()
        assert TEMPLATE_ERROR not in front and TEMPLATE_ERROR not in back
        assert visible_text(front), f"card {cid} has an empty front"
        q = by_id[card.note()["Question ID"]]
        shown = visible_text(back)
        assert q.explanation in shown
        for citation in q.citations:
            source = sources[citation.source]
            for expected in (source.outlet_label, source.date_label, source.headline, citation.quote):
                assert expected in shown, f"{q.id}: back lacks {expected!r}"


def test_inferred_dates_are_marked(bank, col, tmp_path):
    import_apkg(col, build(bank, tmp_path / "out"))
    back = col.get_card(col.find_cards('"Question ID:islands-tf"')[0]).answer()
    assert "2018-09 (inferred)" in back
    assert "outlet not printed" in back


def test_card_contents_by_type(bank, col, tmp_path):
    import_apkg(col, build(bank, tmp_path / "out"))

    def card(question_id, ord_=0):
        cards = [col.get_card(c) for c in col.find_cards(f'"Question ID:{question_id}"')]
        return next(c for c in cards if c.ord == ord_)

    mcq = card("dates-visit-day")
    assert all(o in visible_text(mcq.question()) for o in ("15 December", "14 November", "20 March"))
    letter = "ABC"[keyed_index(QUESTIONS[0])]
    assert f"{letter} 15 December" in visible_text(mcq.answer().split('id="answer"')[1])

    short = card("actors-lavrov")
    assert "Сергей Лавров" not in visible_text(short.question())
    assert "Сергей Лавров" in visible_text(short.answer())
    reverse = card("actors-lavrov", 1)
    assert "Сергей Лавров" in visible_text(reverse.question())
    assert "Who is Russia's foreign minister" in visible_text(reverse.answer())

    first, second = card("meetings-venues", 0), card("meetings-venues", 1)
    assert "Nagato" not in visible_text(first.question()) and "Tokyo" in visible_text(first.question())
    assert "Tokyo" not in visible_text(second.question()) and "Nagato" in visible_text(second.question())
    assert "安倍晋三" in visible_text(first.question())

    ordering = card("declaration-order")
    front = visible_text(ordering.question())
    positions = [front.index(item) for item in QUESTIONS[5].items]
    assert positions != sorted(positions), "the front must not show the items in order"
    solution = visible_text(ordering.answer().split('id="answer"')[1])
    positions = [solution.index(item) for item in QUESTIONS[5].items]
    assert positions == sorted(positions)

    matching = card("actors-who-said")
    assert all(name in visible_text(matching.question()) for name in ("Kawamura", "Kishida", "Putin"))


def test_text_from_yaml_is_escaped(bank, col, tmp_path):
    import_apkg(col, build(bank, tmp_path / "out"))
    card = col.get_card(col.find_cards('"Question ID:dates-escaping"')[0])
    front, back = card.question(), card.answer()
    assert "<script>" not in front and "<b>bold</b>" not in front
    assert "Is <script>alert(1)</script> shown as text when a < b & c?" in visible_text(front)
    assert "<b>bold</b>" in visible_text(front)
    assert "<i>not italic</i> & {{c1::not a cloze}}." in visible_text(back)


def test_tags_are_hierarchical(bank, col, tmp_path):
    import_apkg(col, build(bank, tmp_path / "out"))
    tags = set(note_by_question(col, "actors-lavrov").tags)
    assert {"quizgen::topic::actors", "quizgen::type::short_answer", "quizgen::difficulty::medium",
            "quizgen::source::undated-test", "quizgen::tag::lavrov"} <= tags
    assert len(col.find_notes("tag:quizgen::type::mcq")) == 2


def test_guids_come_from_question_ids(bank, tmp_path):
    apkg = build(bank, tmp_path / "out")
    with zipfile.ZipFile(apkg) as z:
        db = open_db(z.read("collection.anki2"), tmp_path)
    guids = {row[0] for row in db.execute("SELECT guid FROM notes")}
    assert guids == {note_guid(q.id) for q in QUESTIONS}


# --- updates -----------------------------------------------------------------


def test_importing_the_same_file_again_adds_nothing(bank, col, tmp_path):
    apkg = build(bank, tmp_path / "out")
    import_apkg(col, apkg)
    again = import_apkg(col, apkg)
    assert len(again.new) == 0 and len(again.updated) == 0
    assert len(again.duplicate) == len(QUESTIONS)
    # Equal mod times are skipped even when the user asks to update always.
    always = import_apkg(col, apkg, update=Update.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS)
    assert len(always.new) == 0 and len(always.updated) == 0
    assert col.note_count() == len(QUESTIONS) and col.card_count() == EXPECTED_CARDS


def test_an_edited_question_updates_its_note_in_place(bank, col, tmp_path):
    import_apkg(col, build(bank, tmp_path / "v1"))
    before = note_by_question(col, "dates-visit-day")

    edited = replace_question(bank, "dates-visit-day", prompt="Which day did Kishida name for the visit?")
    # Same SOURCE_DATE_EPOCH: the lock still makes the changed note newer.
    log = import_apkg(col, build(edited, tmp_path / "v2"))

    assert len(log.updated) == 1 and len(log.new) == 0
    after = note_by_question(col, "dates-visit-day")
    assert after.id == before.id
    assert after["Prompt"] == "Which day did Kishida name for the visit?"
    assert after.mod > before.mod
    assert col.note_count() == len(QUESTIONS) and col.card_count() == EXPECTED_CARDS


def test_a_new_cloze_blank_adds_its_card_to_the_existing_note(bank, col, tmp_path):
    import_apkg(col, build(bank, tmp_path / "v1"))
    prompt = "[[Abe]] met Putin in [[Nagato]] and then in [[Tokyo]]."
    edited = replace_question(bank, "meetings-venues", prompt=prompt, answer=cloze_answer(prompt))
    log = import_apkg(col, build(edited, tmp_path / "v2"))
    assert len(log.updated) == 1
    assert col.note_count() == len(QUESTIONS)
    assert len(col.find_cards('"Question ID:meetings-venues"')) == 3


def test_an_unchanged_rebuild_keeps_the_users_edit(bank, col, tmp_path):
    import_apkg(col, build(bank, tmp_path / "v1"))
    note = note_by_question(col, "islands-tf")
    note["Explanation"] = "my own mnemonic"
    col.update_note(note)

    log = import_apkg(col, build(bank, tmp_path / "v2"))
    assert len(log.updated) == 0
    assert note_by_question(col, "islands-tf")["Explanation"] == "my own mnemonic"


def test_note_type_changes_reach_anki_in_place(bank, col, tmp_path):
    # A template or CSS change keeps the schema; the lock gives the note type a
    # newer mod time so Anki updates it instead of keeping its old copy.
    import_apkg(col, build(bank, tmp_path / "v1"))
    lock_path = Path(bank.root) / LOCK_NAME
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock["note_types"]["mcq"]["fingerprint"] = "from-an-older-build"
    lock_path.write_text(json.dumps(lock), encoding="utf-8")
    warnings = []
    build(bank, tmp_path / "v2", warn=warnings.append)
    assert warnings == []  # nothing for the user to do
    assert json.loads(lock_path.read_text(encoding="utf-8"))["note_types"]["mcq"]["mod"] == TS + 1

    import_apkg(col, tmp_path / "v2" / "russia-japan-peace-treaty.apkg")
    col.models._clear_cache()
    assert col.models.by_name(MULTIPLE_CHOICE.name)["mod"] == TS + 1


@pytest.fixture
def mcq_with_a_new_field(monkeypatch):
    changed = dataclasses.replace(MULTIPLE_CHOICE, fields=(*MULTIPLE_CHOICE.fields, "Hint"))
    return lambda: monkeypatch.setitem(NOTE_TYPES, "mcq", changed)


def test_a_schema_change_warns_and_merging_updates_in_place(bank, tmp_path, mcq_with_a_new_field):
    merged, forked = new_collection(tmp_path / "merged"), new_collection(tmp_path / "forked")
    try:
        v1 = build(bank, tmp_path / "v1")
        for col in (merged, forked):
            import_apkg(col, v1)
            users = note_by_question(col, "dates-escaping")
            users["Explanation"] = "my own mnemonic"
            col.update_note(users)

        mcq_with_a_new_field()
        edited = replace_question(bank, "dates-visit-day", explanation="Kishida named 15 December.")
        warnings = []
        v2 = build(edited, tmp_path / "v2", warn=warnings.append)
        (warning,) = warnings
        assert warning.severity == "warning"
        assert warning.message.startswith(
            "Anki note type 'quizgen Multiple choice' changed its fields (Prompt, Options, Answer, "
            "Explanation, Sources, Question ID -> Prompt, Options, Answer, Explanation, Sources, "
            "Question ID, Hint), so its id changed ("
        )
        assert "tick 'Merge note types'" in warning.message
        assert warning.loc.file == str(Path(bank.root) / LOCK_NAME)

        # What the warning says to do works, with Anki's default "update if newer" ...
        before = note_by_question(merged, "dates-visit-day").id
        log = import_apkg(merged, v2, merge=True)
        assert len(log.new) == 0 and len(log.updated) == 1
        merged.models._clear_cache()
        note = note_by_question(merged, "dates-visit-day")
        assert note.id == before and note["Explanation"] == "Kishida named 15 December."
        assert note.keys()[-1] == "Hint"
        assert note_by_question(merged, "dates-escaping")["Explanation"] == "my own mnemonic"
        assert merged.note_count() == len(QUESTIONS) and merged.card_count() == EXPECTED_CARDS
        assert len([m for m in merged.models.all_names_and_ids() if "Multiple choice" in m.name]) == 1

        # ... and what it warns about is real.
        log = import_apkg(forked, v2)
        assert len(log.conflicting) == 2
        assert note_by_question(forked, "dates-visit-day")["Explanation"] == "Kishida named the day."
        assert forked.models.by_name("quizgen Multiple choice+") is not None

        # Said once: the lock now records the new schema.
        warnings.clear()
        build(edited, tmp_path / "v3", warn=warnings.append)
        assert warnings == []
    finally:
        merged.close()
        forked.close()


def test_without_a_warn_callback_the_warning_is_not_lost(bank, tmp_path, mcq_with_a_new_field):
    build(bank, tmp_path / "v1")
    mcq_with_a_new_field()
    with pytest.warns(UserWarning, match="Merge note types"):
        build(bank, tmp_path / "v2")


# --- the lock file -----------------------------------------------------------


def test_mod_times_are_deterministic_and_always_move_forward():
    assert next_mod(None, TS) == TS
    assert next_mod(TS, TS) == TS + 1
    assert next_mod(TS + 50, TS) == TS + 51
    assert next_mod(TS - 50, TS) == TS


def test_the_lock_records_each_note_sorted_one_per_line(bank, tmp_path):
    written = render(bank, tmp_path / "out", RenderOptions(timestamp=TS))
    lock_path = Path(bank.root) / LOCK_NAME
    assert written == [tmp_path / "out" / "russia-japan-peace-treaty.apkg", lock_path]
    text = lock_path.read_text(encoding="utf-8")
    lock = json.loads(text)
    assert lock["format"] == "quizgen-anki-lock/2"
    assert list(lock["notes"]) == sorted(q.id for q in QUESTIONS)
    assert all(entry["mod"] == TS for entry in lock["notes"].values())
    for q in QUESTIONS:
        assert sum(f'"{q.id}": {{' in line for line in text.splitlines()) == 1
    assert set(lock["note_types"]) == set(NOTE_TYPES)


def test_a_changed_question_moves_one_line_of_the_lock(bank, tmp_path):
    build(bank, tmp_path / "v1")
    lock_path = Path(bank.root) / LOCK_NAME
    before = lock_path.read_text(encoding="utf-8").splitlines()
    build(replace_question(bank, "islands-tf", explanation="Small, said Putin."), tmp_path / "v2",
          timestamp=TS + 100)
    after = lock_path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 1
    assert '"islands-tf"' in changed[0][1] and f'"mod": {TS + 100}' in changed[0][1]


def test_removed_questions_stay_in_the_lock_retired(bank, tmp_path):
    build(bank, tmp_path / "v1")
    warned = []
    build(make_bank(Path(bank.root), QUESTIONS[:2]), tmp_path / "v2", warn=warned.append)
    lock = json.loads((Path(bank.root) / LOCK_NAME).read_text(encoding="utf-8"))
    assert set(lock["notes"]) == {q.id for q in QUESTIONS}
    assert {k for k, v in lock["notes"].items() if v.get("retired")} == {q.id for q in QUESTIONS[2:]}
    (warning,) = warned
    assert "5 questions left the bank" in warning.message and "tag:quizgen::retired" in warning.message


def test_a_malformed_lock_is_an_error_not_a_traceback(bank, tmp_path):
    lock_path = Path(bank.root) / LOCK_NAME
    lock_path.parent.mkdir(parents=True)
    lock_path.write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(QuizgenError) as excinfo:
        build(bank, tmp_path / "out")
    (diagnostic,) = excinfo.value.diagnostics
    assert diagnostic.message == "expected format 'quizgen-anki-lock/2', found 'something-else'"
    assert not (tmp_path / "out").exists()


def test_duplicate_question_ids_are_refused(tmp_path):
    bank = make_bank(tmp_path / "bank", (QUESTIONS[0], QUESTIONS[0]))
    with pytest.raises(QuizgenError, match="expected unique question ids, found 'dates-visit-day' twice"):
        build(bank, tmp_path / "out")


# --- reproducible bytes ------------------------------------------------------


def open_db(data: bytes, tmp_path: Path) -> sqlite3.Connection:
    path = Path(tempfile.mkstemp(dir=tmp_path, suffix=".anki2")[1])
    path.write_bytes(data)
    return sqlite3.connect(path)


def test_two_builds_of_an_unchanged_tree_are_byte_identical(tmp_path):
    first = build(make_bank(tmp_path / "bank-a"), tmp_path / "a")
    second = build(make_bank(tmp_path / "bank-b"), tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.read("collection.anki2") == b.read("collection.anki2")


def test_rebuilding_with_the_lock_changes_no_byte(bank, tmp_path):
    first = build(bank, tmp_path / "a").read_bytes()
    lock = (Path(bank.root) / LOCK_NAME).read_bytes()
    written = render(bank, tmp_path / "b", RenderOptions(timestamp=TS))
    assert written == [tmp_path / "b" / "russia-japan-peace-treaty.apkg"]  # lock unchanged, not rewritten
    assert written[0].read_bytes() == first
    assert (Path(bank.root) / LOCK_NAME).read_bytes() == lock


def test_no_wall_clock_time_in_the_package(bank, tmp_path):
    ts = 1_000_000_000  # 2001: far from any clock this test runs on
    apkg = build(bank, tmp_path / "out", timestamp=ts)
    with zipfile.ZipFile(apkg) as z:
        assert z.namelist() == ["collection.anki2", "media"]
        assert {info.date_time for info in z.infolist()} == {(2001, 9, 9, 1, 46, 40)}
        db = open_db(z.read("collection.anki2"), tmp_path)
    assert {row[0] for row in db.execute("SELECT mod FROM notes")} == {ts}
    assert {row[0] for row in db.execute("SELECT mod FROM cards")} == {ts}
    assert min(row[0] for row in db.execute("SELECT id FROM notes")) == ts * 1000 + 1
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    assert {m["mod"] for m in models.values()} == {ts}
    assert {d["mod"] for k, d in decks.items() if k != "1"} == {ts}


def test_source_date_epoch_before_1980_still_writes_a_valid_zip(bank, tmp_path):
    apkg = build(bank, tmp_path / "out", timestamp=0)
    with zipfile.ZipFile(io.BytesIO(apkg.read_bytes())) as z:
        assert z.testzip() is None


def test_no_temporary_files_are_left_behind(bank, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    build(bank, tmp_path / "out")
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["russia-japan-peace-treaty.apkg"]


# --- options -----------------------------------------------------------------


def test_deck_name_option_names_the_decks_and_the_file(bank, col, tmp_path):
    apkg = build(bank, tmp_path / "out", deck_name="Мир и договор 平和条約")
    assert apkg.name == "мир-и-договор-平和条約.apkg"
    import_apkg(col, apkg)
    assert col.decks.id_for_name("Мир и договор 平和条約::Dates") is not None


def test_deck_slug():
    assert deck_slug(DEFAULT_DECK_NAME) == "russia-japan-peace-treaty"
    assert deck_slug("  ") == "deck"


def test_progress_reports_a_summary(bank, tmp_path):
    messages = []
    build(bank, tmp_path / "out", progress=messages.append)
    assert messages == [
        "anki: 7 notes (7 new, 0 changed, 0 unchanged), 9 cards in 5 topic decks; "
        f"mcq keys {balance(QUESTIONS).summary().split('mcq keys ')[1]}"
    ]
    assert "true/false 0 True, 1 False" in messages[0]


def test_progress_counts_through_big_builds(tmp_path):
    many = tuple(dataclasses.replace(QUESTIONS[0], id=f"q-{i}") for i in range(2000))
    messages = []
    build(make_bank(tmp_path / "bank", many), tmp_path / "out", progress=messages.append)
    assert messages[:2] == ["anki: prepared 1000/2000 notes", "anki: prepared 2000/2000 notes"]
    assert messages[-1].startswith("anki: 2000 notes (2000 new")


def test_shuffles_depend_on_the_question_id_only():
    assert shuffled_order("q", "items", 5) == shuffled_order("q", "items", 5)
    for n in range(2, 7):
        for i in range(50):
            order = shuffled_order(f"q{i}", "items", n)
            assert sorted(order) == list(range(n)) and order != list(range(n))


def test_only_the_anki_renderer_imports_genanki():
    package = Path(__file__).parents[1] / "quizgen"
    importers = {
        str(p.relative_to(package))
        for p in package.rglob("*.py")
        if re.search(r"^\s*(import|from)\s+genanki", p.read_text(encoding="utf-8"), re.M)
    }
    assert importers and all(re.fullmatch(r"render/anki/\w+\.py", p) for p in importers), importers


def test_topic_decks_have_fixed_ids(bank, tmp_path):
    apkg = build(bank, tmp_path / "out")
    with zipfile.ZipFile(apkg) as z:
        db = open_db(z.read("collection.anki2"), tmp_path)
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    for key, deck in decks.items():
        if deck["name"] != "Default":
            assert int(key) == deck_id(deck["name"])


# --- the real bank -------------------------------------------------------------


def test_the_real_bank_builds_and_imports(tmp_path, col):
    from quizgen.bank.load import load_bank

    # A copy, so the test never rewrites the repository's lock file.
    root = tmp_path / "questions"
    shutil.copytree(REAL_BANK, root)
    real, diagnostics = load_bank(root)
    assert real is not None, [str(d) for d in diagnostics]
    apkg = build(real, tmp_path / "out")
    log = import_apkg(col, apkg)
    assert len(log.new) == len(real.questions) == col.note_count()
    reverse = reversible(real.questions)
    expected_cards = sum(
        (2 if q.id in reverse else 1) if q.type == "short_answer" else len(q.cloze_blanks) if q.type == "cloze"
        else 1
        for q in real.questions
    )
    assert col.card_count() == expected_cards
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        assert TEMPLATE_ERROR not in card.question() + card.answer()
        assert visible_text(card.question())
        assert 'class="qg-quote"' in card.answer()
    assert len(import_apkg(col, apkg).new) == 0
