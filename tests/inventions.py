"""A small made-up bank on another subject (inventions), for tests of the
generic engine: kinds, facts and templates of our own, no shipped words."""

from __future__ import annotations

import textwrap
from pathlib import Path

SOURCES = """
sources:
  - id: notes
    file: notes.txt
    sha256: 0000000000000000000000000000000000000000000000000000000000000000
    outlet: Workshop Notes
    headline: Workshop Notes
    inferred_date: "2029-10"
    inferred_reason: Invented for the tests.
"""

KINDS = """
kinds:
  person:
    fields:
      name: {type: name, required: true, spellings: true}
      country: text
      roles: {type: roles, at: event}
  place:
    fields:
      name: {type: name, required: true, quoted: true}
      type: {type: text, required: true}
  event:
    fields:
      name: {type: text, required: true, mentions: [place, holders]}
      unnamed: {type: text, hides: [holders]}
      unplaced: {type: text, hides: [place]}
      date: date
      place: {ref: place, related: [other_places]}
      other_places: {refs: place}
  invention:
    fields:
      name: {type: name, required: true}
      date: date
      material: text
      inventor: {ref: person}
      names: {type: names, languages: {english: English, german: German, latin: Latin}}
      use: point
      claims: claims
"""


def cite(quote: str) -> str:
    return f"[{{source: notes, quote: {quote}}}]"


def person(pid: str, name: str, country: str, roles: str = "") -> str:
    return (f"  - {{id: {pid}, kind: person, name: {name}, country: {country},\n"
            f"     spellings: [{{name: {name}, source: notes}}],\n"
            + (f"     roles: [{roles}],\n" if roles else "")
            + f"     citations: {cite(name)}}}\n")


def role(office: str, at: str, quote: str) -> str:
    return f"{{role: {office}, at: {at}, citations: {cite(quote)}}}"


FACTS = (
    "facts:\n"
    + person("person-ada", "Ada Quill", "Freeland", role("Chief Engineer", "event-fair", "Ada Quill"))
    + person("person-bo", "Bo Tarn", "Freeland", role("Chief Engineer", "event-trial", "Bo Tarn"))
    + person("person-cy", "Cy Vell", "Freeland", role("Mayor", "event-fair", "Cy Vell"))
    + person("person-di", "Di Orm", "Eastmark", role("Harbour Master", "event-launch", "Di Orm"))
    + person("person-ed", "Ed Yarrow", "Freeland", role("Court Scribe", "event-launch", "Ed Yarrow"))
    + """\
  - {id: place-mainport, kind: place, name: Mainport, type: city, citations: [{source: notes, quote: in Mainport}]}
  - {id: place-lowtown, kind: place, name: Lowtown, type: city, citations: [{source: notes, quote: in Lowtown}]}
  - {id: place-hilltop, kind: place, name: Hilltop, type: city, citations: [{source: notes, quote: in Hilltop}]}
  - {id: place-riverbend, kind: place, name: Riverbend, type: city, citations: [{source: notes, quote: to Riverbend}]}
  - {id: place-grey-sea, kind: place, name: Grey Sea, type: sea, citations: [{source: notes, quote: the Grey Sea}]}
  - id: event-screw
    kind: event
    name: the first water-screw demonstration
    date: "-250"
    citations: [{source: notes, quote: a water screw}]
  - id: event-press
    kind: event
    name: the building of the first press
    date: "~1440"
    citations: [{source: notes, quote: around 1440}]
  - id: event-fair
    kind: event
    name: the great fair in Mainport
    unnamed: the great fair
    unplaced: the great fair opened
    date: "1851-05-01"
    place: place-mainport
    other_places: [place-riverbend]
    citations: [{source: notes, quote: the fair in Mainport}]
  - id: event-trial
    kind: event
    name: the engine trial in Lowtown
    unnamed: the engine trial
    unplaced: the engine trial ran
    date: {value: "1851-05", inferred: true, basis: The notes print only the month.}
    place: place-lowtown
    citations: [{source: notes, quote: the trial in Lowtown}]
  - id: event-launch
    kind: event
    name: the launch of the steam ferry in Hilltop
    unnamed: the launch of the steam ferry
    unplaced: the steam ferry was launched
    date: "1903-12-17"
    place: place-hilltop
    citations: [{source: notes, quote: the ferry in Hilltop}]
  - id: event-survey
    kind: event
    name: the coastal survey
    date: "1950/1955"
    citations: [{source: notes, quote: the survey}]
  - id: invention-lens
    kind: invention
    name: Lens
    date: "1590"
    material: glass
    inventor: person-ada
    names:
      english: Lens
      german: {name: Linse, not_in_sources: true}
      latin: {name: Lens, not_in_sources: true}
    use:
      text: bending light
      wrong: [storing heat, measuring time]
      citations: [{source: notes, quote: bending light}]
    claims:
      - key: glass
        statement: The lens is made of glass.
        detail: The notes say glass.
        false: [The lens is made of bronze., The lens is made of wood.]
        citations: [{source: notes, quote: of glass}]
      - key: old
        statement: The lens is older than the ferry.
        detail: 1590 comes before 1903.
        false: [The lens is newer than the ferry.]
        citations: [{source: notes, quote: in 1590}]
      - key: light
        statement: A lens bends light.
        detail: That is its use.
        false: [A lens stores heat.]
        citations: [{source: notes, quote: bending light}]
    citations: [{source: notes, quote: the Lens}]
  - id: invention-clock
    kind: invention
    name: Clock
    date: "1656"
    material: brass
    inventor: person-bo
    names:
      english: Clock
      german: {name: Uhr, not_in_sources: true}
      latin: {name: Horologium, not_in_sources: true}
    citations: [{source: notes, quote: the Clock}]
  - id: invention-kiln
    kind: invention
    name: Kiln
    date: "-3000"
    material: clay
    names:
      english: Kiln
      german: {name: Brennofen, not_in_sources: true}
      latin: {name: Fornax, not_in_sources: true}
    citations: [{source: notes, quote: the Kiln}]
  - id: invention-pump
    kind: invention
    name: Pump
    date: "1712-03"
    material: iron
    inventor: person-di
    names:
      english: Pump
      german: {name: Pumpe, not_in_sources: true}
      latin: {name: Antlia, not_in_sources: true}
    citations: [{source: notes, quote: the Pump}]
""")


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def write_bank(root: Path, facts: str = FACTS, kinds: str = KINDS, templates: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "sources.yaml").write_text(dedent(SOURCES), encoding="utf-8")
    (root / "kinds.yaml").write_text(dedent(kinds), encoding="utf-8")
    (root / "facts.yaml").write_text(dedent(facts) if facts.startswith("\n") else facts, encoding="utf-8")
    if templates is not None:
        (root / "templates").mkdir(exist_ok=True)
        (root / "templates" / "t.yaml").write_text(dedent(templates), encoding="utf-8")
    return root


def template(name: str, generator: str, type_: str, params: str, prompt: str,
             explanation: str = "Why: {{ answer }}.") -> str:
    return (f"  - name: {name}\n    generator: {generator}\n    type: {type_}\n    topic: things\n"
            f"    params: {params}\n    prompt: {prompt!r}\n    explanation: {explanation!r}\n").replace(
                "'", '"')
