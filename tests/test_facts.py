"""The facts database and its kinds: the real one is clean, verbatim and
honest about what the articles do not say; a made-up bank on another subject
loads through the same code; bad kinds and records are reported at
file:line:col, once each."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from conftest import REAL_BANK, REAL_CORPUS
from inventions import FACTS, KINDS, write_bank
from quizgen.bank.facts import load_facts
from quizgen.bank.kinds import FIELD_KEYS, load_kinds
from quizgen.bank.sources import normalize
from quizgen.errors import sort_diagnostics
from quizgen.model import FIELD_TYPES, Claim, FactDate, Name, Point


@pytest.fixture(scope="module")
def real_facts():
    facts, diagnostics = load_facts(REAL_BANK)
    assert diagnostics == []
    return {f.id: f for f in facts}


def load(tmp_path: Path, facts_yaml: str, kinds_yaml: str = KINDS) -> tuple[dict, list[str]]:
    write_bank(tmp_path, textwrap.dedent(facts_yaml).lstrip("\n"), kinds_yaml)
    facts, diagnostics = load_facts(tmp_path)
    shown = [str(d).replace(str(tmp_path) + "/", "") for d in sort_diagnostics(diagnostics)]
    return {f.id: f for f in facts}, shown


# -- the real database ------------------------------------------------------------

def test_every_declared_kind_is_used(real_facts):
    kinds, diagnostics, _ = load_kinds(REAL_BANK)
    assert diagnostics == []
    assert {f.kind for f in real_facts.values()} == set(kinds)


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


def test_added_names_really_are_not_in_the_articles(real_facts):
    texts = corpus_texts()
    everything = " ".join(whole for whole, _ in texts.values())
    names = [(f.id, n) for f in real_facts.values() for v in f.values.values() if isinstance(v, dict)
             for n in v.values() if isinstance(n, Name)]
    assert len(names) >= 16
    for fid, name in names:
        assert (name.text in everything) == name.in_sources, (fid, name)


def test_disagreements_stay_visible(real_facts):
    lavrov = real_facts["person-lavrov"]
    assert {s.name for s in lavrov.spellings} == {"Sergei Lavrov", "Sergey Lavrov"}
    assert "Sergei" in lavrov.note and "Sergey" in lavrov.note
    for event_id in ("event-eef-2016", "event-eef-proposal-2018"):
        note = real_facts[event_id].note
        assert "Eastern Economic Forum" in note and "Economic Forum of the East (EEF)" in note
    decl = real_facts["document-joint-declaration-1956"]
    assert "pledged to consider" in decl.get("islands").note and "TASS" in decl.get("islands").note
    assert any("STILL AT WAR!" in c.detail and "overstates" in c.detail for c in decl.get("claims"))


def test_dates_the_articles_do_not_print_are_marked_inferred(real_facts):
    moscow = real_facts["event-moscow-consultations-2019"].get("date")
    assert moscow.inferred and "Monday" in moscow.basis
    printed = {"event-declaration-1956", "event-nagato-talks-2016", "event-2plus2-press-2017"}
    for fact in real_facts.values():
        date = fact.get("date")
        if fact.kind == "event" and date is not None:
            assert date.inferred == (fact.id not in printed), fact.id
            assert date.basis or fact.id == "event-declaration-1956"


def test_schemas_follow_the_loader():
    kinds = json.loads((REAL_BANK / "schema" / "kinds.schema.json").read_text(encoding="utf-8"))
    field = kinds["$defs"]["field"]["oneOf"]
    assert field[0]["enum"] == [t for t in FIELD_TYPES if t not in ("ref", "refs", "roles")]
    assert set(field[1]["properties"]) == set(FIELD_KEYS)
    assert field[1]["properties"]["type"]["enum"] == list(FIELD_TYPES)
    facts = json.loads((REAL_BANK / "schema" / "facts.schema.json").read_text(encoding="utf-8"))
    record = facts["$defs"]["record"]
    assert set(record["required"]) == {"id", "kind", "citations"}
    assert {"id", "kind", "note", "citations", "spellings"} <= set(record["properties"])


# -- dates -------------------------------------------------------------------------

def test_fact_dates():
    assert FactDate("2016-12-15").label() == "15 December 2016"
    assert FactDate("2016-12-15").label("month") == "December 2016"
    assert FactDate("2016-12").label("day") is None
    assert FactDate("2016-09/2016-12").label() == "between September and December 2016"
    assert FactDate("2016-09/2016-12").label("month") is None
    assert FactDate("2016-09/2016-12").overlaps(FactDate("2016-12-15"))
    assert not FactDate("2016-09").overlaps(FactDate("2016-10-01"))
    assert FactDate("2016-02-29").problem() is None


def test_any_year_bc_and_approximate():
    assert FactDate("-44").label() == "44 BC"
    assert FactDate("-44-03-15").label() == "15 March 44 BC"
    assert FactDate("-44-03-15").label("month") == "March 44 BC"
    assert FactDate("0800").label() == "800" and FactDate("800").token() == "0800"
    assert FactDate("-3000/-2500").label() == "between 3000 BC and 2500 BC"
    assert FactDate("-1").bounds[1] < FactDate("1").bounds[0]  # 1 BC comes right before AD 1
    assert FactDate("-45").bounds[1] < FactDate("-44").bounds[0]
    approx = FactDate("~1440")
    assert approx.problem() is None and approx.label() == "around 1440"
    assert approx.precision == "approximate" and not approx.exact and approx.token() is None
    assert approx.label("year") is None  # never shown as an exact year
    assert FactDate("1440/1450").label() == "between 1440 and 1450"
    assert FactDate("-4-02-29").problem() is not None  # 4 BC is astronomical -3: no leap year
    assert FactDate("-5-02-29").problem() is None  # 5 BC = astronomical -4, a leap year


@pytest.mark.parametrize("value, problem", [
    ("2016-02-30", "expected a day that exists in the calendar, found '2016-02-30' (February 2016 has 29 days)"),
    ("2015-02-29", "expected a day that exists in the calendar, found '2015-02-29' (February 2015 has 28 days)"),
    ("0000-00-00", "expected a year other than 0 (1 BC is -1, AD 1 is 1), found '0000-00-00'"),
    ("2016-13", "expected a month from 01 to 12, found '2016-13'"),
    ("2017/2016", "expected the earlier date first in a range, found '2017/2016'"),
    ("2016/2016-05", "expected both ends of a range in the same form, found '2016/2016-05'"),
    ("~1440-02", "expected an approximate year ~YYYY, found '~1440-02'"),
    ("44 BC", "expected a date YYYY, YYYY-MM, YYYY-MM-DD, ~YYYY or START/END (a year BC as -YYYY), found '44 BC'"),
])
def test_bad_dates(value: str, problem: str):
    assert FactDate(value).problem() == problem


# -- problems are reported, all of them, with places -------------------------------

def test_a_bank_on_another_subject_loads(tmp_path: Path):
    facts, shown = load(tmp_path, FACTS)
    assert shown == []
    lens = facts["invention-lens"]
    assert lens.kind == "invention" and lens.title == "Lens"
    assert lens.get("names")["german"] == Name("Linse", in_sources=False)
    assert isinstance(lens.get("use"), Point) and isinstance(lens.get("claims")[0], Claim)
    assert facts["event-screw"].get("date").label() == "250 BC"
    # every citation of the record, sub-items included; its own ones apart
    assert len(lens.own_citations) == 1 and len(lens.citations) == 4


def test_record_problems_are_all_reported_exactly(tmp_path: Path):
    _, shown = load(tmp_path, """
        facts:
          - {id: a, kind: gadget, name: X, citations: [{source: notes, quote: X}]}
          - {id: Bad_Id, kind: place, name: Y, type: city, citations: [{source: notes, quote: Y}]}
          - {id: p, kind: place, name: Zed, type: city, colour: red, citations: [{source: nowhere, quote: Zed}]}
          - {id: e, kind: event, name: the fair, place: plase-q, date: "2016-02-30", citations: [{source: notes, quote: q}]}
          - {id: f, kind: event, name: the trial, place: p, date: "0000-00-00", citations: [{source: notes, quote: q}]}
          - {id: g, kind: event, name: the show, date: {value: "2017/2016", inferred: true}, citations: [{source: notes, quote: q}]}
          - {id: h, kind: event, name: "{{ x }}", citations: [{source: notes, quote: q}]}
          - {id: i, kind: invention, name: Lens, names: {english: Lens, german: Linse}, citations: [{source: notes, quote: the Lens}]}
          - {id: i, kind: place, name: Q, type: city, citations: [{source: notes, quote: Q}]}
    """)
    assert shown == [
        "facts.yaml:2:19: error: facts[0].kind: expected one of the kinds of kinds.yaml (person, place, event, "
        "invention); found 'gadget'",
        "facts.yaml:3:10: error: facts[1].id: expected a fact id of lower-case letters, digits and '-', "
        "found 'Bad_Id'",
        "facts.yaml:4:49: error: facts[2].colour: expected one of the keys id, kind, citations, name, type, note; "
        "found unknown key 'colour'",
        "facts.yaml:4:83: error: facts[2].citations[0].source: expected a source id from sources.yaml, "
        "found 'nowhere'",
        "facts.yaml:5:49: error: facts[3].place: expected the id of a place fact, found 'plase-q'",
        "facts.yaml:5:64: error: facts[3].date: expected a day that exists in the calendar, found '2016-02-30' "
        "(February 2016 has 29 days)",
        "facts.yaml:6:59: error: facts[4].date: expected a year other than 0 (1 BC is -1, AD 1 is 1), "
        "found '0000-00-00'",
        "facts.yaml:7:56: error: facts[5].date.value: expected the earlier date first in a range, found '2017/2016'",
        "facts.yaml:8:32: error: facts[6].name: expected plain text, found '{{' "
        "(template and cloze markers are not allowed in facts)",
        "facts.yaml:9:49: error: facts[7].names: expected key 'latin', found none",
        "facts.yaml:10:10: error: facts[8].id: expected a unique fact id, found 'i' again (first defined at "
        "facts.yaml:9:10)",
    ]


def test_one_root_cause_one_message(tmp_path: Path):
    """A broken kind reports itself once: its records are left out quietly and
    references to them are not reported as unknown."""
    kinds = KINDS.replace("type: {type: text, required: true}", "type: {type: txt, required: true}")
    _, shown = load(tmp_path, FACTS, kinds)
    assert shown == ["kinds.yaml:10:20: error: kinds.place.fields.type.type: expected one of text, name, date, "
                     "ref, refs, roles, names, claims, point; found 'txt' (did you mean 'text'?)"]
    (tmp_path / "kinds.yaml").write_text("kinds: [\n", encoding="utf-8")
    _, diagnostics = load_facts(tmp_path)
    assert len(diagnostics) == 1 and "kinds.yaml" in str(diagnostics[0])


def test_kind_problems_are_reported_exactly(tmp_path: Path):
    _, shown = load(tmp_path, "facts:\n  - {id: x, kind: a, citations: [{source: notes, quote: x}]}\n", """
        kinds:
          a:
            title: nme
            fields:
              name: {type: text, required: true, hides: [place]}
              when: datum
              place: {ref: plac}
              both: {type: text, ref: a}
              note: text
              tongues: {type: names, languages: [english]}
              where: {ref: a, related: [name]}
              Bad: text
    """)
    expected = [
        "kinds.yaml:6:13: error: kinds.a.fields.when: expected one of text, name, date, ref, refs, roles, names, "
        "claims, point; found 'datum' (did you mean 'date'?)",
        "kinds.yaml:7:20: error: kinds.a.fields.place.ref: expected the name of a kind declared in this file, "
        "found 'plac'",
        "kinds.yaml:8:13: error: kinds.a.fields.both: expected exactly one of 'type', 'ref' or 'refs', found "
        "'type' and 'ref'",
        "kinds.yaml:9:7: error: kinds.a.fields.note: expected a field name other than id, kind, note, citations "
        "(every record has those), found 'note'",
        "kinds.yaml:10:41: error: kinds.a.fields.tongues.languages: expected at least 2 languages, found 1",
        "kinds.yaml:11:14: error: kinds.a.fields.where.related: expected a refs field, found 'name', which is a "
        "text field",
        "kinds.yaml:12:7: error: kinds.a.fields.Bad: expected a field name of lower-case letters, digits and '_', "
        "found 'Bad'",
    ]
    assert shown == expected


def test_names_and_hidden_words_are_checked(tmp_path: Path):
    facts = FACTS.replace("english: Lens\n", "english: Loupe\n").replace(
        "unnamed: the engine trial\n", "unnamed: the engine trial of Bo Tarn\n").replace(
        "unplaced: the great fair opened\n", "unplaced: the great fair opened in Mainport\n")
    _, shown = load(tmp_path, facts)
    assert [s.split(": error: ")[1] for s in shown] == [
        "facts[12].unplaced: expected no name of the records of its 'place', found 'Mainport'",
        "facts[13].unnamed: expected no name of the records holding a role at it, found 'Bo Tarn'",
        "facts[16].names.english: expected 'Loupe' to appear in one of the record's quotes, found it in none "
        "(cite it, or mark it not_in_sources: true)",
    ]


def test_missing_files(tmp_path: Path):
    facts, diagnostics = load_facts(tmp_path)
    assert facts == ()
    assert [d.message for d in diagnostics] == [
        "expected the kinds of fact record here (kinds.yaml), found no file"]  # not once more for facts


def test_a_reference_must_name_its_kind(tmp_path: Path):
    _, shown = load(tmp_path, "facts:\n  - {id: x, kind: a, name: X, citations: [{source: notes, quote: X}]}\n", """
        kinds:
          a:
            fields:
              name: {type: name, required: true}
              maker: ref
    """)
    assert shown == ["kinds.yaml:5:14: error: kinds.a.fields.maker: expected {ref: KIND} (naming the kind it "
                     "refers to), found only 'ref'"]
