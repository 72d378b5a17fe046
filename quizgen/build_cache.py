"""What the build cache stores, and under which keys (quizgen.cachestore
holds the bytes, in its "build" namespace).

* A render unit's files (quizgen.render.units) under
  digest(code, unit name, the options it uses, the canonical bytes of exactly
  what it reads: its questions, the sources, the config, its set, the font
  files for PDFs, the Anki lock's bytes for the deck). An entry holds every
  file of the unit and the messages its render gave (progress, warnings), so a
  hit prints what a render would have.
* The state of the last successful build into an output folder from a bank
  with given options: every input file with its sha256 and every output with
  its sha256. The no-change check (quizgen.build_fastpath) compares with it
  before loading anything.

"code" is quizgen's version and the sha256 of its own files, the versions
of the libraries that draw the bytes, and Python's: a change of any of them
is a miss. Anything unreadable or unexpected is a miss, never an error.
Standard library only.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Mapping

from quizgen import filedigest
from quizgen.errors import Diagnostic, Loc

UNIT_FORMAT = "quizgen-build-unit/1"
LIBRARIES = ("click", "pyyaml", "genanki", "reportlab", "fontpkg", "fontpkg-pt-sans", "fontpkg-noto-sans",
             "rapidyaml")


# -- the code that makes the bytes ----------------------------------------------

def code_digest() -> str:
    """quizgen's version and files, the libraries' versions, Python's and zlib's."""
    from quizgen import __version__

    return _code_digest(__version__)


@functools.lru_cache(maxsize=4)
def _code_digest(__version__: str) -> str:
    # Once per process (a build asks three times: the no-change check, the
    # unit keys, the record), keyed by the version so that a test faking a
    # new one gets a new digest; the files cannot change under a running build.
    import zlib

    from quizgen.libversions import versions

    h = hashlib.sha256()
    h.update(f"{__version__}\0{sys.version}\0{zlib.ZLIB_RUNTIME_VERSION}\0".encode())
    for name, version in versions(LIBRARIES).items():
        h.update(f"{name}={version}\0".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(package)).encode() + b"\0")
        h.update(filedigest.sha256(path).encode())
    return h.hexdigest()




def file_state(path: Path | str) -> str:
    """A file's sha256, "dir" for a folder, "missing" for nothing there."""
    try:
        return filedigest.sha256(path)  # remembered by stat when the build's cache is on
    except IsADirectoryError:
        return "dir"
    except FileNotFoundError:
        return "missing"
    except NotADirectoryError:
        return "missing"


# -- canonical bytes of the model ------------------------------------------------

class NotCanonical(TypeError):
    """A value of a type canonical() does not know: the unit is not cached."""


def canonical(value) -> bytes:
    out: list[str] = []
    _encode(value, out)
    return "".join(out).encode("utf-8", "surrogatepass")


_DATACLASS_SHAPES: dict[type, tuple[str, tuple[tuple[str, str], ...]]] = {}  # type -> (opening, (name, "name=")...)


def _encode(v, out: list[str]) -> None:
    # Tagged and length-prefixed, so two different values never give the same text.
    # The commonest types first, by exact type (a bank is mostly strings,
    # tuples and dataclasses); anything else takes the general chain below,
    # which decides the same way for every value of a type.
    t = type(v)
    if t is str:
        out.append(f"s{len(v)}:{v}")
        return
    if t is tuple or t is list:
        out.append(f"{'t' if t is tuple else 'l'}{len(v)}(")
        for item in v:
            _encode(item, out)
        out.append(")")
        return
    shape = _DATACLASS_SHAPES.get(t)
    if shape is not None:
        out.append(shape[0])
        for name, label in shape[1]:
            out.append(label)
            _encode(getattr(v, name), out)
        out.append(")")
        return
    _encode_other(v, out)


def _encode_other(v, out: list[str]) -> None:
    if v is None or v is True or v is False:
        out.append(f"{v!r};")
    elif isinstance(v, str):
        out.append(f"s{len(v)}:{v}")
    elif isinstance(v, Enum):
        out.append(f"e{type(v).__qualname__}:")
        _encode(v.value, out)
    elif isinstance(v, (int, float)):
        out.append(f"{type(v).__name__[0]}{v!r};")
    elif isinstance(v, bytes):
        out.append(f"b{v.hex()};")
    elif dataclasses.is_dataclass(v) and not isinstance(v, type):
        fields = dataclasses.fields(v)
        t = type(v)
        _DATACLASS_SHAPES[t] = (f"D{t.__module__}.{t.__qualname__}{len(fields)}(",
                                tuple((f.name, f"{f.name}=") for f in fields))
        _encode(v, out)
    elif isinstance(v, (tuple, list)):
        out.append(f"{'t' if isinstance(v, tuple) else 'l'}{len(v)}(")
        for item in v:
            _encode(item, out)
        out.append(")")
    elif isinstance(v, Mapping):
        out.append(f"m{len(v)}(")  # in its own order: an order change is a miss, never a wrong hit
        for k, item in v.items():
            _encode(k, out)
            _encode(item, out)
        out.append(")")
    elif isinstance(v, (set, frozenset)):
        items = sorted(canonical(x) for x in v)
        out.append(f"S{len(items)}(" + "".join(x.decode("utf-8", "surrogatepass") for x in items) + ")")
    else:
        raise NotCanonical(type(v).__name__)


class Digests:
    """Per-build memo of question digests: a question is in the deck, the
    exports and its sets, and is encoded once."""

    def __init__(self):
        self._by_id: dict[int, tuple[object, str]] = {}
        self._fonts: dict[tuple[str, ...], str] = {}
        self._code: str | None = None

    @property
    def code(self) -> str:
        if self._code is None:
            self._code = code_digest()
        return self._code

    def fonts(self, root: str, files: tuple[str, ...]) -> str:
        paths = font_files(root, files)
        if paths not in self._fonts:
            self._fonts[paths] = hashlib.sha256("".join(f"{f}\0{file_state(f)}\0" for f in paths).encode()).hexdigest()
        return self._fonts[paths]

    def of(self, value) -> str:
        hit = self._by_id.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        d = hashlib.sha256(canonical(value)).hexdigest()
        self._by_id[id(value)] = (value, d)
        return d

    def questions(self, questions) -> str:
        return hashlib.sha256("".join(self.of(q) for q in questions).encode()).hexdigest()


def font_files(root: str, files: tuple[str, ...]) -> tuple[str, ...]:
    """Every font file the PDFs of a bank may draw with."""
    from quizgen.bank.glyphs import font_chain

    chain = font_chain(root, files)
    return tuple(sorted({getattr(f, s) for f in chain.families for s in ("regular", "bold", "italic", "bold_italic")}))


# -- unit keys -------------------------------------------------------------------

def unit_key(unit, options, digests: Digests, lock: bytes | None) -> str | None:
    """The unit's key, or None when it cannot be cached (a value canonical()
    does not know)."""
    from quizgen.cachestore import digest

    try:
        head, tail = _inputs(unit, options, digests, lock)
        return digest(UNIT_FORMAT, *head, digests.questions(unit.bank.questions), *tail)
    except NotCanonical:
        return None


def pieces_context(unit, options, digests: Digests) -> tuple[str, tuple[str, ...]] | None:
    """For an export unit: what each question's piece depends on besides the
    question (quizgen.render.fragments): every input of the unit's key but
    its questions; and each question's digest. None when it cannot be cached."""
    from quizgen.cachestore import digest

    if unit.kind != "export":
        return None
    try:
        head, tail = _inputs(unit, options, digests, None)
        return digest("quizgen-export-context/1", *head, *tail), tuple(digests.of(q) for q in unit.bank.questions)
    except NotCanonical:
        return None


def _inputs(unit, options, digests: Digests, lock: bytes | None) -> tuple[list, list]:
    """What a unit reads besides its questions: the parts of its key before
    them and after them. Raises NotCanonical."""
    bank = unit.bank
    head = [digests.code, unit.name, unit.kind, repr(unit.part), str(options.timestamp),
            str(bank.root), digests.of(bank.sources), digests.of(bank.config)]
    if unit.kind == "anki":
        tail = [repr(options.deck_name), "lock", b"\0missing" if lock is None else lock]
    elif unit.kind == "pdf":
        tail = [repr((options.seed, options.variants, options.students, options.answer_sheet)), digests.of(unit.qset),
                digests.fonts(bank.root, bank.config.fonts), digests.of(unit.left_out)]
    else:
        tail = [repr(options.deck_name)]
    return head, tail


# -- entries: a unit's files and messages in one blob ------------------------------

def pack(files: list[tuple[str, str, bytes]], messages: list) -> bytes:
    """files: (place, name, bytes), place "out" (the output folder) or "bank"."""
    head = {"format": UNIT_FORMAT,
            "files": [[place, name, len(data)] for place, name, data in files],
            "messages": [_message_json(m) for m in messages]}
    return json.dumps(head, ensure_ascii=True).encode() + b"\n" + b"".join(d for _, _, d in files)


def unpack(blob: bytes) -> tuple[list[tuple[str, str, bytes]], list] | None:
    try:
        head_raw, sep, body = blob.partition(b"\n")
        head = json.loads(head_raw)
        if not sep or head.get("format") != UNIT_FORMAT:
            return None
        files, at = [], 0
        for place, name, size in head["files"]:
            if place not in ("out", "bank") or not isinstance(name, str) or os.sep in name or name in ("", ".", ".."):
                return None
            files.append((place, name, body[at:at + int(size)]))
            at += int(size)
        if at != len(body):
            return None
        return files, [_message_of(m) for m in head["messages"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _message_json(m) -> list:
    kind, value = m
    if kind == "progress":
        return ["progress", value]
    return ["warn", diagnostic_json(value)]


def _message_of(m) -> tuple:
    kind, value = m
    if kind == "progress":
        if not isinstance(value, str):
            raise TypeError
        return ("progress", value)
    if kind != "warn":
        raise ValueError(kind)
    return ("warn", diagnostic_of(value))


def diagnostic_json(d: Diagnostic) -> list:
    return [d.loc.file, d.loc.line, d.loc.col, d.message, d.severity, d.path]


def diagnostic_of(v) -> Diagnostic:
    file, line, col, message, severity, path = v
    return Diagnostic(Loc(str(file), int(line), int(col)), str(message), str(severity), str(path))
