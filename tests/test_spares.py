"""Spare options on the right of a matching: loaded, printed, keyed and exported."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pypdf
from click.testing import CliRunner

from quizgen.bank.load import load_bank
from quizgen.cli import cli
from quizgen.model import Bank, Citation, Question, QuestionSet, Source
from quizgen.render import RenderOptions
from quizgen.render.pdf import render
from quizgen.select import make_variants

from conftest import write

MATCHING = """
  - id: who-did-what
    type: matching
    topic: meetings
    tags: [x]
    difficulty: easy
    prompt: Match each place to what happened there.
    pairs:
      - left: Portville
        right: the ministers met
      - left: "2030"
        right: meet again
    spares: [{spares}]
    explanation: The article says so.
    citations:
      - source: harbour
        quote: The two "neighbouring" ministers met in Portville on Monday morning.
      - source: harbour
        quote: meet again in 2030 - after the harvest festival
"""


def with_matching(bank: Path, spares: str) -> tuple[int, str]:
    write(bank / "curated" / "matching.yaml", "questions:\n" + MATCHING.format(spares=spares).lstrip("\n"))
    result = CliRunner().invoke(cli, ["validate", str(bank)])
    return result.exit_code, result.output


def test_spares_load(mini_bank: Path):
    code, output = with_matching(mini_bank, "the treaty was signed, the talks broke down")
    assert code == 0, output
    bank, _ = load_bank(mini_bank)
    question = bank.question("who-did-what")
    assert question.spares == ("the treaty was signed", "the talks broke down") and question.options == ()


def test_a_spare_that_is_a_pairs_right_item_is_an_error(mini_bank: Path):
    code, output = with_matching(mini_bank, "The Ministers  met")
    assert code == 1
    assert re.search(r"matching\.yaml:\d+:\d+: error: .*spares\[0\].*expected a spare that is no pair's right "
                     r"item, found 'The Ministers  met'", output), output
    code, output = with_matching(mini_bank, "a, a")
    assert code == 1 and "expected distinct spares, found 'a' again" in output


SPARED = Question("roles", "matching", "t", "Match each person to their post.", "", "Posts as printed.",
                  (Citation("s", "a quote"),),
                  pairs=(("Anna Moser", "mayor"), ("Karl Brand", "clerk"), ("Eva Roth", "judge")),
                  spares=("harbour master",))


def text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_the_sheet_prints_the_spare_and_the_key_and_manifest_name_it(tmp_path: Path):
    bank = Bank("b", (Source("s", "s.txt", "0" * 64, "Herald", "Posts"),), (SPARED,), (QuestionSet("p", "Posts", seed=4),))
    render(bank, tmp_path, RenderOptions(timestamp=0))
    sheet, key = text(tmp_path / "p.pdf"), " ".join(text(tmp_path / "p-key.pdf").split())
    right = dict(re.findall(r"^\s*([A-H])\. (.+)$", sheet, re.M))
    assert sorted(right.values()) == ["clerk", "harbour master", "judge", "mayor"]
    assert "One option on the right is not used." in " ".join(sheet.split())
    manifest = json.loads((tmp_path / "p.manifest.json").read_text(encoding="utf-8"))
    entry = manifest["copies"][0]["questions"][0]
    assert [c["text"] for c in entry["choices"]] == [right[letter] for letter in "ABCD"]
    spare = next(letter for letter, value in right.items() if value == "harbour master")
    assert entry["key"]["spares"] == [spare]
    assert [right[letter] for letter in entry["key"]["letters"]] == ["mayor", "clerk", "judge"]
    assert f"not used: {spare}: harbour master" in key
    printed_key = ", ".join(f"{i}–{letter}" for i, letter in enumerate(entry["key"]["letters"], start=1))
    assert printed_key in key


def test_spares_shuffle_in_among_the_partners_in_every_variant():
    variants = make_variants([SPARED], QuestionSet("p", "Posts", seed=4), count=6)
    positions = {v.questions[0].spare_letters for v in variants}
    assert len(positions) > 1  # not always last
    for v in variants:
        shown = v.questions[0]
        assert sorted(shown.choices) == sorted(["mayor", "clerk", "judge", "harbour master"])
        assert shown.choices[ord(shown.spare_letters[0]) - 65] == "harbour master"


def test_exports_carry_the_spares_where_the_format_can():
    from quizgen.render import csv_export, gift, json_export, moodle, qti

    bank = Bank("b", (Source("s", "s.txt", "0" * 64, "Herald", "Posts"),), (SPARED,))
    assert "harbour master" in moodle.export(bank, RenderOptions()).decode()
    qti_bytes = qti.export(bank, RenderOptions())
    if qti_bytes[:2] == b"PK":  # a content package: the items are inside
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(qti_bytes)) as z:
            qti_bytes = b"".join(z.read(n) for n in z.namelist())
    assert b"harbour master" in qti_bytes
    assert "harbour master" in csv_export.export(bank, RenderOptions()).decode()
    assert json.loads(json_export.export(bank, RenderOptions()))["questions"][0]["spares"] == ["harbour master"]
    assert "harbour master" not in gift.export(bank, RenderOptions()).decode()  # GIFT cannot (docs/exports.md)


def test_the_shipped_bank_has_matching_questions_with_spares():
    bank, _ = load_bank(Path(__file__).parents[1] / "questions")
    spared = [q for q in bank.questions if q.spares]
    assert len(spared) >= 2 and all(q.type == "matching" for q in spared)


def test_a_spare_needs_glyphs_like_any_printed_text():
    from quizgen.bank.glyphs import printed

    assert ("spares[0]", "harbour master") in list(printed(SPARED))


def test_a_spare_printed_on_the_sheet_counts_for_leaks():
    from quizgen.select_leaks import printed

    assert "harbour master" in printed(SPARED)


def test_the_anki_card_shows_the_spare_in_its_right_column_and_solution():
    from quizgen.render.anki.notes import _fields

    fields, _ords = _fields(SPARED)
    assert "harbour master" in fields["Right"]
    assert fields["Right"].count('class="qg-letter"') == len(SPARED.pairs) + 1
    assert re.search(r"<tr><td>\u2014</td><td><span class=\"qg-letter\">[A-Z]</span>harbour master</td></tr>",
                     fields["Solution"])
