"""Questions straight from the text of a file in the layout quizgen itself
writes (quizgen/generate/write.py), without composing YAML nodes: composing
was two thirds of validating a large generated bank.

The layout read here is narrow on purpose: `questions:` at the top (comment
lines before it), each question a `  - id:` block of `    key: value` lines;
values plain or double-quoted without a backslash on one line, folded `>-`
blocks of lines indented two more, flow lists of slugs (`[a, b]`), block lists
of such scalars or of one-line mappings (citations, pairs), and a `support:`
mapping. A question is read here only when the full checks (records.py) would
accept it without an error: the same record, the same id, the same quality
warnings (made by records.py's own function). Anything else, anywhere in the
file (a comment between questions, a tab, a key this reader does not know, a
value YAML would read otherwise, any check that fails), returns None and the
whole file takes the full path, which says what is wrong and where.
tests/test_validate_fastread.py checks both paths agree.
"""

from __future__ import annotations

import functools
import re
from typing import Iterator

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from quizgen.bank import records
from quizgen.bank.check import BOOL, NULL, STR, Checker
from quizgen.errors import Loc
from quizgen.model import (CLOZE_BLANK, DIFFICULTIES, QUESTION_TYPES, QUOTED, SUPPORT_STATUSES,
                           TRUE_FALSE_OPTIONS, Citation, Question, Support, cloze_answer, matching_answer,
                           ordering_answer)


class _Deviation(Exception):
    """The text leaves the layout, or a check would fail: the full path reads it."""


# A scalar is a plain tuple (value, tag, line, column), 0-based as YAML marks
# count; lists and mappings are these, with the place of their start mark.
_Scalar = tuple


class _Seq(list):
    __slots__ = ("line", "col")


class _Map(dict):
    __slots__ = ("line", "col")


class _Spot:
    """A place, as records.py's checkers read a node's start mark (``node.start_mark.line``)."""

    __slots__ = ("start_mark", "line", "column")

    def __init__(self, line: int, col: int) -> None:
        self.start_mark, self.line, self.column = self, line, col


_QUESTION_KEYS = frozenset(records.COMMON_REQUIRED + records.COMMON_OPTIONAL + records.ALL_TYPE_KEYS)
_ITEM_KEYS = frozenset(("source", "quote", "left", "right"))
_SUPPORT_KEYS = frozenset(("status", "reason"))
# what a plain scalar may not start with (YAML indicators, or a space YAML would strip)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_RESOLVER = Resolver()
_RESOLVED_FIRST = frozenset(k for k in _RESOLVER.yaml_implicit_resolvers if k)
if None in _RESOLVER.yaml_implicit_resolvers:  # pragma: no cover - no PyYAML has wildcard resolvers
    _RESOLVED_FIRST = None  # type: ignore[assignment]


@functools.lru_cache(maxsize=1 << 14)
def _plain_tag(value: str) -> str:
    return _RESOLVER.resolve(ScalarNode, value, (True, False))


def _inline(text: str, line: int, col: int, strings: dict[str, str]):
    """A one-line value: a double-quoted or plain scalar, or a flow list of slugs.
    ``strings``: one str for the many equal short values (as compose.py keeps
    them): a file's pickle then holds each once, and the parent one object."""
    first = text[:1]
    if first == '"':
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != '"' or '"' in inner or "\\" in inner:
            raise _Deviation
        return (strings.setdefault(inner, inner) if len(inner) <= 24 else inner), STR, line, col
    if first == "[":
        seq = _Seq()
        seq.line, seq.col = line, col
        seq.extend([(item, tag, line, col + at) for item, tag, at in _flow(text)])
        return seq
    # plain: nothing YAML would read as another structure, a comment or stripped space
    if not first or first in _INDICATORS or text[-1] == " " or text[-1] == ":" or " #" in text or ": " in text:
        raise _Deviation
    if len(text) <= 24:
        text = strings.setdefault(text, text)
    if _RESOLVED_FIRST is None or first in _RESOLVED_FIRST:
        return text, _plain_tag(text), line, col
    return text, STR, line, col  # what the resolver answers for a text no implicit type starts with


_FLOW = re.compile(r"\[(?:[a-z0-9][a-z0-9._-]*(?:, [a-z0-9][a-z0-9._-]*)*)?\]\Z")


@functools.lru_cache(maxsize=1 << 12)
def _flow(text: str) -> tuple[tuple[str, str, int], ...]:
    """A flow list of slugs as the writer writes it (`[a, b]`): each item, its
    tag and its column from the bracket. Cached: a bank repeats its tag lists."""
    if not _FLOW.match(text):
        raise _Deviation
    out, at = [], 1
    for item in text[1:-1].split(", ") if len(text) > 2 else ():
        out.append((item, _plain_tag(item), at))
        at += len(item) + 2
    return tuple(out)


class _Reader:
    """Reads a file a piece at a time (_pieces): ``lines`` are the current
    piece's, and every line number it gives counts from the piece's first
    line (the caller adds where the piece starts)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.n = len(lines)
        self.strings: dict[str, str] = {}
        # line text -> (key, value, tag, column) of a `key: plain scalar` line
        # read before: a bank repeats such lines ("    type: mcq", "    topic:
        # dates", a source's line) thousands of times. A line's indentation
        # fixes where its key starts, so its reading does not depend on where
        # it stands; whether the key may be there is checked at each use.
        self.plain: dict[str, tuple[str, str, str, int]] = {}

    def folded(self, i: int, pad: int) -> tuple[str, int]:
        """A `>-` block's value from line ``i`` on, its lines indented ``pad``; and the line after it."""
        lines, n = self.lines, self.n
        spaces = " " * pad
        parts = []
        while i < n:
            text = lines[i]
            if text.startswith(spaces) and text[pad:pad + 1] not in ("", " "):
                if text[-1] == " ":  # kept by folding: not what " ".join gives
                    raise _Deviation
                parts.append(text[pad:])
                i += 1
                continue
            # the block ends at an empty line (what follows is the caller's to
            # accept) or one indented less; a more-indented or whitespace-only
            # line would change the folding
            if text:
                lead = len(text) - len(text.lstrip(" "))
                if lead >= pad or lead == len(text):
                    raise _Deviation
            break
        if not parts:
            raise _Deviation
        return " ".join(parts), i

    def block(self, i: int, pad: int):
        """The block list or mapping that starts on line ``i``, indented ``pad``; and the line after it."""
        lines, n = self.lines, self.n
        if i >= n:
            raise _Deviation
        head = lines[i]
        prefix = " " * pad + "- "
        if head.startswith(prefix):
            seq = _Seq()
            seq.line, seq.col = i, pad
            while i < n and lines[i].startswith(prefix):
                text = lines[i][pad + 2:]
                key, sep, _ = text.partition(":")
                if sep and key in _ITEM_KEYS:
                    item, i = self.mapping(i, pad + 2, _ITEM_KEYS, False)
                    seq.append(item)
                else:
                    seq.append(_inline(text, i, pad + 2, self.strings))
                    i += 1
            return seq, i
        if head.startswith(prefix[:-2]) and head[pad:pad + 1] not in (" ", "-", ""):
            return self.mapping(i, pad, _SUPPORT_KEYS, False)
        raise _Deviation

    def mapping(self, i: int, indent: int, keys: frozenset[str], nested: bool) -> tuple[_Map, int]:
        """A block mapping whose first key is on line ``i`` at ``indent`` (after
        "- " for a list item), every further key on its own line; and the line after it.
        ``nested``: its values may be block lists and mappings."""
        lines, n, strings, plain = self.lines, self.n, self.strings, self.plain
        out = _Map()
        out.line, out.col = i, indent
        pad = " " * indent
        first = True
        resolved_first = _RESOLVED_FIRST or ()
        while i < n:
            text = lines[i]
            if first:
                first = False
            elif not text.startswith(pad) or text[indent:indent + 1] in (" ", "-", ""):
                break
            seen = plain.get(text)
            if seen is not None:
                key = seen[0]
                if key not in keys or key in out:
                    raise _Deviation
                out[key] = (seen[1], seen[2], i, seen[3])
                i += 1
                continue
            key, sep, rest = text[indent:].partition(": ")
            if sep:
                if key not in keys or key in out:
                    raise _Deviation
                col = indent + len(key) + 2
                head = rest[:1]
                if (head and head not in _INDICATORS and rest[-1] != " " and rest[-1] != ":"
                        and " #" not in rest and ": " not in rest and _RESOLVED_FIRST is not None):
                    # a plain scalar, by far the commonest value: _inline's last case, inlined
                    if len(rest) <= 24:
                        rest = strings.setdefault(rest, rest)
                    tag = _plain_tag(rest) if head in resolved_first else STR
                    out[key] = (rest, tag, i, col)
                    plain[text] = (key, rest, tag, col)
                    i += 1
                elif rest == ">-":
                    value, after = self.folded(i + 1, indent + 2)
                    out[key] = (value, STR, i, col)  # a block scalar's mark is its indicator's
                    i = after
                else:
                    out[key] = _inline(rest, i, col, self.strings)
                    i += 1
            else:
                if not nested or key[-1:] != ":" or key[:-1] not in keys or key[:-1] in out:
                    raise _Deviation
                out[key[:-1]], i = self.block(i + 1, indent + 2)
        return out, i

    def questions(self, pieces: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, _Map]]:
        """Each question's fields as it is read, with the number of the line
        its piece starts at: the caller makes its record before the next is
        read (the fields of a whole file at once were half a worker's peak memory)."""
        found = False
        for base, lines in pieces:
            self.lines, self.n = lines, len(lines)
            i, n = 0, self.n
            if not base:  # the file's first piece: comments, then the one top-level key
                while i < n and (not lines[i] or lines[i][0] == "#"):
                    i += 1
                if i >= n or lines[i] != "questions:":
                    raise _Deviation
                i += 1
            while i < n:
                text = lines[i]
                if not text:
                    i += 1
                    continue
                if not text.startswith("  - id: "):
                    raise _Deviation
                question, i = self.mapping(i, 4, _QUESTION_KEYS, True)
                found = True
                yield base, question
        if not found:
            raise _Deviation


_PIECE = 1 << 18  # bytes of a file decoded and split into lines at a time
_QUESTION_START = b"\n  - id: "


def _pieces(data: bytes, controls: bool) -> Iterator[tuple[int, list[str]]]:
    """The file's lines a piece at a time, each piece cut where a question
    starts (in this layout a line `  - id: ` always starts one, so no
    question spans two pieces), with the number of its first line: the
    lines of a whole file beside its bytes were a worker's largest buffer.
    ``controls``: the bytes may hold a character the loader forbids."""
    from quizgen.bank.marks import FORBIDDEN_IN_TEXT

    start, base, size = 0, 0, len(data)
    while start < size:
        cut = data.find(_QUESTION_START, start + _PIECE) if start + _PIECE < size else -1
        end = size if cut < 0 else cut
        text = data[start:end].decode("utf-8")  # cut before a newline: never inside a character
        if controls and FORBIDDEN_IN_TEXT.search(text):
            raise _Deviation
        lines = text.split("\n")
        yield base, lines
        base += len(lines)
        start = end + 1  # past the newline the next piece's first line follows


# -- the checks of records.py, for a question that passes every one ---------------

def _string(v) -> str:
    if v.__class__ is not _Scalar or v[1] == NULL or v[1] == BOOL or not v[0] or v[0].isspace():
        raise _Deviation
    return v[0]


def _strings(v, lo: int = 0, hi: int | None = None) -> tuple[str, ...]:
    if v.__class__ is not _Seq or len(v) < lo or (hi is not None and len(v) > hi):
        raise _Deviation
    return tuple([_string(x) for x in v])


def _distinct(values: tuple[str, ...]) -> None:
    if len({" ".join(v.casefold().split()) for v in values}) != len(values):
        raise _Deviation


def _loc(file: str, v, base: int) -> Loc:
    """The place of a value read ``base`` lines into the file."""
    return Loc(file, v[2] + base + 1, v[3] + 1) if v.__class__ is _Scalar else Loc(file, v.line + base + 1, v.col + 1)


# per type: the keys a question may have here (none misplaced; `points` and a
# matching's `spares` are left to the full path) and the keys it must have
_KEYS_OF = {t: (frozenset(records.COMMON_REQUIRED + records.COMMON_OPTIONAL + req + opt) - {"points", "spares"},
                frozenset(records.COMMON_REQUIRED + req))
            for t, (req, opt) in records.TYPE_KEYS.items()}


@functools.lru_cache(maxsize=1 << 12)
def _slugs(tags: tuple[str, ...]) -> bool:
    """Whether every tag is a slug (a bank repeats its tag lists)."""
    return all(records.SLUG_PATTERN.match(t) for t in tags)


def _question(c: Checker, m: _Map, index: int, ids: list, warnings: Checker, base: int) -> Question:
    f = m
    qtype = _string(f["type"]) if "type" in f else None
    if qtype not in records.TYPE_KEYS:
        raise _Deviation
    allowed, required = _KEYS_OF[qtype]
    if not f.keys() <= allowed or not required <= f.keys():
        raise _Deviation
    file = c.file
    qid = _string(f["id"])
    topic = _string(f["topic"])
    if not records.ID_PATTERN.match(qid) or not records.SLUG_PATTERN.match(topic):
        raise _Deviation
    prompt, explanation = _string(f["prompt"]), _string(f["explanation"])
    tags = _strings(f["tags"])
    if not _slugs(tags):
        raise _Deviation
    difficulty = _string(f["difficulty"])
    if difficulty not in DIFFICULTIES:
        raise _Deviation
    cites_node = f["citations"]
    if cites_node.__class__ is not _Seq or not cites_node:
        raise _Deviation
    cites = []
    known = c.source_ids
    for item in cites_node:
        if item.__class__ is not _Map or len(item) != 2 or "source" not in item or "quote" not in item:
            raise _Deviation
        source, quote_node = _string(item["source"]), item["quote"]
        quote = _string(quote_node)
        if known is not None and source not in known:
            raise _Deviation
        # words are at most the spaces plus one in an ASCII text of this layout
        # (no tabs, newlines or other controls): most quotes need no split
        if (quote.count(" ") >= records.MAX_QUOTE_WORDS or not quote.isascii()) \
                and len(quote.split()) > records.MAX_QUOTE_WORDS:
            raise _Deviation
        cites.append(Citation(source, quote, _loc(file, quote_node, base)))
    origin = _string(f["origin"]) if "origin" in f else "curated"
    if origin not in ("curated", "generated"):
        raise _Deviation
    template = _string(f["template"]) if "template" in f else None
    facts = _strings(f["facts"], 1) if "facts" in f else ()
    if origin == "generated" and ("template" not in f or "facts" not in f):
        raise _Deviation
    support = QUOTED
    if "support" in f:
        s = f["support"]
        if s.__class__ is not _Map or "status" not in s:
            raise _Deviation
        status = _string(s["status"])
        reason = _string(s["reason"]) if "reason" in s else ""
        if status not in SUPPORT_STATUSES or (status != "quoted" and not reason):
            raise _Deviation
        support = Support(status, reason, _loc(file, s, base))
    options: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    items: tuple[str, ...] = ()
    if qtype == "mcq":
        options = _strings(f["options"], 2, 6)
        answer = _string(f["answer"])
        _distinct(options)
        if answer not in options:
            raise _Deviation
    elif qtype == "true_false":
        a = f["answer"]
        if a.__class__ is not _Scalar or a[1] != BOOL:
            raise _Deviation
        answer = TRUE_FALSE_OPTIONS[0 if a[0].lower() in ("true", "yes", "on") else 1]
        options = TRUE_FALSE_OPTIONS
    elif qtype == "short_answer":
        answer = _string(f["answer"])
        accept = _strings(f["accept"]) if "accept" in f else ()
    elif qtype == "cloze":
        blanks = [m.group(1) for m in CLOZE_BLANK.finditer(prompt)]
        if not blanks or any(not b.strip() for b in blanks):
            raise _Deviation
        answer = cloze_answer(prompt)
    elif qtype == "matching":
        p = f["pairs"]
        if p.__class__ is not _Seq or not 2 <= len(p) <= 6:
            raise _Deviation
        found = []
        for item in p:
            if item.__class__ is not _Map or len(item) != 2 or "left" not in item or "right" not in item:
                raise _Deviation
            found.append((_string(item["left"]), _string(item["right"])))
        pairs = tuple(found)
        _distinct(tuple(a for a, _ in pairs))
        _distinct(tuple(b for _, b in pairs))
        answer = matching_answer(pairs)
    else:  # ordering
        items = _strings(f["items"], 3, 6)
        _distinct(items)
        answer = ordering_answer(items)
    q = Question(id=qid, type=qtype, topic=topic, prompt=prompt, answer=answer, explanation=explanation,
                 citations=tuple(cites), tags=tags, difficulty=difficulty, options=options, accept=accept,
                 pairs=pairs, spares=(), items=items, origin=origin, template=template, facts=facts,
                 loc=Loc(file, m.line + base + 1, m.col + 1), support=support, points=None)
    ids.append((qid, _loc(file, f["id"], base)))
    records._quality_warnings(warnings, q, _Spots(f, base), f"questions[{index}]")  # type: ignore[arg-type]
    return q


class _Spots:
    """The places _quality_warnings asks for (a node per key), made only when
    a warning is given: most questions get none."""

    __slots__ = ("_fields", "_base")

    def __init__(self, fields: _Map, base: int) -> None:
        self._fields, self._base = fields, base

    def __getitem__(self, key: str) -> _Spot:
        v = self._fields[key]
        return _Spot(v[2] + self._base, v[3]) if v.__class__ is _Scalar else _Spot(v.line + self._base, v.col)


def questions_from_bytes(c: Checker, data: bytes) -> list[Question] | None:
    """questions_file of a file's bytes when they decode and hold no
    forbidden character (else the full path reports that)."""
    from quizgen.bank.marks import _may_hold_controls

    # the bytes of the characters _in_layout refuses (a tab, a carriage return, a byte-order mark)
    if b"\t" in data or b"\r" in data or b"\xef\xbb\xbf" in data or not data.endswith(b"\n"):
        return None
    return _questions(c, _pieces(data, _may_hold_controls(data)))


def questions_file(c: Checker, text: str) -> list[Question] | None:
    """records.questions_file of the text's nodes, with the same ids and
    diagnostics added to ``c``; None (``c`` untouched) when the text leaves
    the layout or a question would not pass every check."""
    return _questions(c, iter([(0, text.split("\n"))])) if _in_layout(text) else None


def _in_layout(text: str) -> bool:
    return not ("\t" in text or "\r" in text or "\ufeff" in text or not text.endswith("\n"))


def _questions(c: Checker, pieces: Iterator[tuple[int, list[str]]]) -> list[Question] | None:
    try:
        ids: list = []
        warnings = Checker(c.file, source_ids=c.source_ids)
        out = [_question(c, m, i, ids, warnings, base)
               for i, (base, m) in enumerate(_Reader([]).questions(pieces))]
    except Exception:  # _Deviation, a byte that does not decode, anything unforeseen: the full path is always right
        return None
    c.ids.extend(ids)
    c.diagnostics.extend(warnings.diagnostics)
    return out
