"""Which citation a card shows: the one whose quote states the key on its own.

The last resort of that choice is the support check's own test, tried on one
citation at a time (quizgen.bank.support.may_be_quoted, then gaps), which reads
every quote into words and dates. Most citations tried there cannot state the
key, and ``cannot_state`` proves that from the folded text alone, without
reading it into tokens: a word of a key (one without a digit) is found only
where it is printed, and a date's day, year and month only where their digits
or month name are printed. Anything it cannot prove goes on to the real test,
so the citation chosen is always the one the real test alone would choose.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Mapping

from quizgen.bank.wording import MONTHS, Date, fold, tokens
from quizgen.model import Question, Source

_LEADING = frozenset(("the", "a", "an"))  # a key's leading article is never looked for (support._strip_leading)
# Wherever the support check may split a key into listed parts ("A and B", "A, B
# or C"): such a key may be found part by part, which is left to the real test.
_MAY_LIST = re.compile(r",|&|\s(?:and|or)\s", re.IGNORECASE)
_ASCII_DIGIT = re.compile(r"[0-9]")
# A digit the date pattern reads (\d) that is not 0-9: its value is not printed as str(int).
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_MONTH_NAMES = tuple(m[:3] for m in MONTHS)  # every printed month form starts so (wording._month)


def best_citation(q: Question, sources: Mapping[str, Source], folded: dict | None = None) -> int:
    """The index of the citation that states the key on its own: first one
    whose quote holds the key letter for letter, else the first that passes
    the support check's own test alone (quizgen.bank.support.gaps), else the
    first. Only keys a single quote can state are compared (an mcq or short
    answer, cloze blanks): an order, a set of pairs or a statement of ours is
    told by its citations together, and an inferred or outside key by none,
    so the curator's first citation is shown for those. ``folded``: the
    folded texts of sources by id, kept by the caller across questions."""
    kind = q.type
    if q.support.status != "quoted":
        return 0
    if kind == "mcq" or kind == "short_answer":
        keys = (q.answer,)
    elif kind == "cloze":
        keys = q.cloze_blanks
    else:
        return 0
    cites = q.citations
    casefolded = [k.casefold() for k in keys if k]
    if casefolded:  # the cheap test first: most keys are printed as written
        for i, c in enumerate(cites):
            quote = c.quote.casefold()
            for k in casefolded:
                if k not in quote:
                    break
            else:
                return i
    if folded is None:
        folded = {}
    support_keys = (q.answer, *q.accept) if kind == "short_answer" else keys  # as may_be_quoted reads them
    by_id = sources if isinstance(sources, dict) else dict(sources)
    for i, c in enumerate(cites):
        if cannot_state(support_keys, _printed(c.quote, by_id.get(c.source), folded)):
            continue
        from quizgen.bank.support import gaps, may_be_quoted  # the wording tables load only for decks that need them

        alone = dataclasses.replace(q, citations=(c,))
        # may_be_quoted first: most citations that do not state the key lack
        # one of its words, and it says so without gaps()' full comparison.
        if may_be_quoted(alone, by_id) and not gaps(alone, by_id):
            return i
    return 0


def _printed(quote: str, source: Source | None, folded: dict) -> str | None:
    """Everything one citation prints (its quote, its source's headline,
    outlet and printed date), folded as the support check folds it; None when
    cannot_state must not judge it (an aside in brackets, whose removal may
    join two words, or a digit other than 0-9)."""
    if "(" in quote:
        return None
    if source is None:
        head = ""
    else:
        head = folded.get(source.id)
        if head is None:
            head = folded[source.id] = "\x00".join(
                fold(t) for t in (source.headline, source.outlet or "", source.published or ""))
    text = _fold_quote(quote) + "\x00" + head
    if not text.isascii() and _OTHER_DIGIT.search(text):
        return None
    return text


# Quotes come back: a general one cited by many questions, a sentence cited
# by each question made from it. Bounded, so memory stays flat at any size.
_fold_quote = functools.lru_cache(maxsize=4096)(fold)


def cannot_state(keys: list[str], printed: str | None) -> bool:
    """True only when support.may_be_quoted is certainly False for a citation
    that prints ``printed``: some key has a word or date part printed nowhere
    in it. False: only the real test can tell."""
    if printed is None:
        return False
    for key in keys:
        key_tokens = _key_tokens(key)
        if key_tokens is not None:
            for t in key_tokens:
                if _absent(t, printed):
                    return True
    return False


@functools.lru_cache(maxsize=4096)  # a question's keys are read once per citation, and keys repeat across a bank
def _key_tokens(key: str) -> tuple | None:
    """The words and dates cannot_state looks for, None for a key that may be
    found part by part (left to the real test)."""
    return None if _MAY_LIST.search(key) else tokens(key)


def _absent(token, printed: str) -> bool:
    if isinstance(token, Date):
        # A date of the text matches only with the same span (last), and every
        # part the key gives equal; the text's parts are read from its digits
        # (int of 1-4 of them: str() of the value is among them) and month names.
        if token.last is not None:
            return False  # a century or decade may be printed in words
        if token.day is not None and str(token.day) not in printed:
            return True
        if token.year is not None and str(abs(token.year)) not in printed:
            return True
        if token.month is not None:
            return _MONTH_NAMES[token.month - 1] not in printed and str(token.month) not in printed
        return False
    # A word without a digit is never made from other words (only numbers
    # are: "two" -> "2"), so it is in the text as printed, once folded.
    return token not in _LEADING and not _ASCII_DIGIT.search(token) and token not in printed
