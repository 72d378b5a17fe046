"""The Anki lock file: what the last build told Anki, so the next build can tell
Anki the right thing.

Anki applies an incoming note only when its modification time is newer than the
copy in the collection ("update always" still skips equal times), so:

* a note whose content changed gets a mod time after the one recorded for it;
* an unchanged note keeps its recorded mod time, so a rebuild that changed
  nothing never overwrites what a user edited in Anki.

The lock remembers every note it ever shipped, removed ones too (marked
retired): a question that comes back gets a mod time after the one Anki last
saw for its GUID, and a removed one keeps being shipped as a retired stub. Each
note also keeps the id it was first given, its first build's time in
milliseconds, which Anki shows as the note's creation date.

The same holds for note types (template and CSS changes need a newer mod time),
and the lock also records each note type's field and template names, because
changing those makes Anki import a copy of the note type instead of updating it.
"""

from __future__ import annotations

import collections.abc
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple

from quizgen.errors import Diagnostic, Loc, QuizgenError
from quizgen.render.anki.notes import NoteContent
from quizgen.render.anki.notetypes import NoteTypeSpec

from quizgen.render import ANKI_LOCK_NAME as LOCK_NAME  # noqa: E402
FORMAT = "quizgen-anki-lock/2"
READABLE = ("quizgen-anki-lock/1", FORMAT)  # /1 had no note ids, types or retired notes
RETIRED_HASH = "retired"


class NoteState(NamedTuple):
    # A NamedTuple rather than a frozen dataclass: as immutable, and a third of
    # the cost to build, which counts at one per note read from the lock and
    # one per note planned.
    hash: str
    mod: int
    id: int = 0  # the Anki note id: first build's time in ms, counting up; 0 = not yet given (a /1 lock)
    kind: str = ""  # the note type key it was last shipped with; "" = unknown (a /1 lock)
    retired: bool = False  # the question left the bank; shipped as a retired stub
    gen: int = 0  # bumped when the question changes type: a new GUID (guid_key)

    def as_json(self) -> str:
        h = self.hash
        # A hex digest (every hash but "retired") is letters and digits: nothing to escape.
        h = f'"{h}"' if h.isalnum() and h.isascii() else json_str(h, True)
        out = f'{{"hash": {h}, "id": {int(self.id)}, "mod": {int(self.mod)}'
        if self.gen:
            out += f', "gen": {int(self.gen)}'
        if self.retired:
            out += ', "retired": true'
        kind = _KIND_JSON.get(self.kind)
        if kind is None:
            kind = _KIND_JSON[self.kind] = json_str(self.kind, True)
        return out + f', "type": {kind}}}'


_new_state = tuple.__new__  # NoteState's own __new__ is a Python call: one per new note
_KIND_JSON: dict[str, str] = {}  # a note type key as JSON: a handful of keys, one per note


# What json.dumps escapes in a string (json.encoder's ESCAPE and ESCAPE_ASCII).
_JSON_ESCAPED = (re.compile(r'[\x00-\x1f"\\]'), re.compile(r'[^ -~]|["\\]'))


def json_str(value: str, ensure_ascii: bool = False) -> str:
    """json.dumps(value, ensure_ascii=...), without the encoder's set-up for the
    common string that needs no escape (a lock has a few per question)."""
    if _JSON_ESCAPED[ensure_ascii].search(value) is None:
        return f'"{value}"'
    return json.dumps(value, ensure_ascii=ensure_ascii)


@dataclass(frozen=True, slots=True)
class NoteTypeState:
    id: int
    fields: tuple[str, ...]
    templates: tuple[str, ...]
    fingerprint: str
    mod: int


@dataclass(frozen=True, slots=True)
class Lock:
    notes: Mapping[str, NoteState]
    note_types: Mapping[str, NoteTypeState]


EMPTY = Lock({}, {})
GEN_MARK = "~"  # never in a question id ([a-z0-9._-]); "<id>~<gen>" keys a note an earlier type left behind


def guid_key(question_id: str, gen: int) -> str:
    """What the note's GUID is hashed from: the question id, and after a type
    change its generation too (Anki cannot change a note's type on import)."""
    return question_id if not gen else f"{question_id}{GEN_MARK}{gen}"


def question_of(lock_key: str) -> str:
    return lock_key.split(GEN_MARK, 1)[0]


@dataclass(frozen=True, slots=True)
class Plan:
    """The mod times for one build and the lock that records them."""

    lock: Lock
    note_mods: Mapping[str, int]
    note_type_mods: Mapping[str, int]
    new: int
    changed: int
    unchanged: int
    warnings: tuple[Diagnostic, ...]
    note_ids: Mapping[str, int] = None  # type: ignore[assignment]
    guid_keys: Mapping[str, str] = None  # type: ignore[assignment]
    retired: tuple[tuple[str, NoteState], ...] = ()  # every retired note, to ship as a stub
    newly_retired: tuple[str, ...] = ()  # removed since the last build


def next_mod(previous: int | None, timestamp: int) -> int:
    """The build's timestamp, so the same inputs give the same bytes, but never
    at or before the mod time Anki already has for this object."""
    if previous is None:
        return timestamp
    return max(timestamp, previous + 1)


def plan(
    previous: Lock,
    notes: Iterable[NoteContent],
    note_types: Iterable[NoteTypeSpec],
    timestamp: int,
    lock_path: Path,
    fresh: int | None = None,
    lock_missing: bool = False,
) -> Plan:
    """Mod times and note ids for this build. ``fresh`` is the build's own time
    (the wall clock unless the caller fixed one): new notes' ids count up from
    it, and with ``lock_missing`` every note's mod time is at least it, so
    notes shipped by builds whose lock was lost still update."""
    planner = Planner(previous, note_types, timestamp, lock_path, fresh, lock_missing)
    for note in notes:
        planner.add(note)
    return planner.finish()


class Planner:
    """plan() one note at a time: a note's id and mod time depend only on the
    lock and the notes before it, so a renderer can write each note as soon as
    add() returns its state, and hold only the states (the lock) meanwhile."""

    def __init__(self, previous: Lock, note_types: Iterable[NoteTypeSpec], timestamp: int, lock_path: Path,
                 fresh: int | None = None, lock_missing: bool = False):
        fresh = timestamp if fresh is None else fresh
        self.previous = previous
        self.timestamp = timestamp
        self.lock_path = lock_path
        self.base = max(timestamp, fresh) if lock_missing else timestamp
        self.next_id = max([fresh * 1000] + [s.id for s in previous.notes.values()]) + 1
        self.note_states: dict[str, NoteState] = {}
        self.left_behind: dict[str, NoteState] = {}  # notes of an earlier type, now retired stubs
        self.warnings: list[Diagnostic] = []
        self.new = self.changed = self.unchanged = 0
        self.type_states, self.type_warnings = _type_states(previous, note_types, timestamp, lock_path)
        # Known before any note: the package's note types carry them, ahead of the notes.
        self.note_type_mods = {k: s.mod for k, s in self.type_states.items()}

    def add(self, note: NoteContent) -> NoteState:
        """The state (id, mod time, generation) this build gives the note."""
        old = self.previous.notes.get(note.question_id)
        if old is None:  # a new note (every note of a first build): the next id, the build's mod time
            state = _new_state(NoteState, (note.hash, self.base, self.next_id, note.kind, False, 0))
            self.next_id += 1
            self.new += 1
            self.note_states[note.question_id] = state
            return state
        base, next_id = self.base, self.next_id
        if not old.retired and old.hash == note.hash and old.kind == note.kind and old.id:
            state = old
            self.unchanged += 1
        elif old.kind and old.kind != note.kind:
            # Anki skips an incoming note whose GUID it has under another note
            # type ("conflicting"): the question becomes a new note under a new
            # GUID, and the old one is retired like a removed question.
            self.left_behind[f"{note.question_id}{GEN_MARK}{old.gen}"] = (
                old if old.retired else NoteState(RETIRED_HASH, next_mod(old.mod, base), old.id or next_id,
                                                  old.kind, True, old.gen))
            next_id = max(next_id, (old.id or next_id) + 1)
            state = NoteState(note.hash, base, next_id, note.kind, gen=old.gen + 1)
            next_id += 1
            self.changed += 1
            if not old.retired:
                self.warnings.append(type_change(note.question_id, old.kind, note.kind, self.lock_path))
        else:
            note_id = old.id or next_id
            next_id = max(next_id, note_id + 1)
            state = NoteState(note.hash, next_mod(old.mod, base), note_id, note.kind, gen=old.gen)
            self.changed += 1
        self.next_id = next_id
        self.note_states[note.question_id] = state
        return state

    def finish(self) -> Plan:
        previous, base, next_id, note_states = self.previous, self.base, self.next_id, self.note_states
        left_behind, warnings = self.left_behind, self.warnings

        # Questions no longer in the bank stay in the lock, retired: their stubs
        # tell Anki to retire the note, and a question that comes back is newer.
        newly = []
        for qid, old in previous.notes.items():
            if qid in note_states or qid in left_behind:
                continue
            if old.retired:
                note_states[qid] = old
                continue
            newly.append(qid)
            note_id = old.id or next_id
            next_id = max(next_id, note_id + 1)
            note_states[qid] = NoteState(RETIRED_HASH, next_mod(old.mod, base), note_id, old.kind, True, old.gen)
        note_states.update(left_behind)

        type_states = self.type_states
        warnings = warnings + self.type_warnings
        return Plan(
            lock=Lock(note_states, type_states),
            note_mods=_Derived(note_states, _mod),
            note_type_mods=self.note_type_mods,
            new=self.new,
            changed=self.changed,
            unchanged=self.unchanged,
            warnings=tuple(warnings),
            note_ids=_Derived(note_states, _id),
            guid_keys=_Derived(note_states, _guid_key),
            retired=tuple(sorted((k, s) for k, s in note_states.items() if s.retired and s.kind)),
            newly_retired=tuple(sorted(newly)),
        )


class _Derived(collections.abc.Mapping):
    """A read-only view of one value of each note's state, computed on lookup:
    a renderer looks up a few (the retired stubs' GUIDs), and three dicts of
    every note would cost time and memory in proportion to the bank."""

    __slots__ = ("_states", "_value")

    def __init__(self, states: Mapping[str, NoteState], value):
        self._states, self._value = states, value

    def __getitem__(self, key: str):
        return self._value(key, self._states[key])

    def __iter__(self):
        return iter(self._states)

    def __len__(self) -> int:
        return len(self._states)

    def __repr__(self) -> str:
        return repr(dict(self))


def _mod(key: str, state: NoteState) -> int:
    return state.mod


def _id(key: str, state: NoteState) -> int:
    return state.id


def _guid_key(key: str, state: NoteState) -> str:
    return guid_key(question_of(key), state.gen)


def _type_states(previous: Lock, note_types: Iterable[NoteTypeSpec], timestamp: int,
                 lock_path: Path) -> tuple[dict[str, NoteTypeState], list[Diagnostic]]:
    # Note types not used by this build keep their record, so a type that comes
    # back later is still compared with what Anki last saw.
    type_states = dict(previous.note_types)
    warnings = []
    for spec in note_types:
        old_type = previous.note_types.get(spec.key)
        fingerprint = spec.fingerprint()
        if old_type is not None and old_type.fingerprint == fingerprint:
            continue
        if old_type is not None:
            warning = schema_change(old_type, spec, lock_path)
            if warning:
                warnings.append(warning)
        type_states[spec.key] = NoteTypeState(
            spec.id,
            spec.fields,
            spec.template_names,
            fingerprint,
            next_mod(old_type.mod if old_type else None, timestamp),
        )
    return type_states, warnings


def type_change(question_id: str, old: str, new: str, lock_path: Path) -> Diagnostic:
    return Diagnostic(
        Loc(str(lock_path)),
        f"question '{question_id}' changed type ({old} -> {new}) since the last build. Anki cannot "
        "change a note's type on import, so the deck ships it as a new note (its review history "
        "starts again) and the old note as a suspended stub tagged quizgen::retired, to delete.",
        severity="warning",
        path=f"notes.{question_id}",
    )


def schema_change(old: NoteTypeState, spec: NoteTypeSpec, lock_path: Path) -> Diagnostic | None:
    """A warning when Anki will not take the note type for the one it has."""
    what = []
    if old.fields != spec.fields:
        what.append(f"its fields ({', '.join(old.fields)} -> {', '.join(spec.fields)})")
    if old.templates != spec.template_names:
        what.append(
            f"its card templates ({', '.join(old.templates)} -> {', '.join(spec.template_names)})"
        )
    if not what and old.id == spec.id:
        return None
    changed = f"changed {' and '.join(what)}, so its id changed" if what else "changed its id"
    return Diagnostic(
        Loc(str(lock_path)),
        f"Anki note type '{spec.name}' {changed} ({old.id} -> {spec.id}) since the last build. "
        "When importing the new deck into a collection that has the old note type, tick "
        "'Merge note types' in Anki's import options (Anki 23.10 or later; Anki then asks "
        "for a one-way sync): Anki moves the notes to the new note type and updates them. "
        f"Without it Anki leaves existing notes of this type as they were and adds new "
        f"ones to a copy named '{spec.name}+'.",
        severity="warning",
        path=f"note_types.{spec.key}",
    )


def read_lock(path: Path) -> Lock:
    return load_lock(path)[0]


def load_lock(path: Path) -> tuple[Lock, bool]:
    """The lock, and whether the file is exactly what dump_lock gives for it
    (False when not, or when there is no file): a build that ends with the
    same lock then knows the file is already right without writing it out
    again. Such a file (every lock quizgen wrote) is read line by line by one
    pattern, which accepts only what dump_lock writes; any other goes to the
    JSON reader."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return EMPTY, False
    lock = _read_canonical(raw)
    if lock is not None:
        return lock, True
    return _read_json(raw, Loc(str(path))), False


def _read_json(raw: bytes, loc: Loc) -> Lock:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QuizgenError([Diagnostic(loc, f"expected a JSON lock file, found invalid JSON ({exc})")])
    if not isinstance(data, dict) or data.get("format") not in READABLE:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise QuizgenError([Diagnostic(loc, f"expected format '{FORMAT}', found {found!r}", path="format")])
    try:
        notes = {
            str(k): NoteState(str(v["hash"]), int(v["mod"]), int(v.get("id", 0)), str(v.get("type", "")),
                              v.get("retired") is True, int(v.get("gen", 0)))
            for k, v in data.get("notes", {}).items()
        }
        types = _type_states_of(data.get("note_types", {}))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise QuizgenError(
            [Diagnostic(loc, f"expected notes with hash and mod, note types with id, fields, "
                        f"templates, fingerprint and mod; found a malformed entry ({exc!r})")]
        )
    return Lock(notes, types)


def _type_states_of(data: dict) -> dict[str, NoteTypeState]:
    return {
        str(k): NoteTypeState(
            int(v["id"]),
            tuple(map(str, v["fields"])),
            tuple(map(str, v["templates"])),
            str(v["fingerprint"]),
            int(v["mod"]),
        )
        for k, v in data.items()
    }


def dump_lock(lock: Lock) -> bytes:
    """Sorted, one entry per line, so a rebuild that changes one question changes
    one line of the diff."""
    # The same JSON as json.dumps(..., sort_keys=True) gives, formatted directly: a big bank has one per question.
    # Sorted by key alone (keys are unique): strings compare faster than (key, state) pairs.
    states = lock.notes
    kinds = _KIND_JSON
    notes = []
    for k in sorted(states):
        state = states[k]
        h, mod, id_, kind, retired, gen = state
        # The common note (integers, a hex hash, a known type, no gen, not
        # retired, a key with nothing to escape) written here, as as_json and
        # json_str would write it, without a call each; anything else by them.
        if (type(id_) is int and type(mod) is int and not gen and not retired and kind in kinds
                and h.isalnum() and h.isascii() and '"' not in k and "\\" not in k and k.isprintable()):
            notes.append(f'    "{k}": {{"hash": "{h}", "id": {id_}, "mod": {mod}, "type": {kinds[kind]}}}')
        else:
            notes.append(f"    {json_str(k)}: {state.as_json()}")
    return (_HEAD + _types_block(lock.note_types) + _NOTES + _block(notes) + _TAIL).encode("utf-8")


_HEAD = f'{{\n  "format": "{FORMAT}",\n  "note_types": '
_NOTES = ',\n  "notes": '
_TAIL = "\n}\n"


def _block(rows: list[str]) -> str:
    return "{\n" + ",\n".join(rows) + "\n  }" if rows else "{}"


def _types_block(note_types: Mapping[str, NoteTypeState]) -> str:
    def line(key: str, value: dict) -> str:
        return f"    {json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}"

    return _block([
        line(k, {"id": s.id, "fields": list(s.fields), "templates": list(s.templates),
                 "fingerprint": s.fingerprint, "mod": s.mod})
        for k, s in sorted(note_types.items())
    ])


# One note's line exactly as NoteState.as_json and json_str write it, and no
# other: strings that need no escape (a key may be any text json_str leaves
# as it is; hash and type, ASCII), integers without leading zeros, "gen" only
# when not 0, "retired" only when true. A line that is anything else (spaced
# differently, escaped, hand-edited) does not match, and the JSON reader reads
# the file. A literal newline is never inside a JSON string, so a match is one line.
_NOTE_LINE = re.compile(
    r'^    "([^"\\\x00-\x1f]*)": \{"hash": "([ !#-\[\]-~]*)", "id": (-?(?:0|[1-9][0-9]*)), '
    r'"mod": (-?(?:0|[1-9][0-9]*))(?:, "gen": (-?[1-9][0-9]*))?(, "retired": true)?, '
    r'"type": "([ !#-\[\]-~]*)"\},?$',
    re.MULTILINE,
)


def _read_canonical(raw: bytes) -> Lock | None:
    """The lock in ``raw`` when raw is what dump_lock writes for it, else None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.startswith(_HEAD) or not text.endswith(_TAIL):
        return None
    cut = text.find(_NOTES, len(_HEAD))  # the first: inside a JSON string a newline is escaped
    if cut < 0:
        return None
    types_text = text[len(_HEAD):cut]
    try:
        types = _type_states_of(json.loads(types_text))
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    if _types_block(types) != types_text:
        return None
    # The notes block, read in place: a big bank's is megabytes, not to be copied.
    start, end = cut + len(_NOTES), len(text) - len(_TAIL)
    if end - start == 2 and text.startswith("{}", start):
        return Lock({}, types)
    if not (text.startswith("{\n", start) and text.endswith("\n  }", start, end)):
        return None
    start, end = start + 2, end - 4
    rows = _NOTE_LINE.findall(text, start, end)
    # Every line matched (matches are whole lines, one per line at most), every
    # line but the last ends with a comma, the last does not.
    newlines = text.count("\n", start, end)
    if len(rows) != newlines + 1 or text.count(",\n", start, end) != newlines or text.endswith(",", start, end):
        return None
    keys = [row[0] for row in rows]
    if any(a >= b for a, b in zip(keys, keys[1:])):  # sorted and unique, as dump_lock writes them
        return None
    make = _new_state
    notes = {k: make(NoteState, (h, int(mod), int(id_), kind, retired != "", int(gen) if gen else 0))
             for k, h, id_, mod, gen, retired, kind in rows}
    return Lock(notes, types)
