"""The lean composer (quizgen/bank/compose.py) builds the tree PyYAML's C
composer builds, and the loader reports exactly the same diagnostics with it
as with PyYAML's nodes: on every shipped file, on bad documents written for
each loader rule, and on fuzzed ones."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from fuzzing import mutated, question_seeds, set_seeds, sources_seed
from quizgen.bank import marks
from quizgen.bank.compose import LeanMappingNode, LeanScalarNode, LeanSequenceNode, compose

REPO = Path(__file__).resolve().parents[1]
SHIPPED = sorted(p for folder in ("questions", "examples") for p in (REPO / folder).rglob("*.yaml"))


def tree(node, above=()):
    """Everything a node holds that the code reads, nested (a node inside
    itself, which an alias can make, as its depth)."""
    if node is None:
        return None
    if id(node) in above:
        return ("cycle", above.index(id(node)))
    above = above + (id(node),)
    marks_ = tuple((m.line, m.column, m.index) for m in (node.start_mark, node.end_mark))
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, marks_)
    if isinstance(node, yaml.MappingNode):
        return ("map", node.tag, node.flow_style, marks_, [(tree(k, above), tree(v, above)) for k, v in node.value])
    return ("seq", node.tag, node.flow_style, marks_, [tree(v, above) for v in node.value])


def pyyaml(source):
    loader = yaml.CSafeLoader(source)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def lean(source):
    loader = yaml.CSafeLoader(source)
    try:
        return compose(loader, len(source))
    finally:
        loader.dispose()


def outcome(fn, source):
    try:
        return tree(fn(source))
    except yaml.YAMLError as exc:
        return ("error", type(exc).__name__, getattr(exc, "problem", None), getattr(exc, "context", None),
                *((m.line, m.column, m.index) if m else None
                  for m in (getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None))))


def diagnostics(monkeypatch, path: Path, source: bytes, lean_bytes: int) -> list[str]:
    """What load_yaml and parse_text report, with the lean nodes from
    ``lean_bytes`` on (0: always, a huge number: never)."""
    monkeypatch.setattr(marks, "LEAN_BYTES", lean_bytes)
    path.write_bytes(source)
    found = [str(d) for d in marks.load_yaml(path, "f.yaml")[1]]
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError:
        return found
    return found + ["text"] + [str(d) for d in marks.parse_text(text, "f.yaml")[1]]


@pytest.fixture
def same_diagnostics(monkeypatch, tmp_path):
    def check(source: bytes) -> list[str]:
        with_lean = diagnostics(monkeypatch, tmp_path / "f.yaml", source, 0)
        assert with_lean == diagnostics(monkeypatch, tmp_path / "f.yaml", source, 1 << 40), source[:200]
        return with_lean
    return check


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(REPO)))
def test_shipped_files_give_the_same_tree(path):
    data = path.read_bytes()
    expected = tree(pyyaml(data))
    assert tree(lean(data)) == expected
    assert tree(lean(data.decode("utf-8"))) == expected


def test_lean_nodes_are_pyyaml_nodes_without_a_dict():
    node = lean("a: [b, {c: d}]\n")
    assert isinstance(node, LeanMappingNode) and isinstance(node, yaml.MappingNode)
    key, value = node.value[0]
    assert isinstance(key, LeanScalarNode) and isinstance(key, yaml.ScalarNode)
    assert isinstance(value, LeanSequenceNode) and isinstance(value, yaml.SequenceNode)
    for n in (node, key, value):
        assert vars(n) == {}  # every field in a slot: the point of these nodes
    assert (value.start_mark.line, value.start_mark.column, value.end_mark.column) == (0, 3, 14)


BAD = [
    "",
    "# only a comment\n",
    "plain scalar at the root\n",
    "a: &x [1, 2]\nb: *x\nc: *x\n",
    "a: *nowhere\n",
    "a: &x 1\nb: &x 2\n",
    "a: &x {b: 1}\nc: &x [2]\n",
    "- &r [*r]\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\nb: 2\na: 3\nb: 4\n",
    "{a: 1, a: 2}\n",
    "a: !!python/object/apply:os.system [ls]\n",
    "a: !custom 1\nb: ! 2\nc: !!str 3\n",
    "? [complex, key]\n: 1\n? [complex, key]\n: 2\n",
    "[" * 70 + "]" * 70 + "\n",
    "[" * 1100 + "]" * 1100 + "\n",
    "".join("  " * i + f"k{i}:\n" for i in range(80)) + "  " * 80 + "v\n",
    'a: "bell \\a here"\nb: "\\x00 \\u0001 \\U0000001F \\e \\N"\n',
    '\ufeffa: "\u00e9\U0001F600 then \\x07"\n',
    'a: "line one\r\n  \U0001F600 \\x1f"\r\nb: "\\x7f"\r\n',
    'a: "ok \\\\x07 is an escaped backslash"\n',
    'a: |\n  block \\x07 stays literal\n',
    "a: b: c\n",
    "a:\n  - x\n  y: 1\n",
    'a: "unterminated\n',
    "a: 'it''s'\nb: >\n  folded\n  text\n",
    "a: [1, 2\n",
]


@pytest.mark.parametrize("text", BAD, ids=range(len(BAD)))
def test_bad_documents_give_the_same_tree_or_error(text):
    for source in (text, text.encode("utf-8")):
        assert outcome(lean, source) == outcome(pyyaml, source)


@pytest.mark.parametrize("text", BAD, ids=range(len(BAD)))
def test_bad_documents_give_the_same_diagnostics(same_diagnostics, text):
    same_diagnostics(text.encode("utf-8"))


def test_escape_found_in_the_bytes_of_a_huge_string(same_diagnostics):
    """The fuzz run's worst case: one emoji makes the decoded text four bytes a
    character, so the escape is now found in the bytes; same place, same text."""
    body = "a" * 300_000
    data = f'questions:\n  - id: q1\n    prompt: "{body}\U0001F600{body}\\x07 tail \\e"\n'.encode()
    found = same_diagnostics(data)
    assert found[0] == ("f.yaml:3:600015: error: expected text without control characters, "
                        "found U+0007 (a control character) written as an escape")


def test_fuzzed_documents_give_the_same_diagnostics(same_diagnostics):
    seeds = {"questions": question_seeds(), "set": set_seeds(), "sources": [sources_seed()]}
    rng = random.Random(20261203)
    for _ in range(150):
        kind = rng.choice(["questions", "questions", "set", "sources"])
        doc = mutated(rng.choice(seeds[kind]), kind, rng, huge_limit=20_000)
        same_diagnostics(doc.data)


def test_escapes_found_in_the_bytes_where_the_text_finds_them():
    """_escape_in_bytes (a file read as bytes) against _escape_offset on the
    decoded text, on random double-quoted strings of escapes, multi-byte
    characters and every kind of line break, with and without a BOM."""
    rng = random.Random(7)
    pieces = ["a", "\u00e9", "\U0001F600", "\n", "\r\n", "\r", " ", "\\x07", "\\\\", "\\u0001", "\\e", "\\",
              "x", "\\U0001F600", "\\x41", "\\N", "\\u00e9"]
    found = 0
    for _ in range(600):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        head = "".join(rng.choice(["k: v\n", "\u00e9: \U0001F600\n", "x:\r\n  y\n"]) for _ in range(rng.randint(0, 3)))
        text = head + f'top:\n  a: "{body}"\n  b: "\u00e9{body}\U0001F600"\n'
        data = (b"\xef\xbb\xbf" if rng.random() < 0.2 else b"") + text.encode("utf-8")
        try:
            root = pyyaml(data)
        except yaml.YAMLError:
            continue
        from_text, _ = marks._check_nodes(root, "f.yaml", text_of=lambda: text)
        from_bytes, _ = marks._check_nodes(root, "f.yaml", data=data)
        assert [str(d) for d in from_bytes] == [str(d) for d in from_text], text
        found += bool(from_text)
    assert found > 100  # the strings did hold escapes to find
