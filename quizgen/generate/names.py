"""Names in several languages: a record's name in the `ask` language given
the `given` one (or each language in turn), and names matched across two."""

from __future__ import annotations

import itertools
import random
from math import comb
from typing import Iterator, Mapping

from quizgen.generate.base import Combinations, Draft, Key
from quizgen.generate.options import dedupe, join_names, unique_citations
from quizgen.generate.slots import names_note
from quizgen.model import Fact, Name


class Names(Combinations):
    def _names(self, fact: Fact) -> Mapping[str, Name]:
        return fact.get(self.field.name) or {}  # type: ignore[union-attr,return-value]

    def _languages(self) -> list[str]:
        return [k for k, _ in self.field.languages]  # type: ignore[union-attr]

    def _asked(self) -> list[str]:
        ask, given = self.params.get("ask"), self.params.get("given")
        return [str(ask)] if ask else [k for k in self._languages() if k != given]

    def _usable(self) -> list[Fact]:
        return [r for r in self.records if self._names(r)]

    def _printed(self, fact: Fact, *langs: object) -> bool:
        """Whether the sources print the record's names in these languages: a
        name marked not_in_sources is never asked for, shown nor offered."""
        names = self._names(fact)
        return all(lang is None or (str(lang) in names and names[str(lang)].in_sources) for lang in langs)

    # -- one name ---------------------------------------------------------

    def _pool(self, fact: Fact, lang: str) -> dict[str, str]:
        """Wrong names: other records' names in the language, or (distractors:
        languages) this record's names in the other languages; name -> token."""
        own = self._names(fact)[lang].text
        if self.params.get("distractors") == "languages":
            langs = self._languages()
            given = self.params.get("given")
            names = {n.text: str(langs.index(k)) for k, n in self._names(fact).items()
                     if k not in (lang, given) and n.in_sources}
        else:
            names = {}
            for r in sorted(self._usable(), key=lambda r: r.title):
                if r.id != fact.id and self._printed(r, lang):
                    names.setdefault(self._names(r)[lang].text, r.id)
        return {n: names[n] for n in dedupe(names, exclude=[own])}

    def _one_keys(self) -> Iterator[Key]:
        langs = self._languages()
        fixed = bool(self.params.get("ask"))
        for r in self._usable():
            if not self.shows(r):
                continue
            for lang in self._asked():
                if not self._printed(r, lang, self.params.get("given")):
                    continue
                key = (r.id,) if fixed else (r.id, str(langs.index(lang)))
                yield from self._item_keys([(key, self._pool(r, lang))])

    def _one_draft(self, key: Key) -> Draft:
        base = self._base(key)
        fact = self.index.by_id[base[0]]
        langs = self._languages()
        lang = str(self.params["ask"]) if self.params.get("ask") else langs[int(base[1])]
        names = self._names(fact)
        values, cites = self.values(fact)
        others = [k for k in langs if k not in (lang, self.params.get("given"))]
        given = self.params.get("given")
        slots = {**values, "language": self.field.language(lang),  # type: ignore[union-attr]
                 "given_language": self.field.language(str(given)) if given else "",  # type: ignore[union-attr]
                 "other_names": join_names([names[k].text for k in others]),
                 "other_languages": join_names([self.field.language(k) for k in others])}  # type: ignore[union-attr]
        pool = self._pool(fact, lang)
        draft = Draft(facts=(fact.id,), citations=fact.own_citations, slots=slots, answer=names[lang].text,
                      wrong=list(pool), extra_citations=cites)
        return self._stated(key, draft, pool)

    # -- matching ---------------------------------------------------------

    def keys(self, seed: int = 0) -> list[Key]:
        if self.template.type != "matching":
            return list(self._one_keys())
        return super().keys(seed)

    def count(self) -> int:
        if self.template.type != "matching":
            return sum(1 for _ in self._one_keys())
        return comb(len(self._matchable()), self.size)

    def _keys(self) -> Iterator[Key]:
        if self.template.type != "matching":
            return self._one_keys()
        return (tuple(r.id for r in combo) for combo in itertools.combinations(self._matchable(), self.size))

    def _matchable(self) -> list[Fact]:
        return [r for r in self._usable() if self._printed(r, self.params.get("given"), self.params.get("ask"))]

    def _random_key(self, rng: random.Random) -> Key | None:
        usable = self._matchable()
        if len(usable) < self.size:
            return None
        return tuple(usable[i].id for i in sorted(rng.sample(range(len(usable)), self.size)))

    def draft(self, key: Key) -> Draft:
        if self.template.type != "matching":
            return self._one_draft(key)
        left, right = str(self.params["given"]), str(self.params["ask"])
        records = [self.index.by_id[i] for i in key]
        pairs = tuple((self._names(r)[left].text, self._names(r)[right].text) for r in records)
        added = {k: n for r in records for k, n in self._names(r).items() if not n.in_sources and k in (left, right)}
        slots = {"left_language": self.field.language(left),  # type: ignore[union-attr]
                 "right_language": self.field.language(right),  # type: ignore[union-attr]
                 "pairs_text": "; ".join(f"{a} is {b}" for a, b in pairs) + ".", "count": _number(len(pairs)),
                 self.field.name + "_note": names_note(self.field, added, plural=True)}  # type: ignore[union-attr,arg-type]
        return Draft(facts=key, citations=unique_citations(r.own_citations for r in records), slots=slots,
                     pairs=pairs)


NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _number(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
