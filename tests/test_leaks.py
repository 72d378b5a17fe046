"""No leaks within a sheet: selection leaves out a question whose key other
printed text on the sheet gives away, says so, and the printed PDFs of the
shipped bank carry no question's key in another question's text."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from quizgen.model import Citation, Question, QuestionSet
from quizgen.render import RenderOptions
from quizgen.render.pdf import render, set_questions, set_selection
from quizgen.select import selection
from quizgen.render.pdf.typography import curly
from quizgen.select_leaks import contains, header_gives_away, header_texts, normalise, settles, sheet_leaks, words

REAL_BANK = Path(__file__).parents[1] / "questions"
CITE = (Citation("s", "a quote"),)


def q(qid, qtype, prompt, answer="", **kw) -> Question:
    return Question(qid, qtype, "t", prompt, answer, "why", CITE, **kw)


YEAR_CLOZE = q("year", "cloze", "The treaty of [[1888]] ended the border quarrel.", "1888")
CITY = q("city", "short_answer", "In which city did the two mayors sign the border treaty?", "Wolfsberg")
CITY_OPTION = q("city-mcq", "mcq", "Who signed the border treaty for the city?",
                "Anna Moser", options=("Anna Moser", "Wolfsberg", "Karl Brand"))
UNRELATED = q("colour", "mcq", "Which colour is the flag?", "Green", options=("Green", "Red", "Wolfsberg"))
PAIRS = q("posts", "matching", "Match each person to their post.", pairs=(("Anna Moser", "mayor"), ("Karl Brand", "clerk")))
STATEMENT = q("stmt", "true_false", "Anna Moser, the mayor, opened the fair.", "True", options=("True", "False"))


def test_whole_words_and_folded_quotes():
    assert contains(normalise("Kono’s plan"), "Kono's")
    assert not contains(normalise("Abenomics"), "Abe")
    assert contains(normalise("択捉島 is an island"), "択捉")


def test_a_title_that_prints_a_key_keeps_the_question_off_the_sheet():
    qset = QuestionSet("s", "The treaty of 1888", seed=1)
    chosen = selection([YEAR_CLOZE, CITY], qset)
    assert [x.id for x in chosen.questions] == ["city"]
    assert [(leak.question.id, leak.by, leak.key) for leak in chosen.left_out] == [("year", "title", "1888")]


def test_another_questions_option_that_settles_an_open_answer_is_a_leak():
    qset = QuestionSet("s", "Border", seed=1)
    chosen = selection([CITY, CITY_OPTION, UNRELATED], qset)
    # the option "Wolfsberg" sits under a prompt about the same treaty: CITY_OPTION goes.
    # the colour question prints it too, but about something else: it stays.
    assert [x.id for x in chosen.questions] == ["city", "colour"]
    assert chosen.left_out[0].question.id == "city-mcq" and chosen.left_out[0].key == "Wolfsberg"
    assert sheet_leaks(chosen.questions, qset.title) == []


def test_a_pair_printed_together_gives_a_matching_away():
    chosen = selection([PAIRS, STATEMENT], QuestionSet("s", "People", seed=1))
    assert [x.id for x in chosen.questions] == ["posts"]
    assert "Anna Moser → mayor" in chosen.left_out[0].describe()


def test_sampling_takes_another_candidate_instead():
    qset = QuestionSet("s", "The treaty of 1888", count=2, seed=3)
    chosen = selection([YEAR_CLOZE, CITY, UNRELATED], qset)
    assert {x.id for x in chosen.questions} == {"city", "colour"}


def test_the_renderer_reports_what_it_left_out(tmp_path):
    from quizgen.model import Bank, Source

    source = Source("s", "s.txt", "0" * 64, "Herald", "Treaty")
    by_filter = QuestionSet("s", "The treaty of 1888")
    by_id = QuestionSet("t", "The treaty of 1888", ids=(YEAR_CLOZE.id, CITY.id), order="ids")
    for qset, warnings_expected in ((by_filter, 0), (by_id, 1)):
        warned, said = [], []
        render(Bank("b", (source,), (YEAR_CLOZE, CITY), (qset,)), tmp_path / qset.name,
               RenderOptions(warn=warned.append, progress=said.append))
        # a warning only where the set named the question itself; the count always
        assert len(warned) == warnings_expected and all(w.severity == "warning" for w in warned)
        assert all(f"left out of set '{qset.name}'" in str(w) and "1888" in str(w) for w in warned)
        assert any(f"1 question left out" in line and f"{qset.name}.manifest.json" in line for line in said)


def chunks(text: str, questions) -> dict[int, str]:
    """The worksheet text of each question number, read back from the PDF:
    from the line "N. <start of its prompt>" to the next question's."""
    flat = " ".join(text.split())
    starts = []
    at = 0
    for n, question in enumerate(questions, start=1):
        head = f"{n}. " + " ".join(re.sub(r"\[\[.+?\]\]", " ", curly(question.prompt)).split())[:12]
        at = flat.index(head, at)
        starts.append(at)
    ends = starts[1:] + [len(flat)]
    return {n: flat[a:b] for n, (a, b) in enumerate(zip(starts, ends), start=1)}


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    from quizgen.bank.load import load_bank
    from quizgen.select import deliverable

    bank, diagnostics = load_bank(REAL_BANK)
    assert bank is not None, [str(d) for d in diagnostics]
    bank = deliverable(bank)
    out = tmp_path_factory.mktemp("leaks")
    render(bank, out, RenderOptions(timestamp=0, warn=lambda d: None))
    return bank, out


def test_no_printed_sheet_of_the_shipped_bank_gives_a_key_away(real):
    bank, out = real
    for qset in bank.sets:
        questions = set_questions(bank, qset)
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(out / f"{qset.name}.pdf").pages)
        # the timeline exercise follows the last question: not a question's text
        text = text.split(bank.config.label("timeline_task"))[0]
        texts = chunks(text, questions)
        for n, question in enumerate(questions, start=1):
            headings = {bank.config.topic_name(x.topic) for x in questions} if qset.order == "topic" else ()
            for who, header in header_texts(qset.title, qset.instructions or "", tuple(headings)):
                assert header_gives_away(header, question) is None, (qset.name, question.id, who)
            for m, chunk in texts.items():
                if m == n or (question.type == "mcq" and questions[m - 1].type == "mcq"):
                    continue  # an MCQ's options list answers anyway (see select_leaks.gives_away)
                key = settles(question, chunk, words(chunk))
                assert key is None, (qset.name, n, question.id, key, m, chunk[:200])


def test_a_section_heading_that_prints_a_key_keeps_the_question_off(tmp_path):
    from quizgen.model import Bank, BankConfig, Source, Topic

    config = BankConfig(title="B", topics=(Topic("t", "The treaty of 1888"),))
    bank = Bank("b", (Source("s", "s.txt", "0" * 64, "Herald", "Treaty"),), (YEAR_CLOZE, CITY),
                (QuestionSet("s", "Border", order="topic"),), config=config)
    render(bank, tmp_path, RenderOptions())
    assert [q.id for q in set_questions(bank, bank.sets[0])] == ["city"]
    assert "a section heading" in set_selection(bank, bank.sets[0]).left_out[0].describe()


# -- settling without printing a key ------------------------------------------

STMT_TRUE = q("opened", "true_false", "The autumn fair opened in Wolfsberg market square.", "True",
              options=("True", "False"))
STATES_IT = q("who-opened", "mcq", "Who opened the autumn fair in Wolfsberg market square?", "Anna Moser",
              options=("Anna Moser", "Karl Brand"))
STMT_FALSE = Question("closed", "true_false", "t", "Karl Brand opened the autumn fair in Wolfsberg market square.",
                      "False", "Anna Moser opened the autumn fair, not Karl Brand.",
                      (Citation("s", "Anna Moser opened the autumn fair in the market square"),),
                      options=("True", "False"))
CORRECTED = q("order", "ordering", "Put these in order.",
              items=("Anna Moser opens the autumn fair in Wolfsberg market square", "The fair closes"))
SAME_TOPIC = q("weather", "short_answer", "What was the weather at the autumn fair in Wolfsberg market square?", "rain")


def test_a_text_that_states_a_true_statement_settles_it():
    from quizgen.select_leaks import statement_settled

    assert statement_settled(STMT_TRUE, STATES_IT.prompt)
    assert not statement_settled(STMT_TRUE, "The spring fair closed early.")
    chosen = selection([STATES_IT, STMT_TRUE], QuestionSet("s", "Fair", seed=1))
    assert [x.id for x in chosen.questions] == ["who-opened"]
    leak = chosen.left_out[0]
    assert leak.question.id == "opened" and leak.kind == "states" and "who-opened" in leak.describe()
    assert sheet_leaks([STATES_IT, STMT_TRUE])  # the check of a finished sheet finds it too


def test_a_false_statement_is_settled_only_by_its_corrected_form():
    from quizgen.select_leaks import statement_settled

    assert statement_settled(STMT_FALSE, CORRECTED.items[0])  # the right part and the right name
    assert not statement_settled(STMT_FALSE, SAME_TOPIC.prompt)  # the same event, no name in its place
    kept = selection([SAME_TOPIC, STMT_FALSE], QuestionSet("s", "Fair", seed=1)).questions
    assert [x.id for x in kept] == ["weather", "closed"]
    chosen = selection([STMT_FALSE, CORRECTED], QuestionSet("s", "Fair", seed=1))
    assert [x.id for x in chosen.questions] == ["closed"]  # the ordering would state the correction
    assert chosen.left_out[0].kind == "settles"


SPELLING = Question("spelt", "true_false", "t", "The two papers write the clerk's first name alike.", "False",
                    "One writes \"Katarina\", the other \"Katharina\".",
                    (Citation("a", "clerk Katarina Brand"), Citation("b", "clerk Katharina Brand")),
                    options=("True", "False"))
ONE = q("one", "short_answer", "Which clerk signed first?", "Katarina Brand")
OTHER = q("other", "mcq", "Who kept the minutes?", "Katharina Brand", options=("Katharina Brand", "Anna Moser"))


def test_a_sheet_printing_both_spellings_settles_the_question_about_them():
    from quizgen.select_leaks import spellings

    assert spellings(SPELLING) == (("Katarina", "Katharina"),)
    assert spellings(q("x", "true_false", "y", "True", options=("True", "False"))) == ()
    assert spellings(ONE) == ()  # no quotes from two sources
    one_spelling = selection([SPELLING, OTHER], QuestionSet("s", "Clerks", seed=1)).questions
    assert [x.id for x in one_spelling] == ["spelt", "other"]  # one spelling settles nothing
    chosen = selection([SPELLING, OTHER, q("third", "short_answer", "Who wrote to Katarina?", "Anna Moser")],
                       QuestionSet("s", "Clerks", seed=1))
    assert [x.id for x in chosen.questions] == ["spelt", "other"]
    assert chosen.left_out[0].kind == "completes" and "'Katarina' and 'Katharina'" in chosen.left_out[0].describe()
    assert [leak.kind for leak in sheet_leaks([SPELLING, OTHER, ONE.__class__(**{**_fields(ONE), "prompt": "Katarina?"})])] == ["spelling"]


def _fields(question):
    from dataclasses import fields

    return {f.name: getattr(question, f.name) for f in fields(question)}


def test_inflections_are_not_spellings():
    question = Question("k", "true_false", "t", "The isles are named alike.", "True", "w",
                        (Citation("a", "the Kuril Islands of Russia"), Citation("b", "the Kurils, Russian waters")),
                        options=("True", "False"))
    from quizgen.select_leaks import spellings

    assert spellings(question) == ()


def test_no_shipped_sheet_prints_both_spellings_a_question_on_it_asks_about(real):
    from quizgen.select_leaks import spellings

    bank, out = real
    for qset in bank.sets:
        questions = set_questions(bank, qset)
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(out / f"{qset.name}.pdf").pages)
        for question in questions:
            for a, b in spellings(question):
                assert not (re.search(rf"\b{a}\b", text) and re.search(rf"\b{b}\b", text)), (qset.name, question.id)


def test_no_shipped_sheet_states_one_of_its_true_false_statements(real):
    from quizgen.select_leaks import printed, statement_settled

    bank, _ = real
    for qset in bank.sets:
        questions = set_questions(bank, qset)
        for question in questions:
            for other in questions:
                if other is not question:
                    assert not any(statement_settled(question, t) for t in printed(other)), (qset.name, question.id, other.id)


def test_validate_says_what_each_sets_sheets_leave_out():
    from click.testing import CliRunner

    from quizgen.cli import cli

    plain = CliRunner().invoke(cli, ["validate", str(REAL_BANK)])
    assert plain.exit_code == 0, plain.output
    lines = plain.output.splitlines()
    summary = [line for line in lines if line.startswith("set 'whos-who':")]
    assert len(summary) == 1 and "left out" in summary[0]
    assert not any(line.startswith("  ") for line in lines)  # no set of the shipped bank names ids
    verbose = CliRunner().invoke(cli, ["validate", "--verbose", str(REAL_BANK)]).output.splitlines()
    listed = verbose[verbose.index(summary[0]) + 1:]
    assert listed and listed[0].startswith("  ") and "actors-" in listed[0] and "question '" in listed[0]


def test_the_summary_lists_each_question_of_an_ids_set_without_verbose():
    from quizgen.model import Bank, Source
    from quizgen.select import left_out_summary

    source = Source("s", "s.txt", "0" * 64, "Herald", "Treaty")
    by_id = QuestionSet("t", "The treaty of 1888", ids=(YEAR_CLOZE.id, CITY.id), order="ids")
    by_filter = QuestionSet("f", "The treaty of 1888")
    lines = left_out_summary(Bank("b", (source,), (YEAR_CLOZE, CITY), (by_id, by_filter)))
    assert lines == ["set 't': prints 1 of 2 matching questions; 1 left out (another printed text would give their "
                     "answer away)",
                     "  year: its key '1888' is printed in the set's title: \"The treaty of 1888\"",
                     "set 'f': prints 1 of 2 matching questions; 1 left out (another printed text would give their "
                     "answer away)"]


def test_student_sheets_mark_inferred_answers_instead_of_saying_inferred(real):
    """No "(inferred)" in a printed prompt; a dagger after each question whose
    answer the articles imply, explained once in the instructions."""
    bank, out = real
    mark, note = bank.config.label("inferred_mark"), bank.config.label("inferred_note")
    marked_any = False
    for qset in bank.sets:
        questions = set_questions(bank, qset)
        flat = " ".join("\n".join(p.extract_text() for p in pypdf.PdfReader(out / f"{qset.name}.pdf").pages).split())
        assert "(inferred)" not in flat, qset.name
        inferred = [x for x in questions if x.support.status == "inferred"]
        assert (note in flat) == bool(inferred), qset.name
        assert flat.count(mark) == len(inferred) + (1 if inferred else 0), qset.name
        marked_any = marked_any or bool(inferred)
        key = " ".join("\n".join(p.extract_text() for p in pypdf.PdfReader(out / f"{qset.name}-key.pdf").pages).split())
        for x in inferred:  # the key still gives the reason in full
            assert curly(" ".join(x.support.reason.split()))[:30] in key, (qset.name, x.id)
    assert marked_any


def test_a_claim_about_the_sources_is_not_settled_by_a_text_on_the_same_subject():
    from quizgen.select_leaks import statement_settled

    claim = Question("alike", "true_false", "t", "Both papers spell the mayor's first name the same way in print.", "False",
                     "One writes Katarina, the other Katharina.",
                     (Citation("a", "the mayor's first name, Katarina"), Citation("b", "mayor Katharina Brand")),
                     options=("True", "False"))
    assert not statement_settled(claim, "Which first name does the Herald give the mayor, Katharina Brand?")


def test_validate_does_not_check_a_huge_set_for_leaks(monkeypatch):
    import quizgen.select as select_module
    from quizgen.model import Bank, Source

    monkeypatch.setattr(select_module, "SUMMARY_LIMIT", 1)
    source = Source("s", "s.txt", "0" * 64, "Herald", "Treaty")
    lines = select_module.left_out_summary(Bank("b", (source,), (YEAR_CLOZE, CITY), (QuestionSet("f", "1888"),)))
    assert lines == ["set 'f': 2 matching questions, more than validate checks for leaks (1); "
                     "`quizgen pdf f` reports what it leaves out"]
