"""NAME.manifest.json, read back and checked against the PDFs it describes."""

from __future__ import annotations

import json
import re

import pypdf

from quizgen.render import RenderOptions
from quizgen.render.pdf import render
from test_render_pdf import BANK, QUESTIONS, flat, matching_columns, read_text, worksheet_choices

OPTIONS = RenderOptions(timestamp=1_700_000_000, variants=3, set_names=("review",))


def test_every_copy_lists_its_questions_choices_keys_points_and_seed(tmp_path):
    paths = {p.name: p for p in render(BANK, tmp_path, OPTIONS)}
    manifest = json.loads(paths["review.manifest.json"].read_text(encoding="utf-8"))
    assert (manifest["format"], manifest["version"], manifest["set"]) == ("quizgen-manifest", 1, "review")
    assert [c["variant"] for c in manifest["copies"]] == ["A", "B", "C"]
    by_id = {q.id: q for q in QUESTIONS}
    for copy in manifest["copies"]:
        assert copy["seed"] == 5 and copy["code"] == f"review/{copy['variant']}/s5"
        sheet = read_text(paths[copy["worksheet"]])
        key = flat(read_text(paths[copy["key"]]))
        assert {q["id"] for q in copy["questions"]} == set(by_id)
        assert [q["number"] for q in copy["questions"]] == list(range(1, len(QUESTIONS) + 1))
        assert copy["total_points"] == sum(q["points"] for q in copy["questions"])
        for entry in copy["questions"]:
            q, n = by_id[entry["id"]], entry["number"]
            head = flat(re.sub(r"\[\[.+?\]\]", " ", q.prompt))[:12]
            assert any(ln.strip().startswith(f"{n}. {head}") for ln in sheet.splitlines()), (n, q.id)
            if q.type in ("mcq", "ordering"):
                printed = worksheet_choices(sheet, n)
                assert [c["text"] for c in entry["choices"]] == printed
                original = q.options if q.type == "mcq" else q.items
                assert [original[i] for i in entry["order"]] == printed
            if q.type == "mcq":
                assert printed[ord(entry["key"]["letter"]) - 65] == q.answer
                assert f"{n}. {entry['key']['letter']}: {q.answer}" in key
            if q.type == "matching":
                left, right = matching_columns(sheet, n)
                assert [right[letter] for letter in entry["key"]["letters"]] == [r for _, r in q.pairs]
            if q.type == "cloze":
                assert entry["key"]["blanks"] == list(q.cloze_blanks)
                assert entry["points"] == len(q.cloze_blanks)


def test_the_manifest_is_byte_reproducible_and_names_no_machine_path(tmp_path):
    first = render(BANK, tmp_path / "a", OPTIONS)
    second = render(BANK, tmp_path / "b", OPTIONS)
    a = next(p for p in first if p.suffix == ".json").read_bytes()
    b = next(p for p in second if p.suffix == ".json").read_bytes()
    assert a == b
    assert str(tmp_path).encode() not in a and b"/tmp" not in a


def test_a_single_version_has_one_copy_without_letter(tmp_path):
    paths = {p.name: p for p in render(BANK, tmp_path, RenderOptions(set_names=("islands",)))}
    manifest = json.loads(paths["islands.manifest.json"].read_text(encoding="utf-8"))
    (copy,) = manifest["copies"]
    assert copy["variant"] == "" and copy["worksheet"] == "islands.pdf" and copy["key"] == "islands-key.pdf"
    assert len(pypdf.PdfReader(paths["islands.pdf"]).pages) >= 1
    assert re.fullmatch(r"islands/s\d+", copy["code"])
