"""`quizgen validate` on a copy of the shipped bank with many seeded errors:
every diagnostic (text, order, file:line:col) and every record that validated
must equal the golden file written before the checks were made faster, in
process and in worker processes, with the validation cache off, filling and hit.

Regenerate the golden file (only after a deliberate change of a message):
QUIZGEN_WRITE_GOLDEN=1 pytest tests/test_checks_golden.py
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from quizgen.bank import load
from quizgen.cli import cli

from conftest import REAL_BANK, REAL_CORPUS

GOLDEN = Path(__file__).with_name("test_checks_golden.txt")
_FIELD = re.compile(r"^( +)(- )?([a-z_]+): (.+)$")


def _mutate_line(line: str, rng: random.Random) -> list[str]:
    m = _FIELD.match(line)
    if m is None:
        return [line]
    indent, dash, key, value = m.groups()
    head = f"{indent}{dash or ''}"
    choice = rng.randrange(10)
    if choice == 0:  # a word no article prints: support gaps, quotes not found
        return [f"{head}{key}: {value.rstrip()} Zorblax" if not value.startswith(("[", "{", ">", "|", '"', "'"))
                else line]
    if choice == 1:
        return [f"{head}{key}: ''"]
    if choice == 2:
        return [f"{head}{key}: [a, b]"]
    if choice == 3:
        return [f"{head}{key}: true"]
    if choice == 4:
        return [f"{head}{key}x: {value}"]
    if choice == 5:
        return [f"{head}{key}: 1965"]
    if choice == 6 and not dash:
        return []  # a missing key
    if choice == 7:
        return [f"{head}{key}: {value.rstrip()} \U0001f600" if not value.startswith(("[", "{", ">", "|", '"', "'"))
                else line]
    if choice == 8:
        return [f"{head}{key}: {{x: 1}}"]
    return [f"{head}{key}: Portville"]


def seeded_bank(root: Path) -> Path:
    """The shipped bank and corpus under ``root``, question files seeded with errors."""
    bank = root / "bank"
    shutil.copytree(REAL_BANK, bank)
    shutil.copytree(REAL_CORPUS, root / "corpus")
    config = bank / "bank.yaml"
    config.write_text(re.sub(r"(?m)^corpus: .*$", "corpus: ../corpus", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    files = sorted((bank / "curated").glob("*.yaml")) + sorted((bank / "generated").glob("*.yaml"))
    originals = {p: p.read_text(encoding="utf-8") for p in files}
    for n, path in enumerate(files):
        rng = random.Random(f"golden:{n}")
        lines = originals[path].splitlines()
        for i, line in enumerate(lines):  # keys and quotes no article prints: support gaps, quotes not found
            if re.match(r" +(- )?(answer|quote|right|left): [A-Za-z0-9]", line) and rng.random() < 0.15:
                lines[i] = line.rstrip() + " Zorblax"
            elif "[[" in line and rng.random() < 0.3:
                lines[i] = re.sub(r"\[\[([^\]]+)\]\]", r"[[\1 Zorblax]]", line, count=1)
        i = 0
        while i < len(lines):
            if rng.random() < 0.12:
                edited = lines[:i] + _mutate_line(lines[i], rng) + lines[i + 1:]
                try:  # kept only while the file stays YAML: one syntax error hides the rest
                    yaml.compose("\n".join(edited), Loader=yaml.CSafeLoader)
                    lines = edited
                except yaml.YAMLError:
                    pass
            i += 1
        # one file broken as YAML all the same
        if n == 3:
            lines.insert(5, "  - id: [unclosed")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # the same questions again: every id twice across files
    first = files[0]
    (bank / "curated" / "zz-again.yaml").write_text(originals[first], encoding="utf-8")
    # and under new ids: near-duplicates
    renamed = re.sub(r"(?m)^(  - id: )(\S+)", r"\1\2-copy", originals[files[-1]])
    (bank / "generated" / "zz-copies.yaml").write_text(renamed, encoding="utf-8")
    return bank


def _validate_text(bank: Path) -> str:
    result = CliRunner().invoke(cli, ["validate", str(bank.name)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    bank_obj, diagnostics = load.load_bank(bank, partial=True)
    records = hashlib.sha256(repr(bank_obj.questions).encode()).hexdigest() if bank_obj else "none"
    return f"exit {result.exit_code}\n{result.output}records {records}\n"


@pytest.fixture
def bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if not REAL_CORPUS.is_dir():
        pytest.skip("the shipped bank's corpus is not beside the repository")
    monkeypatch.chdir(tmp_path)
    return seeded_bank(tmp_path)


@pytest.mark.parametrize("mode", ["in-process", "workers"])
def test_seeded_errors_match_the_golden_file(bank: Path, mode: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch):
    if mode == "workers":
        monkeypatch.setattr(load, "PARALLEL_BYTES", 0)
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    off = _validate_text(bank)
    if os.environ.get("QUIZGEN_WRITE_GOLDEN") and mode == "in-process":
        GOLDEN.write_text(off, encoding="utf-8")
    golden = GOLDEN.read_text(encoding="utf-8")
    assert off.count("\n") > 200  # many diagnostics, of many kinds
    assert off == golden
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path / "cache"))
    assert _validate_text(bank) == golden  # misses, filling the cache
    assert _validate_text(bank) == golden  # hits the whole result (resultcache.py)
    from quizgen.bank import resultcache

    monkeypatch.setattr(resultcache, "get", lambda key: None)
    assert _validate_text(bank) == golden  # hits every file's entry (filecache.py)
