"""Writing the .apkg: genanki's collection schema, models and decks, with the
parts that make genanki's output vary from build to build taken out.

genanki stamps every note, card and model with one build time, takes ids from
the clock, writes the database to a temporary file it never deletes, and lets
zipfile record wall-clock entry times. Here each note and note type carries its
own mod time (from the lock), ids count up from the build timestamp, and the
zip entries have fixed times and order. write_package streams: notes go into a
database file in the stage's folder a batch at a time as they are made, and the
zip is compressed from that file, so memory stays flat as the deck grows; its
bytes are those of HermeticPackage.to_bytes, the in-memory writer kept as the
reference. Rows go in by executemany instead of a statement each, which is most
of why this is faster than genanki's own writer.
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
from array import array
from typing import BinaryIO, Iterable, NamedTuple, Sequence

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
    # The fields as stored: UTF-8, joined by U+001F (notes.note_and_flds); None: joined here.
    flds: bytes | None = None


class HermeticPackage(genanki.Package):
    """The same input gives the same bytes."""

    def __init__(self, decks: Sequence[StableDeck], note_types: Sequence[NoteType], notes: Iterable[NoteRow]):
        super().__init__(list(decks))
        self.note_types = list(note_types)
        self.notes = list(notes)

    def write_to_db(self, cursor, timestamp: float, id_gen) -> None:
        self.write_head(cursor, timestamp)
        insert_notes(cursor, self.notes, id_gen)
        cursor.executescript(INDEXES)

    def write_head(self, cursor, timestamp: float) -> None:
        """The tables and the col row (decks, note types): before the notes,
        so their pages come first."""
        cursor.executescript(TABLES)
        cursor.executescript(APKG_COL)
        (decks_json,) = cursor.execute("SELECT decks FROM col").fetchone()
        decks = json.loads(decks_json)
        for deck in self.decks:
            decks[str(deck.deck_id)] = deck.to_json()
        home = self.decks[0].deck_id if self.decks else 1
        models = {str(m.model_id): m.to_json(timestamp, home) for m in self.note_types}
        cursor.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(decks), json.dumps(models)))

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


BATCH = 1000  # notes per executemany: the rows of one batch are all that is held at a time
CHUNK = 1 << 20  # bytes read from the database per compress call


def write_package(fh: BinaryIO, decks: Sequence[StableDeck], note_types: Sequence[NoteType],
                  notes: Iterable[NoteRow], timestamp: int, scratch: str) -> None:
    """The bytes HermeticPackage.to_bytes gives, streamed: notes go into a
    database file in ``scratch`` one batch at a time as ``notes`` yields them,
    and the zip is compressed from that file into ``fh``, so memory stays flat
    as the deck grows. Same statements in the same order and one transaction
    as the in-memory writer, so SQLite lays out the same pages; zlib fed in
    chunks by one compressor gives the bytes it gives for the whole input."""
    path = os.path.join(scratch, "collection.anki2")
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")  # a scratch file: nothing to survive a crash
        cursor = conn.cursor()
        HermeticPackage(decks, note_types, ()).write_head(cursor, timestamp)
        insert_notes(cursor, notes, itertools.count(timestamp * 1000 + 1))
        cursor.executescript(INDEXES)
        conn.commit()
    finally:
        conn.close()
    _as_in_memory(path)
    date_time = time.gmtime(min(max(timestamp, ZIP_EPOCH), ZIP_LAST))[:6]
    with zipfile.ZipFile(fh, "w") as archive:
        info = _zip_info("collection.anki2", date_time)
        info.file_size = os.path.getsize(path)  # as writestr sets it: the zip64 choice depends on it
        with open(path, "rb") as db, archive.open(info, "w") as dest:
            while chunk := db.read(CHUNK):
                dest.write(chunk)
        archive.writestr(_zip_info("media", date_time), b"{}", compresslevel=1)
    os.unlink(path)


def _as_in_memory(path: str) -> None:
    """The header of a database file as serialize() gives it for an in-memory
    one: a file's header counts its transactions (offset 24, and 92 that says
    the page count is valid for that count) and names the SQLite version that
    wrote it (offset 96), which an in-memory database leaves at zero. Zero
    in both counters still marks the page count valid, and zero there is what
    the in-memory writer has always shipped, so the deck's bytes stay the same
    whatever SQLite the build ran on."""
    with open(path, "r+b") as db:
        db.seek(24)
        db.write(bytes(4))
        db.seek(92)
        db.write(bytes(8))


def _zip_info(name: str, date_time) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # the default depends on the OS building it
    info.external_attr = 0o644 << 16
    # Level 1: a tenth of the size genanki writes (it stores), at a third of
    # level 6's time. open(info, "w") takes the level from the info.
    if hasattr(info, "compress_level"):  # Python 3.13+
        info.compress_level = 1
    else:
        info._compresslevel = 1
    return info


def insert_notes(cursor, notes: Iterable[NoteRow], id_gen) -> int:
    """Every note, a batch at a time as ``notes`` yields them, then every card:
    cards after notes, or their pages would interleave with the notes' and the
    bytes would differ from one build to another of a different batch size.
    Until then a card is six integers in a flat array. Returns the note count."""
    # flds may come as UTF-8 bytes: CAST stores them as the TEXT a str would be
    # (SQLite reads a blob cast to text as text in the database's encoding).
    note_sql = "INSERT INTO notes VALUES(?,?,?,?,?,?,CAST(? AS TEXT),?,?,?,?)"
    note_rows = []
    cards = array("q")  # per card: nid did ord mod queue due
    tag_text: dict[tuple[str, ...], str] = {}  # notes share their tags (tags_for's cache): joined once each
    due = 0
    for due, (guid, note_type_id, deck_id, mod, nid, fields, tags, card_ords, suspended, flds) \
            in enumerate(notes, start=1):
        tags_field = tag_text.get(tags)
        if tags_field is None:
            if len(tag_text) >= 4096:  # bounded, so memory stays flat at any size
                tag_text.clear()
            tags_field = tag_text[tags] = f" {' '.join(tags)} "
        note_rows.append(
            (nid, guid, note_type_id, mod, -1, tags_field,
             "\x1f".join(fields) if flds is None else flds, fields[0], 0, 0, "")
        )
        queue = -1 if suspended else 0
        for ord_ in card_ords:
            cards.extend((nid, deck_id, ord_, mod, queue, due))
        if len(note_rows) >= BATCH:
            cursor.executemany(note_sql, note_rows)
            note_rows.clear()
    cursor.executemany(note_sql, note_rows)
    # Card: id nid did ord mod usn type queue due ivl factor reps lapses left odue odid flags data.
    # due is the new-card position, so new cards come up in bank order. The
    # rows are zipped from the array's columns, a tuple each without a Python
    # step per card; the columns are strided views of the array, not copies.
    count = len(cards) // 6
    column = memoryview(cards)
    zero, minus_one = itertools.repeat(0), itertools.repeat(-1)
    cursor.executemany(
        "INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        zip(itertools.islice(id_gen, count), column[0::6], column[1::6], column[2::6], column[3::6], minus_one, zero,
            column[4::6], column[5::6], zero, zero, zero, zero, zero, zero, zero, zero, itertools.repeat("")),
    )
    column.release()
    return due
