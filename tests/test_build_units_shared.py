"""Units sent to workers name their questions by index into one shared file
(build_units.share_questions): each must come back as the very slice it was."""

from __future__ import annotations

import pickle
from pathlib import Path

from quizgen import build_units
from quizgen.build import default_options, load_or_raise
from quizgen.render.units import plan_units
from quizgen.select import deliverable

from conftest import REAL_BANK


def test_a_unit_ref_rebuilds_the_units_slice(tmp_path):
    bank = deliverable(load_or_raise(Path(REAL_BANK))[0])
    options = default_options(exports=bank.config.exports)
    units = plan_units(bank, ("anki", "pdf", "exports"), options)
    assert len({len(u.bank.questions) for u in units}) > 2  # slices of several sizes, not only the whole bank
    shared = build_units.share_questions(units, tmp_path / build_units.SHARED_NAME)
    refs = [pickle.loads(pickle.dumps(shared.ref(u))) for u in units]  # as a worker receives them
    # the file holds each question once, however many units carry it
    assert len(pickle.loads((tmp_path / build_units.SHARED_NAME).read_bytes()).questions) == len(bank.questions)
    assert sum(len(pickle.dumps(r)) for r in refs) < sum(len(pickle.dumps(u)) for u in units) / 20
    build_units._shared.clear()
    for unit, ref in zip(units, refs):
        again = ref.unit()
        assert again == unit
        assert [q.id for q in again.bank.questions] == [q.id for q in unit.bank.questions]
    shared.remove()
    assert not (tmp_path / build_units.SHARED_NAME).exists()


def test_a_worker_reads_the_file_once_per_build(tmp_path):
    bank = deliverable(load_or_raise(Path(REAL_BANK))[0])
    units = plan_units(bank, ("anki",), default_options())
    shared = build_units.share_questions(units, tmp_path / "a.pickle")
    ref = shared.ref(units[0])
    build_units._shared.clear()
    first = ref.unit().bank.questions[0]
    (tmp_path / "a.pickle").unlink()  # a second unit of the same build no longer needs the file
    assert ref.unit().bank.questions[0] is first
