"""One regression test per failure class of the fuzzing campaign (issue 10),
named for the class."""

from __future__ import annotations

import html
import json
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import REAL_BANK, write
from fuzzing import node_data
from quizgen.bank.load import load_bank
from quizgen.bank.marks import MAX_BYTES, load_yaml, parse_text
from quizgen.cli import cli
from quizgen.errors import Diagnostic, Loc, printable

QUESTION = """
  - id: {qid}
    type: {qtype}
    topic: meetings
    tags: [portville]
    difficulty: easy
    prompt: {prompt}
{extra}
    explanation: {explanation}
    citations:
      - source: harbour
        quote: The two "neighbouring" ministers met in Portville on Monday morning.
"""


def add_question(bank: Path, *, qid="extra", qtype="short_answer", prompt="Where did they meet?",
                 extra="    answer: Portville", explanation="They met in Portville.") -> Path:
    path = bank / "curated" / "extra.yaml"
    path.write_text("questions:\n" + QUESTION.format(qid=qid, qtype=qtype, prompt=prompt, extra=extra,
                                                    explanation=explanation).lstrip("\n"), encoding="utf-8")
    return path


def errors(bank: Path) -> list[str]:
    loaded, diagnostics = load_bank(bank)
    found = [str(d) for d in diagnostics if d.is_error]
    assert (loaded is None) == bool(found)
    return found


def invoke(*args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(cli, list(args), env=env)
    # CliRunner catches everything: anything but SystemExit is a traceback
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


# --- tracebacks -----------------------------------------------------------------


FACT_KINDS = sorted(set(re.findall(r"^    kind: (\S+)$", (REAL_BANK / "facts.yaml").read_text(encoding="utf-8"), re.M)))


@pytest.mark.parametrize("kind", FACT_KINDS)
def test_traceback_fact_record_without_id(tmp_path: Path, kind: str):
    from quizgen.bank.facts import load_facts

    for name in ("sources.yaml", "kinds.yaml", "facts.yaml"):
        (tmp_path / name).write_bytes((REAL_BANK / name).read_bytes())
    path = tmp_path / "facts.yaml"
    # a record valid in every other field: the id is all that is wrong
    text = re.sub(rf"^  - id: \S+\n    kind: {kind}\n", f"  - kind: {kind}\n", path.read_text(encoding="utf-8"),
                  count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    facts, diagnostics = load_facts(tmp_path)  # must not raise
    assert any(d.is_error and "id" in d.message for d in diagnostics)


def test_traceback_verify_source_file_name_with_nul(mini_bank: Path):
    path = mini_bank / "sources.yaml"
    path.write_text(path.read_text().replace("file: harbour.txt", 'file: "harb\\0our.txt"'), encoding="utf-8")
    result = invoke("verify", "--bank", str(mini_bank), "--corpus", str(mini_bank.parent / "corpus"))
    assert result.exit_code == 1
    assert "sources.yaml:3:16: error: expected text without control characters, found U+0000" in result.output


def test_traceback_verify_corpus_file_not_utf8(mini_bank: Path, mini_corpus: Path):
    import hashlib

    data = "Caf\u00e9 talks".encode("latin-1")
    (mini_corpus / "harbour.txt").write_bytes(data)
    path = mini_bank / "sources.yaml"
    text = re.sub(r"sha256: \w+", f"sha256: {hashlib.sha256(data).hexdigest()}", path.read_text())
    path.write_text(text, encoding="utf-8")
    result = invoke("verify", "--bank", str(mini_bank), "--corpus", str(mini_corpus))
    assert result.exit_code == 1 and "harbour.txt" in result.output


def test_traceback_long_option_split_across_pages(tmp_path: Path):
    """BoxedParagraph.__init__() got an unexpected keyword argument 'bulletText'."""
    import pypdf

    from quizgen.model import Bank, Citation, Question, QuestionSet, Source
    from quizgen.render import RenderOptions
    from quizgen.render.pdf import render

    long_text = " ".join(f"word{i}" for i in range(900))
    source = Source("s", "s.txt", "0" * 64, "Outlet", "Headline", published="2017-03-20")
    cite = (Citation("s", "a quote"),)
    questions = (
        Question("long-mcq", "mcq", "dates", "Which one?", long_text, "Because.", cite,
                 options=(long_text, "short")),
        Question("long-order", "ordering", "dates", "Order them.", "", "Because.", cite,
                 items=(long_text, "second", "third")),
    )
    bank = Bank("fixture", (source,), questions, (QuestionSet("all", "All"),))
    written = render(bank, tmp_path, RenderOptions(timestamp=1_700_000_000))
    worksheet = next(p for p in written if p.name == "all.pdf")
    reader = pypdf.PdfReader(worksheet)
    assert len(reader.pages) > 2
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "word0" in text and "word899" in text


@pytest.mark.parametrize("value", ["\u00b2", "abc", "1e9", "253402300800", "99999999999999999999", "-5"])
def test_traceback_source_date_epoch_out_of_range(mini_bank: Path, tmp_path: Path, value: str):
    result = invoke("build", "--bank", str(mini_bank), "--out", str(tmp_path / "out"),
                    env={"SOURCE_DATE_EPOCH": value})
    assert result.exit_code == 1 and "SOURCE_DATE_EPOCH" in result.output


def test_traceback_output_folder_not_writable(mini_bank: Path, tmp_path: Path):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")  # works as root too
    result = invoke("build", "--bank", str(mini_bank), "--out", str(blocker))
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) <= 2 and "out" in result.output


# --- field separator ---------------------------------------------------------------


@pytest.mark.parametrize("spelling, col", [('"a\\x1fb"', 20), ('"a\\u001fb"', 20), ("a\x1fb", 19)])
def test_field_separator_in_text_refused_at_its_place(mini_bank: Path, spelling: str, col: int):
    add_question(mini_bank, explanation=spelling)
    (found,) = errors(mini_bank)
    assert f"extra.yaml:9:{col}: error: expected text without control characters, found U+001F" in found


def test_field_separator_never_reaches_a_note():
    from quizgen.render.anki.notes import attr, text

    assert "\x1f" not in text("a\x1fb") and "\x1f" not in attr("a\x1fb")


# --- Anki markup -------------------------------------------------------------------

MARKUP = ("[sound:evil.mp3] [latex]x^2[/latex] [$]y[/$] [$$]z[/$$] [LaTeX]w[/LaTeX] "
          "\\(a+b\\) \\[c+d\\] {{c1::leak}} [anki:play:q:0]")


def test_anki_markup_in_plain_text_stays_text(tmp_path: Path):
    anki_collection = pytest.importorskip("anki.collection")
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    from quizgen.model import Bank, Citation, Question, Source, cloze_answer
    from quizgen.render import RenderOptions
    from quizgen.render.anki import render

    source = Source("s", "s.txt", "0" * 64, MARKUP, MARKUP, published="2017-03-20")
    cite = (Citation("s", MARKUP),)
    cloze = f"Before {MARKUP} the [[blank]] after."
    questions = (
        Question("plain", "short_answer", "dates", MARKUP, MARKUP, MARKUP, cite, accept=(MARKUP,)),
        Question("gap", "cloze", "dates", cloze, cloze_answer(cloze), MARKUP, cite),
        Question("opts", "mcq", "dates", MARKUP, MARKUP, MARKUP, cite, options=(MARKUP, "other")),
    )
    apkg = render(Bank(str(tmp_path / "bank"), (source,), questions), tmp_path / "out",
                  RenderOptions(timestamp=1_700_000_000))[0]
    col = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg),
                                                         options=ImportAnkiPackageOptions()))
        cards = [col.get_card(cid) for cid in col.find_cards("")]
        assert {c.note()["Question ID"] for c in cards} == {"plain", "gap", "opts"}
        for card in cards:
            for side in (card.question(), card.answer()):
                assert not card.question_av_tags() and not card.answer_av_tags()  # no sound is live
                assert "[sound:" not in side and "[anki:play" not in side
                assert "<img" not in side  # live LaTeX becomes an image
                assert "[$]" not in side and "{{c1::" not in side
                # MathJax reads the page's text: no text node may hold a delimiter
                for node_text in re.split(r"<[^>]*>", side):
                    node_text = html.unescape(node_text)
                    assert not re.search(r"\\[(\[)\]]", node_text), node_text
                visible = html.unescape(re.sub(r"<[^>]*>", "", side))
                assert "[sound:evil.mp3]" in visible and "\\(a+b\\)" in visible and "{{c1::leak}}" in visible
        (gap,) = [c for c in cards if c.note().note_type()["name"].lower().find("cloze") >= 0]
        assert "blank" in html.unescape(re.sub(r"<[^>]*>", "", gap.answer()))
    finally:
        col.close()


# --- symlinks ----------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlinks_leading_outside_the_bank_refused(mini_bank: Path, tmp_path: Path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("questions:\n  - password: hunter2\n", encoding="utf-8")
    (mini_bank / "curated" / "linked.yaml").symlink_to(secret)
    found = errors(mini_bank)
    assert len(found) == 1 and "linked.yaml: error: expected a file inside the bank folder" in found[0]
    assert "hunter2" not in found[0] and "secret" not in found[0]

    (mini_bank / "curated" / "linked.yaml").unlink()
    outside_sets = tmp_path / "elsewhere"
    outside_sets.mkdir()
    (outside_sets / "s.yaml").write_text("set:\n  name: s\n  title: S\n", encoding="utf-8")
    (mini_bank / "sets").symlink_to(outside_sets)
    found = errors(mini_bank)
    assert found and all("a link that leads outside it" in f for f in found)

    (mini_bank / "sets").unlink()
    (mini_bank / "facts.yaml").symlink_to(secret)
    (found,) = errors(mini_bank)
    assert "facts.yaml: error: expected a file inside the bank folder" in found and "hunter2" not in found

    (mini_bank / "facts.yaml").unlink()
    (mini_bank / "curated" / "basics.yaml").rename(mini_bank / "basics.txt")
    (mini_bank / "curated" / "basics.yaml").symlink_to(mini_bank / "basics.txt")
    assert errors(mini_bank) == []  # a link that stays inside the bank is fine


# --- accepted although invalid --------------------------------------------------


@pytest.mark.parametrize("date", ["2016-13-45", "0000-00-00", "2019-02-30", "2018-05/2017-01"])
def test_accepted_although_invalid_impossible_dates(mini_bank: Path, date: str):
    path = mini_bank / "sources.yaml"
    path.write_text(path.read_text().replace('"2029-10"', f'"{date}"'), encoding="utf-8")
    assert any("inferred_date" in e for e in errors(mini_bank))


def test_accepted_although_invalid_too_many_ordering_items(mini_bank: Path):
    items = "\n".join(f"      - step {i}" for i in range(8))
    add_question(mini_bank, qtype="ordering", prompt="Order them.", extra=f"    items:\n{items}")
    (found,) = errors(mini_bank)
    assert found.endswith("extra.yaml:9:7: error: questions[0].items: expected 3 to 6 items, found 8")


def test_accepted_although_invalid_too_many_matching_pairs(mini_bank: Path):
    pairs = "\n".join(f"      - {{left: l{i}, right: r{i}}}" for i in range(7))
    add_question(mini_bank, qtype="matching", prompt="Match them.", extra=f"    pairs:\n{pairs}")
    assert any("pairs: expected 2 to 6 items, found 7" in e for e in errors(mini_bank))


def test_accepted_although_invalid_whitespace_only_cloze_blank(mini_bank: Path):
    add_question(mini_bank, qtype="cloze", prompt='"They met in [[ ]] on [[Monday]]."', extra="")
    (found,) = errors(mini_bank)
    assert "extra.yaml:7:13: error: questions[0].prompt: expected text in every [[blank]]" in found


def test_accepted_although_invalid_bank_of_no_questions(mini_bank: Path):
    (mini_bank / "curated" / "basics.yaml").write_text("questions: []\n", encoding="utf-8")
    (found,) = errors(mini_bank)
    assert found.endswith("error: expected at least one question in the bank, found none")
    assert "<memory>" not in found


def test_accepted_although_invalid_set_matching_nothing(mini_bank: Path):
    write(mini_bank / "sets" / "none.yaml", """
        set:
          name: none
          title: Nothing
          types: [matching]
        """)
    (found,) = errors(mini_bank)
    assert "none.yaml:2:3: error: set: expected at least one question of the bank to match" in found
    assert "<memory>" not in found


# --- refused although valid ------------------------------------------------------


@pytest.mark.parametrize("quoted", ['"' + "[" * 70 + '"', "'" + "{[" * 70 + "'", '"a [b [c [d ]"',
                                    "'" + "[" * 70 + "'' [[" + "'"])
def test_refused_although_valid_unbalanced_bracket_in_quotes(quoted: str):
    text = f"k: {quoted}\nlist: [{quoted}, {quoted}]\nblock:\n  - {quoted}\n"
    node, diagnostics = parse_text(text, "f.yaml")
    assert diagnostics == [] and node is not None
    assert node.value[0][1].value == yaml.safe_load(text)["k"]


def test_refused_although_valid_nesting_still_bounded_around_quotes():
    """Brackets in quotes are text, but quotes cannot hide real nesting."""
    text = '[ "]" , ' * 100 + "x" + "]" * 100
    _, diagnostics = parse_text(text, "f.yaml")
    assert [str(d) for d in diagnostics] == ["f.yaml:1:513: error: expected at most 64 levels of nesting, found more"]


# --- writer / reader mismatch ----------------------------------------------------

FORBIDDEN_BY_LOADER = [chr(c) for c in range(0x7F, 0xA0) if c != 0x85] + ["\ufffe", "\uffff"]


def test_writer_reader_mismatch_c1_characters_written_raw():
    from quizgen.generate.write import scalar

    for ch in FORBIDDEN_BY_LOADER:
        written = scalar(f"a{ch}b")
        node, diagnostics = parse_text(f"k: {written}\n", "f.yaml")
        # either the writer escapes it (and the loader refuses the escape,
        # which is fine: such text cannot come from a valid bank), or it writes
        # nothing the loader cannot read at all
        assert ch not in written, f"U+{ord(ch):04X} written raw"


# --- wrong places and raw bytes in messages ------------------------------------


@pytest.mark.parametrize("ch", ["\x00", "\x07", "\x1b", "\x7f", "\x80", "\x9f", "\x85", "\ufffe", "\u2028"])
def test_wrong_place_control_character_reported_at_its_line_and_column(ch: str):
    text = f"a: 1\nb:\n  - fine\n  - bad{ch}here\n"
    _, diagnostics = parse_text(text, "f.yaml")
    (d,) = diagnostics
    assert (d.loc.line, d.loc.col) == (4, 8)
    assert "found U+" in d.message


def test_wrong_place_reader_errors_never_at_one_one():
    for text in ("a: [1, 2\n", "a:\n  b: c\n d: e\n", "x: 'open\n", "k: v\n\n- a\n"):
        _, diagnostics = parse_text(text, "f.yaml")
        (d,) = diagnostics
        assert (d.loc.line, d.loc.col) != (1, 1), (text, str(d))
        assert d.loc.line <= text.count("\n") + 1


def test_wrong_place_undecodable_bytes_at_their_line(tmp_path: Path):
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    _, diagnostics = load_yaml(path, "f.yaml")
    assert [str(d) for d in diagnostics] == ["f.yaml:2:7: error: expected UTF-8 text, found undecodable byte 0xE9"]


def test_raw_bytes_in_messages_escaped(mini_bank: Path):
    """What the loader lets through (file names, bidi overrides) is echoed escaped."""
    path = add_question(mini_bank, qid="bad\u202eid")
    path.rename(path.with_name("ev\x1b[31mil\n.yaml"))
    result = invoke("validate", str(mini_bank))
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\u202e" not in result.output
    (line, summary) = result.output.splitlines()
    assert "curated/ev\\x1b[31mil\\n.yaml:2:9: error: questions[0].id: expected an id" in line
    assert "found 'bad\\u202eid'" in line and summary.startswith("quizgen: 1 error")


def test_raw_bytes_in_messages_one_escaping_function():
    d = Diagnostic(Loc("a\nb.yaml", 1, 2), "found 'x\x1b[2J\u202ey\r'", path="k\tey")
    assert str(d) == "a\\nb.yaml:1:2: error: k\\tey: found 'x\\x1b[2J\\u202ey\\r'"
    assert printable("plain Итуруп 択捉島 text") == "plain Итуруп 択捉島 text"


# --- memory ------------------------------------------------------------------------


def test_memory_size_cap_before_parsing(tmp_path: Path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:  # sparse: costs no disk
        fh.truncate(MAX_BYTES + 1)
    node, diagnostics = load_yaml(path, "big.yaml")
    assert node is None and [str(d) for d in diagnostics] == [
        f"big.yaml:1:1: error: expected a file under {MAX_BYTES} bytes, found {MAX_BYTES + 1}"]
    node, diagnostics = parse_text("a" * (MAX_BYTES + 1), "big.yaml")
    assert node is None and "expected a file under" in diagnostics[0].message


# --- leftovers ---------------------------------------------------------------------


def test_leftovers_of_a_killed_build_removed(mini_bank: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    leftover = out / ".harbour-talks.apkg.abc123_x.tmp"  # write_atomic's mkstemp name: 8 random characters
    leftover.write_bytes(b"half a deck")
    invoke("build", "--bank", str(mini_bank), "--out", str(out))
    assert not leftover.exists()


# --- schema and validator ----------------------------------------------------------


def schema_of(path: Path) -> Path | None:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    match = re.search(r"\$schema=(\S+)", first)
    return (path.parent / match.group(1)).resolve() if match else None


def shipped_files() -> list[Path]:
    return sorted(p for p in REAL_BANK.rglob("*.yaml") if schema_of(p))


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: str(p.relative_to(REAL_BANK)))
def test_schema_and_validator_agree_on_shipped_files(path: Path):
    jsonschema = pytest.importorskip("jsonschema")
    assert _schema_errors(path, jsonschema) == []


def _schema_errors(path: Path, jsonschema) -> list[str]:
    schema = json.loads(schema_of(path).read_text(encoding="utf-8"))
    node, diagnostics = load_yaml(path)
    assert not diagnostics
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(node_data(node))]


def test_schema_accepts_number_tags():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((REAL_BANK / "schema" / "questions.schema.json").read_text(encoding="utf-8"))
    node, _ = load_yaml(REAL_BANK / "curated" / "dates.yaml")
    data = node_data(node)
    assert any(isinstance(t, int) for q in data["questions"] for t in q["tags"])
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(data))


def test_one_broken_question_file_is_one_error_not_one_per_set(tmp_path: Path):
    # A YAML error in one question file used to add "expected at least one
    # question of the bank to match this set" for every set over that file.
    import shutil

    bank = tmp_path / "bank"
    shutil.copytree(REAL_BANK, bank)
    path = bank / "curated" / "actors.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("prompt: ", "prompt: Broken: ", 1), encoding="utf-8")
    _bank, diagnostics = load_bank(bank)
    errors = [d for d in diagnostics if d.severity == "error"]
    assert len(errors) == 1, [str(d) for d in errors]
    assert "invalid YAML" in str(errors[0]) and "actors.yaml" in str(errors[0])
