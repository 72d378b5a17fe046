"""Broken files, one class of problem each: the exact message, place and exit code."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from quizgen.bank.load import load_bank
from quizgen.cli import cli

from conftest import write

GOOD = """
  - id: {id}
    type: mcq
    topic: dates
    tags: [x]
    difficulty: easy
    prompt: Which year?
    options: ["2030", "2031", "2032"]
    answer: "2030"
    explanation: Because the article says so.
    citations:
      - source: harbour
        quote: meet again in 2030
"""


def run_validate(bank: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["validate", str(bank)])
    return result.exit_code, result.output.splitlines()


def broken(bank: Path, body: str, name: str = "broken.yaml") -> tuple[int, list[str]]:
    write(bank / "curated" / name, "questions:\n" + body.lstrip("\n"))
    return run_validate(bank)


def test_valid_bank_passes(mini_bank: Path):
    code, lines = run_validate(mini_bank)
    assert (code, lines) == (0, ["ok: 2 questions in 1 files, 1 sources, 0 sets; 2 quotes found verbatim"])


def test_every_problem_reported_at_once(mini_bank: Path):
    body = """
  - id: q1
    type: mcq
    topic: dates
    tags: [x]
    difficulty: easy
    prompt: When?
    options: ["2030", "2031", "2030"]
    answer: "2033"
    explanation: Because.
    citations:
      - source: harbour
        quote: in 2030
  - id: q2
    type: mcq
    topic: dates
    tags: [x]
    difficulty: hard-ish
    prompt: ""
    options: ["2030", "2031"]
    answer: "2030"
    explanaton: Typo key.
    citations:
      - source: harbor
        quote: in 2030
"""
    code, lines = broken(mini_bank, body)
    f = str(mini_bank / "curated" / "broken.yaml")
    assert code == 1
    assert lines == [
        f"{f}:8:31: error: questions[0].options[2]: expected distinct options, found '2030' again (same as item 1)",
        f"{f}:14:5: error: questions[1]: expected key 'explanation', found none",
        f"{f}:18:17: error: questions[1].difficulty: expected one of easy, medium, hard; found 'hard-ish' "
        "(did you mean 'hard'?)",
        f"{f}:19:13: error: questions[1].prompt: expected non-empty text, found an empty string",
        f"{f}:22:5: error: questions[1].explanaton: expected one of the keys id, type, topic, tags, difficulty, "
        "prompt, explanation, citations, options, answer, origin, template, facts, support, points; found unknown key "
        "'explanaton' (did you mean 'explanation'?)",
        f"{f}:24:17: error: questions[1].citations[0].source: expected a source id from sources.yaml, "
        "found 'harbor' (did you mean 'harbour'?)",
        "quizgen: 6 errors; nothing was written",
    ]


def test_answer_not_among_options(mini_bank: Path):
    code, lines = broken(mini_bank, GOOD.format(id="q1").replace('answer: "2030"', 'answer: "1965"'))
    assert code == 1
    assert lines[0] == (f"{mini_bank / 'curated' / 'broken.yaml'}:9:13: error: questions[0].answer: "
                        "expected one of the options, found '1965'")


def test_tags_must_be_a_list(mini_bank: Path):
    code, lines = broken(mini_bank, GOOD.format(id="q1").replace("tags: [x]", "tags: x"))
    assert code == 1
    assert lines[0].endswith(":5:11: error: questions[0].tags: expected a list, found a string 'x'")


def test_true_false_answer_must_be_boolean(mini_bank: Path):
    body = GOOD.format(id="q1").replace("type: mcq", "type: true_false").replace(
        '    options: ["2030", "2031", "2032"]\n', "").replace('answer: "2030"', 'answer: "yes"')
    code, lines = broken(mini_bank, body)
    assert code == 1
    assert lines[0].endswith("questions[0].answer: expected true or false, found a string 'yes'")


def test_misplaced_key_for_type(mini_bank: Path):
    body = GOOD.format(id="q1").replace("type: mcq", "type: short_answer")
    code, lines = broken(mini_bank, body)
    assert code == 1
    assert lines[0].endswith(":8:14: error: questions[0].options: expected no 'options' on a short_answer "
                             "question, found one")


def test_quote_over_thirty_words(mini_bank: Path):
    long_quote = " ".join(["word"] * 31)
    code, lines = broken(mini_bank, GOOD.format(id="q1").replace("meet again in 2030", long_quote))
    assert code == 1
    assert lines[0].endswith(":13:16: error: questions[0].citations[0].quote: expected a quote of at most "
                             "30 words, found 31 words")


def test_empty_citations(mini_bank: Path):
    body = GOOD.format(id="q1").split("    citations:")[0] + "    citations: []\n"
    code, lines = broken(mini_bank, body)
    assert code == 1
    assert lines[0].endswith(":11:16: error: questions[0].citations: expected at least 1 item, found 0")


def test_cloze_needs_a_blank(mini_bank: Path):
    body = """
  - id: c1
    type: cloze
    topic: dates
    tags: [x]
    difficulty: easy
    prompt: No blank here.
    explanation: x
    citations: [{source: harbour, quote: in 2030}]
"""
    code, lines = broken(mini_bank, body)
    assert code == 1
    assert lines[0].endswith(":7:13: error: questions[0].prompt: expected at least one [[blank]] in a cloze "
                             "prompt, found none")


def test_duplicate_ids_across_files(mini_bank: Path):
    write(mini_bank / "curated" / "more.yaml", "questions:\n" + GOOD.format(id="where-met").lstrip("\n"))
    code, lines = run_validate(mini_bank)
    first = mini_bank / "curated" / "basics.yaml"
    assert code == 1
    assert lines[0] == (f"{mini_bank / 'curated' / 'more.yaml'}:2:9: error: id: expected a unique question id, "
                        f"found 'where-met' again (first defined at {first}:2:9)")


def test_duplicate_key_and_python_tag_in_one_run(mini_bank: Path):
    write(mini_bank / "curated" / "dup.yaml", "questions:\n" + GOOD.format(id="d1").lstrip("\n") + "    topic: islands\n")
    write(mini_bank / "curated" / "tag.yaml", "questions: !!python/object/apply:os.system [echo]\n")
    code, lines = run_validate(mini_bank)
    assert code == 1
    assert lines[:2] == [
        f"{mini_bank / 'curated' / 'dup.yaml'}:14:5: error: duplicate key 'topic' (first defined at line 4); "
        "expected each key once per mapping",
        f"{mini_bank / 'curated' / 'tag.yaml'}:1:12: error: expected plain data, found tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' (only standard YAML tags are allowed)",
    ]
    assert lines[-1] == "quizgen: 2 errors; nothing was written"


def test_warnings_do_not_fail(mini_bank: Path):
    body = GOOD.format(id="w1").replace("Which year?", "Was it 2030 or later?").replace(
        '["2030", "2031", "2032"]', '["2030", "2031", "Portville"]')
    code, lines = broken(mini_bank, body)
    f = mini_bank / "curated" / "broken.yaml"
    assert code == 0
    assert lines == [
        f"{f}:7:13: warning: questions[0].prompt: the answer '2030' appears in the prompt; expected it hidden",
        f"{f}:8:14: warning: questions[0].options: expected options of one kind, found a mix (text, year)",
        "ok: 3 questions in 2 files, 1 sources, 0 sets; 3 quotes found verbatim",
    ]


def test_load_bank_returns_none_on_error(mini_bank: Path):
    write(mini_bank / "curated" / "bad.yaml", "questions: [1\n")
    bank, diagnostics = load_bank(mini_bank)
    assert bank is None and diagnostics[0].is_error


def test_source_file_must_stay_inside_corpus(mini_bank: Path):
    text = (mini_bank / "sources.yaml").read_text().replace("file: harbour.txt", "file: ../../etc/passwd")
    (mini_bank / "sources.yaml").write_text(text)
    code, lines = run_validate(mini_bank)
    assert code == 1
    assert lines[0].endswith(":3:11: error: sources[0].file: expected a bare file name inside the corpus "
                             "folder, found '../../etc/passwd'")


def test_real_bank_validates():
    from conftest import REAL_BANK

    bank, diagnostics = load_bank(REAL_BANK)
    assert [str(d) for d in diagnostics if d.is_error] == []
    assert bank is not None and len([q for q in bank.questions if q.origin == "curated"]) >= 60
    assert {q.type for q in bank.questions} >= {"mcq", "true_false", "short_answer", "cloze"}


def test_generated_question_names_missing_template_and_facts(tmp_path: Path):
    import shutil

    from conftest import REAL_BANK

    bank = tmp_path / "questions"
    shutil.copytree(REAL_BANK, bank)
    path = sorted((bank / "generated").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    first_template = next(line for line in text.splitlines() if line.strip().startswith("template: "))
    path.write_text(text.replace(first_template, first_template.split(":")[0] + ": no-such-template", 1),
                    encoding="utf-8")
    code, lines = run_validate(bank)
    assert code == 0
    warnings = [line for line in lines if ": warning: template: " in line]
    assert len(warnings) == 1
    assert warnings[0].endswith("expected a template of the bank, found 'no-such-template'")


def test_one_bad_source_record_is_one_message(tmp_path: Path):
    """A broken `file:` once gave 162 follow-on errors, one per citation of that source."""
    import shutil

    from conftest import REAL_BANK

    bank = tmp_path / "questions"
    shutil.copytree(REAL_BANK, bank)
    path = bank / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    first_file = text.split("file: ")[1].split("\n")[0]
    path.write_text(text.replace(f"file: {first_file}", f"file: sub/{first_file}", 1), encoding="utf-8")
    code, lines = run_validate(bank)
    line = text[:text.index(f"file: {first_file}")].count("\n") + 1
    # the copy's relative corpus path leads nowhere: that warning is true and separate
    lines = [s for s in lines if "quotes and sha256 were not checked" not in s]
    assert (code, lines) == (1, [
        f"{path}:{line}:11: error: sources[0].file: expected a bare file name inside the corpus folder, "
        f"found 'sub/{first_file}'",
        "quizgen: 1 error; nothing was written"])


def test_source_with_a_missing_key_still_registers_its_id(mini_bank: Path):
    path = mini_bank / "sources.yaml"
    path.write_text(path.read_text().replace("    headline: Harbour Talks Resume\n", ""))
    code, lines = run_validate(mini_bank)
    assert (code, lines) == (1, [f"{path}:2:5: error: sources[0]: expected key 'headline', found none",
                                 "quizgen: 1 error; nothing was written"])


def test_source_dates_are_calendar_checked(mini_bank: Path):
    path = mini_bank / "sources.yaml"
    base = path.read_text()
    path.write_text(base.replace('inferred_date: "2029-10"\n    inferred_reason: Invented for the tests.',
                                 'published: "2026-11-31"'))
    assert run_validate(mini_bank) == (1, [
        f"{path}:7:16: error: sources[0].published: expected a day that exists in the calendar, found '2026-11-31' (November 2026 has 30 days)",
        "quizgen: 1 error; nothing was written"])
    for value, message in [
        ("2029-10/2029-03", "expected a range earliest first, found '2029-10/2029-03' (it ends before it starts)"),
        ("2029-13", "expected a month from 01 to 12, found '2029-13'"),
        ("2029-02-29/2030", "expected a day that exists in the calendar, found '2029-02-29' (February 2029 has 28 days) in '2029-02-29/2030'"),
        ("Oct 2029", "expected an ISO date (YYYY, YYYY-MM or YYYY-MM-DD, or START/END), found 'Oct 2029'"),
    ]:
        path.write_text(base.replace('"2029-10"', f'"{value}"'))
        assert run_validate(mini_bank) == (1, [f"{path}:7:20: error: sources[0].inferred_date: {message}",
                                               "quizgen: 1 error; nothing was written"]), value
    path.write_text(base.replace('"2029-10"', '"2028-02-29/2028-03"'))
    assert run_validate(mini_bank)[0] == 0


def test_a_published_date_is_one_day_not_a_range(mini_bank: Path):
    path = mini_bank / "sources.yaml"
    path.write_text(path.read_text().replace('inferred_date: "2029-10"\n    inferred_reason: Invented for the tests.',
                                             'published: "2029-10/2029-11"'))
    assert run_validate(mini_bank)[1][0] == (
        f"{path}:7:16: error: sources[0].published: expected an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), "
        "found '2029-10/2029-11'")


def test_undated_source_and_empty_registry_are_valid(mini_bank: Path, tmp_path: Path):
    path = mini_bank / "sources.yaml"
    path.write_text(path.read_text().replace('    inferred_date: "2029-10"\n    inferred_reason: Invented for the tests.\n', ""))
    bank, diagnostics = load_bank(mini_bank)
    assert bank is not None, diagnostics
    assert bank.source("harbour").date_label == "undated"
    empty = tmp_path / "empty"
    write(empty / "bank.yaml", "title: Empty\n")
    write(empty / "sources.yaml", "sources: []\n")
    # the empty registry is fine; a bank of no questions is not (nothing to build)
    assert run_validate(empty) == (1, [f"{empty}: error: expected at least one question in the bank, found none",
                                       "quizgen: 1 error; nothing was written"])
    write(empty / "curated" / "q.yaml", "questions:\n" + GOOD.format(id="q1").lstrip("\n"))
    code, lines = run_validate(empty)
    assert lines[0].endswith(":12:17: error: questions[0].citations[0].source: expected a source id from "
                             "sources.yaml, found 'harbour'")


def test_inferred_reason_without_inferred_date(mini_bank: Path):
    path = mini_bank / "sources.yaml"
    path.write_text(path.read_text().replace('    inferred_date: "2029-10"\n', ""))
    assert run_validate(mini_bank)[1][0] == (
        f"{path}:2:5: error: sources[0]: expected 'inferred_reason' only with 'inferred_date', "
        "found no 'inferred_date'")


def test_duplicate_source_id_is_one_message(mini_bank: Path):
    path = mini_bank / "sources.yaml"
    text = path.read_text()
    path.write_text(text + text.split("sources:\n")[1].replace("file: harbour.txt", "file: other.txt"))
    assert run_validate(mini_bank) == (1, [
        f"{path}:9:9: error: id: expected a unique source id, found 'harbour' again (first at {path}:2:9)",
        "quizgen: 1 error; nothing was written"])


def test_a_bad_quote_is_reported_beside_the_other_errors(mini_bank: Path):
    # One run, every problem: the quote check runs on the records that did validate.
    path = mini_bank / "curated" / "basics.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("ministers met in Portville on Monday morning", "ministers met in Lakeside on Monday morning")
    text = text.replace("difficulty: medium", "difficulty: tricky")
    path.write_text(text, encoding="utf-8")
    code, lines = run_validate(mini_bank)
    assert code == 1
    assert any("difficulty: expected one of easy, medium, hard; found 'tricky'" in s for s in lines), lines
    assert any("the quote has 'Lakeside' where the article has 'Portville'" in s for s in lines), lines
    # and, as the quote now reads, it no longer states the key: a third, separate problem
    assert any("questions[0].answer: expected 'Portville'" in s for s in lines), lines
    assert lines[-1] == "quizgen: 3 errors; nothing was written"
