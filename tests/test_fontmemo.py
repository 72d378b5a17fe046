"""The built-in font families remembered in the cache (quizgen.bank.fontmemo):
a hit is what looking them up finds; a changed or missing file, a damaged
entry or the cache off means looking again."""

from __future__ import annotations

import json

from quizgen.bank import fontmemo, glyphs


def test_a_hit_is_what_the_lookup_finds(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path))
    found = glyphs._find_builtin_families()
    assert len(found) >= 3 and all(f.coverage for f in found)
    assert fontmemo.remembered(glyphs._find_builtin_families) == found

    def never():
        raise AssertionError("looked up again")

    assert fontmemo.remembered(never) == found


def test_a_changed_file_or_a_damaged_entry_is_a_miss(tmp_path):
    font = tmp_path / "f.ttf"
    font.write_bytes(b"x" * 10)
    family = glyphs.Family("F", "QuizgenF", str(font), str(font), str(font), str(font), frozenset({65, 66, 67, 90}))
    blob = fontmemo.encode((family,))
    assert fontmemo.decode(blob) == (family,)
    font.write_bytes(b"x" * 11)  # another size
    assert fontmemo.decode(blob) is None
    blob = fontmemo.encode((family,))
    font.unlink()
    assert fontmemo.decode(blob) is None
    assert fontmemo.encode((family,)) is None  # nothing to remember about a missing file
    entry = json.loads(blob)
    for damaged in (b"", b"[]", blob[:-3], json.dumps(dict(entry, format="quizgen-builtin-fonts/0")).encode(),
                    json.dumps(dict(entry, families=[[1, 2, 3]])).encode()):
        assert fontmemo.decode(damaged) is None


def test_with_the_cache_off_nothing_is_remembered(monkeypatch):
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    calls = []
    fontmemo.remembered(lambda: calls.append(1) or ())
    fontmemo.remembered(lambda: calls.append(1) or ())
    assert calls == [1, 1]
