"""Each question's piece of an export, remembered from the last build.

An export is a header, one piece of text per question, and a footer; an edit
to one question changes one piece. While a build renders an export unit
(quizgen.build_units), ``pieces()`` takes each question's piece from the
build cache when that question, by its canonical digest, made it last time,
and makes only the others: the QTI export of the shipped bank spends 35 ms
building and serialising 8,000 XML elements, of which an edit touches 50.

What a piece depends on besides its question (the code, the format, the
config and sources, the options) is the ``context`` the build passes in; an
exporter names anything else a piece reads of the whole bank (``extra``, e.g.
the tag spellings all questions decide together). One cache entry per format
and context holds the pieces of the questions it was last made from, so the
entry stays the size of the export. Outside a build, or with the cache off,
``pieces()`` is ``[make(q) for q in questions]``: the same text either way,
which the tests check byte for byte.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from typing import Callable, Iterator, Sequence

FORMAT = "quizgen-export-pieces/1"


class Memo:
    """The pieces of one export unit: its store, its context, and the digest of each question (by id)."""

    def __init__(self, store, context: str, digests: dict[int, str]):
        self.store = store
        self.context = context
        self.digests = digests

    def pieces(self, name: str, questions: Sequence, make: Callable[[object], str], extra: str = "") -> list[str]:
        from quizgen.cachestore import digest

        key = digest(FORMAT, self.context, name, extra)
        blob = self.store.get(key)
        old = _decode(blob) if blob is not None else {}
        out: list[str] = []
        kept: dict[str, str] = {}
        for q in questions:
            d = self.digests.get(id(q))
            piece = old.get(d) if d is not None else None
            if piece is None:
                piece = make(q)
            out.append(piece)
            if d is not None:
                kept[d] = piece
        if kept.keys() != old.keys():  # something new (or gone): the entry follows the bank
            self.store.put(key, json.dumps({"format": FORMAT, "pieces": kept}, ensure_ascii=False,
                                           separators=(",", ":")).encode("utf-8", "surrogatepass"))
        return out


_active: contextvars.ContextVar[Memo | None] = contextvars.ContextVar("quizgen_export_pieces", default=None)


@contextlib.contextmanager
def remembered(memo: Memo | None) -> Iterator[None]:
    """Take pieces from ``memo`` (None: make them all) while the block runs."""
    token = _active.set(memo)
    try:
        yield
    finally:
        _active.reset(token)


def pieces(name: str, questions: Sequence, make: Callable[[object], str], extra: str = "") -> list[str]:
    """``make(q)`` for each question, in order, the unchanged ones from the build cache.
    ``name`` is the exporter's own (one format may make several kinds of piece)."""
    memo = _active.get()
    if memo is None:
        return [make(q) for q in questions]
    return memo.pieces(name, questions, make, extra)


def _decode(blob: bytes) -> dict[str, str]:
    """The entry's pieces; anything unexpected is an empty entry (every piece made again)."""
    try:
        entry = json.loads(blob.decode("utf-8", "surrogatepass"))
        found = entry["pieces"] if entry.get("format") == FORMAT else None
        if isinstance(found, dict) and all(type(v) is str for v in found.values()):
            return found
    except (ValueError, AttributeError, KeyError, TypeError):
        pass
    return {}
