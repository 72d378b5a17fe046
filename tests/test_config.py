"""bank.yaml: what it accepts, what it refuses (exact messages), and that its
JSON Schema follows the loader."""

from __future__ import annotations

import json
import os
from pathlib import Path

from quizgen.bank.config import OPTIONAL, REQUIRED
from quizgen.bank.load import load_bank
from quizgen.ids import note_guid
from quizgen.model import DEFAULT_LABELS

from conftest import REAL_BANK, write


def messages(root: Path) -> list[str]:
    _bank, diagnostics = load_bank(root)
    return [str(d).replace(str(root) + os.sep, "") for d in diagnostics]


def test_the_shipped_config():
    bank, diagnostics = load_bank(REAL_BANK)
    assert bank is not None, diagnostics
    c = bank.config
    assert (c.title, c.deck, c.id_namespace, c.language) == ("Russia–Japan Peace Treaty",) * 2 + ("", "en")
    assert [t.id for t in c.topics] == ["dates", "actors", "declaration-1956", "islands", "meetings"]
    assert c.topic_name("declaration-1956") == "Declaration 1956"
    assert sorted(["meetings", "dates", "zzz"], key=c.topic_rank) == ["dates", "meetings", "zzz"]


def test_every_problem_of_a_config_at_once(mini_bank: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere.ttf"
    outside.write_bytes(b"not a font")
    (mini_bank / "link.ttf").symlink_to(outside)
    write(mini_bank / "bank.yaml", """
        title: ""
        language: english please
        deck: {name: "A::::B"}
        corpus: /abs/corpus
        id_namespace: Has Spaces
        fonts: [link.ttf, missing.ttf]
        topics:
          - {id: dates, name: Dates}
          - {id: dates, name: Again}
        labels: {answer_key: Key, colour: red}
        """)
    assert messages(mini_bank) == [
        "bank.yaml:1:8: error: title: expected non-empty text, found an empty string",
        "bank.yaml:2:11: error: language: expected a language tag such as 'en' or 'pt-BR', found 'english please'",
        "bank.yaml:3:14: error: deck.name: expected a deck name without empty '::' parts, found 'A::::B'",
        "bank.yaml:4:9: error: corpus: expected a folder relative to the bank, found '/abs/corpus'",
        "bank.yaml:5:15: error: id_namespace: expected lower-case letters, digits and '-', found 'Has Spaces'",
        "bank.yaml:6:9: error: fonts[0]: expected a font file inside the bank, found 'link.ttf' "
        "(it resolves outside the bank folder)",
        "bank.yaml:6:19: error: fonts[1]: expected a TrueType font file, found no file 'missing.ttf'",
        "bank.yaml:9:10: error: topics[1].id: expected a unique topic id, found 'dates' again "
        "(first at bank.yaml:8:5)",
        f"bank.yaml:10:27: error: labels.colour: expected one of the keys {', '.join(DEFAULT_LABELS)}; "
        "found unknown key 'colour'",
    ]


def test_declared_topics_are_the_only_topics(mini_bank: Path):
    write(mini_bank / "bank.yaml", """
        title: Harbour Talks
        corpus: ../corpus
        topics: [{id: dates, name: Dates}, {id: meeting, name: Meetings}]
        """)
    assert messages(mini_bank) == [
        "curated/basics.yaml:2:5: error: topic: expected a topic declared in bank.yaml (dates, meeting), "
        "found 'meetings' (did you mean 'meeting'?)",
    ]


def test_a_bank_without_config_loads_with_a_warning(mini_bank: Path):
    (mini_bank / "bank.yaml").unlink()
    bank, diagnostics = load_bank(mini_bank)
    assert bank is not None and bank.config.title == "Bank"
    assert [d.severity for d in diagnostics] == ["warning"]
    assert "expected a bank config here (quizgen init writes one)" in diagnostics[0].message


def test_the_namespace_keeps_two_banks_notes_apart():
    assert note_guid("q-1", "teacher-a") != note_guid("q-1", "teacher-b")
    assert note_guid("q-1", "") == note_guid("q-1")  # banks from before namespaces keep their GUIDs


def test_the_schema_follows_the_loader():
    schema = json.loads((REAL_BANK / "schema" / "bank.schema.json").read_text(encoding="utf-8"))
    assert schema["required"] == list(REQUIRED)
    assert set(schema["properties"]) == set(REQUIRED) | set(OPTIONAL)
    labels = schema["properties"]["labels"]["properties"]
    assert {k: v["default"] for k, v in labels.items()} == dict(DEFAULT_LABELS)
