"""Templates x facts -> concrete Questions: the driver. Pure and seeded.

Each template names a generator (quizgen/bank/generators.py lists what each
offers) and the kind and field it works on; the generators are generic over
field types and know nothing of a bank's subject:

  single.py   attribute, entity, event-date, role-holder
  claims.py   claim
  names.py    names
  combos.py   chronology, match

Rules every generator keeps (see base.py and options.py):
  * a wrong option comes from a fact of the same kind, never equals the
    answer, is never another correct answer, and options never repeat; an mcq
    has at least three options, a matching or ordering at least three items;
  * a date offered as a wrong option has the precision of the answer, and an
    approximate date is never asked for nor offered;
  * the question id depends on the template and the key only.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from quizgen.bank.generators import GENERATORS
from quizgen.generate.base import MAX_COMBINATIONS, FactIndex, Generator, Key, question_id
from quizgen.generate.claims import Claims
from quizgen.generate.combos import Chronology, Match
from quizgen.generate.names import Names
from quizgen.generate.single import Attribute, Entity, EventDate, RoleHolder
from quizgen.model import Fact, Kind, Question, Template

__all__ = ["MAX_COMBINATIONS", "FactIndex", "Generator", "Key", "question_id", "generator_for", "expand",
           "GENERATOR_CLASSES"]

GENERATOR_CLASSES: dict[str, type[Generator]] = {
    "attribute": Attribute,
    "entity": Entity,
    "event-date": EventDate,
    "chronology": Chronology,
    "role-holder": RoleHolder,
    "match": Match,
    "claim": Claims,
    "names": Names,
}
assert set(GENERATOR_CLASSES) == set(GENERATORS), "every generator spec needs an implementation"


def generator_for(template: Template, index: FactIndex) -> Generator:
    return GENERATOR_CLASSES[template.generator](template, index)


def expand(templates: Sequence[Template], facts: Sequence[Fact], kinds: Mapping[str, Kind],
           seed: int = 0) -> tuple[Question, ...]:
    """Every question the templates can make from the facts (combinations
    past MAX_COMBINATIONS sampled with the seed), in template order."""
    index = FactIndex(facts, kinds)
    out: list[Question] = []
    for t in templates:
        gen = generator_for(t, index)
        out.extend(gen.build(k, seed) for k in gen.keys(seed))
    return tuple(out)
