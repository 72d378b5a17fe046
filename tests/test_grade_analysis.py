"""Item analysis and key check (quizgen/grade/analysis.py, report.py, `quizgen analyse`)
on synthetic classes whose figures can be worked out by hand."""

from __future__ import annotations

import csv
import io
import json
import statistics
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from quizgen.cli import cli
from quizgen.errors import QuizgenError
from quizgen.grade.analysis import analyse
from quizgen.grade.report import analysis_csv, write_report
from quizgen.grade.results import ResultRow, results_csv
from quizgen.model import Bank, Citation, Question, Source, Support

OPTIONS = {q: [f"{q} option {i}" for i in range(4)] for q in ("perfect", "planted", "dead", "easy")}
KEY = 0  # the bank's option 0 is keyed everywhere (the manifest says so)
ORDERS = {"A": [0, 1, 2, 3], "B": [3, 2, 1, 0]}  # variant B prints the options reversed
NUMBERS = {"A": ["perfect", "planted", "dead", "easy", "essay"], "B": ["essay", "easy", "dead", "planted", "perfect"]}

# Bank options each student marks, strongest first; s0-s4 are the strong half.
ANSWERS = {
    "perfect": [0, 0, 0, 0, 0, 1, 2, 1, 2, 1],  # right exactly for the strong half
    "planted": [1, 1, 1, 1, 1, 0, 0, 0, 0, 2],  # the strong half agree on option 1: the key is wrong
    "dead": [0, 0, 0, 0, 0, 0, 0, 1, 2, 1],  # option 3 is never chosen
    "easy": [0] * 10,
}
ESSAY = [2, 2, 2, 1, 2, 0, 0, 0, 1, 0]  # teacher-scored, out of 2
STUDENTS = [f"s{i}" for i in range(10)]


def variant_of(i: int) -> str:
    return "AB"[i % 2]


def letter(order: list[int], option: int) -> str:
    return "ABCD"[order.index(option)]


def copy(v: str) -> dict:
    questions = []
    for n, qid in enumerate(NUMBERS[v], 1):
        if qid == "essay":
            questions.append({"number": n, "id": qid, "type": "short_answer", "points": 2,
                              "key": {"text": "an essay", "accept": []}})
            continue
        order = ORDERS[v]
        choices = [{"letter": "ABCD"[i], "text": OPTIONS[qid][j]} for i, j in enumerate(order)]
        questions.append({"number": n, "id": qid, "type": "mcq", "points": 1, "choices": choices, "order": order,
                          "key": {"letter": letter(order, KEY), "text": OPTIONS[qid][KEY]}})
    return {"variant": v, "code": f"t/{v}/s1", "seed": 1, "worksheet": f"t-{v}.pdf", "key": f"t-{v}-key.pdf",
            "total_points": 6, "questions": questions}


def manifest() -> dict:
    return {"format": "quizgen-manifest", "version": 1, "set": "t", "title": "Test <set> & co", "seed": 1,
            "copies": [copy("A"), copy("B")], "left_out": []}


def rows(answers=ANSWERS, essay=ESSAY, students=STUDENTS) -> list[ResultRow]:
    out = []
    for i, s in enumerate(students):
        v = variant_of(i)
        for n, qid in enumerate(NUMBERS[v], 1):
            if qid == "essay":
                out.append(ResultRow(s, v, n, qid, str(essay[i]), "an essay", essay[i] > 0, essay[i], 2,
                                     "short_answer", f"t/{v}/s1"))
                continue
            option = answers[qid][i]
            right = option == KEY
            out.append(ResultRow(s, v, n, qid, letter(ORDERS[v], option), letter(ORDERS[v], KEY), right,
                                 1 if right else 0, 1, "mcq", f"t/{v}/s1"))
    return out


def bank() -> Bank:
    src = Source("daily", "daily.txt", "0" * 64, "The Daily <Post>", "Council & mayor agree", "2020-05-01")
    questions = tuple(
        Question(qid, "mcq", "topic", f"Which <b>one</b> about {qid}?", OPTIONS[qid][KEY], "Because.",
                 (Citation("daily", f"The quote for {qid} & more"),), options=tuple(OPTIONS[qid]),
                 support=Support("inferred", "read from the <second> paragraph") if qid == "planted" else Support())
        for qid in OPTIONS)
    return Bank("bank", (src,), questions)


# -- the figures ------------------------------------------------------------------

def test_facility_and_counts_per_bank_option_across_variants():
    a = analyse(rows(), [manifest()])
    planted = a.item("planted")
    assert planted.n == 10 and planted.facility == pytest.approx(0.4)
    # pooled per bank option although the two variants print them in opposite orders
    assert [o.count for o in planted.options] == [4, 5, 1, 0]
    assert [o.correct for o in planted.options] == [True, False, False, False]
    assert planted.top_wrong.index == 1 and planted.top_wrong.text == "planted option 1"
    assert a.item("essay").facility == pytest.approx(sum(ESSAY) / 20)  # partial points: mean points / max


def test_variant_b_letter_maps_back_through_order():
    # one student on B marks printed "A", which is the bank's option 3 there
    r = [ResultRow("x", "B", 5, "perfect", "A", "D", False, 0, 1, "mcq", "t/B/s1")]
    a = analyse(r, [manifest()])
    assert [o.count for o in a.item("perfect").options] == [0, 0, 0, 1]


def test_planted_key_error_is_flagged_and_perfect_item_is_not():
    a = analyse(rows(), [manifest()])
    assert "key_error" in a.item("planted").flags
    assert a.item("planted").discrimination < 0
    perfect = a.item("perfect")
    assert perfect.upper_lower == pytest.approx(1.0)  # 3 upper all right, 3 lower all wrong
    assert "key_error" not in perfect.flags and "low_discrimination" not in perfect.flags
    assert "key_error" not in a.item("dead").flags


def test_corrected_point_biserial_matches_an_independent_computation():
    a = analyse(rows(), [manifest()])
    total = [sum(1 for q in ANSWERS if ANSWERS[q][i] == KEY) + ESSAY[i] for i in range(10)]
    item = [1.0 if ANSWERS["perfect"][i] == KEY else 0.0 for i in range(10)]
    rest = [t - x for t, x in zip(total, item)]
    assert a.item("perfect").discrimination == pytest.approx(statistics.correlation(item, rest))


def test_nonfunctioning_distractor_and_zero_variance():
    a = analyse(rows(), [manifest()])
    dead = a.item("dead")
    assert dead.nonfunctioning == (3,) and "nonfunctioning_distractors" in dead.flags
    easy = a.item("easy")
    assert easy.facility == 1.0 and easy.discrimination is None and easy.upper_lower == 0.0
    assert "too_easy" in easy.flags and easy.nonfunctioning == (1, 2, 3)
    assert any(n.startswith("easy:") for n in a.notes)


def test_kr20_by_hand():
    # 4 items? no: 3 items, 4 students (1,1,1), (1,1,0), (1,0,0), (0,0,0): KR-20 = 3/2 (1 - 0.625 / 1.25) = 0.75
    m = {"format": "quizgen-manifest", "version": 1, "copies": [{"variant": "", "code": "k//s1", "questions": [
        {"number": n, "id": f"k{n}", "type": "true_false", "points": 1,
         "choices": [{"letter": "A", "text": "True"}, {"letter": "B", "text": "False"}], "order": [0, 1],
         "key": {"text": "True"}} for n in (1, 2, 3)]}]}
    pattern = [(1, 1, 1), (1, 1, 0), (1, 0, 0), (0, 0, 0)]
    r = [ResultRow(f"p{s}", "", n, f"k{n}", "True" if x else "False", "True", bool(x), x, 1, "true_false", "k//s1")
         for s, answers in enumerate(pattern) for n, x in zip((1, 2, 3), answers)]
    a = analyse(r, [m])
    assert a.test.alpha == pytest.approx(0.75)
    assert a.test.mean == pytest.approx(1.5) and a.test.sd == pytest.approx(1.25 ** 0.5)
    assert a.test.distribution == ((0, 1), (1, 1), (2, 1), (3, 1))
    # a tiny class: figures, but no flags and no discrimination
    assert all(not it.flags and it.discrimination is None for it in a.items)
    assert a.notes and a.notes[0].startswith("4 students")
    assert [o.count for o in a.item("k1").options] == [3, 1]  # true/false marks given as text


def test_undecided_rows_are_excluded_and_counted():
    r = rows()
    r[0] = ResultRow(r[0].student, r[0].variant, r[0].number, r[0].question, "A;B", "A", None, 0, 1, "mcq",
                     r[0].code, 0.4, "two marks")
    a = analyse(r, [manifest()])
    assert a.item("perfect").n == 9 and a.item("perfect").undecided == 1
    assert a.test.undecided == 1 and a.test.alpha_students == 9
    assert sum(o.count for o in a.item("perfect").options) == 9


def test_same_copy_on_many_sheets_counts_each_sheet():
    # a whole class answering variant A with no names: sheet k is the k-th appearance of each question
    r = [ResultRow("", "A", 1, "perfect", "A" if i < 3 else "B", "A", i < 3, int(i < 3), 1, "mcq", "t/A/s1")
         for i in range(6)]
    a = analyse(r, [manifest()])
    assert a.test.students == 6 and a.item("perfect").facility == pytest.approx(0.5)


def test_rows_the_manifest_does_not_print_are_errors():
    r = [ResultRow("x", "C", 1, "perfect", "A", "A", True, 1, 1, "mcq", "t/C/s1"),
         ResultRow("y", "A", 1, "nosuch", "A", "A", True, 1, 1, "mcq", "t/A/s1"),
         ResultRow("z", "A", 1, "perfect", "E", "A", False, 0, 1, "mcq", "t/A/s1")]
    with pytest.raises(QuizgenError) as exc:
        analyse(r, [manifest()])
    assert [str(d) for d in exc.value.diagnostics] == [
        "results:2:1: error: expected a copy of the manifest, found code 't/C/s1'",
        "results:3:1: error: expected a question of that copy, found 'nosuch'",
        "results:4:1: error: expected one of the printed choices A, B, C, D, found 'E'"]


# -- the report ---------------------------------------------------------------------

class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags, self._in = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_report_shows_the_citation_of_the_key_error(tmp_path):
    paths = write_report(tmp_path / "rep", rows(), [manifest()], bank())
    assert [p.name for p in paths] == ["analysis.csv", "report.html"]
    html = (tmp_path / "rep" / "report.html").read_text("utf-8")
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.text)
    assert "Question 2 (planted)" in text
    assert "Which <b>one</b> about planted?" in text  # escaped in the page, the same text read back
    assert "<b>one</b>" not in html
    assert "The quote for planted & more" in text
    assert "Council & mayor agree — The Daily <Post>, 2020-05-01" in text
    assert "Support: inferred: read from the <second> paragraph" in text
    assert "planted option 0 — 4 of 10 students" in text  # the key
    assert "planted option 1 — 5 of 10 students, 3 in the upper group" in text  # the wrong favourite
    imgs = [a for t, a in parser.tags if t == "img"]
    assert imgs and all(a["src"].startswith("data:image/svg+xml;base64,") for a in imgs)
    assert "Test <set> & co" in text
    assert not any(t == "script" for t, _ in parser.tags)


def test_report_without_bank_says_how_to_get_the_citation(tmp_path):
    write_report(tmp_path, rows(), [manifest()])
    assert "Pass the bank (--bank)" in (tmp_path / "report.html").read_text("utf-8")


def test_analysis_csv_has_every_figure():
    data = analysis_csv(analyse(rows(), [manifest()]))
    records = list(csv.DictReader(io.StringIO(data.decode())))
    assert [r["question"] for r in records] == ["perfect", "planted", "dead", "easy", "essay"]
    planted = records[1]
    assert planted["number"] == "2" and planted["facility"] == "0.400" and planted["counts"] == "4*;5;1;0"
    assert planted["top_wrong"] == "planted option 1" and planted["top_wrong_count"] == "5"
    assert "key_error" in planted["flags"].split(";")
    assert records[4]["counts"] == "" and records[4]["facility"] == "0.500"


def test_report_bytes_are_reproducible_and_not_overwritten_without_force(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    write_report(one, rows(), [manifest()], bank())
    write_report(two, rows(), [manifest()], bank())
    for name in ("analysis.csv", "report.html"):
        assert (one / name).read_bytes() == (two / name).read_bytes()
    write_report(one, rows(), [manifest()], bank())  # the same bytes: nothing to refuse
    (one / "report.html").write_text("my notes", "utf-8")
    with pytest.raises(QuizgenError) as exc:
        write_report(one, rows(), [manifest()], bank())
    assert "pass --force" in str(exc.value)
    assert (one / "report.html").read_text("utf-8") == "my notes"
    assert (one / "analysis.csv").read_bytes() == (two / "analysis.csv").read_bytes()
    write_report(one, rows(), [manifest()], bank(), force=True)
    assert (one / "report.html").read_bytes() == (two / "report.html").read_bytes()
    assert sorted(p.name for p in one.iterdir()) == ["analysis.csv", "report.html"]


# -- the command ------------------------------------------------------------------

def _files(tmp_path, data: bytes):
    (tmp_path / "t.manifest.json").write_text(json.dumps(manifest()), "utf-8")
    (tmp_path / "results.csv").write_bytes(data)


def test_cli_writes_the_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _files(tmp_path, results_csv(rows()))
    args = ["analyse", "results.csv", "--manifest", "t.manifest.json", "--report", "rep"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output == "wrote rep/analysis.csv\nwrote rep/report.html\n"
    (tmp_path / "rep" / "report.html").write_text("edited", "utf-8")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "rep/report.html: error: expected no earlier report (pass --force to replace it)" in result.output
    assert CliRunner().invoke(cli, [*args, "--force"]).exit_code == 0


def test_cli_reports_every_bad_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = results_csv(rows()[:3]).decode().splitlines()
    lines[1] = lines[1].replace(",1,perfect,", ",x,perfect,")  # a bad number
    lines[2] = lines[2].replace(",B,A,0,", ",B,A,yes,")
    lines.append("s9,A,1,perfect,Z,A,0,0,1,mcq,t/A/s1,1,")
    lines.append("s9,Q,1,perfect,A,A,1,1,1,mcq,t/Q/s1,1,")
    _files(tmp_path, ("\n".join(lines) + "\n").encode())
    result = CliRunner().invoke(cli, ["analyse", "results.csv", "--manifest", "t.manifest.json", "--report", "rep"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "results.csv:2:6: error: number: expected a question number, found 'x'",
        "results.csv:3:20: error: correct: expected 1, 0 or empty (not decided), found 'yes'",
        "results.csv:5:1: error: expected one of the printed choices A, B, C, D, found 'Z'",
        "results.csv:6:1: error: expected a copy of the manifest, found code 't/Q/s1'",
        "quizgen: 4 errors; nothing was written"]
    assert not (tmp_path / "rep").exists()


def test_cli_bad_manifest_and_missing_columns(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.json").write_text('{"format": "quizgen-manifest",\n "version": 1,,}', "utf-8")
    (tmp_path / "results.csv").write_text("student,variant,question\n", "utf-8")
    result = CliRunner().invoke(cli, ["analyse", "results.csv", "--manifest", "bad.json", "--report", "rep"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "bad.json:2:15: error: expected JSON, found an error: Expecting property name enclosed in double quotes",
        "results.csv:1:1: error: expected the columns number, marked, correct, points, found student, variant, "
        "question",
        "quizgen: 2 errors; nothing was written"]


@pytest.mark.parametrize("count", [0, 1])
def test_empty_and_one_student_classes_still_report(tmp_path, count):
    r = rows()[: 5 * count]
    a = analyse(r, [manifest()])
    assert a.test.students == count and a.test.alpha is None
    assert all(not it.flags for it in a.items)
    write_report(tmp_path, r, [manifest()])
    assert "Item analysis: Test &lt;set&gt; &amp; co" in (tmp_path / "report.html").read_text("utf-8")
