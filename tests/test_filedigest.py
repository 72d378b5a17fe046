"""File digests remembered by stat (quizgen.filedigest): never a stale sha256."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from quizgen import filedigest
from quizgen.cachestore import Store


def real(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path):
    return Store("stat", tmp_path / "cache")


@pytest.fixture
def later(monkeypatch):
    """The clock 10 s ahead: files written now count as settled (not racy)."""
    now = time.time_ns
    monkeypatch.setattr(filedigest.time, "time_ns", lambda: now() + 10 * 10**9)


@pytest.fixture
def hashes(monkeypatch) -> list:
    calls = []
    plain = filedigest.sha256_of

    def counting(path):
        calls.append(str(path))
        return plain(path)

    monkeypatch.setattr(filedigest, "sha256_of", counting)
    return calls


def test_a_settled_file_is_hashed_once_across_processes(tmp_path, store, later, hashes):
    f = tmp_path / "a.ttf"
    f.write_bytes(b"font" * 1000)
    memo = filedigest.Memo(store)
    assert memo.sha256(f) == real(f)
    memo.save()
    again = filedigest.Memo(store)  # as the next build reads it
    assert again.sha256(f) == real(f)
    assert hashes == [str(f)]


def test_a_file_changed_moments_ago_is_never_remembered(tmp_path, store, hashes):
    f = tmp_path / "q.yaml"
    f.write_text("one")
    memo = filedigest.Memo(store)
    memo.sha256(f)
    memo.save()
    assert filedigest.Memo(store).sha256(f) == real(f)
    assert len(hashes) == 2  # the racy guard: hashed again


def test_same_size_same_mtime_but_new_bytes_is_noticed(tmp_path, store, later):
    f = tmp_path / "a.ttf"
    f.write_bytes(b"aaaa")
    old = os.stat(f)
    memo = filedigest.Memo(store)
    memo.sha256(f)
    f.write_bytes(b"bbbb")
    os.utime(f, ns=(old.st_atime_ns, old.st_mtime_ns))  # what copy2 or touch -d does; ctime still moves
    if os.stat(f).st_ctime_ns == old.st_ctime_ns:
        pytest.skip("this filesystem's ctime did not move within the test")
    assert memo.sha256(f) == real(f)


def test_a_replaced_file_is_noticed(tmp_path, store, later):
    f = tmp_path / "a.ttf"
    f.write_bytes(b"aaaa")
    memo = filedigest.Memo(store)
    memo.sha256(f)
    other = tmp_path / "b.ttf"
    other.write_bytes(b"bbbb")
    os.replace(other, f)
    assert memo.sha256(f) == real(f)


def test_folders_and_missing_files_raise_as_open_does(tmp_path, store):
    memo = filedigest.Memo(store)
    with pytest.raises(IsADirectoryError):
        memo.sha256(tmp_path)
    with pytest.raises(FileNotFoundError):
        memo.sha256(tmp_path / "none")


@pytest.mark.parametrize("blob", [b"", b"{", b'{"format": "other"}', b'{"format": "quizgen-file-digests/1"}',
                                  b'{"format": "quizgen-file-digests/1", "entries": {"/x": [[1, 2], "ab"]}}',
                                  b'{"format": "quizgen-file-digests/1", "entries": [1]}'])
def test_a_damaged_memo_reads_as_empty(tmp_path, store, blob, later):
    store.put(filedigest._KEY, blob)
    f = tmp_path / "a"
    f.write_bytes(b"x")
    assert filedigest.Memo(store).sha256(f) == real(f)


def test_without_a_store_nothing_is_kept(tmp_path, later, hashes):
    f = tmp_path / "a"
    f.write_bytes(b"x")
    memo = filedigest.Memo()
    memo.sha256(f)
    memo.sha256(f)
    memo.save()
    assert len(hashes) == 2


def test_a_build_without_the_cache_keeps_no_digests(mini_bank, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from quizgen.cli import cli

    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = CliRunner().invoke(cli, ["build", "--bank", str(mini_bank), "--out", str(tmp_path / "o"), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "cache" / "stat").exists()
    result = CliRunner().invoke(cli, ["build", "--bank", str(mini_bank), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cache" / "stat").is_dir()  # quizgen's own files and the fonts are old enough
    assert filedigest._memo._store is None  # the command left the process as it found it
