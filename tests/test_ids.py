"""Stable ids: the same name always gives the same id, in every build, forever."""

from __future__ import annotations

from quizgen.ids import ID_MAX, ID_MIN, deck_id, note_guid, note_type_id, stable_int

MCQ_FIELDS = ("Prompt", "Options", "Answer", "Explanation", "Sources", "Question ID")
MCQ_ID = 1350315383
BASE91 = set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


def test_ids_are_pinned():
    # Changing any of these makes Anki see new notes, decks and note types in every
    # collection that imported an earlier build: duplicates and lost progress.
    assert note_guid("dates-putin-visit-day") == "A8u)hMkRrr"
    assert deck_id("Russia–Japan Peace Treaty") == 1387194890
    assert note_type_id("mcq", MCQ_FIELDS, ("Multiple choice",)) == MCQ_ID


def test_guid_depends_on_the_question_id_only():
    assert note_guid("a") == note_guid("a")
    assert note_guid("a") != note_guid("b")
    assert len({note_guid(f"q-{i}") for i in range(10_000)}) == 10_000


def test_guid_uses_ankis_alphabet_and_no_whitespace():
    for i in range(500):
        guid = note_guid(f"question-{i}")
        assert guid and set(guid) <= BASE91
        assert len(guid) <= 10  # 64 bits in base 91


def test_int_ids_fall_in_genankis_range():
    for name in ("", "Dates", "Russia–Japan Peace Treaty::Islands", "Россия", "日本"):
        for value in (deck_id(name), note_type_id(name)):
            assert ID_MIN <= value < ID_MAX


def test_namespaces_keep_decks_and_note_types_apart():
    assert deck_id("mcq") != note_type_id("mcq")
    assert stable_int("deck", "mcq") == deck_id("mcq")


def test_custom_range():
    assert all(10 <= stable_int("x", str(i), 10, 20) < 20 for i in range(100))


def test_note_type_id_follows_the_schema_not_the_display_name():
    base = note_type_id("mcq", MCQ_FIELDS, ("Multiple choice",))
    assert note_type_id("mcq", (*MCQ_FIELDS, "Hint"), ("Multiple choice",)) != base
    assert note_type_id("mcq", MCQ_FIELDS, ("Multiple choice", "Reverse")) != base
    assert note_type_id("mcq", MCQ_FIELDS[:-1], (MCQ_FIELDS[-1], "Multiple choice")) != base
    assert note_type_id("true_false", MCQ_FIELDS, ("Multiple choice",)) != base


def _base91_digit_by_digit(value: int) -> str:
    # The definition: one digit per division, as note_guid first wrote it.
    from quizgen.ids import _BASE91

    digits = []
    while True:
        value, rem = divmod(value, len(_BASE91))
        digits.append(_BASE91[rem])
        if value == 0:
            break
    return "".join(reversed(digits))


def test_base91_by_digit_pairs_gives_the_digits_one_at_a_time_gives():
    import random

    from quizgen.ids import base91

    rng = random.Random(15)
    edges = [0, 1, 90, 91, 92, 8280, 8281, 8282, 91**3 - 1, 91**3, 91**4, 2**64 - 1, 2**63]
    for value in edges + [rng.getrandbits(rng.choice((8, 16, 32, 64))) for _ in range(20_000)]:
        assert base91(value) == _base91_digit_by_digit(value), value
