"""The starter bank `quizgen init` writes: a config, a source registry with
one example text of our own, one question file citing it, one set, and
copies of the JSON Schemas that every file names on its first line, so an
editor with a YAML language server finds them. It validates and builds as
written. No click here."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from quizgen.bank.registry import NewSource, yaml_scalar

CORPUS = "sources"
EXAMPLE_FILE = "example.txt"
EXAMPLE_ID = "example"

# Our own words, so a new bank holds nothing it may not copy. The questions
# below quote it verbatim.
EXAMPLE_TEXT = """\
How this question bank works

This text stands in for the articles you will add. Put each article in this
folder as plain UTF-8 text, register it with quizgen add-source, and write
questions that cite it.

Every answer in the bank rests on a quote: a passage copied word for word from
one of the registered texts. A quote may be at most thirty words long, and
quizgen checks each one against its text on every build.

Each text is pinned by its sha256 checksum. After a deliberate edit of a text,
quizgen rehash records the new checksum and lists the quotes that no longer match.
"""

EXAMPLE_QUESTIONS = """\
# yaml-language-server: $schema=../schema/questions.schema.json
# An example to copy from; replace it with questions on your own texts.
questions:
  - id: example-quote-length
    type: mcq
    topic: basics
    tags: [quotes]
    difficulty: easy
    prompt: According to the example text, how long may a quote be at most?
    options: [ten words, thirty words, fifty words]
    answer: thirty words
    explanation: The example text sets the limit at thirty words.
    citations:
      - source: example
        quote: A quote may be at most thirty words long
  - id: example-checked-on-build
    type: true_false
    topic: basics
    tags: [quotes]
    difficulty: easy
    prompt: Quotes are checked against their texts only when you ask for it.
    answer: false
    explanation: The example text says quizgen checks every quote on every build.
    citations:
      - source: example
        quote: quizgen checks each one against its text on every build
"""

EXAMPLE_SET = """\
# yaml-language-server: $schema=../schema/set.schema.json
set:
  name: all
  title: All questions
  instructions: Answer every question. Each answer can be checked against the text it quotes.
"""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def new_namespace(title: str) -> str:
    """The title's slug and a random suffix: two teachers' banks called
    'Biology' still give their notes different GUIDs."""
    base = slug(title)[:40].strip("-") or "bank"
    return f"{base}-{secrets.token_hex(3)}"


def schema_files() -> dict[str, bytes]:
    """The JSON Schemas shipped inside the package, by file name."""
    folder = resources.files("quizgen") / "schema"
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir(), key=lambda f: f.name)
            if f.name.endswith(".schema.json")}


def starter_files(title: str, namespace: str) -> dict[str, bytes]:
    """Every file of a new bank, by path relative to the bank folder."""
    example = EXAMPLE_TEXT.encode("utf-8")
    record = NewSource(EXAMPLE_ID, EXAMPLE_FILE, hashlib.sha256(example).hexdigest(),
                       "quizgen", "How this question bank works")
    config = (
        "# yaml-language-server: $schema=schema/bank.schema.json\n"
        "#\n"
        "# This bank's own settings: what the deck and worksheets are called and where\n"
        "# its texts are.\n"
        f"title: {yaml_scalar(title)}\n"
        "language: en\n"
        "deck:\n"
        f"  name: {yaml_scalar(title)}\n"
        "# The folder of the source texts, relative to this file.\n"
        f"corpus: {CORPUS}\n"
        "# Mixed into the Anki note ids, so this bank's cards never collide with\n"
        "# another bank's. Keep it once learners use the deck.\n"
        f"id_namespace: {namespace}\n"
        "topics:\n"
        "  - {id: basics, name: Basics}\n"
    )
    registry = (
        "# yaml-language-server: $schema=schema/sources.schema.json\n"
        "# The registry of source texts. Add one with: quizgen add-source FILE --bank .\n"
        "# `published` is the date a text prints; where it prints none, `inferred_date`\n"
        "# holds an inference and `inferred_reason` the reasoning.\n"
        "sources:\n" + record.block(2)
    )
    files = {
        "bank.yaml": config,
        "sources.yaml": registry,
        f"{CORPUS}/{EXAMPLE_FILE}": EXAMPLE_TEXT,
        "curated/example.yaml": EXAMPLE_QUESTIONS,
        "sets/all.yaml": EXAMPLE_SET,
    }
    out = {path: text.encode("utf-8") for path, text in files.items()}
    out.update({f"schema/{name}": data for name, data in schema_files().items()})
    return out


@dataclass(frozen=True, slots=True)
class InitResult:
    folder: Path
    namespace: str
    written: tuple[str, ...]
    kept: tuple[str, ...]  # files that were there already and were left alone


class InitError(Exception):
    """Why no starter bank was written (nothing was)."""


def init_bank(folder: Path, title: str | None = None, *, force: bool = False) -> InitResult:
    """Write a starter bank into ``folder``. A folder with files in it is
    refused unless ``force``; even then no existing file is replaced."""
    from quizgen.writefile import write_atomic

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InitError(f"{folder} is not empty; pass --force to add the missing starter files "
                             "(existing files are kept)")
    title = title or (folder.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize()
                      or "Question bank")
    if not title.strip():
        raise InitError("expected a title with some text, found an empty one")
    if any(not part.strip() for part in title.split("::")):
        raise InitError(f"expected a title without empty '::' parts (Anki reads '::' in a deck name as a "
                        f"subdeck), found '{title}'")
    namespace = new_namespace(title)
    written, kept = [], []
    for rel, data in starter_files(title, namespace).items():
        target = folder / rel
        if target.exists() or target.is_symlink():
            kept.append(rel)
            continue
        write_atomic(target, data)
        written.append(rel)
    return InitResult(folder, namespace, tuple(written), tuple(kept))
