"""`quizgen export` and the exports of `quizgen build`: the mechanism every
single-file format shares (each format's own content is tested in its own
test_export_*.py against a real consumer)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from click.testing import CliRunner

from quizgen.cli import cli
from quizgen.model import EXPORT_FORMATS
from quizgen.render import EXPORTERS

from conftest import write


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_every_registered_format_has_its_exporter():
    assert set(EXPORTERS) <= set(EXPORT_FORMATS)
    for name, (module, function, suffix) in EXPORTERS.items():
        assert callable(getattr(importlib.import_module(module), function)), name
        assert suffix.startswith("."), name


def test_export_refuses_to_overwrite_without_force(mini_bank: Path, tmp_path: Path):
    target = tmp_path / "bank.json"
    first = run("export", "--bank", str(mini_bank), "--format", "json", "-o", str(target))
    assert first.exit_code == 0, first.output
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == 1
    target.write_text("a person's edits", encoding="utf-8")
    again = run("export", "--bank", str(mini_bank), "--format", "json", "-o", str(target))
    assert again.exit_code == 1 and "pass --force to overwrite it" in again.output
    assert target.read_text(encoding="utf-8") == "a person's edits"
    forced = run("export", "--bank", str(mini_bank), "--format", "json", "-o", str(target), "--force")
    assert forced.exit_code == 0 and json.loads(target.read_text(encoding="utf-8"))["format"] == 1


def test_export_of_one_set_is_smaller_and_an_unknown_set_is_an_error(mini_bank: Path, tmp_path: Path):
    write(mini_bank / "sets" / "meet.yaml", """
        set:
          name: meet
          title: Where they met
          topics: [meetings]
        """)
    whole, part = tmp_path / "whole.json", tmp_path / "part.json"
    assert run("export", "--bank", str(mini_bank), "-o", str(whole)).exit_code == 0
    assert run("export", "--bank", str(mini_bank), "--set", "meet", "-o", str(part)).exit_code == 0
    assert [q["id"] for q in json.loads(part.read_text(encoding="utf-8"))["questions"]] == ["where-met"]
    assert part.stat().st_size < whole.stat().st_size
    unknown = run("export", "--bank", str(mini_bank), "--set", "meat", "-o", str(tmp_path / "x.json"))
    assert unknown.exit_code == 1
    assert "expected a question set of the bank (meet), found 'meat' (did you mean 'meet'?)" in unknown.output
    assert not (tmp_path / "x.json").exists()


def test_an_unknown_format_is_refused_by_name(mini_bank: Path):
    result = run("export", "--bank", str(mini_bank), "--format", "docx")
    assert result.exit_code == 2 and "Invalid value for '--format'" in result.output


def test_build_writes_the_exports_bank_yaml_names_or_the_formats_asked_for(mini_bank: Path, tmp_path: Path):
    out = tmp_path / "out"
    only = run("build", "--bank", str(mini_bank), "--out", str(out), "--format", "json")
    assert only.exit_code == 0, only.output
    assert sorted(p.name for p in out.iterdir()) == ["harbour-talks.json"]
    config = mini_bank / "bank.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "exports: [json]\n", encoding="utf-8")
    full = run("build", "--bank", str(mini_bank), "--out", str(out))
    assert full.exit_code == 0, full.output
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert "harbour-talks.apkg" in names and "harbour-talks.json" in names and "all.pdf" in names
    config.write_text(config.read_text(encoding="utf-8").replace("[json]", "[jsno]"), encoding="utf-8")
    bad = run("build", "--bank", str(mini_bank), "--out", str(out))
    assert bad.exit_code == 1
    assert (f"bank.yaml:4:11: error: exports[0]: expected one of {', '.join(EXPORT_FORMATS)}; found 'jsno' "
            "(did you mean 'json'?)") in bad.output
