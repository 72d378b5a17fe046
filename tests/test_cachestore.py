from quizgen.cachestore import Store, cache_root, digest


def test_round_trip_and_miss(tmp_path):
    store = Store("t", tmp_path)
    key = digest("a", b"b")
    assert store.get(key) is None
    store.put(key, b"bytes\nwith newline")
    assert store.get(key) == b"bytes\nwith newline"


def test_a_damaged_entry_is_a_miss(tmp_path):
    store = Store("t", tmp_path)
    key = digest("x")
    store.put(key, b"good")
    path = next((tmp_path / "t").rglob(key))
    path.write_bytes(path.read_bytes()[:-1] + b"X")
    assert store.get(key) is None


def test_digest_parts_are_delimited():
    assert digest("ab", "c") != digest("a", "bc")


def test_off_and_unwritable(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    assert cache_root() is None and not Store("t").enabled
    Store("t").put("k", b"x")  # no-op
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = Store("t", blocker)
    store.put(digest("k"), b"x")  # cannot write: a no-op, not an error
    assert store.get(digest("k")) is None
