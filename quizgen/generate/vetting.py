"""Which built questions may be written, and with which support mark.

A generated question is written only when the bank's support check
(quizgen/bank/support.py) would pass it: its key is stated by its cited
quotes, or every key the quotes do not state is a date that one of the
question's facts marks `inferred` — then the question is marked
``support: inferred`` with that date's basis as the reason, and its prompt says
that the date is inferred. Anything else (a name, a phrase or a date the
quotes do not print, and the facts do not mark inferred) is not written: a
source-tied quiz does not key what its sources do not print.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from quizgen.bank.support import Date, Gap, gaps, tokens
from quizgen.dates import FactDate
from quizgen.generate.base import FactIndex
from quizgen.model import Fact, Question, Source, Support

MIN_OPTIONS = 3  # an mcq with two options is a coin toss
MIN_PARTS = 3  # pairs of a matching, items of an ordering

ONE_DATE = "The articles do not print this event's full date; it is inferred."
SOME_DATES = "The articles do not print every one of these dates in full; some are inferred."


def well_formed(q: Question) -> bool:
    """Enough options, pairs or items to be worth asking."""
    if q.type == "mcq":
        return len(q.options) >= MIN_OPTIONS
    if q.type == "matching":
        return len(q.pairs) >= MIN_PARTS
    if q.type == "ordering":
        return len(q.items) >= MIN_PARTS
    return True


def inferred_dates(q: Question, index: FactIndex) -> list[tuple[Fact, FactDate]]:
    """The inferred dates of the question's facts, in the question's fact order."""
    out = []
    for fid in q.facts:
        fact = index.by_id.get(fid)
        date = index.date_of(fact) if fact is not None else None
        if date is not None and date.inferred:
            out.append((fact, date))
    return out


def _date_only(gap: Gap) -> bool:
    """Whether all a gap lacks is a date (an ordering item's, or a date word)."""
    if gap.why:
        return True
    return bool(gap.missing) and all(isinstance(t, Date) for word in gap.missing for t in tokens(word))


def reason(dates: list[tuple[Fact, FactDate]]) -> str:
    """Why the key holds, in a student's words: each inferred date's basis."""
    if len(dates) == 1:
        fact, date = dates[0]
        return f"{date.label() or date.value} is inferred, not printed in full. {date.basis}".strip()
    parts = [f"{fact.title}: {date.label() or date.value}. {date.basis}".strip() for fact, date in dates]
    return "Some dates are inferred, not printed in full. " + " ".join(parts)


def vet(q: Question, index: FactIndex, sources: Mapping[str, Source]) -> Question | None:
    """The question as it may be written (marked inferred where it rests on an
    inferred date), or None when its key is not stated by its citations."""
    missing = gaps(q, sources)
    if not missing:
        return q
    dates = inferred_dates(q, index)
    if not dates or not all(_date_only(g) for g in missing):
        return None
    prompt = q.prompt
    if "inferred" not in prompt.casefold():
        note = SOME_DATES if len(dates) > 1 or q.type == "ordering" else ONE_DATE
        prompt = f"{prompt} ({note})"
    return replace(q, prompt=prompt, support=Support("inferred", reason(dates)))
