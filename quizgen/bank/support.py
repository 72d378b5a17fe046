"""Is each question's key stated by its citations?

A key is *quoted* when it is found in one of the question's cited quotes or in
the printed metadata of a cited source (headline, outlet, printed date). The
comparison forgives only what does not change meaning:

- case, whitespace, typographic quotes, dashes and no-break spaces;
- a bracketed aside of the quote ("which stadion (στάδιον, ...) he used" states
  "which stadion he used");
- number words and digits ("two" = "2", "seventy" = "70", "forty-two" = "42",
  "two hundred" = "200"), and fractions in words ("one fiftieth" = "a fiftieth
  of" = "1/50");
- date forms: "15 December" = "December 15" = "December 15th" = "Dec. 15" and, at
  the precision printed, "2016-12-15" = "15.12.2016" = "December 15, 2016"; "Sept
  1928" = "September 1928". A key may be *less* precise than the text ("December"
  or "2016" is found in "2016-12-15"), never more ("2016-12-15" is not found in
  "December 15");
- years with an era ("212 BC", "240 B.C.", "AD 79"; a range "287-212 BC" is BC
  at both ends), centuries ("the eleventh century" = "11th century") and decades
  ("the 1440s"). A bare four-digit number from 1000 to 2099 is a year;
- a leading "the", "a" or "an" of the key, and a possessive "'s" in the text
  ("Fleming" is found in "Fleming's").

What counts as the key, by type:

- mcq: the answer; short_answer: the answer and every accepted form; cloze:
  every blank; matching: every right side. A key is found as one contiguous
  run of words; a key that lists parts ("Florey and Chain", "A, B or C")
  is also found when each part is.
- true_false and the left sides of matching: the statement is ours, so its
  *key content words* must be found, each anywhere in the citations: its
  numbers, dates and capitalised names (capitalised words other than common
  sentence openers such as "The" or "According"). This catches a claim keyed
  on a name, year or place the sources do not print; it cannot check the
  claim's logic, which the curator reviews. A statement keyed False whose
  missing words are names only needs some of its words found: the changed name
  ("Cambridge" for Oxford) is by design not in the quote, but the rest must show
  the quote is about the same thing. A changed date or number gets no such
  leeway: the falsity then rests on the true date, which must be printed.
- ordering: each item is paired with the cited quote that shares most words
  with it (rare words weigh more; words compare by their first six letters, so
  "publishes" meets "published"); the item's date is the first date with a year
  in that quote or, when it has none, the printed date of the quote's source
  (what a dated report tells as news of "today" or "Monday"). The order is
  quoted when every item has such a date and each date lies wholly after the
  one before. A date stands for all the days it may mean: "2016" for the whole
  year (so it is neither before nor after "December 2016"), a century or decade
  for its span, and an approximate year ("around 1440", "c. 287 BC", "about
  1455") for the years within wording.APPROXIMATE_YEARS of it. Years BC come first, in
  astronomical order (240 BC before 212 BC before AD 1).

A key that is not found needs a mark on the question,
``support: {status: inferred, reason: ...}`` or ``{status: outside, reason: ...}``;
without one, validation reports it at the key with the words not found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quizgen.bank.wording import (  # the comparison's terms; Date, found_in and tokens are re-exported
    MONTHS, NUMBER_WORDS, TYPOGRAPHY, Date, Token, display, fold, found_in, same, tokens)
from quizgen.errors import Diagnostic, Loc
from quizgen.model import TRUE_FALSE_OPTIONS, Question, Source

_LEADING = ("the", "a", "an")
# Capitalised words that are not names: sentence openers of our own prompts.
_NOT_NAMES = frozenset("""
    a an the in on at of to by for from with after before during since until as and or but nor not no
    according taken both besides when while where which what who whom whose why how it its he his she her
    about after into over under between against without within than
    they their them this that these those there here is was were are be been has had have do did does
    true false one some any all each every many most none only also yet so if then than
    """.split())


# -- what the key is, per question type -------------------------------------------

@dataclass(frozen=True, slots=True)
class Gap:
    """One key the citations do not state: where it sits and what is missing."""

    path: str  # key path inside the question: "answer", "accept[1]", "prompt" (cloze), ...
    key: str
    missing: tuple[str, ...]  # words not found anywhere; empty: found only apart
    needle: str = ""  # text to look for inside the field (a cloze blank)
    why: str = ""  # for ordering items: why the order is not printed


_WITHOUT_ASIDES = re.compile(r"\s*\([^()]*\)")


def haystacks(q: Question, sources: dict[str, Source]) -> list[Sequence[Token]]:
    """Token lists the key may be found in: each quote, and each cited source's
    headline, outlet and printed date."""
    out = [tokens(c.quote) for c in q.citations]
    # A key may leave out an aside in brackets: "which stadion (στάδιον, ...) he used".
    out.extend(tokens(_WITHOUT_ASIDES.sub("", c.quote)) for c in q.citations if "(" in c.quote)
    for sid in q.source_ids:
        s = sources.get(sid)
        if s is None:
            continue
        out.extend(tokens(t) for t in (s.headline, s.outlet or "", s.published or "") if t)
    return out


def _strip_leading(key: Sequence[Token]) -> Sequence[Token]:
    while len(key) > 1 and key[0] in _LEADING:
        key = key[1:]
    return key


_LIST_SPLIT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+")


def phrase_gap(path: str, key: str, hay: list[list[Token]], needle: str = "") -> Gap | None:
    """None when the key (or each part of a listed key) is in one haystack."""
    if _phrase_found(key, hay):
        return None
    parts = [p for p in _LIST_SPLIT.split(key) if p.strip()]
    if len(parts) > 1 and all(_phrase_found(p, hay) for p in parts):
        return None
    everything = [t for h in hay for t in h]
    missing = tuple(dict.fromkeys(display(t) for t in _strip_leading(tokens(key))
                                  if t not in _LEADING and not any(same(t, e) for e in everything)))
    return Gap(path, key, missing, needle)


def _phrase_found(key: str, hay: list[list[Token]]) -> bool:
    k = _strip_leading(tokens(key))
    return any(found_in(k, h) for h in hay)


def content_words(text: str) -> list[Token]:
    """The key content words of a statement: numbers, dates and capitalised names."""
    text = unicodedata.normalize("NFKC", text).translate(TYPOGRAPHY)
    result: list[Token] = []
    # Dates and numbers written in digits come from the folded text, names from
    # the original case; number words ("the two sides") are phrasing, not keys.
    for t in tokens(re.sub(r"[^\W\d_]+", lambda m: " " if m.group(0).casefold() in NUMBER_WORDS else m.group(0),
                           text)):
        if isinstance(t, Date) or (isinstance(t, str) and t[:1].isdigit()):
            result.append(t)
    for m in re.finditer(r"[^\W\d_][\w]*(?:'s)?", text):
        word = m.group(0)
        if word.endswith("'s"):
            word = word[:-2]
        # The first word of a sentence is capitalised anyway: it counts as a
        # name only when written in capitals throughout ("NASA", "BBC").
        # (The last character before the word that is not a space: a loop of
        # a step or two, where slicing the text before each word was most of this.)
        j = m.start() - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        opener = j < 0 or text[j] in ".!?:"
        if opener and not (word.isupper() and len(word) > 1):
            continue
        if word[:1].isupper() and word.casefold() not in _NOT_NAMES and fold(word) not in MONTHS:
            result.append(fold(word))
    return list(dict.fromkeys(result, None))


def words_gap(path: str, text: str, hay: list[list[Token]], false_statement: bool = False) -> Gap | None:
    """The key content words of a statement the citations lack. A false
    statement is false because of the name it changes ("worked in Cambridge"
    where the quote says Oxford): it needs only some of its words in the
    citations, so the quote is about the same thing; the changed name may be absent."""
    everything = [t for h in hay for t in h]
    words = content_words(text)
    # same() of a word is equality, so a set finds it (a scan per word was most of this check)
    texts = {e for e in everything if isinstance(e, str)}
    lacking = [t for t in words if not (t in texts if type(t) is str else any(same(t, e) for e in everything))]
    missing = tuple(display(t) for t in lacking)
    # Not for a changed date or number: whether it is false then rests on the
    # true date, which must be printed (an inferred one is marked as such).
    if false_statement and len(lacking) < len(words) and all(isinstance(t, str) for t in lacking):
        return None
    return Gap(path, text, missing) if missing else None


def _stem(word: str) -> str:
    return word[:6]


def ordering_gaps(q: Question, sources: dict[str, Source]) -> list[Gap]:
    quotes = [(c.source, tokens(c.quote)) for c in q.citations]
    dated: list[tuple[int, Date | None]] = []
    # Words many quotes share ("Earth", "Gutenberg") say little about which quote
    # an item is about; each shared word counts 1/(quotes that have it). Words
    # are compared by their first six letters, because items are told in the
    # present ("publishes") and quotes mostly in the past ("published").
    stems = [{_stem(t) for t in quote if isinstance(t, str)} for _, quote in quotes]
    seen_in: dict[str, int] = {}
    for quote_stems in stems:
        for w in quote_stems:
            seen_in[w] = seen_in.get(w, 0) + 1
    for i, item in enumerate(q.items):
        words = {_stem(t) for t in tokens(item) if isinstance(t, str) and len(t) > 3 and t not in _NOT_NAMES}
        best, best_score = None, 0.0
        for (source_id, quote), quote_stems in zip(quotes, stems):
            score = sum(1 / seen_in[w] for w in words & quote_stems)
            if score > best_score:
                best, best_score = (source_id, quote), score
        dates = [t for t in (best[1] if best else []) if isinstance(t, Date) and t.year is not None]
        if not dates and best and sources.get(best[0]) and sources[best[0]].published:
            # what a dated report tells as news ("today", "on Monday") is dated by its dateline
            dates = [t for t in tokens(sources[best[0]].published or "") if isinstance(t, Date)]
        dated.append((i, dates[0] if dates else None))
    gaps = []
    previous: Date | None = None
    for i, date in dated:
        if date is None:
            gaps.append(Gap(f"items[{i}]", q.items[i], (), why="none in the cited quote about it"))
        elif previous is not None and not previous.before(date):
            span = ""
            if previous.approx:  # say why "around 1940" is not before 1944
                (y0, _, _), (y1, _, _) = previous.bounds()
                span = f", read as {y0}–{y1}"
            gaps.append(Gap(f"items[{i}]", q.items[i], (),
                            why=f"{display(date)}, which does not come wholly after the item before "
                                f"({display(previous)}{span})"))
        previous = date or previous
    return gaps


def gaps(q: Question, sources: dict[str, Source]) -> list[Gap]:
    """Every key of ``q`` its citations do not state (empty: quoted)."""
    hay = haystacks(q, sources)
    found: list[Gap | None] = []
    if q.type == "mcq":
        found.append(phrase_gap("answer", q.answer, hay))
    elif q.type == "short_answer":
        found.append(phrase_gap("answer", q.answer, hay))
        found.extend(phrase_gap(f"accept[{i}]", a, hay) for i, a in enumerate(q.accept))
    elif q.type == "cloze":
        found.extend(phrase_gap("prompt", b, hay, needle=f"[[{b}]]") for b in q.cloze_blanks)
    elif q.type == "matching":
        for i, (left, right) in enumerate(q.pairs):
            found.append(words_gap(f"pairs[{i}].left", left, hay))
            found.append(phrase_gap(f"pairs[{i}].right", right, hay))
    elif q.type == "true_false":
        found.append(words_gap("prompt", q.prompt, hay, false_statement=q.answer == TRUE_FALSE_OPTIONS[1]))
    elif q.type == "ordering":
        found.extend(ordering_gaps(q, sources))
    return [g for g in found if g is not None]


def may_be_quoted(q: Question, sources: dict[str, Source]) -> bool:
    """A quick test that must pass for ``gaps(q, sources)`` to be empty, for the
    keys found as phrases (mcq, short answer, cloze): every word of each key, or
    of each part of a listed key, is somewhere in the haystacks (a date: some
    date it lies within), in any order. False: gaps() is not empty;
    True: only gaps() can tell. For callers that try many citations one by one
    (the Anki renderer's shown quote), where most fail on a word."""
    if q.type == "mcq":
        keys = [q.answer]
    elif q.type == "short_answer":
        keys = [q.answer, *q.accept]
    elif q.type == "cloze":
        keys = list(q.cloze_blanks)
    else:
        return True
    hay = haystacks(q, sources)
    words = {t for h in hay for t in h if isinstance(t, str)}
    dates = [t for h in hay for t in h if isinstance(t, Date)]

    def present(key: str) -> bool:
        return all(t in words if isinstance(t, str) else any(same(t, d) for d in dates)
                   for t in _strip_leading(tokens(key)))

    for key in keys:
        if present(key):
            continue
        parts = [p for p in _LIST_SPLIT.split(key) if p.strip()]
        if not (len(parts) > 1 and all(present(p) for p in parts)):
            return False
    return True


def status(q: Question, sources: dict[str, Source]) -> str:
    """The status to show: the question's mark, or "unsupported" for an
    unmarked question whose key the citations do not state."""
    if q.support.status != "quoted":
        return q.support.status
    return "unsupported" if gaps(q, sources) else "quoted"


# -- diagnostics -------------------------------------------------------------------

def check_support(questions: Iterable[Question], sources: Iterable[Source],
                  files: "FileNodes | None" = None) -> list[Diagnostic]:
    """A diagnostic at every unmarked key the citations do not state.
    ``files``: the question files already composed (FileNodes.add), so a gap
    needs no second read of its file."""
    by_id = {s.id: s for s in sources}
    files = files or FileNodes()
    diagnostics = []
    for q in questions:
        if q.support.status != "quoted":
            continue
        # generated or curated alike: generation vets every draft with this same check
        for gap in gaps(q, by_id):
            loc, path = files.locate(q, gap)
            diagnostics.append(Diagnostic(loc, _message(gap), "error", path))
    return diagnostics


WHERE = "a cited quote or the cited source's headline, outlet or printed date"
HINT = " (or mark the question support: {status: inferred|outside, reason: ...})"


def _message(gap: Gap) -> str:
    """What was expected and what was found, for one gap."""
    if gap.why:
        return f"expected a printed year for ordering item '{gap.key}', found {gap.why}" + HINT
    if gap.path == "prompt" and not gap.needle or gap.path.endswith(".left"):
        return (f"expected the statement's names, numbers and dates in {WHERE}, found no "
                + ", ".join(repr(w) for w in gap.missing) + HINT)
    if gap.missing:
        return f"expected '{gap.key}' in {WHERE}, found no " + ", ".join(repr(w) for w in gap.missing) + HINT
    return f"expected '{gap.key}' as one phrase in {WHERE}, found its words only apart" + HINT


class FileNodes:
    """Finds the node of a key by reading the question's file again (only for
    questions with a gap, so a clean bank never pays for it)."""

    def __init__(self) -> None:
        # per file: its question items by (line, column) with their index, and its lines
        self._files: dict[str, tuple[dict[tuple[int, int], tuple[int, Node]], list[str]]] = {}
        self._given: dict[str, tuple[Node | None, bytes]] = {}

    def add(self, file: str, node: Node | None, data: bytes) -> None:
        """A file already composed from ``data``: located from that, not read again."""
        self._given[file] = (node, data)

    def _load(self, file: str) -> tuple[dict[tuple[int, int], tuple[int, Node]], list[str]]:
        if file not in self._files:
            from quizgen.bank.marks import compose_bytes, load_yaml

            path = Path(file)
            if file in self._given:
                node, data = self._given.pop(file)
                if node is None:  # read without nodes (fastread.py): composed now, for a gap only
                    node, _ = compose_bytes(data, file)
                # as read_text would: universal newlines split as splitlines does
                lines = data.decode("utf-8").splitlines()
            else:
                node, _ = load_yaml(path, file) if path.is_file() else (None, [])
                lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
            items: list[Node] = []
            if isinstance(node, MappingNode):
                for k, v in node.value:
                    if getattr(k, "value", None) == "questions" and isinstance(v, SequenceNode):
                        items = list(v.value)
            # indexed once: a bank with many gaps would otherwise scan every item per gap
            by_place = {(item.start_mark.line + 1, item.start_mark.column + 1): (index, item)
                        for index, item in enumerate(items)}
            self._files[file] = (by_place, lines)
        return self._files[file]

    def locate(self, q: Question, gap: Gap) -> tuple[Loc, str]:
        if not q.loc.line:
            return q.loc, gap.path
        by_place, lines = self._load(q.loc.file)
        found = by_place.get((q.loc.line, q.loc.col))
        if found is None:
            return q.loc, gap.path
        index, item = found
        node = _walk(item, gap.path)
        path = f"questions[{index}].{gap.path}"
        if node is None:
            return q.loc, path
        loc = Loc(q.loc.file, node.start_mark.line + 1, node.start_mark.column + 1)
        if gap.needle:
            loc = _find_after(lines, node, gap.needle, q.loc.file) or loc
        return loc, path


def _walk(node: Node, path: str) -> Node | None:
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            if not isinstance(node, SequenceNode) or int(part[1:-1]) >= len(node.value):
                return None
            node = node.value[int(part[1:-1])]
        else:
            if not isinstance(node, MappingNode):
                return None
            match = [v for k, v in node.value if isinstance(k, ScalarNode) and k.value == part]
            if not match:
                return None
            node = match[0]
    return node


def _find_after(lines: list[str], node: Node, needle: str, file: str) -> Loc | None:
    """The place of ``needle`` in the file text of a scalar (e.g. a cloze blank
    inside a folded prompt)."""
    first, last = node.start_mark.line, node.end_mark.line
    for n in range(first, min(last + 1, len(lines))):
        start = node.start_mark.column if n == first else 0
        col = lines[n].find(needle, start)
        if col >= 0:
            return Loc(file, n + 1, col + 1)
    return None
