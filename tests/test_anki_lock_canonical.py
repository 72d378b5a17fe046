"""The lock's fast reader: it takes only what dump_lock writes, reads it as the
JSON reader would, and says so (load_lock's flag), so a build that plans the
same lock may leave the file alone. Anything else goes to the JSON reader."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.errors import Loc, QuizgenError
from quizgen.render.anki.lock import (FORMAT, Lock, NoteState, NoteTypeState, _read_canonical, _read_json,
                                      dump_lock, load_lock)

TYPES = {
    "mcq": NoteTypeState(1234567890, ("Prompt", "Options", "Answer"), ("Card 1",), "0123456789abcdef", 1700000000),
    "cloze": NoteTypeState(1234567891, ("Text", "Explanation"), ("Cloze",), "fedcba9876543210", 1700000005),
}
NOTES = {
    "a-1": NoteState("0123456789abcdef", 1700000000, 1700000000001, "mcq"),
    "a-2": NoteState("retired", 1700000003, 1700000000002, "cloze", retired=True, gen=2),
    "a-2~1": NoteState("retired", 1700000001, 1700000000003, "mcq", retired=True, gen=1),
    "b.é-3": NoteState("00ff00ff00ff00ff", 1700000004, 1700000000004, "", gen=1),
}
LOCK = Lock(NOTES, TYPES)


def _load(tmp_path, raw: bytes):
    path = tmp_path / "anki-lock.json"
    path.write_bytes(raw)
    return load_lock(path)


def test_what_dump_lock_writes_is_read_by_the_fast_reader_as_it_was(tmp_path):
    raw = dump_lock(LOCK)
    lock, canonical = _load(tmp_path, raw)
    assert canonical
    assert lock == LOCK == _read_json(raw, Loc("x"))


@pytest.mark.parametrize("lock", [Lock({}, {}), Lock({}, TYPES), Lock(NOTES, {})])
def test_empty_blocks_are_canonical_too(tmp_path, lock):
    raw = dump_lock(lock)
    assert _load(tmp_path, raw) == (lock, True)


def _edits():
    raw = dump_lock(LOCK).decode()
    lines = raw.split("\n")
    note_lines = [i for i, line in enumerate(lines) if '"hash"' in line]
    swapped = list(lines)  # the first two notes' lines, both ending in a comma, change places
    swapped[note_lines[0]], swapped[note_lines[1]] = lines[note_lines[1]], lines[note_lines[0]]
    return {
        "indented by json.dumps": json.dumps(json.loads(raw), indent=2, ensure_ascii=False) + "\n",
        "no final newline": raw.rstrip("\n"),
        "unsorted notes": "\n".join(swapped),
        "a zero gen written out": raw.replace('"mod": 1700000000, "type": "mcq"}',
                                              '"mod": 1700000000, "gen": 0, "type": "mcq"}', 1),
        "retired false written out": raw.replace('"mod": 1700000000, "type": "mcq"}',
                                                 '"mod": 1700000000, "retired": false, "type": "mcq"}', 1),
        "an escaped key": raw.replace('"b.é-3"', '"b.\\u00e9-3"'),
        "a leading zero": raw.replace('"id": 1700000000001', '"id": 01700000000001'),
        "an escaped hash": raw.replace('"0123456789abcdef", "id"', '"0123456789abcde\\u0066", "id"'),
        "a missing comma": raw.replace("},\n    \"a-2\"", "}\n    \"a-2\"", 1),
        "a comma after the last note": raw.replace('"type": ""}\n', '"type": ""},\n'),
        "a duplicated note": raw.replace('    "a-2": ',
                                         '    "a-1": {"hash": "x", "id": 1, "mod": 1, "type": "mcq"},\n    "a-2": '),
        "types spaced otherwise": raw.replace('"fields": ["Text", "Explanation"]', '"fields": ["Text","Explanation"]'),
        "an extra note field": raw.replace('"type": ""}', '"type": "", "x": 1}'),
        "the older format": raw.replace(FORMAT, "quizgen-anki-lock/1"),
    }


@pytest.mark.parametrize("name", sorted(_edits()))
def test_anything_else_goes_to_the_json_reader(tmp_path, name):
    raw = _edits()[name].encode()
    assert raw != dump_lock(LOCK)  # the edit took
    assert _read_canonical(raw) is None
    try:
        expected = _read_json(raw, Loc("x"))
    except QuizgenError:
        with pytest.raises(QuizgenError):
            _load(tmp_path, raw)
        return
    assert _load(tmp_path, raw) == (expected, False)


def test_invalid_json_still_fails_with_its_diagnostic(tmp_path):
    with pytest.raises(QuizgenError, match="expected a JSON lock file"):
        _load(tmp_path, dump_lock(LOCK)[:-10])


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)
_state = st.builds(NoteState, hash=st.one_of(st.text("0123456789abcdef", min_size=16, max_size=16), _text),
                   mod=st.integers(-5, 2**42), id=st.integers(-5, 2**42), kind=_text, retired=st.booleans(),
                   gen=st.integers(-2, 3))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(notes=st.dictionaries(_text, _state, max_size=6))
def test_the_fast_reader_agrees_with_the_json_reader_on_any_dumped_lock(notes):
    raw = dump_lock(Lock(notes, TYPES))
    fast = _read_canonical(raw)
    slow = _read_json(raw, Loc("x"))
    assert slow == Lock(notes, TYPES)
    assert fast is None or fast == slow
    if fast is not None:
        assert dump_lock(fast) == raw


_key = st.one_of(st.from_regex(r"[a-z0-9._~-]{1,12}", fullmatch=True), _text)
_kind = st.one_of(st.sampled_from(("mcq", "cloze", "true_false")), _text)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(notes=st.dictionaries(_key, st.builds(NoteState, hash=_state.map(lambda s: s.hash), mod=st.integers(0, 2**42),
                                              id=st.integers(0, 2**42), kind=_kind, retired=st.booleans(),
                                              gen=st.integers(0, 2)), max_size=8))
def test_dump_lock_writes_each_note_as_as_json_does(notes):
    from quizgen.render.anki.lock import json_str

    text = dump_lock(Lock(notes, {})).decode()
    expected = [f"    {json_str(k)}: {notes[k].as_json()}" for k in sorted(notes)]
    body = text.split('"notes": ', 1)[1]
    assert body == ("{\n" + ",\n".join(expected) + "\n  }\n}\n" if expected else "{}\n}\n")
