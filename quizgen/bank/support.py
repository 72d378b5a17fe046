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
  claim's logic, which the curator reviews.
- ordering: each item is paired with the cited quote that shares most words
  with it (rare words weigh more; words compare by their first six letters, so
  "publishes" meets "published"); the item's date is the first date with a year
  in that quote or, when it has none, the printed date of the quote's source
  (what a dated report tells as news of "today" or "Monday"). The order is
  quoted when every item has such a date and each date lies wholly after the
  one before. A date stands for all the days it may mean: "2016" for the whole
  year (so it is neither before nor after "December 2016"), a century or decade
  for its span, and an approximate year ("around 1440", "c. 287 BC", "about
  1455") for the years within APPROXIMATE_YEARS of it. Years BC come first, in
  astronomical order (240 BC before 212 BC before AD 1).

A key that is not found needs a mark on the question,
``support: {status: inferred, reason: ...}`` or ``{status: outside, reason: ...}``;
without one, validation reports it at the key with the words not found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quizgen.errors import Diagnostic, Loc
from quizgen.model import Question, Source

# The one switch: how an unmarked, unsupported key of a *generated* question is
# reported. Curated questions always get an error. Turn this into "error" once
# the generated pool has been regenerated with support marks.
GENERATED_SEVERITY = "warning"

# The same folding of typographic characters as quote verification (sources.py).
_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
# With a day or a year, a month may be abbreviated ("Sept 1928", "Dec. 15"); alone it may
# not ("mar", "sept" and "dec" are words too). Full names come first, so "march" is not "mar".
_MONTH_ABBR = _MONTH[:-1] + r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
# An era after a year ("212 BC", "79 AD") or "AD" before it ("AD 79"): years BC are
# stored negative (212 BC = -212), so years sort in astronomical order.
_BC = r"(?:bce?|b\.c\.(?:e\.)?)(?!\w)"
_ERA = r"(?:bce?|b\.c\.(?:e\.)?|ad|a\.d\.|ce|c\.e\.)(?!\w)"
ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
            "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split()
ORDINALS += ["twenty " + o for o in ORDINALS[:9]]  # "twenty-first" (dashes are folded to "-", see below)
_CENTURY_WORD = "|".join(o.replace(" ", "[ -]") for o in reversed(ORDINALS))
# One alternation, tried in order at each place: the longer and more specific
# forms come first ("287-212 BC" before "212 BC" before a bare year).
_DATE = re.compile(
    rf"(?<![\d,.])\b(?P<ra>\d{{1,4}})\s*-\s*(?P<rb>\d{{1,4}})\s*{_BC}"
    rf"|\b(?P<cn>{_CENTURY_WORD}|\d{{1,2}}(?:st|nd|rd|th))[ -]centur(?:y|ies)\b(?:\s*(?P<cera>{_ERA}))?"
    rf"|(?<![\d,.])\b(?P<ey>\d{{1,4}})\s*(?P<era>{_ERA})"
    rf"|\b(?:ad|a\.d\.)\s*(?P<ay>\d{{1,4}})\b(?![.,:]\d)"
    r"|\b(?P<iy>\d{4})-(?P<im>0[1-9]|1[0-2])(?:-(?P<id>0[1-9]|[12]\d|3[01]))?\b"
    r"|\b(?P<dd>\d{1,2})\.(?P<dm>\d{1,2})\.(?P<dy>\d{4})\b"
    rf"|\b{_MONTH_ABBR.replace('(', '(?P<mdm>', 1)}\s+(?P<mdd>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<mdy>\d{{4}})\b)?"
    rf"|\b(?P<dmd>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_ABBR.replace('(', '(?P<dmm>', 1)}(?!\w)(?:,?\s+(?P<dmy>\d{{4}})\b)?"
    rf"|\b{_MONTH_ABBR.replace('(', '(?P<mym>', 1)}\s+(?P<myy>\d{{4}})\b"
    # a month alone is a date too, except "may", which is more often the verb
    rf"|\b{_MONTH.replace('may|', '').replace('(', '(?P<mo>', 1)}\b"
    r"|\b(?P<dec>(?:1\d|20)\d0)'?s\b"
    # a bare four-digit number from 1000 to 2099 is read as a year
    r"|\b(?P<y>(?:1\d|20)\d\d)\b(?![.:,]\d)"
)
# A year after one of these words is approximate ("around 1440", "c. 287 BC").
APPROXIMATE = frozenset({"around", "about", "c", "ca", "circa", "approximately", "roughly"})
# How far from its year an approximate year may lie, for ordering: "around 1440"
# stands for 1435-1445, so it is before 1446 and after 1434, and neither before
# nor after 1440 or 1445.
APPROXIMATE_YEARS = 5
_WORD = re.compile(r"\d+\+\d+|\d+/\d+|\d+(?:[.:,]\d+)*|'s\b|[^\W_]+")
NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({w: str(10 * i) for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"})
NUMBER_WORDS["hundred"] = "100"
_LEADING = ("the", "a", "an")
# Capitalised words that are not names: sentence openers of our own prompts.
_NOT_NAMES = frozenset("""
    a an the in on at of to by for from with after before during since until as and or but nor not no
    according taken both besides when while where which what who whom whose why how it its he his she her
    about after into over under between against without within than
    they their them this that these those there here is was were are be been has had have do did does
    true false one some any all each every many most none only also yet so if then than
    """.split())


@dataclass(frozen=True, slots=True)
class Date:
    """A printed date. Years BC are negative (212 BC is -212; there is no year 0).
    ``last`` is the last year of a span ("the eleventh century": 1000-1100, "the
    1440s": 1440-1449); ``approx`` marks a year printed as approximate ("around
    1440"), which matters only for ordering."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    last: int | None = None
    approx: bool = field(default=False, compare=False)

    def within(self, other: "Date") -> bool:
        """True when every part this date gives is given, equal, by ``other``."""
        return self.last == other.last and all(
            mine is None or mine == theirs
            for mine, theirs in ((self.year, other.year), (self.month, other.month), (self.day, other.day)))

    def bounds(self) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """The earliest and the latest day this date may stand for, as (year, month, day)."""
        assert self.year is not None
        first, last = self.year, self.last if self.last is not None else self.year
        if self.approx:
            first, last = first - APPROXIMATE_YEARS, last + APPROXIMATE_YEARS
        return (first, self.month or 1, self.day or 1), (last, self.month or 12, self.day or 31)

    def before(self, other: "Date") -> bool:
        """True when all of this date lies before all of ``other``."""
        return self.bounds()[1] < other.bounds()[0]


Token = object  # a str (a word) or a Date


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold().split())


@lru_cache(maxsize=16384)  # the same quotes and headlines come back for many questions
def tokens(text: str) -> tuple[Token, ...]:
    """Words and dates of ``text``, folded for comparison."""
    return tuple(_tokens(text))


def _tokens(text: str) -> list[Token]:
    text = fold(text)
    out: list[Token] = []
    pos = 0
    for m in _DATE.finditer(text):
        out.extend(_words(text[pos:m.start()]))
        dates = _dates(m)
        if out and out[-1] in APPROXIMATE and dates[0].year is not None and dates[0].month is None:
            dates[0] = replace(dates[0], approx=True)
        out.extend(dates)
        pos = m.end()
    out.extend(_words(text[pos:]))
    return out


_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
         if w != "_"}


# Denominators of fractions in words ("one fiftieth" = "1/50"); "first" and
# "second" are left out ("a second" is not a half).
_FRACTIONS = {o: i for i, o in enumerate(ORDINALS[:20], 1) if i > 2}
_FRACTIONS.update({w + "ieth": 10 * i for i, w in enumerate(
    "_ _ _ thirt fort fift sixt sevent eight ninet".split()) if w != "_"})
_FRACTIONS.update({"hundredth": 100, "thousandth": 1000, "half": 2, "halves": 2, "quarter": 4})
_FRACTIONS.update({w + "s": d for w, d in list(_FRACTIONS.items()) if not w.endswith("s") and w != "half"})


def _words(text: str) -> list[str]:
    """Words of folded text; a number in words becomes its digits, including
    compounds ("forty-two" = "42", "two hundred" = "200") and fractions ("one
    fiftieth", "a fiftieth of" = "1/50")."""
    words = _WORD.findall(text)
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        if w in ("a", "an") and nxt in _FRACTIONS and (i + 2 == len(words) or words[i + 2] == "of"):
            # "a third of", or "a third" ending the text; not "a third round"
            out.append(f"1/{_FRACTIONS[nxt]}")
            i += 2
            continue
        if w in _TENS and nxt in _UNITS and nxt != "zero":
            value, i = _TENS[w] + _UNITS[nxt], i + 2
        elif w in NUMBER_WORDS and w != "hundred":
            value, i = int(NUMBER_WORDS[w]), i + 1
        else:
            out.append(w)
            i += 1
            continue
        if i < len(words) and words[i] == "hundred" and 0 < value < 10:
            value, i = value * 100, i + 1
        if i < len(words) and words[i] in _FRACTIONS and 0 < value:
            out.append(f"{value}/{_FRACTIONS[words[i]]}")
            i += 1
            continue
        out.append(str(value))
    return [NUMBER_WORDS.get(w, w) for w in out]


def _year(number: str, era: str | None) -> int:
    return -int(number) if era and era.startswith("b") else int(number)


def _dates(m: re.Match[str]) -> list[Date]:
    g = m.groupdict()
    num = lambda k: int(g[k]) if g.get(k) else None  # noqa: E731
    month = lambda k: _month(g[k]) if g.get(k) else None  # noqa: E731
    if g["ra"]:  # "287-212 BC": the era belongs to both years
        return [Date(-int(g["ra"])), Date(-int(g["rb"]))]
    if g["cn"]:
        n = int(g["cn"][:-2]) if g["cn"][0].isdigit() else ORDINALS.index(g["cn"].replace("-", " ")) + 1
        # the n-th century, both as counted (1001-1100) and as said (1000-1099)
        if g["cera"] and g["cera"].startswith("b"):
            return [Date(-100 * n, last=-100 * (n - 1) or -1)]
        return [Date(100 * (n - 1) or 1, last=100 * n)]
    if g["ey"]:
        return [Date(_year(g["ey"], g["era"]))]
    if g["ay"]:
        return [Date(int(g["ay"]))]
    if g["iy"]:
        return [Date(num("iy"), num("im"), num("id"))]
    if g["dy"]:
        return [Date(num("dy"), num("dm"), num("dd"))]
    if g["mdm"]:
        return [Date(num("mdy"), month("mdm"), num("mdd"))]
    if g["dmm"]:
        return [Date(num("dmy"), month("dmm"), num("dmd"))]
    if g["mym"]:
        return [Date(num("myy"), month("mym"))]
    if g["mo"]:
        return [Date(None, month("mo"))]
    if g["dec"]:
        return [Date(int(g["dec"]), last=int(g["dec"]) + 9)]
    return [Date(num("y"))]


def _month(name: str) -> int:
    """1-12 for a month's name or its abbreviation ("sept.", "dec")."""
    return next(i for i, full in enumerate(MONTHS, 1) if full.startswith(name.rstrip(".")[:3]))


def _same(key: Token, text: Token) -> bool:
    if isinstance(key, Date):
        return isinstance(text, Date) and key.within(text)
    return key == text


def _display(token: Token) -> str:
    if isinstance(token, Date):
        if token.last is not None and token.year is not None:
            return f"{_era(token.year)}-{_era(token.last)}"
        parts = [_era(token.year) if token.year is not None else "",
                 MONTHS[token.month - 1].capitalize() if token.month else "",
                 str(token.day) if token.day else ""]
        text = " ".join(p for p in (parts[1], parts[2], parts[0]) if p)
        return f"around {text}" if token.approx else text
    return str(token)


def _era(year: int) -> str:
    return f"{-year} BC" if year < 0 else str(year)


def found_in(key: Sequence[Token], text: Sequence[Token]) -> bool:
    """True when ``key`` occurs in ``text`` as one run (a possessive "'s" of
    the text may follow any word of it)."""
    text = [t for t in text if t != "'s"] if "'s" not in key else list(text)
    n = len(key)
    if n == 0:
        return False
    return any(all(_same(key[i], text[start + i]) for i in range(n)) for start in range(len(text) - n + 1))


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
    missing = tuple(dict.fromkeys(_display(t) for t in _strip_leading(tokens(key))
                                  if t not in _LEADING and not any(_same(t, e) for e in everything)))
    return Gap(path, key, missing, needle)


def _phrase_found(key: str, hay: list[list[Token]]) -> bool:
    k = _strip_leading(tokens(key))
    return any(found_in(k, h) for h in hay)


def content_words(text: str) -> list[Token]:
    """The key content words of a statement: numbers, dates and capitalised names."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
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
        opener = not text[:m.start()].strip() or text[:m.start()].rstrip()[-1] in ".!?:"
        if opener and not (word.isupper() and len(word) > 1):
            continue
        if word[:1].isupper() and word.casefold() not in _NOT_NAMES and fold(word) not in MONTHS:
            result.append(fold(word))
    return list(dict.fromkeys(result, None))


def words_gap(path: str, text: str, hay: list[list[Token]]) -> Gap | None:
    everything = [t for h in hay for t in h]
    missing = tuple(_display(t) for t in content_words(text) if not any(_same(t, e) for e in everything))
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
            gaps.append(Gap(f"items[{i}]", q.items[i], (),
                            why=f"{_display(date)}, which does not come after the item before"))
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
        found.append(words_gap("prompt", q.prompt, hay))
    elif q.type == "ordering":
        found.extend(ordering_gaps(q, sources))
    return [g for g in found if g is not None]


def is_pending(d: Diagnostic) -> bool:
    """A support warning of a generated question (see GENERATED_SEVERITY), which
    tests of the shipped bank may ignore until the generated pool is redone."""
    return d.severity == "warning" and d.message.endswith(HINT)


def status(q: Question, sources: dict[str, Source]) -> str:
    """The status to show: the question's mark, or "unsupported" for an
    unmarked question whose key the citations do not state."""
    if q.support.status != "quoted":
        return q.support.status
    return "unsupported" if gaps(q, sources) else "quoted"


# -- diagnostics -------------------------------------------------------------------

def check_support(questions: Iterable[Question], sources: Iterable[Source]) -> list[Diagnostic]:
    """A diagnostic at every unmarked key the citations do not state."""
    by_id = {s.id: s for s in sources}
    files = _FileNodes()
    diagnostics = []
    for q in questions:
        if q.support.status != "quoted":
            continue
        severity = GENERATED_SEVERITY if q.origin == "generated" else "error"
        for gap in gaps(q, by_id):
            loc, path = files.locate(q, gap)
            diagnostics.append(Diagnostic(loc, _message(gap), severity, path))
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


class _FileNodes:
    """Finds the node of a key by reading the question's file again (only for
    questions with a gap, so a clean bank never pays for it)."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[list[Node], list[str]] | None] = {}

    def _load(self, file: str) -> tuple[list[Node], list[str]] | None:
        if file not in self._files:
            from quizgen.bank.marks import load_yaml

            path = Path(file)
            node, _ = load_yaml(path, file) if path.is_file() else (None, [])
            items: list[Node] = []
            if isinstance(node, MappingNode):
                for k, v in node.value:
                    if getattr(k, "value", None) == "questions" and isinstance(v, SequenceNode):
                        items = list(v.value)
            lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
            self._files[file] = (items, lines)
        return self._files[file]

    def locate(self, q: Question, gap: Gap) -> tuple[Loc, str]:
        loaded = self._load(q.loc.file) if q.loc.line else None
        if not loaded:
            return q.loc, gap.path
        items, lines = loaded
        for index, item in enumerate(items):
            if item.start_mark.line + 1 == q.loc.line and item.start_mark.column + 1 == q.loc.col:
                node = _walk(item, gap.path)
                path = f"questions[{index}].{gap.path}"
                if node is None:
                    return q.loc, path
                loc = Loc(q.loc.file, node.start_mark.line + 1, node.start_mark.column + 1)
                if gap.needle:
                    loc = _find_after(lines, node, gap.needle, q.loc.file) or loc
                return loc, path
        return q.loc, gap.path


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
