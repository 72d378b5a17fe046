"""Words and dates of a text, folded so that forms which do not change meaning
compare equal: case, whitespace and typography; number words, compounds and
fractions ("forty-two" = "42", "one fiftieth" = "1/50"); date forms, years BC,
centuries, decades and approximate years. support.py compares keys with quotes
in these terms (its docstring lists what is forgiven)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Sequence

# The same folding of typographic characters as quote verification (sources.py).
TYPOGRAPHY = str.maketrans({
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
    return " ".join(unicodedata.normalize("NFKC", text).translate(TYPOGRAPHY).casefold().split())


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


def same(key: Token, text: Token) -> bool:
    if isinstance(key, Date):
        return isinstance(text, Date) and key.within(text)
    return key == text


def display(token: Token) -> str:
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
    return any(all(same(key[i], text[start + i]) for i in range(n)) for start in range(len(text) - n + 1))
