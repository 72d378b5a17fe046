"""`quizgen init`: a starter bank that validates and builds at once, schemas
shipped inside the package and copied into the bank."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen.cli import cli
from quizgen.starter import EXAMPLE_TEXT, new_namespace, schema_files

from conftest import REAL_BANK, REPO


def test_init_then_validate_then_build(tmp_path: Path):
    runner = CliRunner()
    bank = tmp_path / "mybank"
    result = runner.invoke(cli, ["init", str(bank), "--title", "Printing & Penicillin"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert re.fullmatch(rf"wrote 12 files in {re.escape(str(bank))} \(id namespace printing-penicillin-[0-9a-f]{{6}}\)",
                        lines[0]), lines[0]
    assert sorted(str(p.relative_to(bank)) for p in bank.rglob("*") if p.is_file()) == sorted(
        ["bank.yaml", "sources.yaml", "sources/example.txt", "curated/example.yaml", "sets/all.yaml"]
        + [f"schema/{name}" for name in schema_files()])

    result = runner.invoke(cli, ["validate", str(bank)])
    assert (result.exit_code, result.output) == (
        0, "ok: 2 questions in 1 files, 1 sources, 1 sets; 2 quotes found verbatim\n")

    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", "--bank", str(bank), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["all-key.pdf", "all.manifest.json", "all.pdf",
                                                         "printing-penicillin.apkg"]
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(out / "all.pdf").pages)
    assert "how long may a quote be at most?" in text


def test_build_deck_option_overrides_the_config(tmp_path: Path):
    import sqlite3
    import zipfile

    bank, out = tmp_path / "b", tmp_path / "out"
    CliRunner().invoke(cli, ["init", str(bank), "--title", "Biology"])
    result = CliRunner().invoke(cli, ["build", "--bank", str(bank), "--out", str(out), "--deck", "Year 9 Biology"])
    assert result.exit_code == 0, result.output
    [apkg] = out.glob("*.apkg")
    with zipfile.ZipFile(apkg) as z:
        (tmp_path / "c.db").write_bytes(z.read("collection.anki2"))
    decks = json.loads(sqlite3.connect(tmp_path / "c.db").execute("select decks from col").fetchone()[0])
    assert "Year 9 Biology" in {d["name"] for d in decks.values()}
    assert "Biology" not in {d["name"] for d in decks.values()}


def test_every_file_names_its_schema(tmp_path: Path):
    bank = tmp_path / "b"
    CliRunner().invoke(cli, ["init", str(bank)])
    for rel, schema in [("bank.yaml", "schema/bank.schema.json"), ("sources.yaml", "schema/sources.schema.json"),
                        ("curated/example.yaml", "../schema/questions.schema.json"),
                        ("sets/all.yaml", "../schema/set.schema.json")]:
        first = (bank / rel).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={schema}"
        assert ((bank / rel).parent / schema).is_file()


def test_init_refuses_a_non_empty_folder_and_force_keeps_edited_files(tmp_path: Path):
    bank = tmp_path / "b"
    bank.mkdir()
    (bank / "bank.yaml").write_text("title: Mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(bank)])
    assert (result.exit_code, result.output) == (
        1, f"Error: {bank} is not empty; pass --force to add the missing starter files (existing files are kept)\n")
    assert sorted(p.name for p in bank.iterdir()) == ["bank.yaml"]
    result = CliRunner().invoke(cli, ["init", str(bank), "--force"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == f"kept {bank / 'bank.yaml'} (it exists)"
    assert (bank / "bank.yaml").read_text(encoding="utf-8") == "title: Mine\n"
    assert (bank / "sources" / "example.txt").read_text(encoding="utf-8") == EXAMPLE_TEXT


def test_title_defaults_to_the_folder_name(tmp_path: Path):
    bank = tmp_path / "my-history_bank"
    CliRunner().invoke(cli, ["init", str(bank)])
    assert "\ntitle: My history bank\n" in (bank / "bank.yaml").read_text(encoding="utf-8")


def test_namespaces_differ_between_banks_of_one_title():
    a, b = new_namespace("Biology"), new_namespace("Biology")
    assert a != b and a.startswith("biology-") and b.startswith("biology-")
    assert re.fullmatch(r"bank-[0-9a-f]{6}", new_namespace("生物"))


def test_package_schemas_and_the_shipped_banks_copies_are_identical():
    package = schema_files()
    shipped = {p.name: p.read_bytes() for p in sorted((REAL_BANK / "schema").glob("*.schema.json"))}
    hint = "quizgen/schema/ is canonical: cp quizgen/schema/*.json questions/schema/"
    assert sorted(shipped) == sorted(package), hint
    for name in package:
        assert shipped[name] == package[name], f"{name} differs; {hint}"
        json.loads(package[name])


def test_schemas_are_package_data():
    """A non-editable install carries exactly what pyproject lists as package data."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "schema/*.json" in config["tool"]["setuptools"]["package-data"]["quizgen"]
    assert {p.name for p in (REPO / "quizgen" / "schema").glob("*.json")} == set(schema_files())


def test_starter_files_satisfy_the_schemas_they_name(tmp_path: Path):
    """What an editor's YAML language server would check: each starter file
    against the schema its first line names."""
    import yaml
    from jsonschema import Draft202012Validator

    bank = tmp_path / "b"
    CliRunner().invoke(cli, ["init", str(bank)])
    for rel in ("bank.yaml", "sources.yaml", "curated/example.yaml", "sets/all.yaml"):
        path = bank / rel
        schema_ref = path.read_text(encoding="utf-8").splitlines()[0].split("$schema=")[1]
        schema = json.loads((path.parent / schema_ref).read_text(encoding="utf-8"))
        errors = [e.message for e in Draft202012Validator(schema).iter_errors(yaml.safe_load(path.read_text("utf-8")))]
        assert errors == [], rel
    registry = json.loads((bank / "schema" / "sources.schema.json").read_text(encoding="utf-8"))
    shipped = yaml.safe_load((REAL_BANK / "sources.yaml").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(registry).iter_errors(shipped)) == []
    assert list(Draft202012Validator(registry).iter_errors({"sources": []})) == []


def _printable(ch: str) -> bool:
    # A title the built-in fonts cannot draw is the glyph check's business (tests/test_glyphs.py).
    from quizgen.bank.glyphs import font_chain

    return not font_chain(".").missing(ch)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")).filter(_printable),
                     min_size=1, max_size=30))
def test_any_title_gives_a_bank_that_validates(tmp_path_factory, title: str):
    from quizgen.bank.load import load_bank
    from quizgen.starter import InitError, init_bank

    folder = tmp_path_factory.mktemp("t") / "bank"
    try:
        init_bank(folder, title)
    except InitError:
        assert not title.strip() or any(not p.strip() for p in title.split("::"))
        assert not folder.exists()
        return
    bank, diagnostics = load_bank(folder)
    assert bank is not None, [str(d) for d in diagnostics]
    assert (bank.config.title, bank.config.deck) == (title, title)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*-[0-9a-f]{6}", bank.config.id_namespace)
