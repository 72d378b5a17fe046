"""The facts database: the real one is clean, verbatim and honest about what the
articles do not say; bad records are reported at file:line:col."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from conftest import REAL_BANK, REAL_CORPUS
from quizgen.errors import sort_diagnostics
from quizgen.bank.facts import KIND_FIELDS, load_facts
from quizgen.model import Document, Event, FactDate, Island, IslandGroup, Person
from quizgen.bank.sources import normalize

SOURCES = """
sources:
  - id: harbour
    file: harbour.txt
    sha256: 0000000000000000000000000000000000000000000000000000000000000000
    outlet: The Test Gazette
    headline: Harbour Talks Resume
    inferred_date: "2029-10"
    inferred_reason: Invented for the tests.
"""


@pytest.fixture(scope="module")
def real_facts():
    facts, diagnostics = load_facts(REAL_BANK)
    assert diagnostics == []
    return {f.id: f for f in facts}


def load(tmp_path: Path, facts_yaml: str) -> tuple[dict, list[str]]:
    (tmp_path / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (tmp_path / "facts.yaml").write_text(textwrap.dedent(facts_yaml).lstrip("\n"), encoding="utf-8")
    facts, diagnostics = load_facts(tmp_path)
    shown = [str(d).replace(str(tmp_path / "facts.yaml"), "facts.yaml") for d in sort_diagnostics(diagnostics)]
    return {f.id: f for f in facts}, shown


# -- the real database ------------------------------------------------------------

def test_every_kind_is_present(real_facts):
    kinds = {f.kind for f in real_facts.values()}
    assert kinds == set(KIND_FIELDS)


def corpus_texts() -> dict[str, tuple[str, str]]:
    """Source id -> (whole text, body text), normalised like verify does."""
    import yaml

    if not REAL_CORPUS.is_dir():
        pytest.skip(f"corpus not found at {REAL_CORPUS} (it lives outside the repository)")
    registry = yaml.safe_load((REAL_BANK / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    out = {}
    for s in registry:
        text = (REAL_CORPUS / s["file"]).read_text(encoding="utf-8")
        out[s["id"]] = (normalize(text), normalize("\n".join(body_lines(text))))
    return out


def body_lines(text: str) -> list[str]:
    """The article's paragraphs without page furniture: captions, related-article
    headlines, banners and "READ MORE" lines have no sentence ending or are short."""
    keep = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(("READ MORE", "©", "- Advertisement", "Sign up", "Subscribe")):
            continue
        if "Sputnik International" in line and not line.endswith((".", '"', "\u201d")):
            continue
        if len(line.split()) >= 8 and line.endswith((".", '"', "\u201d", "?")):
            keep.append(line)
    return keep


def test_every_quote_is_verbatim_body_text(real_facts):
    texts = corpus_texts()
    for fact in real_facts.values():
        assert fact.citations, fact.id
        for c in fact.citations:
            assert len(c.quote.split()) <= 30, (fact.id, c.quote)
            whole, body = texts[c.source]
            assert normalize(c.quote) in whole, (fact.id, c.quote)
            assert normalize(c.quote) in body, f"{fact.id}: quote looks like page furniture: {c.quote!r}"


def test_added_island_names_really_are_not_in_the_articles(real_facts):
    texts = corpus_texts()
    everything = " ".join(whole for whole, _ in texts.values())
    islands = [f for f in real_facts.values() if isinstance(f, Island)]
    assert len(islands) == 4
    for island in islands:
        assert set(island.not_in_articles) == {"russian", "japanese"}
        assert island.english in everything
        assert island.russian not in everything and island.japanese not in everything
    group = real_facts["island-group-disputed"]
    assert isinstance(group, IslandGroup) and group.not_in_articles == ("native",)
    for name in group.names:
        assert name.english in everything and name.native not in everything


def test_disagreements_stay_visible(real_facts):
    lavrov = real_facts["person-lavrov"]
    assert isinstance(lavrov, Person)
    assert {s.name for s in lavrov.spellings} == {"Sergei Lavrov", "Sergey Lavrov"}
    assert "Sergei" in lavrov.note and "Sergey" in lavrov.note
    for event_id in ("event-eef-2016", "event-eef-proposal-2018"):
        note = real_facts[event_id].note
        assert "Eastern Economic Forum" in note and "Economic Forum of the East (EEF)" in note
    decl = real_facts["document-joint-declaration-1956"]
    assert isinstance(decl, Document)
    assert "pledged to consider" in decl.islands.note and "TASS" in decl.islands.note
    assert any("STILL AT WAR!" in c.detail and "overstates" in c.detail for c in decl.claims)


def test_dates_the_articles_do_not_print_are_marked_inferred(real_facts):
    moscow = real_facts["event-moscow-consultations-2019"]
    assert isinstance(moscow, Event)
    assert moscow.date == FactDate("2019-01", True, moscow.date.basis)
    assert "Monday" in moscow.date.basis
    printed = {"event-declaration-1956", "event-nagato-talks-2016", "event-2plus2-press-2017"}
    for fact in real_facts.values():
        if isinstance(fact, Event) and fact.date is not None:
            assert fact.date.inferred == (fact.id not in printed), fact.id
            assert fact.date.basis or fact.id == "event-declaration-1956"


def test_schema_follows_the_loader():
    schema = json.loads((REAL_BANK / "schema" / "facts.schema.json").read_text(encoding="utf-8"))
    for kind, (required, optional) in KIND_FIELDS.items():
        record = schema["$defs"][kind]
        assert set(record["required"]) == {"id", "kind", *required}
        assert set(record["properties"]) == {"id", "kind", "note", *required, *optional}


# -- dates -------------------------------------------------------------------------

def test_fact_dates():
    assert FactDate("2016-12-15").label() == "15 December 2016"
    assert FactDate("2016-12-15").label("month") == "December 2016"
    assert FactDate("2016-12").label("day") is None
    assert FactDate("2016-09/2016-12").label() == "between September and December 2016"
    assert FactDate("2016-09/2016-12").label("month") is None
    assert FactDate("2016-09/2016-12").overlaps(FactDate("2016-12-15"))
    assert not FactDate("2016-09").overlaps(FactDate("2016-10-01"))
    assert FactDate("2016-02-30").problem() == (
        "expected a date YYYY, YYYY-MM, YYYY-MM-DD or START/END, found '2016-02-30'")
    assert FactDate("2017/2016").problem() == (
        "expected a range of two dates of the same form, earliest first, found '2017/2016'")


# -- problems are reported, all of them, with places -------------------------------

def test_record_problems_are_all_reported_exactly(tmp_path: Path):
    (tmp_path / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (tmp_path / "facts.yaml").write_text(textwrap.dedent("""\
        facts:
          - id: person-a
            kind: person
            name: Ann Arbor
            country: Utopia
            spellings:
              - {name: Anne Arbor, source: harbour}
            roles:
              - role: Mayor
                at: event-meting
                citations:
                  - source: harbour
                    quote: The mayor Ann Arbor spoke.
            citations:
              - source: harbour
                quote: Ann Arbor
          - id: event-meeting
            kind: evnt
          - id: place-q
            kind: place
            name: Q
            type: city
            citations:
              - {source: harbur, quote: Q}
          - id: island-x
            kind: island
            names: {english: Xland, russian: Иксленд, japanese: 島}
            not_in_articles: [japanese]
            citations:
              - source: harbour
                quote: the island of Wyland
          - id: event-b
            kind: event
            label: B
            name: b
            summary: B happened.
            date: {value: "2029-10", inferred: true}
            place: island-x
            unplaced: B happened
            citations:
              - source: harbour
                quote: B happened
          - id: event-b
            kind: place
            name: Harbourton
            type: City
            citations:
              - source: harbour
                quote: Harbourton is far
        """), encoding="utf-8")
    _, diagnostics = load_facts(tmp_path)
    shown = [str(d).replace(str(tmp_path / "facts.yaml"), "facts.yaml").replace("facts.yaml", "F")
             for d in sort_diagnostics(diagnostics)]
    assert shown == [
        "F:7:9: error: facts[0].spellings[0]: expected a quote from harbour containing 'Anne Arbor', found none",
        "F:10:13: error: facts[0].roles[0].at: expected the id of an event fact, found 'event-meting' "
        "(did you mean 'event-meeting'?)",
        "F:18:11: error: facts[1].kind: expected one of person, event, place, island, island_group, document; "
        "found 'evnt' (did you mean 'event'?)",
        "F:24:18: error: facts[2].citations[0].source: expected a source id from sources.yaml, "
        "found 'harbur' (did you mean 'harbour'?)",
        "F:27:22: error: facts[3].names.english: expected 'Xland' to appear in one of the record's quotes, found it "
        "in none (cite it, or list it under not_in_articles)",
        "F:27:38: error: facts[3].names.russian: expected 'Иксленд' to appear in one of the record's quotes, "
        "found it in none (cite it, or list it under not_in_articles)",
        "F:37:11: error: facts[4].date: expected 'basis' (how the date was inferred) on an inferred date, found none",
        "F:38:12: error: facts[4].place: expected the id of a place fact, found 'island-x', which is an island",
        "F:43:9: error: facts[5].id: expected a unique fact id, found 'event-b' again (first defined at F:32:9)",
        "F:46:11: error: facts[5].type: expected a place type of lower-case letters, digits and '-', found 'City'",
    ]


def test_unnamed_and_unplaced_must_hide_the_answer(tmp_path: Path):
    _, shown = load(tmp_path, """
        facts:
          - id: person-a
            kind: person
            name: Ann Arbor
            country: Utopia
            spellings: [{name: Ann Arbor, source: harbour}]
            roles:
              - role: Mayor
                at: event-a
                citations: [{source: harbour, quote: Mayor Ann Arbor}]
            citations: [{source: harbour, quote: Ann Arbor}]
          - id: event-a
            kind: event
            label: Arbor opens the port
            name: the opening of the port
            unnamed: the opening of the port by Arbor
            unplaced: the port was opened in Portville
            summary: The port opened.
            date: {value: "2029-10-01"}
            place: place-p
            citations: [{source: harbour, quote: the port opened}]
          - id: place-p
            kind: place
            name: Portville
            type: city
            citations: [{source: harbour, quote: in Portville}]
        """)
    assert shown == [
        "facts.yaml:16:14: error: facts[1].unnamed: expected the event without the names of the people holding "
        "offices at it, found 'Arbor'",
        "facts.yaml:17:15: error: facts[1].unplaced: expected the event without its place, found 'Portville' in it",
    ]


def test_missing_file(tmp_path: Path):
    facts, diagnostics = load_facts(tmp_path)
    assert facts == () and [d.message for d in diagnostics] == ["expected the facts database here, found no file"]
