"""The checks that span files, fed file by file: a load that keeps no
question (validate's) says exactly what a load that keeps them all says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import quizgen.bank.load as load_module
import quizgen.select as select_module
from quizgen.bank.load import load_checked_bank
from quizgen.select import SetTally, left_out_summary

REPO = Path(__file__).resolve().parents[1]
BANKS = [REPO / "questions", REPO / "examples" / "science-history"]


def _both(root: Path, **kwargs):
    full = load_checked_bank(root, **kwargs)
    tally = SetTally()
    lean = load_checked_bank(root, feeds=(tally,), keep=False, **kwargs)
    return full, lean, tally


@pytest.fixture(params=["in-process", "workers"])
def workers(request, monkeypatch):
    """Either way a file is read: here, or (as for a large bank) in a worker
    process that sends back what the checks found instead of its questions."""
    if request.param == "workers":
        monkeypatch.setattr(load_module, "PARALLEL_BYTES", 0)
    return request.param


@pytest.mark.parametrize("root", BANKS, ids=lambda p: p.name)
@pytest.mark.parametrize("limit", [1, 3, 12, None])
def test_a_load_that_keeps_no_question_says_what_a_full_load_says(root, limit, workers, monkeypatch):
    if limit is not None:  # sets over the limit are counted, those under it selected from the kept questions
        monkeypatch.setattr(select_module, "SUMMARY_LIMIT", limit)
    (bank, diagnostics, report), (lean, lean_diagnostics, lean_report), tally = _both(root)
    assert bank is not None and lean is not None
    assert lean.questions == ()
    assert lean_diagnostics == diagnostics and lean_report == report
    assert report is not None and report.quotes_checked > 0
    assert tally.count == len(bank.questions) > 0
    assert list(tally.files) == list(dict.fromkeys(q.loc.file for q in bank.questions))
    for verbose in (False, True):
        assert left_out_summary(lean, verbose, tally) == left_out_summary(bank, verbose)
    if limit is not None:  # only what a set at most at the limit selects from is kept
        assert len(tally.kept) <= len(bank.sets) * limit
        assert any("more than validate checks" in line for line in left_out_summary(lean, False, tally))


def test_the_cross_file_errors_are_the_same_either_way(tmp_path, workers):
    root = tmp_path / "bank"
    shutil.copytree(REPO / "examples" / "science-history", root)
    sets = root / "sets"
    (sets / "zz-broken.yaml").write_text(
        "set:\n  name: full-review\n  title: Again\n", encoding="utf-8")
    first = sorted((root / "curated").glob("*.yaml"))[0]
    (root / "curated" / "zz-again.yaml").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    (bank, diagnostics, _), (lean, lean_diagnostics, _), _ = _both(root)
    assert bank is None and lean is None
    assert lean_diagnostics == diagnostics
    text = "\n".join(map(str, diagnostics))
    assert "expected a unique question id" in text
    assert "expected a unique set name, found 'full-review' again" in text


def test_a_set_naming_an_unknown_id_or_topic_is_reported_either_way(tmp_path):
    root = tmp_path / "bank"
    shutil.copytree(REPO / "examples" / "science-history", root)
    (root / "sets" / "zz-unknown.yaml").write_text(
        "set:\n  name: unknown\n  title: Unknown\n  topics: [no-such-topic]\n  ids: [no-such-question]\n", encoding="utf-8")
    (bank, diagnostics, _), (lean, lean_diagnostics, _), _ = _both(root)
    assert lean_diagnostics == diagnostics
    text = "\n".join(map(str, diagnostics))
    assert "expected a question id of the bank, found 'no-such-question'" in text
    assert "expected a topic of the bank, found 'no-such-topic'" in text
    assert "expected at least one question of the bank to match this set" in text


def test_workers_send_findings_not_questions_when_none_are_kept(monkeypatch):
    """The worker's side of a lean load is used: the parent unpickles no
    file's records (only a load that keeps them, or a cache hit, does)."""
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    monkeypatch.setattr(load_module, "PARALLEL_BYTES", 0)
    unpickled = []
    real = load_module.filecache.loads
    monkeypatch.setattr(load_module.filecache, "loads", lambda raw: unpickled.append(1) or real(raw))
    root = BANKS[0]
    files = len(load_module.question_files(root))
    assert files > 1  # else no worker is started
    bank, diagnostics, _ = load_checked_bank(root)
    assert bank is not None and len(unpickled) == files
    unpickled.clear()
    tally = SetTally()
    lean, lean_diagnostics, _ = load_checked_bank(root, feeds=(tally,), keep=False)
    assert lean is not None and unpickled == []
    assert lean_diagnostics == diagnostics and tally.count == len(bank.questions)


def test_what_the_workers_find_in_each_file_is_reported_as_a_full_load_reports_it(tmp_path, monkeypatch):
    """A glyph no font has, a topic the config does not declare, an id and a
    statement made twice across files: found in the workers (lean) and in
    the parent (full), the same diagnostics."""
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    monkeypatch.setattr(load_module, "PARALLEL_BYTES", 0)
    root = tmp_path / "bank"
    shutil.copytree(REPO / "examples" / "science-history", root)
    across = root / "curated" / "across.yaml"
    text = across.read_text(encoding="utf-8")
    text = text.replace("    topic: across\n", "    topic: not-declared\n", 1)
    prompt = next(line for line in text.splitlines() if line.startswith("    prompt: "))
    text = text.replace(prompt, prompt.replace("prompt: ", "prompt: \U00013000 ", 1), 1)
    across.write_text(text, encoding="utf-8")
    first = (root / "curated" / "antiquity.yaml").read_text(encoding="utf-8")
    (root / "curated" / "zz-again.yaml").write_text(first, encoding="utf-8")  # every id again
    renamed = first.replace("  - id: antiquity-", "  - id: again-antiquity-")
    (root / "curated" / "zz-renamed.yaml").write_text(renamed, encoding="utf-8")  # every statement again
    (bank, diagnostics, _), (lean, lean_diagnostics, _), tally = _both(root)
    assert bank is None and lean is None
    assert lean_diagnostics == diagnostics
    text = "\n".join(map(str, diagnostics))
    for expected in ("expected characters the PDF fonts have glyphs for", "not-declared",
                     "expected a unique question id", "near-duplicate of 'antiquity-"):
        assert expected in text, expected
