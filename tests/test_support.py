"""Support: every key stated by its citations, or the question says it is not."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write
from quizgen.bank.load import load_bank
from quizgen.bank.support import (
    Date,
    check_support,
    content_words,
    found_in,
    gaps,
    tokens,
)
from quizgen.cli import cli
from quizgen.model import Citation, Question, Source, Support

SOURCE = Source("gazette", "harbour.txt", "0" * 64, "The Test Gazette", "Harbour Talks Resume",
                published="2029-10-15")


def q(qtype: str = "mcq", *, answer: str = "", quotes: tuple[str, ...] = (), **kw) -> Question:
    kw.setdefault("options", (answer, "Elsewhere", "Nowhere") if qtype == "mcq" else ())
    return Question(id="q", type=qtype, topic="t", prompt=kw.pop("prompt", "Which?"), answer=answer,
                    explanation="", citations=tuple(Citation("gazette", text) for text in quotes), **kw)


def stated(question: Question) -> bool:
    return not gaps(question, {"gazette": SOURCE})


# -- normalisation -------------------------------------------------------------------

@pytest.mark.parametrize("key, quote", [
    ("portville", "They met in PORTVILLE."),  # case
    ("met in  Portville", "met\u00a0in\nPortville"),  # whitespace, no-break space
    ("the \u201cneighbouring\u201d ministers", 'the "neighbouring" ministers'),  # curly quotes
    ("north-south talks", "north\u2013south talks"),  # dashes
    ("two visits", "2 visits"),  # number words and digits
    ("70 years", "more than seventy years"),
    ("three", "a three-hour conversation"),
    ("Putin", "Putin's visit"),  # a possessive of the text
    ("The harbour", "a harbour talk"),  # a leading article of the key
])
def test_forgiven_differences(key, quote):
    assert stated(q(answer=key, quotes=(quote,)))


@pytest.mark.parametrize("key, quote", [
    ("defence", "the defense ministers"),  # spelling is not forgiven
    ("three hours", "a three-hour conversation"),  # nor plurals
    ("once a treaty had been signed", "after a treaty was signed"),  # nor paraphrase
    ("Portville harbour", "harbour of Portville"),  # nor word order
])
def test_differences_that_are_not_forgiven(key, quote):
    assert not stated(q(answer=key, quotes=(quote,)))


@pytest.mark.parametrize("text", ["15 December", "December 15", "December 15th", "15.12.2029",
                                  "2029-12-15", "December 15, 2029", "15 December 2029"])
def test_each_date_form_is_one_date(text):
    (date,) = [t for t in tokens(text) if isinstance(t, Date)]
    assert (date.month, date.day) == (12, 15)
    assert date.year in (None, 2029)


@pytest.mark.parametrize("key, text, ok", [
    ("15 December", "Putin arrives on December 15", True),
    ("December 15", "2029-12-15", True),  # less precise than printed: stated
    ("2029-12-15", "on December 15", False),  # more precise than printed: not stated
    ("December", "21:38 15.12.2029", True),
    ("2029", "21:38 15.12.2029", True),
    ("2030", "21:38 15.12.2029", False),
    ("November 14", "On November 14, they met", True),
    ("14 November 2018", "On November 14, they met", False),
    ("Monday", "The Monday meeting", True),
])
def test_dates_at_the_precision_printed(key, text, ok):
    assert stated(q(answer=key, quotes=(text,))) is ok


def test_may_the_verb_is_not_a_month():
    assert not [t for t in tokens("an agreement that may happen") if isinstance(t, Date)]


def test_printed_metadata_counts_as_stated():
    # headline, outlet and the printed date of a cited source
    assert stated(q(answer="Harbour Talks Resume", quotes=("unrelated words",)))
    assert stated(q(answer="The Test Gazette", quotes=("unrelated words",)))
    assert stated(q(answer="October 2029", quotes=("unrelated words",)))


def test_a_listed_key_is_stated_part_by_part():
    quote = ("to give Shikotan and Habomai to Japan",)
    assert stated(q("short_answer", answer="Shikotan and Habomai", accept=("Habomai and Shikotan",), quotes=quote))
    assert not stated(q("short_answer", answer="Shikotan and Iturup", quotes=quote))


def test_every_key_of_each_type_is_checked():
    quote = ("The ministers met in Portville on Monday and will meet again in 2030.",)
    assert [g.path for g in gaps(q("short_answer", answer="Portville", accept=("Port Ville", "2030"),
                                   quotes=quote), {})] == ["accept[0]"]
    cloze = q("cloze", prompt="They met in [[Portville]] on [[Tuesday]].", quotes=quote)
    assert [(g.path, g.key) for g in gaps(cloze, {})] == [("prompt", "Tuesday")]
    matching = q("matching", pairs=(("Where the Mayor met", "Portville"), ("When", "2031")), quotes=quote)
    assert [g.path for g in gaps(matching, {})] == ["pairs[0].left", "pairs[1].right"]


def test_true_false_needs_the_statements_names_numbers_and_dates():
    # the rule: numbers and dates written in digits, and capitalised names other
    # than sentence openers, must each be found in the citations
    assert content_words("According to Kishida, the two sides met in Moscow in 2016.") == [
        Date(2016), "kishida", "moscow"]
    quote = ("Kishida met Lavrov in Moscow.",)
    assert stated(q("true_false", prompt="Kishida did not meet Lavrov in Moscow.", quotes=quote))
    assert not stated(q("true_false", prompt="Kishida met Lavrov in Tokyo in 2016.", quotes=quote))


def test_a_false_statement_may_change_what_its_quote_says():
    # "Tokyo" for Moscow is what makes it false: only the rest must be in the quote
    quote = ("Kishida met Lavrov in Moscow.",)
    assert stated(q("true_false", answer="False", prompt="Kishida met Lavrov in Tokyo.", quotes=quote))
    # ...but a statement about nothing the quote mentions is not tied to it
    unrelated = q("true_false", answer="False", prompt="The lab was in Cambridge in 1928.", quotes=quote)
    assert [(g.path, g.missing) for g in gaps(unrelated, {})] == [("prompt", ("1928", "cambridge"))]
    # a true statement still needs every one of them
    assert not stated(q("true_false", answer="True", prompt="Kishida met Lavrov in Tokyo.", quotes=quote))


def test_ordering_needs_a_rising_printed_year_per_item():
    quotes = ("In 1956 a declaration was signed.", "The visit had been postponed since 2014.")
    assert stated(q("ordering", items=("A declaration is signed", "The visit is postponed", ), quotes=quotes))
    backwards = q("ordering", items=("The visit is postponed", "A declaration is signed"), quotes=quotes)
    assert [g.path for g in gaps(backwards, {})] == ["items[1]"]
    undated = q("ordering", items=("A declaration is signed", "The ministers meet in Moscow"), quotes=quotes
                + ("The Monday meeting in Moscow",))
    assert [g.why for g in gaps(undated, {})] == ["none in the cited quote about it"]


def test_found_in_is_a_contiguous_run():
    assert found_in(tokens("met in Portville"), tokens("they met in Portville today"))
    assert not found_in(tokens("met Portville"), tokens("they met in Portville today"))


# -- validation ------------------------------------------------------------------------

BAD_KEY = """
    questions:
      - id: where-met
        type: mcq
        topic: meetings
        tags: [portville]
        difficulty: easy
        prompt: Where did the ministers meet?
        options: [Harbourton, Portville, Lakeside]
        answer: Harbourton
        explanation: They met in Portville.
        citations:
          - source: harbour
            quote: The two "neighbouring" ministers met in Portville on Monday morning.
      - id: when-again
        type: cloze
        topic: dates
        tags: [plans]
        difficulty: easy
        prompt: >-
          They agreed to meet again in [[2030]], after the
          [[harvest festival]] on [[Friday]].
        explanation: Invented.
        citations:
          - source: harbour
            quote: meet again in 2030 - after the harvest festival
    """


def test_a_key_not_in_its_quote_is_an_error_at_the_key(mini_bank: Path):
    path = write(mini_bank / "curated" / "basics.yaml", BAD_KEY)
    bank, diagnostics = load_bank(mini_bank)
    assert bank is None
    hint = " (or mark the question support: {status: inferred|outside, reason: ...})"
    where = "in a cited quote or the cited source's headline, outlet or printed date"
    assert [str(d) for d in diagnostics] == [
        f"{path}:9:13: error: questions[0].answer: expected 'Harbourton' {where}, found no 'harbourton'{hint}",
        f"{path}:21:31: error: questions[1].prompt: expected 'Friday' {where}, found no 'friday'{hint}",
    ]


def test_validate_prints_the_error_and_exits_1(mini_bank: Path):
    write(mini_bank / "curated" / "basics.yaml", BAD_KEY)
    result = CliRunner().invoke(cli, ["validate", str(mini_bank)])
    assert result.exit_code == 1
    assert "questions[0].answer: expected 'Harbourton'" in result.output
    assert "Traceback" not in result.output


def _marked(status: str, reason: str = "Not in the article: a guess.") -> str:
    return BAD_KEY.replace("        explanation: They met in Portville.",
                           f"        support: {{status: {status}, reason: \"{reason}\"}}\n"
                           "        explanation: They met in Portville.").replace(
        "[[Friday]]", "Friday")


@pytest.mark.parametrize("status", ["inferred", "outside"])
def test_inferred_and_outside_marks_are_accepted(mini_bank: Path, status: str):
    write(mini_bank / "curated" / "basics.yaml", _marked(status))
    bank, diagnostics = load_bank(mini_bank)
    assert diagnostics == []
    assert bank.question("where-met").support == Support(status, "Not in the article: a guess.",
                                                         bank.question("where-met").support.loc)
    assert bank.question("when-again").support.status == "quoted"


def test_a_mark_without_a_reason_is_an_error(mini_bank: Path):
    path = write(mini_bank / "curated" / "basics.yaml", _marked("inferred").replace(
        ', reason: "Not in the article: a guess."', ""))
    bank, diagnostics = load_bank(mini_bank)
    assert bank is None
    assert [str(d) for d in diagnostics] == [
        f"{path}:10:14: error: questions[0].support.reason: expected a reason for students with status "
        "'inferred', found none"]


def test_generated_questions_are_held_to_the_same_check(mini_bank: Path):
    generated = BAD_KEY.replace("        explanation: They met in Portville.",
                                "        origin: generated\n        template: t\n        facts: [f]\n"
                                "        explanation: They met in Portville.").replace("[[Friday]]", "Friday")
    write(mini_bank / "generated" / "basics.yaml", generated)
    (mini_bank / "curated" / "basics.yaml").unlink()
    _, diagnostics = load_bank(mini_bank)
    support = [d for d in diagnostics if d.path.endswith(".answer")]
    assert [d.severity for d in support] == ["error"]


def test_check_support_skips_marked_questions():
    marked = q(answer="Harbourton", quotes=("met in Portville",), support=Support("inferred", "why"))
    assert check_support([marked], [SOURCE]) == []
    assert len(check_support([q(answer="Harbourton", quotes=("met in Portville",))], [SOURCE])) == 1


# -- shown in list and export; outside kept out of the default outputs ----------------------

def _outside_bank(mini_bank: Path, include: bool = False) -> Path:
    write(mini_bank / "curated" / "basics.yaml", _marked("outside"))
    if include:
        config = mini_bank / "bank.yaml"
        config.write_text(config.read_text() + "include_outside: true\n")
    write(mini_bank / "sets" / "all.yaml", """
        set:
          name: all
          title: Everything
        """)
    return mini_bank


def test_list_shows_the_status_and_the_counts(mini_bank: Path):
    result = CliRunner().invoke(cli, ["list", "--bank", str(_outside_bank(mini_bank))])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[4] == "support"
    assert [line.split()[4] for line in lines[2:-1]] == ["outside", "quoted"]
    assert lines[-1] == "2 of 2 questions; support: 1 quoted, 0 inferred, 1 outside"


def test_export_carries_the_support(mini_bank: Path):
    result = CliRunner().invoke(cli, ["export", "--bank", str(_outside_bank(mini_bank))])
    doc = json.loads(result.stdout)
    assert [q["support"] for q in doc["questions"]] == [
        {"status": "outside", "reason": "Not in the article: a guess."}, {"status": "quoted", "reason": ""}]


def _deck_question_ids(apkg: Path) -> set[str]:
    import sqlite3
    import tempfile

    with zipfile.ZipFile(apkg) as z, tempfile.TemporaryDirectory() as tmp:
        name = "collection.anki21" if "collection.anki21" in z.namelist() else "collection.anki2"
        z.extract(name, tmp)
        con = sqlite3.connect(Path(tmp) / name)
        try:
            fields = [row[0] for row in con.execute("select flds from notes")]
        finally:
            con.close()
    return {f.split("\x1f")[-1] for f in fields}


@pytest.mark.parametrize("include", [False, True])
def test_outside_questions_stay_out_of_deck_and_sets_unless_opted_in(mini_bank: Path, tmp_path: Path,
                                                                      include: bool):
    from pypdf import PdfReader

    from quizgen.build import build

    result = build(_outside_bank(mini_bank, include), tmp_path / "out")
    apkg = next(p for p in result.written if p.suffix == ".apkg")
    ids = _deck_question_ids(apkg)
    assert ("where-met" in ids) is include and "when-again" in ids
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "out" / "all.pdf").pages)
    assert ("Where did the ministers meet?" in text) is include


def test_schemas_know_the_support_keys():
    from conftest import REAL_BANK
    from quizgen.model import SUPPORT_STATUSES

    schema = lambda name: json.loads((REAL_BANK / "schema" / name).read_text(encoding="utf-8"))  # noqa: E731
    assert schema("questions.schema.json")["$defs"]["support"]["properties"]["status"]["enum"] == list(
        SUPPORT_STATUSES)
    assert schema("bank.schema.json")["properties"]["include_outside"]["type"] == "boolean"
    source = schema("sources.schema.json")["properties"]["sources"]["items"]
    assert source["properties"]["exclude"]["items"]["required"] == ["text", "reason"]


def test_include_outside_must_be_a_boolean(mini_bank: Path):
    config = mini_bank / "bank.yaml"
    config.write_text(config.read_text() + "include_outside: sometimes\n")
    bank, diagnostics = load_bank(mini_bank)
    assert bank is None
    assert [str(d) for d in diagnostics] == [
        f"{config}:4:18: error: include_outside: expected true or false, found a string 'sometimes'"]


# -- years BC, spans, approximate years, number forms (the example bank's needs) -------

@pytest.mark.parametrize("text, year, last, approx", [
    ("in 212 BC", -212, None, False),
    ("240 B.C.", -240, None, False),
    ("Around 240 BC he", -240, None, True),
    ("AD 79", 79, None, False),
    ("79 AD", 79, None, False),
    ("around 1440, while", 1440, None, True),
    ("c. 1455", 1455, None, True),
    ("a Latin Bible finished around 1455", 1455, None, True),
    ("in 1377", 1377, None, False),
    ("in the eleventh century", 1000, 1100, False),
    ("the 20th century", 1900, 2000, False),
    ("the twenty-first century", 2000, 2100, False),
    ("the third century BC", -300, -200, False),
    ("in the 1440s", 1440, 1449, False),
])
def test_years_bc_spans_and_approximate_years_are_dates(text, year, last, approx):
    (date,) = [t for t in tokens(text) if isinstance(t, Date)]
    assert (date.year, date.last, date.approx) == (year, last, approx)


def test_a_range_bc_gives_both_years_bc():
    dates = [t for t in tokens("Archimedes of Syracuse (c. 287\u2013212 BC)") if isinstance(t, Date)]
    assert [(d.year, d.approx) for d in dates] == [(-287, True), (-212, False)]


def test_numbers_that_are_not_years_stay_numbers():
    assert [t for t in tokens("Taking that distance as 5,000 stadia") if isinstance(t, Date)] == []
    assert [t for t in tokens("polygons of 96 sides") if isinstance(t, Date)] == []
    assert [t for t in tokens("2016-13-40") if isinstance(t, Date) and t.month] == []  # no month 13


@pytest.mark.parametrize("key, quote, ok", [
    ("212 BC", "Roman soldiers took Syracuse in 212 BC.", True),
    ("212 AD", "Roman soldiers took Syracuse in 212 BC.", False),
    ("around 240 BC", "Around 240 BC he used two cities", True),
    ("11th century", "made type from baked clay in the eleventh century", True),
    ("12th century", "made type from baked clay in the eleventh century", False),
    ("1100", "made type from baked clay in the eleventh century", False),  # a span is not its last year
    ("Sept 1928", "In September 1928 Alexander Fleming came back", True),
    ("Sep. 1928", "In September 1928 Alexander Fleming came back", True),
    ("Oct 1928", "In September 1928 Alexander Fleming came back", False),
    ("forty-two", "It is called the 42-line Bible", True),
    ("forty two", "It is called the 42-line Bible", True),
    ("43", "It is called the forty-two-line Bible", False),
    ("200", "more than two hundred European towns", True),
    ("1/50", "about one fiftieth of a full circle", True),
    ("a fiftieth", "about one fiftieth of a full circle", True),
    ("1/40", "about one fiftieth of a full circle", False),
    ("third round", "a third round of talks", True),  # an ordinal, not a fraction
    ("nobody knows which stadion he used",
     "nobody knows which stadion (στάδιον, the Greek unit of distance) he used", True),  # an aside left out
    ("nobody knows which stadion he measured",
     "nobody knows which stadion (στάδιον, the Greek unit of distance) he used", False),
])
def test_era_span_abbreviation_and_number_forms(key, quote, ok):
    assert stated(q(answer=key, quotes=(quote,))) is ok


CHRONOLOGY = (
    "Around 240 BC he used two cities and the sun to measure the size of the Earth.",
    "He was killed when Roman soldiers took Syracuse in 212 BC.",
    "Bi Sheng made type from baked clay in the eleventh century",
    "a Latin Bible finished around 1455",
    "The first book printed entirely in Greek, a grammar by Constantine Lascaris, appeared in Milan in 1476.",
)
ITEMS = ("Eratosthenes measures the size of the Earth", "Roman soldiers take Syracuse",
         "type is made from baked clay in China", "Gutenberg's Latin Bible is finished",
         "the first book printed entirely in Greek appears")


def test_ordering_reads_years_bc_centuries_and_approximate_years_not_the_dateline():
    # the printed date of the source (2029) must not stand in for a year the quote prints
    assert gaps(q("ordering", items=ITEMS, quotes=CHRONOLOGY), {"gazette": SOURCE}) == []
    swapped = q("ordering", items=(ITEMS[1], ITEMS[0]) + ITEMS[2:], quotes=CHRONOLOGY)
    assert [(g.path, g.why) for g in gaps(swapped, {"gazette": SOURCE})] == [
        ("items[1]", "around 240 BC, which does not come wholly after the item before (212 BC)")]


@pytest.mark.parametrize("first, second, ok", [
    ("In 1435", "Around 1440", False),  # within 5 years of an approximate year: order not stated
    ("In 1434", "Around 1440", True),
    ("Around 1440", "In 1445", False),
    ("Around 1440", "In 1446", True),
    ("Around 1440", "Around 1451", True),
    ("Around 1440", "Around 1450", False),
    ("In the 1440s", "In 1449", False),  # inside the span
    ("In the 1440s", "In 1450", True),
    ("In 250 BC", "In 240 BC", True),  # years BC count down
    ("In 240 BC", "In 250 BC", False),
    ("In 2016", "In December 2016", False),  # the same year, one date finer: order not stated
    ("In November 2016", "In December 2016", True),
])
def test_ordering_compares_what_each_date_may_stand_for(first, second, ok):
    question = q("ordering", items=("the press is built", "the guild meets"),
                 quotes=(f"{first} the press was built.", f"{second} the guild met."))
    assert (gaps(question, {}) == []) is ok


def test_ordering_pairs_an_item_in_the_present_with_its_quote_in_the_past():
    quotes = ("In September 1928 Alexander Fleming came back to his laboratory", "He published his observations in 1929")
    assert stated(q("ordering", items=("Fleming comes back to his laboratory", "Fleming publishes his observations"),
                    quotes=quotes))


def test_a_false_date_needs_the_true_date_printed():
    # "in 2019" is false only if the quote dates the meeting otherwise: no leeway for dates
    quote = ("Kishida met Lavrov in Moscow.",)
    changed_year = q("true_false", answer="False", prompt="Kishida met Lavrov in Moscow in 2019.", quotes=quote)
    assert [g.missing for g in gaps(changed_year, {})] == [("2019",)]
