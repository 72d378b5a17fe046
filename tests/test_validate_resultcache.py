"""The validate command's whole-result cache (quizgen/bank/resultcache.py):
a hit prints exactly what a run without any cache prints, reads no record,
and every kind of input it depends on, changed, gives what a cold run gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.bank import load, resultcache
from quizgen.cli import cli

from conftest import write

BAD_QUESTION = """
questions:
  - id: bad-one
    type: mcq
    topic: meetings
    tags: [x]
    difficulty: easy
    prompt: Where?
    options: [Portville, Harbourton]
    answer: Lakeside
    explanation: No.
    citations:
      - source: harbour
        quote: met in Portville
"""

SET = """
set:
  name: all-meetings
  title: Meetings
  topics: [meetings]
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(folder))
    return folder


def run(args: list[str], cache_dir: Path | str) -> tuple[int, str, str]:
    old = os.environ.get("QUIZGEN_CACHE_DIR")
    os.environ["QUIZGEN_CACHE_DIR"] = str(cache_dir)
    try:
        result = CliRunner().invoke(cli, ["validate", *args])
    finally:
        if old is None:
            del os.environ["QUIZGEN_CACHE_DIR"]
        else:
            os.environ["QUIZGEN_CACHE_DIR"] = old
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def cold(args: list[str]) -> tuple[int, str, str]:
    return run(args, "off")


def same_as_cold(args: list[str], cache: Path) -> tuple[int, str, str]:
    """The cached run (a miss or a hit) and the cold run agree; returns it."""
    want = cold(args)
    assert run(args, cache) == want
    assert run(args, cache) == want  # a hit now
    return want


def test_hit_prints_what_a_cold_run_prints_and_reads_nothing(mini_bank: Path, cache: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    write(mini_bank / "sets" / "meetings.yaml", SET)
    first = same_as_cold([str(mini_bank)], cache)
    assert first[0] == 0 and first[1].startswith("ok: 2 questions")

    def no_load(*args, **kwargs):
        raise AssertionError("the bank was loaded on a hit")

    monkeypatch.setattr(load, "load_checked_bank", no_load)
    assert run([str(mini_bank)], cache) == first


def test_a_failing_bank_hits_with_its_exit_code(mini_bank: Path, cache: Path):
    write(mini_bank / "curated" / "bad.yaml", BAD_QUESTION)
    code, out, err = same_as_cold([str(mini_bank)], cache)
    assert code == 1 and out == "" and "expected one of the options" in err
    assert err.endswith("quizgen: 1 error; nothing was written\n")


def test_cache_off_has_no_key(mini_bank: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    assert resultcache.key(mini_bank, None, False) is None


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# Each changes one input validate reads; the cached run must then give the
# cold run's output, which (asserted) differs from the output before.
CHANGES = {
    "question file edited": lambda bank, corpus: _edit(bank / "curated" / "basics.yaml",
                                                       "answer: Portville", "answer: Lakeside"),
    "question file added": lambda bank, corpus: write(bank / "curated" / "bad.yaml", BAD_QUESTION),
    "question file removed": lambda bank, corpus: (bank / "curated" / "basics.yaml").unlink(),
    "question file in a new folder": lambda bank, corpus: write(bank / "more" / "deep" / "bad.yaml", BAD_QUESTION),
    "registry edited": lambda bank, corpus: _edit(bank / "sources.yaml", "id: harbour", "id: harbours"),
    "config edited": lambda bank, corpus: _edit(bank / "bank.yaml", "title: Harbour Talks",
                                                "title: Harbour Talks\ntopics: [{id: dates, name: Dates}]"),
    "config removed": lambda bank, corpus: (bank / "bank.yaml").unlink(),
    "set added": lambda bank, corpus: write(bank / "sets" / "s.yaml", SET.replace("meetings]", "meeting]")),
    "article edited": lambda bank, corpus: _edit(corpus / "harbour.txt", "Portville", "Portvale"),
    "article removed": lambda bank, corpus: (corpus / "harbour.txt").unlink(),
    "corpus folder renamed": lambda bank, corpus: corpus.rename(corpus.with_name("elsewhere")),
    "link leading outside": lambda bank, corpus: (bank / "curated" / "link.yaml").symlink_to(
        bank.parent / "outside.yaml"),
    "hidden file added": lambda bank, corpus: write(bank / "curated" / ".hidden.yaml", BAD_QUESTION),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_each_kind_of_input_changes_the_result_as_a_cold_run(change: str, mini_bank: Path, mini_corpus: Path,
                                                             cache: Path, tmp_path: Path):
    write(tmp_path / "outside.yaml", BAD_QUESTION)
    before = same_as_cold([str(mini_bank)], cache)
    CHANGES[change](mini_bank, mini_corpus)
    after = same_as_cold([str(mini_bank)], cache)
    if change != "hidden file added":  # the loader skips hidden files: the same output, rightly
        assert after != before


def test_file_made_unreadable_changes_the_result(mini_bank: Path, cache: Path):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    before = same_as_cold([str(mini_bank)], cache)
    path = mini_bank / "curated" / "basics.yaml"
    path.chmod(0)
    try:
        assert same_as_cold([str(mini_bank)], cache) != before
    finally:
        path.chmod(0o644)


def test_arguments_are_part_of_the_key(mini_bank: Path, mini_corpus: Path, cache: Path, tmp_path: Path):
    base = same_as_cold([str(mini_bank)], cache)
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    with_corpus = same_as_cold([str(mini_bank), "--corpus", str(empty)], cache)
    assert with_corpus != base
    assert same_as_cold([str(mini_bank), "--corpus", str(mini_corpus)], cache) == base
    same_as_cold([str(mini_bank), "--verbose"], cache)


def test_working_directory_is_part_of_the_key(mini_bank: Path, cache: Path, monkeypatch: pytest.MonkeyPatch):
    write(mini_bank / "curated" / "bad.yaml", BAD_QUESTION)
    monkeypatch.chdir(mini_bank.parent)
    here = same_as_cold(["bank"], cache)
    assert "bank/curated/bad.yaml" in here[2]
    monkeypatch.chdir(mini_bank)
    there = same_as_cold(["."], cache)
    assert "curated/bad.yaml" in there[2] and "bank/curated" not in there[2]


def test_code_change_is_a_miss(mini_bank: Path, cache: Path, monkeypatch: pytest.MonkeyPatch):
    from quizgen import build_cache

    first = same_as_cold([str(mini_bank)], cache)
    key = resultcache.key(mini_bank, None, False)
    monkeypatch.setattr(build_cache, "code_digest", lambda: "another quizgen")
    assert resultcache.key(mini_bank, None, False) != key
    resultcache.put(resultcache.key(mini_bank, None, False), ("planted\n", "", 0))
    assert run([str(mini_bank)], cache)[1] == "planted\n"  # the new code's key is its own
    monkeypatch.undo()
    assert run([str(mini_bank)], cache) == first


def test_damaged_or_foreign_entry_is_a_miss(mini_bank: Path, cache: Path):
    first = same_as_cold([str(mini_bank)], cache)
    key = resultcache.key(mini_bank, None, False)
    for raw in (b"not json", b'["a", "b"]', b'["a", "b", "1"]', b'{"a": 1}'):
        resultcache.store().put(key, raw)
        assert run([str(mini_bank)], cache) == first
    entry = next(p for p in (cache / "validate").rglob(key))
    entry.write_bytes(entry.read_bytes()[:-3])  # torn
    assert run([str(mini_bank)], cache) == first


def test_a_bank_edited_while_validating_is_not_stored(mini_bank: Path, cache: Path, monkeypatch: pytest.MonkeyPatch):
    real = load.load_checked_bank

    def edit_meanwhile(*args, **kwargs):
        result = real(*args, **kwargs)
        write(mini_bank / "curated" / "bad.yaml", BAD_QUESTION)
        return result

    monkeypatch.setattr(load, "load_checked_bank", edit_meanwhile)
    key = resultcache.key(mini_bank, None, False)
    assert run([str(mini_bank)], cache)[0] == 0
    monkeypatch.undo()
    assert resultcache.get(key) is None
    assert same_as_cold([str(mini_bank)], cache)[0] == 1


def test_a_cold_run_hashes_each_file_once(mini_bank: Path, mini_corpus: Path, cache: Path,
                                          monkeypatch: pytest.MonkeyPatch):
    """The key hashes every file; the loader's per-file keys and the key taken
    again after the run use the digests filedigest remembered by stat
    (at 100,000 questions each pass over the bank cost 0.09 s)."""
    from quizgen import filedigest

    monkeypatch.setattr(filedigest, "RACY_SECONDS", 0.0)
    real, hashed = filedigest.sha256_of, []
    monkeypatch.setattr(filedigest, "sha256_of", lambda path: hashed.append(os.path.abspath(path)) or real(path))
    want = cold([str(mini_bank)])
    hashed.clear()
    assert run([str(mini_bank)], cache) == want
    question_file = os.path.abspath(mini_bank / "curated" / "basics.yaml")
    assert hashed.count(question_file) == 1 and hashed.count(os.path.abspath(mini_bank / "sources.yaml")) == 1
    assert len(hashed) == len(set(hashed))


@pytest.mark.parametrize("broken", [False, True])
def test_the_command_line_exits_at_once_with_what_it_printed_and_stored(mini_bank: Path, cache: Path, broken: bool):
    """`quizgen validate` as a process (cli.main leaves the loaded bank to the
    operating system): the same output and exit code as in-process, and the
    result cache written before it exits (the next run is a hit)."""
    import subprocess
    import sys

    if broken:
        write(mini_bank / "curated" / "bad.yaml", BAD_QUESTION)
    want = cold([str(mini_bank)])
    assert want[0] == (1 if broken else 0)
    command = [sys.executable, "-m", "quizgen", "validate", str(mini_bank)]
    env = dict(os.environ, QUIZGEN_CACHE_DIR=str(cache))
    first = subprocess.run(command, env=env, capture_output=True, text=True)
    assert (first.returncode, first.stdout, first.stderr) == want
    key = resultcache.key(mini_bank, None, False)
    assert resultcache.get(key) == (want[1], want[2], want[0])  # stored before the process ended
    again = subprocess.run(command, env=env, capture_output=True, text=True)
    assert (again.returncode, again.stdout, again.stderr) == want


def test_in_process_the_loaded_bank_is_not_kept(mini_bank: Path, cache: Path):
    """Only cli.main keeps the bank for its quick exit: validate called from Python frees it."""
    from quizgen import cli as cli_module

    assert run([str(mini_bank)], cache)[0] == 0
    assert cli_module._LOADED == []
