from quizgen.bank.marks import MAX_DEPTH, parse_text


def messages(text: str) -> list[str]:
    _, diagnostics = parse_text(text, "f.yaml")
    return [str(d) for d in diagnostics]


def test_plain_yaml_loads_with_marks():
    node, diagnostics = parse_text("a:\n  b: [1, 2]\n", "f.yaml")
    assert diagnostics == []
    value = node.value[0][1].value[0][1]
    assert (value.start_mark.line, value.start_mark.column) == (1, 5)


def test_syntax_error_points_at_line_and_column():
    assert messages("a:\n  - x\n  y: 1\n") == [
        "f.yaml:3:3: error: invalid YAML: did not find expected '-' indicator (while parsing a block collection)"
    ]
    assert messages("a: b: c\n") == ["f.yaml:1:5: error: invalid YAML: mapping values are not allowed in this context"]


def test_duplicate_key_reported_at_second_occurrence():
    assert messages("a: 1\nb: 2\na: 3\n") == [
        "f.yaml:3:1: error: duplicate key 'a' (first defined at line 1); expected each key once per mapping"
    ]


def test_python_tags_refused():
    assert messages("a: !!python/object/apply:os.system [ls]\n") == [
        "f.yaml:1:4: error: expected plain data, found tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' (only standard YAML tags are allowed)"
    ]


def test_aliases_refused_at_the_alias():
    assert messages("a: &x [1]\nb: *x\n") == [
        "f.yaml:2:4: error: expected plain data, found alias '*x' (anchors and aliases are not supported)"
    ]


def test_alias_bomb_rejected_quickly():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 12):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    found = messages("\n".join(lines) + "\n")
    assert 0 < len(found) <= 20
    assert all("found alias" in m for m in found)


def test_deep_flow_nesting_rejected_without_crashing():
    text = "[" * 200_000 + "]" * 200_000
    assert messages(text) == [f"f.yaml:1:{MAX_DEPTH + 1}: error: expected at most {MAX_DEPTH} levels of nesting, found more"]


def test_deep_block_chain_rejected_without_crashing():
    assert messages("- " * 200_000 + "x\n") == [
        f"f.yaml:1:{2 * MAX_DEPTH + 1}: error: expected at most {MAX_DEPTH} levels of nesting, found more"
    ]


def test_moderate_nesting_is_fine():
    assert messages("[" * 10 + "]" * 10) == []


def test_large_files_are_composed_into_lean_nodes(tmp_path):
    """From LEAN_BYTES on the loader builds compact nodes (compose.py), and
    places and messages stay those of PyYAML's nodes (see test_compose.py)."""
    from quizgen.bank.compose import LeanMappingNode
    from quizgen.bank.marks import LEAN_BYTES, load_yaml

    items = "".join(f"  - id: q{i}\n    text: item {i}\n" for i in range(LEAN_BYTES // 20))
    path = tmp_path / "big.yaml"
    path.write_text(f"items:\n{items}items: again\n", encoding="utf-8")
    node, diagnostics = load_yaml(path, "big.yaml")
    assert isinstance(node, LeanMappingNode)
    last = 2 + 2 * (LEAN_BYTES // 20)
    assert [str(d) for d in diagnostics] == [
        f"big.yaml:{last}:1: error: duplicate key 'items' (first defined at line 1); expected each key once per mapping"
    ]
    item = node.value[0][1].value[-1]
    assert (item.start_mark.line, item.start_mark.column, item.end_mark.line) == (last - 3, 4, last - 1)
