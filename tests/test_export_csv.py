"""The Anki CSV export imported by the real Anki CSV importer, and the Quizlet
TSV read the way Quizlet's paste import splits it (../shared/schemas/EXPORTS.md)."""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil

import pytest

from conftest import REAL_BANK
from export_fixtures import hostile_bank, normal
from quizgen.ids import note_guid
from quizgen.render import RenderOptions
from quizgen.render import csv_export

anki_collection = pytest.importorskip("anki.collection")
Collection = anki_collection.Collection
ImportCsvRequest = anki_collection.ImportCsvRequest
ImportAnkiPackageRequest = anki_collection.ImportAnkiPackageRequest
ImportAnkiPackageOptions = anki_collection.ImportAnkiPackageOptions

TS = 1_700_000_000
HEADERS = ("#separator:", "#html:", "#guid column:", "#notetype column:", "#deck column:", "#tags column:")


@pytest.fixture(scope="module")
def real_bank():
    from quizgen.bank.load import load_bank
    from quizgen.select import deliverable

    bank, diagnostics = load_bank(REAL_BANK)
    assert bank is not None, [str(d) for d in diagnostics]
    return deliverable(bank)


def fresh(tmp_path, name="col"):
    folder = tmp_path / name
    folder.mkdir()
    return Collection(str(folder / "collection.anki2"))


def import_csv(col, tmp_path, data: bytes, name="export.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    metadata = col.get_csv_metadata(str(path), None)
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def check_import(col, tmp_path, bank, data: bytes):
    log = import_csv(col, tmp_path, data)
    assert len(log.new) == len(bank.questions) == col.note_count()
    for bad in (log.missing_notetype, log.duplicate, log.conflicting, log.missing_deck, log.empty_first_field):
        assert len(bad) == 0
    by_guid = {note_guid(q.id, bank.config.id_namespace): q for q in bank.questions}
    notes = [col.get_note(nid) for nid in col.find_notes("")]
    assert {n.guid for n in notes} == set(by_guid)
    for note in notes:
        q = by_guid[note.guid]
        fields = normal(" ".join(note.fields))
        for c in q.citations:
            assert normal(c.quote, markup=False) in fields, (q.id, c.quote)
        assert normal(q.explanation, markup=False) in fields
        assert note.note_type()["name"] == ("Cloze" if q.type == "cloze" else "Basic")
    return notes


def test_header_lines(real_bank):
    text = csv_export.export(real_bank, RenderOptions(timestamp=TS)).decode("utf-8")
    head = text.splitlines()[: len(HEADERS)]
    assert [line.split(":")[0] + ":" for line in head] == list(HEADERS)


def test_real_bank_imports_with_the_decks_guids_and_updates_in_place(real_bank, tmp_path):
    from quizgen.render.anki import render

    data = csv_export.export(real_bank, RenderOptions(timestamp=TS))
    assert data == csv_export.export(real_bank, RenderOptions(timestamp=TS))
    col = fresh(tmp_path)
    notes = check_import(col, tmp_path, real_bank, data)

    # The built deck's GUIDs, read back by Anki from the .apkg (a copy of the
    # bank, so the repository's lock file is never rewritten).
    root = tmp_path / "bank"
    shutil.copytree(REAL_BANK, root)
    apkg = render(dataclasses.replace(real_bank, root=str(root)), tmp_path / "out", RenderOptions(timestamp=TS))[0]
    deck_col = fresh(tmp_path, "deck")
    deck_col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions()))
    assert {deck_col.get_note(n).guid for n in deck_col.find_notes("")} == {n.guid for n in notes}
    # Over the deck: same GUIDs, other note types -> conflicting, never duplicated (docs/exports.md).
    over = import_csv(deck_col, tmp_path, data, "over.csv")
    assert len(over.new) == 0 and len(over.conflicting) == len(real_bank.questions)
    assert deck_col.note_count() == len(real_bank.questions)

    # One prompt edited: a re-import updates that note, adds none.
    rows = list(csv.reader(io.StringIO(data.decode("utf-8").split("\n", len(HEADERS))[-1])))
    header = data.decode("utf-8").split("\n")[: len(HEADERS)]
    rows[0][3] = rows[0][3].replace("<div>", "<div>Edited: ", 1)
    out = io.StringIO()
    out.write("\n".join(header) + "\n")
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    log = import_csv(col, tmp_path, out.getvalue().encode("utf-8"), "edited.csv")
    assert len(log.updated) >= 1 and len(log.new) == 0
    assert col.note_count() == len(real_bank.questions)
    assert col.find_notes('"Edited\\:*"')


def test_hostile_text_is_inert(tmp_path):
    bank = hostile_bank()
    col = fresh(tmp_path)
    notes = check_import(col, tmp_path, bank, csv_export.export(bank, RenderOptions(timestamp=TS)))
    mcq = next(n for n in notes if n.guid == note_guid("h-mcq", "harbour-tests"))
    assert "<script>" not in mcq.fields[0] and "[sound:" not in mcq.fields[0] and "{{c1::" not in mcq.fields[0]
    cloze = next(n for n in notes if n.guid == note_guid("h-cloze", "harbour-tests"))
    assert "{{c1::Portville}}" in cloze.fields[0] and "{{c2::Monday}}" in cloze.fields[0]
    assert len(col.find_cards(f"nid:{cloze.id}")) == 2
    short = next(n for n in notes if n.guid == note_guid("h-short", "harbour-tests"))
    assert "We infer &lt;this&gt; from the dateline." in short.fields[1]


def check_tsv(bank, data: bytes) -> list[list[str]]:
    lines = [line for line in data.decode("utf-8").split("\n") if line.strip()]
    rows = [line.split("\t") for line in lines]
    assert all(len(row) == 2 and all(cell.strip() for cell in row) for row in rows)
    assert len(rows) >= 0.9 * len(bank.questions)
    for q, (term, definition) in zip(bank.questions, rows):
        assert normal(q.prompt.split("[[")[0], markup=False) in normal(term, markup=False)
        if q.type in ("mcq", "true_false", "short_answer"):
            assert normal(q.answer, markup=False) in normal(definition, markup=False)
        row = normal(term + " " + definition, markup=False)
        for c in q.citations:
            assert normal(c.quote, markup=False) in row, (q.id, c.quote)
    return rows


def test_tsv_real_bank(real_bank):
    data = csv_export.export_tsv(real_bank, RenderOptions(timestamp=TS))
    assert csv_export.TSV_SUFFIX == ".tsv" and data == csv_export.export_tsv(real_bank, RenderOptions(timestamp=TS))
    assert len(check_tsv(real_bank, data)) == len(real_bank.questions)


def test_tsv_hostile_has_no_tab_or_newline_inside_cells():
    bank = hostile_bank()
    rows = check_tsv(bank, csv_export.export_tsv(bank, RenderOptions(timestamp=TS)))
    assert len(rows) == len(bank.questions)
    assert rows[2][0] == "Where did they meet? Tab line"
    assert "We infer <this> from the dateline." in rows[2][1]
    assert rows[3][0] == "They met in ____ on ____ {ok}."
