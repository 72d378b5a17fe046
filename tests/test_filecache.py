"""The per-file validation cache (quizgen/bank/filecache.py): a hit gives what
a miss gives, a damaged entry is a miss, an edit misses for that file only,
and QUIZGEN_CACHE_DIR=off loads without it."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quizgen.bank import filecache
from quizgen.bank.load import load_bank

from conftest import write

BROKEN = """
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
  - id: unsupported
    type: mcq
    topic: meetings
    tags: [x]
    difficulty: easy
    prompt: Where else?
    options: [Portville, Harbourton]
    answer: Harbourton
    explanation: Not stated.
    citations:
      - source: harbour
        quote: met in Portville
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(folder))
    return folder


def entries(cache: Path) -> set[Path]:
    return {p for p in (cache / "validate").rglob("*") if p.is_file()} if (cache / "validate").is_dir() else set()


def loaded(bank: Path):
    result, diagnostics = load_bank(bank, partial=True)
    return result, [str(d) for d in diagnostics]


def test_hit_gives_the_same_bank_and_diagnostics(mini_bank: Path, cache: Path):
    write(mini_bank / "curated" / "broken.yaml", BROKEN)
    miss = loaded(mini_bank)
    assert len(entries(cache)) == 3  # one per question file, one of the near-duplicate check
    assert any("unsupported" not in m and "answer" in m for m in miss[1])
    assert any("expected 'Harbourton'" in m for m in miss[1])  # the support check is cached too
    hit = loaded(mini_bank)
    assert hit == miss
    assert hit[0].questions == miss[0].questions and [q.loc for q in hit[0].questions] == [q.loc for q in miss[0].questions]


def test_hit_is_read_back_not_recomputed(mini_bank: Path, cache: Path, monkeypatch: pytest.MonkeyPatch):
    loaded(mini_bank)
    from quizgen.bank import load

    def fail(*args, **kwargs):
        raise AssertionError("composed again")

    monkeypatch.setattr(load, "compose_bytes", fail)
    assert loaded(mini_bank)[0] is not None


def test_corrupted_entry_is_a_miss(mini_bank: Path, cache: Path):
    first = loaded(mini_bank)
    entry = max(entries(cache), key=lambda p: p.stat().st_size)  # the question file's
    raw = bytearray(entry.read_bytes())
    raw[-5] ^= 0xFF
    entry.write_bytes(bytes(raw))
    assert loaded(mini_bank) == first
    assert entry.read_bytes() != bytes(raw)  # written again, whole


def test_entry_with_a_foreign_class_is_refused(mini_bank: Path, cache: Path):
    """Even a self-consistent entry (right checksum) may only build quizgen's dataclasses."""
    from quizgen.cachestore import Store

    first = loaded(mini_bank)
    entry = max(entries(cache), key=lambda p: p.stat().st_size)
    Store("validate").put(entry.name, pickle.dumps(("os", __import__("os").system)))
    assert filecache.get(entry.name) is None
    assert loaded(mini_bank) == first


def test_an_edit_misses_for_that_file_only(mini_bank: Path, cache: Path):
    write(mini_bank / "curated" / "broken.yaml", BROKEN)
    loaded(mini_bank)
    before = entries(cache)
    assert len(before) == 3
    path = mini_bank / "curated" / "broken.yaml"
    path.write_text(path.read_text().replace("answer: Lakeside", "answer: Portville"))
    bank, messages = loaded(mini_bank)
    after = entries(cache)
    # two new entries: the edited file's and the near-duplicate check's; the other file's was a hit
    assert len(after - before) == 2 and before <= after
    assert not any("bad-one" in m or "Lakeside" in m for m in messages)
    assert loaded(mini_bank) == (bank, messages)


def test_sources_change_misses(mini_bank: Path, cache: Path):
    """Citations are checked against sources.yaml: another registry is another key."""
    loaded(mini_bank)
    path = mini_bank / "sources.yaml"
    path.write_text(path.read_text().replace("id: harbour", "id: harbour2"))
    _, messages = loaded(mini_bank)
    assert any("expected a source id from sources.yaml, found 'harbour'" in m for m in messages)


def test_cache_off(mini_bank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(mini_bank / "curated" / "broken.yaml", BROKEN)
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path / "on"))
    on = loaded(mini_bank)
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    assert loaded(mini_bank) == on
    assert not (Path.cwd() / "off").exists()


_LINES = BROKEN.strip("\n").splitlines()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(_LINES) - 1),
                          st.sampled_from(["", "x", ":", "  - ", "&a", "*a", "!!python/name:os.system", "'",
                                           "answer: Portville", "\t", "id: bad-one"])), max_size=3))
def test_mutated_files_hit_as_they_miss(mini_bank: Path, tmp_path_factory, monkeypatch, edits):
    lines = list(_LINES)
    for at, text in edits:
        lines[at] = lines[at][: len(lines[at]) // 2] + text
    write(mini_bank / "curated" / "broken.yaml", "\n".join(lines) + "\n")
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    reference = loaded(mini_bank)
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    assert loaded(mini_bank) == reference  # a miss, filling the cache
    assert loaded(mini_bank) == reference  # a hit


@pytest.fixture
def remembered(monkeypatch: pytest.MonkeyPatch):
    """filedigest's memo on, as validate turns it on, remembering even files
    written a moment ago (the tests' files are never older than its racy window)."""
    from quizgen import filedigest

    monkeypatch.setattr(filedigest, "RACY_SECONDS", 0.0)
    filedigest.enable()
    yield filedigest
    filedigest.disable()


def test_a_file_looked_up_by_its_remembered_digest_hits_what_its_reader_stored(
        mini_bank: Path, cache: Path, remembered, monkeypatch: pytest.MonkeyPatch):
    """The parent keys a file by the digest the memo gives, without reading it;
    the worker that read it keyed the bytes it checked: the two keys agree."""
    from quizgen.bank import load

    path = mini_bank / "curated" / "basics.yaml"
    context = filecache.context_key(["harbour"], ())
    remembered.sha256(path)  # now remembered
    assert load._known_file_key(path, context) == filecache.bytes_key(context, load.shown_path(path),
                                                                       path.read_bytes())
    first = loaded(mini_bank)
    monkeypatch.setattr(load, "_check_file", lambda *a, **k: (_ for _ in ()).throw(AssertionError("read again")))
    assert loaded(mini_bank) == first


def test_a_remembered_digest_never_hides_an_edit(mini_bank: Path, cache: Path, remembered):
    write(mini_bank / "curated" / "broken.yaml", BROKEN)
    loaded(mini_bank)
    path = mini_bank / "curated" / "broken.yaml"
    path.write_text(path.read_text().replace("answer: Lakeside", "answer: Harbourton, or Portville"))
    messages = loaded(mini_bank)[1]
    assert not any("'Lakeside'" in m for m in messages) and any("Harbourton, or Portville" in m for m in messages)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prompt=st.text(st.characters(max_codepoint=0x7F), min_size=1, max_size=30),
       literal=st.booleans())
@example(prompt="a\tb\nc", literal=False)
def test_an_ascii_file_prints_nothing_outside_printable_ascii(tmp_path: Path, prompt: str, literal: bool):
    """The loader hands the glyph check PRINTABLE_ASCII for a file of ASCII
    instead of gathering its texts (a superset is all that check needs): no
    ASCII file that loads prints anything else (the loader refuses other controls)."""
    import yaml

    from quizgen.bank.glyphs import printed_chars
    from quizgen.bank.load import PRINTABLE_ASCII, load_question_file

    value = ("|-\n      " + "\n      ".join(prompt.splitlines() or [prompt])) if literal else yaml.safe_dump(prompt).strip()
    if value.endswith("\n..."):
        value = value[:-4]
    path = tmp_path / "q.yaml"
    path.write_text("questions:\n  - id: q1\n    type: short_answer\n    topic: t\n    tags: [x]\n    difficulty: easy\n"
                    f"    prompt: {value}\n    answer: x\n    explanation: x\n    citations:\n"
                    "      - source: s\n        quote: x\n", encoding="ascii", newline="")
    questions = load_question_file(path, ["s"])[0]
    assert set(printed_chars(questions)) <= set(PRINTABLE_ASCII)
    if prompt == "a\tb\nc" and not literal:  # the example below: tabs and newlines do print
        assert questions and {"\t", "\n"} <= set(printed_chars(questions))


@pytest.mark.parametrize("workers", [False, True])
def test_the_callers_work_is_done_once_while_the_files_are_read(mini_bank: Path, cache: Path, workers: bool,
                                                               monkeypatch: pytest.MonkeyPatch):
    from quizgen.bank import load

    write(mini_bank / "curated" / "broken.yaml", BROKEN)
    if workers:
        monkeypatch.setattr(load, "PARALLEL_BYTES", 0)
    calls: list[int] = []
    paths = load.question_files(mini_bank)
    assert len(paths) == 2
    result = load._load_questions(paths, ["harbour"], (), meanwhile=lambda: calls.append(1))
    assert calls == [1] and len(result[0][0]) == 3
    assert load._load_questions(paths, ["harbour"], (), meanwhile=lambda: calls.append(2))[0][:3] == result[0][:3]
    assert calls == [1, 2]  # every file a hit: called all the same
