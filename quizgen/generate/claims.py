"""Statements: a claim true or deliberately falsified (true/false), the true
one among falsified ones, or the falsified one among true ones (mcq)."""

from __future__ import annotations

from typing import Iterator

from quizgen.generate.base import MIN_WRONG, Draft, Generator, Key
from quizgen.generate.options import dedupe
from quizgen.model import Citation, Claim, Fact


class Claims(Generator):
    @property
    def pick_true(self) -> bool:
        return self.params.get("pick", "true") == "true"

    def _claims(self, fact: Fact) -> tuple[Claim, ...]:
        return fact.get(self.field.name) or ()  # type: ignore[union-attr,return-value]

    def _keys(self) -> Iterator[Key]:
        for d in self.records:
            claims = self._claims(d)
            if not claims or not self.shows(d):
                continue
            falsified = len(dedupe(f for c in claims for f in c.false))
            for claim in claims:
                if self.template.type == "true_false":
                    yield (d.id, claim.key, "true")
                    for i in range(len(claim.false)):
                        yield (d.id, claim.key, f"false-{i}")
                elif self.pick_true and falsified >= MIN_WRONG:
                    yield (d.id, claim.key)
                elif not self.pick_true and len(claims) > MIN_WRONG:
                    for i in range(len(claim.false)):
                        yield (d.id, claim.key, str(i))

    def variant_of(self, key: Key) -> Key:
        return key[:2]  # a claim, however stated

    def units(self, key: Key, q) -> tuple[str, ...]:
        return (f"{key[0]}#{key[1]}",)  # each claim is a fact of its own

    def draft(self, key: Key) -> Draft:
        d = self.index.by_id[key[0]]
        claims = self._claims(d)
        claim = next(c for c in claims if c.key == key[1])
        values, cites = self.values(d)
        slots = {**values, "truth": claim.statement, "detail": claim.detail}
        if self.template.type == "true_false":
            is_true = key[2] == "true"
            statement = claim.statement if is_true else claim.false[int(key[2].split("-")[1])]
            return Draft(facts=(d.id,), citations=claim.citations + d.own_citations,
                         slots={**slots, "statement": statement},
                         truth=is_true, stated=statement, extra_citations=cites)
        others = [c for c in claims if c.key != claim.key]
        shown: dict[str, tuple[Citation, ...]] = {}
        if self.pick_true:
            answer = claim.statement
            wrong = dedupe((f for c in claims for f in c.false), exclude=[answer])
        else:
            answer = claim.false[int(key[2])]
            wrong = dedupe((c.statement for c in others), exclude=[answer])
            # a true statement offered as an option is a fact too: cited when shown
            shown = {c.statement: c.citations for c in others}
        return Draft(facts=(d.id,), citations=claim.citations, slots={**slots, "statement": answer},
                     answer=answer, wrong=sorted(wrong), option_citations=shown, extra_citations=cites)
