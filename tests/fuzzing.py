"""Generated and mutated bank documents, and the checks every load must pass.

Shared by tests/test_properties.py (hypothesis, a fixed seed, a small budget)
and bench/fuzz.py (10,000 documents from a seeded random.Random). A mutation
is a function of (text, rng): it returns the new text and whether the result
is certainly invalid, so "invalid input never validates" has an oracle.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

REPO = Path(__file__).resolve().parents[1]
REAL_BANK = REPO / "questions"

# Characters the loader refuses anywhere in the raw text.
FORBIDDEN = ([chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f"]
             + [chr(c) for c in range(0x80, 0xA0)] + ["\ufffe", "\uffff", "\u2028", "\u2029"])
ODD_UNICODE = ["\u202e", "\u200d", "\ufeff", "\u00a0", "\u0301", "\U0001f600", "\u629e", "\ufffd",
               "\U000e0001", "\ue000", "\U0010fffd", "\u0627", "\u3000", "\u00ad", "\t"]
ANKI_MARKUP = ["[sound:x.mp3]", "[latex]x[/latex]", "[$]y[/$]", "[$$]z[/$$]", "\\(a\\)", "\\[b\\]",
               "{{c1::c}}", "<b>", "&amp;", "[anki:tts]t[/anki:tts]"]
REQUIRED_KEYS = ("id", "type", "topic", "tags", "difficulty", "prompt", "explanation", "citations")
_PLAIN_VALUE = re.compile(r"^( {4}(?:[a-z_]+): )([A-Za-z0-9(][^\n#]*)$", re.M)
_KEY_LINE = re.compile(r"^ {4}([a-z_]+):", re.M)


# -- seed documents --------------------------------------------------------------


def _records(text: str) -> tuple[str, list[str]]:
    head, *records = re.split(r"\n(?=  - id: )", text)
    return head, [r.rstrip("\n") for r in records]


def question_seeds(per_doc: int = 2) -> list[str]:
    """Small question files cut from the shipped ones: their header and a few
    records each, so mutations meet the real styles (folded prose, flow lists,
    quoted strings) at a fraction of the load time."""
    seeds = []
    for path in sorted(REAL_BANK.glob("curated/*.yaml")) + sorted(REAL_BANK.glob("generated/*.yaml")):
        head, records = _records(path.read_text(encoding="utf-8"))
        head = head.replace("$schema=../schema/", "$schema=../schema/")
        for i in range(0, len(records), per_doc):
            seeds.append(head + "\n" + "\n\n".join(records[i:i + per_doc]) + "\n")
    return seeds


def set_seeds() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(REAL_BANK.glob("sets/*.yaml"))]


def sources_seed() -> str:
    return (REAL_BANK / "sources.yaml").read_text(encoding="utf-8")


# -- mutations ------------------------------------------------------------------


def _pos(text: str, rng: random.Random) -> int:
    return rng.randrange(len(text) + 1)


def insert_control(text, rng):
    return (text[:(i := _pos(text, rng))] + rng.choice(FORBIDDEN) + text[i:]), True


def escape_control(text, rng):
    """A plain value rewritten as a double-quoted string holding an escape
    the loader must refuse (\\x1f is the separator between Anki fields)."""
    matches = list(_PLAIN_VALUE.finditer(text))
    if not matches:
        return insert_control(text, rng)
    m = rng.choice(matches)
    escape = rng.choice(["\\x1f", "\\u001f", "\\e", "\\0", "\\x7f", "\\x85", "\\N", "\\uffff", "\\ud800"])
    value = json.dumps(m.group(2), ensure_ascii=False)[:-1] + escape + '"'
    return text[:m.start(2)] + value + text[m.end(2):], True


def brackets_in_quotes(text, rng):
    """Unbalanced brackets inside quoted text: valid YAML, never nesting."""
    matches = list(_PLAIN_VALUE.finditer(text))
    if not matches:
        return text, False
    m = rng.choice(matches)
    noise = "".join(rng.choice("[{[") for _ in range(rng.randrange(1, 200)))
    value = (json.dumps(m.group(2) + noise, ensure_ascii=False) if rng.random() < 0.5
             else "'" + (m.group(2) + noise).replace("'", "''") + "'")
    return text[:m.start(2)] + value + text[m.end(2):], False


def drop_required_key(text, rng):
    lines = text.split("\n")
    keys = [i for i, line in enumerate(lines)
            if (m := _KEY_LINE.match(line)) and m.group(1) in REQUIRED_KEYS]
    if not keys:
        return text, False
    i = rng.choice(keys)
    j = i + 1
    while j < len(lines) and lines[j].startswith(" " * 5):  # the key's value runs on, deeper indented
        j += 1
    return "\n".join(lines[:i] + lines[j:]), True


def swap_type(text, rng):
    matches = [m for m in _PLAIN_VALUE.finditer(text)]
    if not matches:
        return text, False
    m = rng.choice(matches)
    key = m.group(1).strip().rstrip(":")
    replacement = rng.choice(["123", "true", "null", "[a, b]", "{x: 1}", '""', "1.5", "2016-01-01"])
    certain = key in ("prompt", "explanation", "topic", "difficulty", "id", "type") and replacement in (
        "true", "null", "[a, b]", "{x: 1}", '""')
    return text[:m.start(2)] + replacement + text[m.end(2):], certain


def deep_nesting(text, rng):
    matches = list(_PLAIN_VALUE.finditer(text))
    n = rng.choice([10, 60, 63, 64, 65, 100, 999, 1001, 5000])
    value = rng.choice(["[" * n + "x" + "]" * n, "{a: " * n + "x" + "}" * n, "[" * n])
    if not matches:
        return text + "\nk: " + value + "\n", n >= 63
    m = rng.choice(matches)
    return text[:m.start(2)] + value + text[m.end(2):], n >= 63


def huge_string(text, rng, limit: int = 200_000):
    matches = list(_PLAIN_VALUE.finditer(text))
    big = rng.choice("xé永😀 ") * rng.randrange(1_000, limit)
    if not matches:
        return text + big, False
    m = rng.choice(matches)
    return text[:m.start(2)] + "x" + big.strip() + text[m.end(2):], False


def odd_unicode(text, rng):
    for _ in range(rng.randrange(1, 6)):
        i = _pos(text, rng)
        text = text[:i] + rng.choice(ODD_UNICODE) + text[i:]
    return text, False


def anki_markup(text, rng):
    matches = list(_PLAIN_VALUE.finditer(text))
    if not matches:
        return text, False
    m = rng.choice(matches)
    value = json.dumps(m.group(2) + " " + rng.choice(ANKI_MARKUP), ensure_ascii=False)
    return text[:m.start(2)] + value + text[m.end(2):], False


def delete_span(text, rng):
    i = _pos(text, rng)
    return text[:i] + text[i + rng.randrange(1, 40):], False


def duplicate_line(text, rng):
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return "\n".join(lines), False


def shift_indent(text, rng):
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    lines[i] = (" " * rng.randrange(1, 4)) + lines[i] if rng.random() < 0.5 else lines[i].lstrip()
    return "\n".join(lines), False


def yaml_features(text, rng):
    i = _pos(text, rng)
    return text[:i] + rng.choice(["&a ", "*a", "!!python/name:os.system ", "!x ", "? ", "- ", ": ", "|\n",
                                  "'", '"', "#", "\t", "---\n", "...\n", "%YAML 1.1\n", "<<: "]) + text[i:], False


def truncate(text, rng):
    return text[:_pos(text, rng)], False


def too_many_items(text, rng):
    m = re.search(r"^    items:\n((?:      - [^\n]*\n)+)", text, re.M)
    if not m:
        return text, False
    extra = "".join(f"      - extra step {i}\n" for i in range(8 - m.group(1).count("\n")))
    return text[:m.end()] + extra + text[m.end():], bool(extra)


def blank_cloze(text, rng):
    if "[[" not in text or not re.search(r"^    type: cloze$", text, re.M):
        return text, False
    return re.sub(r"\[\[[^\]\n]+\]\]", "[[ ]]", text, count=1), True


MUTATIONS = [insert_control, escape_control, brackets_in_quotes, drop_required_key, swap_type, deep_nesting,
             huge_string, odd_unicode, anki_markup, delete_span, duplicate_line, shift_indent, yaml_features,
             truncate, too_many_items, blank_cloze]
UNKNOWN = [m for m in MUTATIONS if m not in (insert_control, escape_control, drop_required_key)]
INVALIDATING = [insert_control, escape_control, drop_required_key, too_many_items, blank_cloze]


@dataclass
class Document:
    kind: str  # "questions", "sources" or "set"
    data: bytes
    must_fail: bool
    mutations: list[str] = field(default_factory=list)


def mutated(seed: str, kind: str, rng: random.Random, *, huge_limit: int = 200_000) -> Document:
    """Up to three blind mutations, then at most one whose invalidity is
    certain. That one goes last, so nothing after it can undo it; on its own
    (no blind one before it) its verdict is trusted."""
    text, names, must_fail = seed, [], False
    blind = rng.randrange(0, 3)
    for _ in range(blind):
        mutation = rng.choice(UNKNOWN)
        text, _ = mutation(text, rng) if mutation is not huge_string else huge_string(text, rng, huge_limit)
        names.append(mutation.__name__)
    if rng.random() < 0.5:
        mutation = rng.choice(INVALIDATING)
        text, certain = mutation(text, rng)
        names.append(mutation.__name__)
        # raw and escaped control characters are refused whatever came before
        must_fail = certain and (blind == 0 or mutation in (insert_control,))
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.03:
        i = rng.randrange(len(data) + 1)
        data = data[:i] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]) + data[i:]
        names.append("invalid_utf8")
        must_fail = True
    return Document(kind, data, must_fail, names)


def node_data(node):
    """A node as the validator reads it: keys by their text, plain numbers as numbers."""
    if isinstance(node, MappingNode):
        return {k.value: node_data(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [node_data(v) for v in node.value]
    assert isinstance(node, ScalarNode)
    tag = node.tag.rsplit(":", 1)[-1]
    if tag == "int":
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return node.value
    if tag == "float":
        return float(yaml.safe_load(node.value))
    if tag == "bool":
        return node.value.lower() in ("true", "yes", "on")
    if tag == "null":
        return None
    return node.value


QUESTION_SCHEMA = REAL_BANK / "schema" / "questions.schema.json"


# -- a bank to load documents in ----------------------------------------------------------


class FuzzBank:
    """A small valid bank folder; each document replaces one of its files."""

    def __init__(self, root: Path):
        self.root = root
        if root.exists():
            shutil.rmtree(root)
        (root / "curated").mkdir(parents=True)
        (root / "sets").mkdir()
        (root / "bank.yaml").write_bytes((REAL_BANK / "bank.yaml").read_bytes())
        (root / "sources.yaml").write_bytes((REAL_BANK / "sources.yaml").read_bytes())
        seeds = question_seeds()
        (root / "curated" / "base.yaml").write_text(seeds[0], encoding="utf-8")
        self.target = {"questions": root / "curated" / "fuzz.yaml", "sources": root / "sources.yaml",
                       "set": root / "sets" / "fuzz.yaml"}
        self.originals = {k: p.read_bytes() if p.exists() else None for k, p in self.target.items()}

    def put(self, doc: Document) -> Path:
        path = self.target[doc.kind]
        path.write_bytes(doc.data)
        return path

    def restore(self, doc: Document) -> None:
        path, original = self.target[doc.kind], self.originals[doc.kind]
        if original is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(original)


def line_count(text: str) -> int:
    """Lines as editors (and the loader) count them: breaks at \\n, \\r\\n and \\r."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def line_lengths(text: str) -> list[int]:
    return [len(line) for line in re.split(r"\r\n|\r|\n", text)]


FILE_LEVEL = ("expected a file inside the bank folder", "expected at least one question in the bank",
              "cannot read file", "expected the source registry here")


def location_problems(diagnostics, files: dict[Path, bytes]) -> list[str]:
    """Every diagnostic must name a real file of the bank and a line and column
    inside it; a 1:1 is only right where the document starts there."""
    problems = []
    texts = {p.resolve(): data.decode("utf-8", "replace") for p, data in files.items()}
    for d in diagnostics:
        where = Path(d.loc.file)
        if d.loc.file.startswith("<") or not where.exists():
            problems.append(f"not a file of the bank: {d}")
            continue
        text = texts.get(where.resolve())
        if text is None:
            text = where.read_text(encoding="utf-8", errors="replace") if where.is_file() else ""
        if d.loc.line <= 0:
            if not d.message.startswith(FILE_LEVEL) and "expected a file under" not in d.message:
                problems.append(f"no line for a problem inside the file: {d}")
            continue
        lengths = line_lengths(text)
        if d.loc.line > len(lengths):
            problems.append(f"line {d.loc.line} past the end ({len(lengths)} lines): {d}")
        elif not 1 <= d.loc.col <= lengths[d.loc.line - 1] + 1:
            problems.append(f"column {d.loc.col} outside line {d.loc.line} ({lengths[d.loc.line - 1]} chars): {d}")
        elif (d.loc.line, d.loc.col) == (1, 1) and text.startswith("#") and "found an empty file" not in d.message \
                and "undecodable" not in d.message and "expected a file under" not in d.message:
            problems.append(f"at 1:1 although line 1 is a comment: {d}")
        if "\n" in str(d) or "\x1b" in str(d):
            problems.append(f"message not one escaped line: {d!s:.200}")
    return problems
