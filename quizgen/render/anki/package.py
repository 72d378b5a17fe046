"""Writing the .apkg: genanki's collection schema, models and decks, with the
parts that make genanki's output vary from build to build taken out.

genanki stamps every note, card and model with one build time, takes ids from
the clock, writes the database to a temporary file it never deletes, and lets
zipfile record wall-clock entry times. Here each note and note type carries its
own mod time (from the lock), ids count up from the build timestamp, the
database is built in memory, and the zip entries have fixed times and order.
Notes and cards are inserted in two batches instead of a statement each, which
is most of why this is faster than genanki's own writer.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import sqlite3
import tempfile
import time
import zipfile
from typing import Iterable, NamedTuple, Sequence

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from quizgen.ids import deck_id
from quizgen.render.anki.notetypes import CSS, NoteTypeSpec

ZIP_EPOCH = 315532800  # 1980-01-01, the earliest time a zip entry can hold
ZIP_LAST = 4354819198  # 2107-12-31 23:59:58, the latest (SOURCE_DATE_EPOCH may go to 9999)

# genanki's schema, split so the indexes are built after the rows go in: one
# pass over sorted data instead of an index update per row.
_STATEMENTS = [s.strip() for s in APKG_SCHEMA.split(";") if s.strip()]
TABLES = ";\n".join(s for s in _STATEMENTS if not s.upper().startswith("CREATE INDEX")) + ";"
INDEXES = ";\n".join(s for s in _STATEMENTS if s.upper().startswith("CREATE INDEX")) + ";"


class NoteType(genanki.Model):
    """A genanki model built from a NoteTypeSpec, with its own mod time."""

    def __init__(self, spec: NoteTypeSpec, mod: int):
        super().__init__(
            model_id=spec.id,
            name=spec.name,
            fields=[{"name": name} for name in spec.fields],
            templates=[{"name": t.name, "qfmt": t.front, "afmt": t.back} for t in spec.templates],
            css=CSS,
            model_type=genanki.Model.CLOZE if spec.cloze else genanki.Model.FRONT_BACK,
            sort_field_index=spec.sort_field,
        )
        self.mod = mod

    def to_json(self, timestamp: float, deck_id: int) -> dict:
        data = super().to_json(timestamp, deck_id)
        data["mod"] = self.mod
        return data


class StableDeck(genanki.Deck):
    """A deck whose id comes from its name and whose mod time is the build's."""

    def __init__(self, name: str, description: str, mod: int):
        super().__init__(deck_id(name), name, description)
        self.mod = mod

    def to_json(self) -> dict:
        data = super().to_json()
        data["mod"] = self.mod
        return data


class NoteRow(NamedTuple):
    guid: str
    note_type_id: int
    deck_id: int
    mod: int
    id: int  # the note id, from the lock: its first build's time in ms
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    card_ords: tuple[int, ...]
    suspended: bool = False  # a retired stub: its cards arrive suspended


class HermeticPackage(genanki.Package):
    """The same input gives the same bytes."""

    def __init__(self, decks: Sequence[StableDeck], note_types: Sequence[NoteType], notes: Iterable[NoteRow]):
        super().__init__(list(decks))
        self.note_types = list(note_types)
        self.notes = list(notes)

    def write_to_db(self, cursor, timestamp: float, id_gen) -> None:
        cursor.executescript(TABLES)
        cursor.executescript(APKG_COL)
        (decks_json,) = cursor.execute("SELECT decks FROM col").fetchone()
        decks = json.loads(decks_json)
        for deck in self.decks:
            decks[str(deck.deck_id)] = deck.to_json()
        home = self.decks[0].deck_id if self.decks else 1
        models = {str(m.model_id): m.to_json(timestamp, home) for m in self.note_types}
        cursor.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(decks), json.dumps(models)))

        note_rows = []
        card_rows = []
        for due, note in enumerate(self.notes, start=1):
            nid = note.id
            note_rows.append(
                (nid, note.guid, note.note_type_id, note.mod, -1, f" {' '.join(note.tags)} ",
                 "\x1f".join(note.fields), note.fields[0], 0, 0, "")
            )
            for ord_ in note.card_ords:
                # Card: id nid did ord mod usn type queue due ivl factor reps lapses left odue odid flags data.
                # due is the new-card position, so new cards come up in bank order.
                queue = -1 if note.suspended else 0
                card_rows.append((next(id_gen), nid, note.deck_id, ord_, note.mod, -1, 0, queue, due,
                                  0, 0, 0, 0, 0, 0, 0, 0, ""))
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", note_rows)
        cursor.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows)
        cursor.executescript(INDEXES)

    def collection_bytes(self, timestamp: int) -> bytes:
        """The collection database. Ids count up from the build timestamp (as
        genanki's do, in milliseconds), so they are the same for the same build."""
        ids = itertools.count(timestamp * 1000 + 1)
        if hasattr(sqlite3.Connection, "serialize"):  # Python 3.11+
            conn = sqlite3.connect(":memory:")
            try:
                # Nothing to roll back to in a database that is thrown away; the
                # bytes are the same with or without the journal.
                conn.execute("PRAGMA journal_mode=OFF")
                self.write_to_db(conn.cursor(), timestamp, ids)
                conn.commit()
                return conn.serialize()
            finally:
                conn.close()
        with tempfile.TemporaryDirectory(prefix="quizgen-anki-") as tmp:
            path = os.path.join(tmp, "collection.anki2")
            conn = sqlite3.connect(path)
            try:
                self.write_to_db(conn.cursor(), timestamp, ids)
                conn.commit()
            finally:
                conn.close()
            with open(path, "rb") as fh:
                return fh.read()

    def to_bytes(self, timestamp: int) -> bytes:
        return zip_bytes({"collection.anki2": self.collection_bytes(timestamp), "media": b"{}"}, timestamp)

    def write_to_file(self, file, timestamp: float | None = None) -> None:
        from quizgen.writefile import write_atomic

        write_atomic(file, self.to_bytes(int(timestamp or 0)))


def zip_bytes(members: dict[str, bytes], timestamp: int) -> bytes:
    """A zip whose bytes depend only on the members and the timestamp."""
    date_time = time.gmtime(min(max(timestamp, ZIP_EPOCH), ZIP_LAST))[:6]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # the default depends on the OS building it
            info.external_attr = 0o644 << 16
            # Level 1: a tenth of the size genanki writes (it stores), at a third
            # of level 6's time; level 6 would only save another fifth.
            archive.writestr(info, members[name], compresslevel=1)
    return buf.getvalue()
