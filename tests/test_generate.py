"""`quizgen generate`: selection, the written file (loads like any question
file, byte-identical for a seed), refusal to overwrite, and the CLI."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import REAL_BANK, REAL_CORPUS
from quizgen.bank.load import load_bank
from quizgen.cli import cli
from quizgen.errors import QuizgenError
from quizgen.generate.write import PER_FACT, dump_questions, generate, question_record, scalar
from quizgen.model import Citation, Question


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    """The real bank without its shipped generated files."""
    root = tmp_path / "questions"
    shutil.copytree(REAL_BANK, root, ignore=shutil.ignore_patterns("generated"))
    return root


def ids_in(path: Path) -> list[str]:
    return [q["id"] for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]


def test_same_seed_same_bytes_other_seed_other_selection(bank: Path):
    out = bank / "generated" / "set.yaml"
    generate(bank, out, count=40, seed=5)
    first = out.read_bytes()
    generate(bank, out, count=40, seed=5, force=True)
    assert out.read_bytes() == first
    one = set(ids_in(out))
    generate(bank, out, count=40, seed=6, force=True)
    assert set(ids_in(out)) != one and len(ids_in(out)) == 40


def test_written_file_loads_cleanly_and_reads_back_exactly(bank: Path):
    out = bank / "generated" / "all.yaml"
    result = generate(bank, out, seed=2)
    loaded, diagnostics = load_bank(bank)
    assert diagnostics == []  # not even a warning: every key quoted or marked, no near-duplicate
    generated = [q for q in loaded.questions if q.origin == "generated"]
    assert len(generated) == result.written > 50
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == {"questions": [question_record(q) for q in generated]}
    for q in generated:
        assert q.template and q.facts and q.citations
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no temporary file left behind


def test_generated_quotes_verify_against_the_corpus(bank: Path):
    if not REAL_CORPUS.is_dir():
        pytest.skip(f"corpus not found at {REAL_CORPUS} (it lives outside the repository)")
    from quizgen.bank.sources import verify

    generate(bank, bank / "generated" / "all.yaml", seed=3)
    loaded, _ = load_bank(bank)
    report = verify(loaded, REAL_CORPUS)
    assert report.diagnostics == ()
    facts_cited = sum(c.facts for c in report.coverage)
    assert facts_cited > 0 and all(c.generated for c in report.coverage)


def test_refuses_to_overwrite_without_force(bank: Path):
    out = bank / "generated" / "set.yaml"
    out.parent.mkdir(exist_ok=True)
    out.write_text("questions: []\n")
    with pytest.raises(QuizgenError) as err:
        generate(bank, out, count=3)
    assert [d.message for d in err.value.diagnostics] == [
        "expected a new file, found an existing one; pass --force to overwrite it"]
    assert out.read_text() == "questions: []\n"
    assert generate(bank, out, count=3, force=True).written == 3


def test_count_beyond_the_facts_writes_what_it_can(bank: Path):
    out = bank / "generated" / "x.yaml"
    result = generate(bank, out, templates=["island-group-sea-short", "island-group-name-short"], count=10)
    assert result.summary() == (
        f"wrote {out}: 3 questions from 2 templates\n"
        "  island-group-name-short  2\n"
        "  island-group-sea-short   1\n"
        "asked for 10; the facts allow only 3 new questions from these templates")


def test_count_is_spread_across_templates(bank: Path):
    result = generate(bank, bank / "generated" / "x.yaml", topics=["dates"], count=14, seed=1)
    shares = dict(result.by_template).values()
    # templates take turns; a turn whose candidate repeats a statement is lost
    assert sum(shares) == 14 and len(shares) == 7 and min(shares) >= 1 and max(shares) <= 3


def test_ids_never_collide_with_the_bank(bank: Path):
    generate(bank, bank / "generated" / "a.yaml", templates=["island-group-name-short"])
    result = generate(bank, bank / "generated" / "b.yaml", templates=["island-group-name-short",
                                                                      "island-group-sea-short"])
    assert result.skipped_existing == 2 and result.written == 1
    with pytest.raises(QuizgenError) as err:
        generate(bank, bank / "generated" / "c.yaml", templates=["island-group-name-short"])
    assert [str(d) for d in err.value.diagnostics] == [
        f"{bank / 'generated' / 'c.yaml'}: error: expected new questions to write, found none "
        "(all 2 are already in the bank)"]
    assert not (bank / "generated" / "c.yaml").exists()
    loaded, diagnostics = load_bank(bank)
    assert loaded is not None and diagnostics == []


def test_unknown_names_are_errors_and_nothing_is_written(bank: Path):
    out = bank / "generated" / "x.yaml"
    with pytest.raises(QuizgenError) as err:
        generate(bank, out, templates=["event-date-mq"], topics=["date"])
    assert [str(d) for d in err.value.diagnostics] == [
        "--template: error: expected a template name, found 'event-date-mq' (did you mean 'event-date-mcq'?)",
        "--topic: error: expected one of the topics actors, dates, declaration-1956, islands, meetings; "
        "found 'date' (did you mean 'dates'?)",
    ]
    assert not out.exists()


def test_bad_facts_stop_generation(bank: Path):
    facts = bank / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("kind: place\n", "kind: plaice\n", 1),
                     encoding="utf-8")
    with pytest.raises(QuizgenError) as err:
        generate(bank, bank / "generated" / "x.yaml")
    assert any("found 'plaice' (did you mean 'place'?)" in d.message for d in err.value.diagnostics)
    assert not (bank / "generated" / "x.yaml").exists()


# -- the command line -------------------------------------------------------------

def test_cli_generate_and_force(bank: Path):
    out = bank / "generated" / "g.yaml"
    args = ["generate", "--bank", str(bank), "--template", "island-group-name-true-false", "--seed", "1",
            "-o", str(out)]
    runner = CliRunner()
    first = runner.invoke(cli, args)
    assert (first.exit_code, first.output) == (
        0, f"wrote {out}: 1 question from 1 template\n  island-group-name-true-false  1\n"
           "not written:\n  near-duplicates  3\n")
    again = runner.invoke(cli, args)
    assert again.exit_code == 1
    assert again.output == f"Error: {out} exists; pass --force to overwrite it\n"
    forced = runner.invoke(cli, args + ["--force"])
    assert (forced.exit_code, forced.output) == (0, first.output)


def test_cli_reports_library_errors(bank: Path):
    result = CliRunner().invoke(cli, ["generate", "--bank", str(bank), "--template", "nope",
                                      "-o", str(bank / "x.yaml")])
    assert result.exit_code == 1
    assert result.output == ("--template: error: expected a template name, found 'nope'\n"
                             "quizgen: 1 error; nothing was written\n")


def test_cli_templates_lists_counts(bank: Path):
    result = CliRunner().invoke(cli, ["templates", "--bank", str(bank)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["template", "type", "topic", "generator", "questions"]
    assert re.match(r"role-holder-mcq +mcq +actors +role-holder +15$", lines[2])
    assert re.match(r"\d+ templates, \d+ distinct questions$", lines[-1])


# -- the shipped question files -----------------------------------------------------

def shipped() -> list[Path]:
    return sorted((REAL_BANK / "generated").glob("*.yaml"))


def test_the_bank_ships_a_pruned_pool_of_60_to_120_generated_questions():
    assert 60 <= sum(len(ids_in(p)) for p in shipped()) <= 120


def test_bad_kinds_stop_generation_with_one_message(bank: Path):
    kinds = bank / "kinds.yaml"
    kinds.write_text(kinds.read_text(encoding="utf-8").replace("date: date\n", "date: dat\n", 1), encoding="utf-8")
    with pytest.raises(QuizgenError) as err:
        generate(bank, bank / "generated" / "x.yaml")
    assert [str(d) for d in err.value.diagnostics] == [
        f"{bank / 'kinds.yaml'}:31:13: error: kinds.event.fields.date: expected one of text, name, date, ref, refs, "
        "roles, names, claims, point; found 'dat' (did you mean 'date'?)"]


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.name)
def test_shipped_files_are_what_generate_writes(path: Path, tmp_path: Path):
    """Each shipped file names its command in its header; re-running it gives
    the same bytes, so the files are generate's output and up to date with the
    facts and templates."""
    root = tmp_path / "questions"
    shutil.copytree(REAL_BANK, root)
    command = re.search(r"`quizgen generate ([^`]*)`", " ".join(
        line.lstrip("# ") for line in path.read_text(encoding="utf-8").splitlines()[:6]))
    assert command, "header names no command"
    args = shlex.split(command.group(1))
    opts: dict[str, list[str]] = {}
    for flag, value in zip(args[::2], args[1::2]):
        opts.setdefault(flag, []).append(value)
    generate(root, root / "generated" / path.name, templates=opts.get("--template", []),
             topics=opts.get("--topic", []), count=int(opts["--count"][0]) if "--count" in opts else None,
             seed=int(opts["--seed"][0]), force=True,
             per_fact=int(opts["--per-fact"][0]) or None if "--per-fact" in opts else PER_FACT)
    assert (root / "generated" / path.name).read_bytes() == path.read_bytes()


# -- the YAML writer ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "plain text", "1956", "2016-12-15", "true", "null", "yes", "~", "a: b", "a #b", "- dash", "[[cloze]] start",
    "{{ brace }}", "'quoted'", '"dq"', "trailing ", " leading", "tab\there", "line\nbreak", "colon:",
    "Итуруп", "択捉島", "\u2028sep", "nbsp\u00a0inside", "@at", "`tick", "%pct", "!bang", "*star", "&amp",
    "? what", "| bar", "> gt", "0x1F", "1e3", ".inf", "=", "<<",
])
def test_scalars_read_back_unchanged(text: str):
    assert yaml.safe_load(f"k: {scalar(text)}") == {"k": text}


def test_long_prose_folds_and_reads_back():
    words = "word " * 60 + 'with "quotes", colons: and # hashes, [[blanks]] and {{ braces }}'
    q = Question(id="x", type="cloze", topic="t", prompt=words, answer="blanks", explanation=words + " end.",
                 citations=(Citation("s", ("a quote " * 14).strip()),), tags=("a",))
    text = dump_questions([q])
    assert ">-" in text and max(len(line) for line in text.splitlines()) <= 88
    assert yaml.safe_load(text) == {"questions": [question_record(q)]}


# -- what generate writes: supported, marked, new ------------------------------------

def test_every_shipped_generated_key_is_quoted_or_marked():
    """The support check at its strictest: no generated question of the shipped
    bank has a key its citations do not state unless it is marked."""
    from quizgen.bank.support import check_support

    bank, _ = load_bank(REAL_BANK)
    generated = [q for q in bank.questions if q.origin == "generated"]
    assert generated and check_support(generated, bank.sources) == []
    statuses = {q.support.status for q in generated}
    assert statuses <= {"quoted", "inferred"}  # nothing outside the sources
    for q in generated:
        if q.support.status == "inferred":
            assert q.support.reason and "inferred" in q.prompt.casefold(), q.id


def test_a_key_resting_on_an_inferred_date_is_marked_and_says_so(bank: Path):
    out = bank / "generated" / "cloze.yaml"
    generate(bank, out, templates=["event-date-cloze"])
    loaded, diagnostics = load_bank(bank)
    assert diagnostics == []
    by_fact = {q.facts[0]: q for q in loaded.questions if q.template == "event-date-cloze"}
    singapore = by_fact["event-singapore-meeting-2018"]
    assert singapore.support.status == "inferred"
    assert singapore.support.reason.startswith("14 November 2018 is inferred, not printed in full.")
    assert "outside knowledge" in singapore.support.reason
    assert "it is inferred" in singapore.prompt
    assert by_fact["event-nagato-talks-2016"].support.status == "quoted"  # printed by the report's date


def test_a_key_the_quotes_do_not_state_is_not_written(bank: Path):
    facts = bank / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    # our wording, not TASS's ("between the countries"): no longer a run of the quote
    facts.write_text(text.replace("text: the state of war between the countries",
                                  "text: the state of war between the two nations"), encoding="utf-8")
    out = bank / "generated" / "x.yaml"
    result = generate(bank, out, templates=["declaration-ended", "declaration-restored"])
    assert dict(result.by_template) == {"declaration-ended": 0, "declaration-restored": 1}
    assert result.dropped.unsupported == 1
    assert "  key not stated by the cited quotes  1" in result.summary()
    with pytest.raises(QuizgenError) as err:
        generate(bank, bank / "generated" / "y.yaml", templates=["declaration-ended"])
    assert "the facts allow none that pass" in str(err.value.diagnostics[0])


def test_the_cap_per_fact_holds(bank: Path):
    out = bank / "generated" / "all.yaml"
    generate(bank, out, seed=3, per_fact=2)
    loaded, _ = load_bank(bank)
    uses: dict[str, int] = {}
    for q in loaded.questions:
        for f in q.facts:
            uses[f] = uses.get(f, 0) + 1
    # each claim and point of the document counts as its own fact
    document = uses.pop("document-joint-declaration-1956")
    assert max(uses.values()) == 2 and 2 < document <= 2 * (9 + 5)


def test_a_role_holder_is_spelled_as_the_cited_source_spells_him(bank: Path):
    out = bank / "generated" / "who.yaml"
    generate(bank, out, templates=["role-holder-short"], per_fact=None)
    loaded, diagnostics = load_bank(bank)
    assert diagnostics == []
    spelled = {q.facts: (q.answer, set(q.accept)) for q in loaded.questions if q.template == "role-holder-short"}
    assert spelled[("person-lavrov", "event-un-meeting-plan-2018")] == ("Sergei Lavrov", {"Sergey Lavrov", "Lavrov"})
    assert spelled[("person-lavrov", "event-moscow-consultations-2019")] == ("Sergey Lavrov",
                                                                          {"Sergei Lavrov", "Lavrov"})
