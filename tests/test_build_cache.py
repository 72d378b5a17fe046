"""The build cache and parallel rendering: the same bytes with and without
the cache, with one process or several; a hit writes nothing; anything
damaged, deleted or changed is a miss; the no-change check notices outputs
touched by hand; one edited question re-renders only what contains it."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import quizgen.build_units as build_units
from quizgen.cli import cli

from conftest import REAL_BANK, write


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def build(bank: Path, out: Path, *args: str):
    result = CliRunner().invoke(cli, ["build", "--bank", str(bank), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(folder))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return folder


@pytest.fixture
def parallel(monkeypatch):
    """Worker processes even for a tiny bank."""
    monkeypatch.setattr(build_units, "PARALLEL_MIN_COST", 0)


def with_sets(bank: Path) -> Path:
    write(bank / "sets" / "meet.yaml", """
        set:
          name: meet
          title: Meetings
          topics: [meetings]
        """)
    write(bank / "sets" / "dates.yaml", """
        set:
          name: dates
          title: Dates
          topics: [dates]
        """)
    return bank


def edit_where(bank: Path, new: str = "Where did the two ministers meet?") -> None:
    path = bank / "curated" / "basics.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Where did the ministers meet?", new, 1),
                    encoding="utf-8")


def fresh_copy(bank: Path, tmp_path: Path, name: str) -> Path:
    copy = tmp_path / name
    shutil.copytree(bank, copy)
    return copy


def test_real_bank_same_bytes_with_and_without_cache_and_jobs(tmp_path, cache, monkeypatch):
    # Each build from the same bank and lock (the lock is an input of the deck).
    outs = {}
    for label, args in (("plain", ["--no-cache", "--jobs", "1"]), ("cold2", ["--jobs", "2"]),
                        ("warm1", ["--jobs", "1"]), ("nocache2", ["--no-cache", "--jobs", "2"])):
        bank = fresh_copy(REAL_BANK, tmp_path, f"bank-{label}")
        outs[label] = tmp_path / label
        build(bank, outs[label], *args)
        outs[label] = (digests(outs[label]), (bank / "anki-lock.json").read_bytes())
    assert outs["plain"] == outs["cold2"] == outs["warm1"] == outs["nocache2"]


def test_mini_bank_parallel_matches_serial(mini_bank, tmp_path, cache, parallel):
    with_sets(mini_bank)
    a = fresh_copy(mini_bank, tmp_path, "a")
    b = fresh_copy(mini_bank, tmp_path, "b")
    build(a, tmp_path / "serial", "--jobs", "1", "--no-cache")
    build(b, tmp_path / "forked", "--jobs", "2")
    assert digests(tmp_path / "serial") == digests(tmp_path / "forked")
    assert (a / "anki-lock.json").read_bytes() == (b / "anki-lock.json").read_bytes()


def units_rendered(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = build_units.execute

    def spy(task, in_process=False):
        seen.append(task[0].name)
        return real(task, in_process)

    monkeypatch.setattr(build_units, "execute", spy)
    return seen


def test_a_hit_writes_nothing_and_renders_nothing(mini_bank, tmp_path, cache, monkeypatch):
    out = tmp_path / "out"
    build(mini_bank, out)  # writes the lock, recorded as written
    # a full build once the lock is there (an input of the deck), so every unit is cached
    (out / "all.pdf").unlink()
    build(mini_bank, out)
    for p in [*out.iterdir(), mini_bank / "anki-lock.json"]:
        os.utime(p, ns=(10**18, 10**18))
    before = {p: p.stat().st_mtime_ns for p in [*out.iterdir(), mini_bank / "anki-lock.json"]}
    seen = units_rendered(monkeypatch)
    # --jobs 1 --no-cache is the uncached reference; here: the no-change check
    result = build(mini_bank, out)
    assert "nothing changed since the last build" in result.output
    assert result.output.splitlines()[-1] == "4 files from 2 questions (4 unchanged, left as they were)"
    assert seen == []
    assert {p: p.stat().st_mtime_ns for p in before} == before
    # an output deleted by hand: the full path, every unit a cache hit, only that file written
    (out / "all-key.pdf").unlink()
    result = build(mini_bank, out)
    assert "nothing changed" not in result.output and seen == []
    assert f"wrote {out / 'all-key.pdf'}" in result.output
    assert {p: p.stat().st_mtime_ns for p in before if p.name != "all-key.pdf"} == \
        {p: m for p, m in before.items() if p.name != "all-key.pdf"}


def test_an_output_edited_by_hand_is_rebuilt(mini_bank, tmp_path, cache):
    out = tmp_path / "out"
    build(mini_bank, out)
    good = (out / "all.pdf").read_bytes()
    build(mini_bank, out)
    (out / "all.pdf").write_bytes(good[:-10] + b"edited....")
    result = build(mini_bank, out)
    assert "nothing changed" not in result.output
    assert (out / "all.pdf").read_bytes() == good


def test_damaged_or_deleted_cache_entries_are_misses(mini_bank, tmp_path, cache, monkeypatch):
    reference = tmp_path / "ref"
    build(fresh_copy(mini_bank, tmp_path, "refbank"), reference, "--no-cache")
    out = tmp_path / "out"
    build(mini_bank, out)
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert entries
    for i, p in enumerate(entries):  # truncate some, flip bytes in the others
        data = p.read_bytes()
        p.write_bytes(data[: len(data) // 2] if i % 2 else data[:-1] + bytes([data[-1] ^ 1]))
    shutil.rmtree(out)
    seen = units_rendered(monkeypatch)
    build(mini_bank, out)
    assert sorted(seen) == sorted(["anki", "pdf:all:sheet:0", "pdf:all:key:0", "pdf:all:manifest"])
    assert digests(out) == digests(reference)
    shutil.rmtree(cache)
    shutil.rmtree(out)
    seen.clear()
    build(mini_bank, out)
    assert len(seen) == 4 and digests(out) == digests(reference)


def test_a_new_quizgen_version_is_a_miss(mini_bank, tmp_path, cache, monkeypatch):
    out = tmp_path / "out"
    build(mini_bank, out)
    seen = units_rendered(monkeypatch)
    monkeypatch.setattr("quizgen.__version__", "99.0")
    shutil.rmtree(out)
    build(mini_bank, out)
    assert len(seen) == 4
    seen.clear()
    result = build(mini_bank, out)  # and the no-change check sees the version too
    assert "nothing changed" in result.output and seen == []
    monkeypatch.setattr("quizgen.__version__", "99.1")
    result = build(mini_bank, out)
    assert "nothing changed" not in result.output and len(seen) == 4


def test_a_changed_option_is_a_miss(mini_bank, tmp_path, cache, monkeypatch):
    out = tmp_path / "out"
    build(mini_bank, out)
    seen = units_rendered(monkeypatch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000001")
    result = build(mini_bank, out)
    assert "nothing changed" not in result.output and len(seen) == 4
    assert b"D:20231114221321" in (out / "all.pdf").read_bytes()
    seen.clear()
    result = build(mini_bank, out, "--deck", "Other Name")
    assert "anki" in seen and (out / "other-name.apkg").is_file()


def test_a_changed_corpus_file_is_noticed(mini_bank, mini_corpus, tmp_path, cache):
    out = tmp_path / "out"
    build(mini_bank, out)
    build(mini_bank, out)
    article = mini_corpus / "harbour.txt"
    article.write_text(article.read_text(encoding="utf-8") + "More.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--bank", str(mini_bank), "--out", str(out)])
    assert result.exit_code == 1 and "sha256" in result.output  # loaded and checked, not "nothing changed"


def test_a_changed_font_file_is_a_miss(mini_bank, tmp_path, cache, monkeypatch):
    from quizgen import build_cache

    out = tmp_path / "out"
    font = tmp_path / "fake-font.ttf"
    font.write_bytes(b"one")
    real = build_cache.font_files
    monkeypatch.setattr(build_cache, "font_files", lambda root, files: real(root, files) + (str(font),))
    build(mini_bank, out)
    font.write_bytes(b"two")
    build(mini_bank, out)  # the deck renders again here: its last render had no lock to read
    seen = units_rendered(monkeypatch)
    font.write_bytes(b"three")
    result = build(mini_bank, out)
    assert "nothing changed" not in result.output
    assert sorted(seen) == ["pdf:all:key:0", "pdf:all:manifest", "pdf:all:sheet:0"]  # not the deck


def test_one_edit_renders_only_what_contains_it(mini_bank, tmp_path, cache, monkeypatch):
    with_sets(mini_bank)
    out = tmp_path / "out"
    build(mini_bank, out)
    build(mini_bank, out)  # the lock settled
    before = digests(out)
    seen = units_rendered(monkeypatch)
    edit_where(mini_bank)
    result = build(mini_bank, out)
    assert sorted(seen) == ["anki", "pdf:meet:key:0", "pdf:meet:manifest", "pdf:meet:sheet:0"]
    after = digests(out)
    # the manifest lists ids and keys, not prompts: rendered again, the same bytes
    assert sorted(n for n in after if after[n] != before[n]) == ["harbour-talks.apkg", "meet-key.pdf", "meet.pdf"]
    assert f"unchanged {out / 'dates.pdf'}" in result.output


def test_a_failing_build_with_the_cache_changes_nothing(mini_bank, tmp_path, cache, parallel):
    from test_build import snapshot, write_set_matching_nothing

    out = tmp_path / "out"
    build(mini_bank, out)
    edit_where(mini_bank, "Where did the ministers meet? \U0001F600")
    write_set_matching_nothing(mini_bank)
    before = snapshot(out, mini_bank / "anki-lock.json")
    result = CliRunner().invoke(cli, ["build", "--bank", str(mini_bank), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.endswith("nothing was written\n")
    assert snapshot(out, mini_bank / "anki-lock.json") == before


def test_errors_of_worker_processes_are_diagnostics(mini_bank, tmp_path, cache, parallel):
    from test_build import write_set_matching_nothing

    write_set_matching_nothing(mini_bank)
    with_sets(mini_bank)
    result = CliRunner().invoke(cli, ["build", "--bank", str(mini_bank), "--out", str(tmp_path / "o"), "--jobs", "2"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.endswith(
        f"{mini_bank / 'sets' / 'none.yaml'}:2:3: error: set: expected at least one question of the bank to match "
        "this set, found none\nquizgen: 1 error; nothing was written\n")
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


def test_cache_off_still_builds(mini_bank, tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    out = tmp_path / "out"
    build(mini_bank, out)
    result = build(mini_bank, out)
    assert "nothing changed" not in result.output
    assert result.output.splitlines()[-1] == "4 files from 2 questions (4 unchanged, left as they were)"


def test_workers_started_before_the_load_give_the_same_bytes(mini_bank, tmp_path, cache, parallel, monkeypatch):
    monkeypatch.setattr(build_units, "EARLY_MIN_QUESTIONS", 0)
    with_sets(mini_bank)
    out = tmp_path / "out"
    build(mini_bank, out, "--jobs", "2")
    build(mini_bank, out, "--jobs", "2")
    edit_where(mini_bank)
    ref = fresh_copy(mini_bank, tmp_path, "ref")
    build(ref, tmp_path / "ref-out", "--jobs", "1", "--no-cache")
    build(mini_bank, out, "--jobs", "2")  # a pool from the start: the last build had a record
    assert digests(out) == digests(tmp_path / "ref-out")
    assert (mini_bank / "anki-lock.json").read_bytes() == (ref / "anki-lock.json").read_bytes()


def test_the_build_after_one_that_rewrote_the_lock_takes_the_no_change_path(mini_bank, tmp_path, cache):
    """The lock a build writes into the bank is recorded as written: the next
    build reads it and, nothing else changed, would make the same outputs and
    the same lock, as a build without any cache shows."""
    out, lock = tmp_path / "out", mini_bank / "anki-lock.json"

    def agrees_with_a_full_build(name: str) -> None:
        before = (digests(out), lock.read_bytes())
        build(mini_bank, tmp_path / name, "--no-cache")
        assert (digests(tmp_path / name), lock.read_bytes()) == before

    assert not lock.exists()
    build(mini_bank, out)  # writes the lock
    assert "nothing changed since the last build" in build(mini_bank, out).output
    agrees_with_a_full_build("ref-first")
    path = mini_bank / "curated" / "basics.yaml"
    path.write_text(path.read_text().replace("Where did the ministers meet?", "Where did the two ministers meet?"))
    written = lock.read_bytes()
    assert "nothing changed" not in build(mini_bank, out).output
    assert lock.read_bytes() != written  # the edit is in the lock
    assert "nothing changed since the last build" in build(mini_bank, out).output
    agrees_with_a_full_build("ref-edit")
    # the lock edited by hand: not the lock the build wrote, so the full path
    lock.write_bytes(lock.read_bytes().replace(b"{", b"{ ", 1))
    assert "nothing changed" not in build(mini_bank, out).output


def test_an_output_folder_inside_the_bank_keeps_the_no_change_path(mini_bank, cache):
    """Its files are outputs, not bank files (bank_hashes leaves the folder out): only the lock is recorded as one."""
    out = mini_bank / "out"
    build(mini_bank, out)
    assert "nothing changed since the last build" in build(mini_bank, out).output
    path = mini_bank / "curated" / "basics.yaml"
    path.write_text(path.read_text().replace("Where did the ministers meet?", "Where did they meet?"))
    assert "nothing changed" not in build(mini_bank, out).output
    result = build(mini_bank, out)
    assert "nothing changed since the last build" in result.output
    assert result.output.splitlines()[-1] == "4 files from 2 questions (4 unchanged, left as they were)"
    (out / "all.pdf").write_bytes(b"edited by hand")
    assert "nothing changed" not in build(mini_bank, out).output


def test_one_edit_makes_one_piece_of_each_export(mini_bank, tmp_path, cache, monkeypatch):
    """The exports of an edited bank render again, but only the edited
    question's piece of each is made; the rest come from the cache
    (quizgen.render.fragments), and the bytes are those of a build without it."""
    import quizgen.render.gift as gift

    out = tmp_path / "out"
    build(mini_bank, out, "--format", "gift", "--format", "csv", "--jobs", "1")
    made: list[str] = []
    real = gift.question
    monkeypatch.setattr(gift, "question", lambda q, bank: made.append(q.id) or real(q, bank))
    edit_where(mini_bank)
    build(mini_bank, out, "--format", "gift", "--format", "csv", "--jobs", "1")
    assert made == ["where-met"]
    plain = fresh_copy(mini_bank, tmp_path, "plain")
    build(plain, tmp_path / "plain-out", "--format", "gift", "--format", "csv", "--no-cache")
    assert digests(out) == digests(tmp_path / "plain-out")
