"""The streaming Anki writer: notes are written as they arrive, and the
package is the same bytes the in-memory writer gives."""

from __future__ import annotations

import io
import itertools

from quizgen.render.anki import package
from quizgen.render.anki.package import HermeticPackage, NoteRow, NoteType, StableDeck, insert_notes, write_package
from quizgen.render.anki.notetypes import NOTE_TYPES

TS = 1_700_000_000


def _rows(n: int, seen: list[int] | None = None):
    specs = list(NOTE_TYPES.values())
    for i in range(n):
        spec = specs[i % len(specs)]
        if seen is not None:
            seen.append(i)
        yield NoteRow(guid=f"g{i:04}", note_type_id=spec.id, deck_id=1, mod=TS + i % 3, id=TS * 1000 + i,
                      fields=tuple(f"{name} {i} <b>&amp;</b> ünïcödé" for name in spec.fields),
                      tags=("t", f"n{i % 4}"), card_ords=(0, 1) if i % 5 == 0 else (0,), suspended=i == n - 1)


def _head():
    decks = [StableDeck("Deck", "<p>d</p>", TS), StableDeck("Deck::Sub", "<p>s</p>", TS)]
    return decks, [NoteType(spec, TS) for spec in NOTE_TYPES.values()]


def test_the_streamed_package_is_the_in_memory_packages_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(package, "BATCH", 7)  # several batches, and a short last one
    monkeypatch.setattr(package, "CHUNK", 4096)  # the zip fed a page at a time
    decks, types = _head()
    out = io.BytesIO()
    write_package(out, decks, types, _rows(50), TS, str(tmp_path))
    assert out.getvalue() == HermeticPackage(decks, types, _rows(50)).to_bytes(TS)
    assert list(tmp_path.iterdir()) == []  # the scratch database is gone


class _Recorder:
    """A cursor that notes how many rows the generator had made when each
    batch went to the database."""

    def __init__(self, seen: list[int]):
        self.seen = seen
        self.calls: list[tuple[str, int, int]] = []

    def executemany(self, sql, rows):
        rows = list(rows)
        self.calls.append((sql.split()[2], len(rows), len(self.seen)))


def test_notes_are_inserted_a_batch_at_a_time_as_they_are_made(monkeypatch):
    monkeypatch.setattr(package, "BATCH", 10)
    seen: list[int] = []
    cursor = _Recorder(seen)
    assert insert_notes(cursor, _rows(35, seen), itertools.count(1)) == 35
    notes = [(n, made) for table, n, made in cursor.calls if table == "notes"]
    # Each batch is written when its last note is made, not after all 35.
    assert notes == [(10, 10), (10, 20), (10, 30), (5, 35)]
    cards = [n for table, n, made in cursor.calls if table == "cards"]
    assert cards == [35 + 7]  # after every note; notes 0, 5, ..., 30 have two cards
