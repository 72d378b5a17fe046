"""YAML -> nodes that keep their marks, so every diagnostic can say file:line:col.

Only the safe subset is accepted: standard tags, no aliases, bounded nesting.
Problems are returned as Diagnostics, never raised.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quizgen.errors import Diagnostic, Loc

try:  # libyaml is several times faster; the pure-Python loader is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64
MAX_BYTES = 256 * 1024 * 1024

ALLOWED_TAGS = frozenset(
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)

# libyaml composes recursively in C: a few hundred thousand nested brackets
# crash the interpreter, so nesting is bounded before the parser sees the text.
# Block indentation cannot nest deeply in a file of sane size (depth d needs
# ~d*d/2 bytes of indentation); flow brackets and "- - - x" chains can.
_FLOW = re.compile(r"[\[\]{}]")
_COMPACT_CHAIN = re.compile(r"(?:[-?][ \t]+){%d}" % MAX_DEPTH)


def loc_of(node: Node, file: str) -> Loc:
    mark = node.start_mark
    return Loc(file, mark.line + 1, mark.column + 1)


def _nesting_problem(text: str, file: str) -> Diagnostic | None:
    depth = 0
    for match in _FLOW.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _text_diag(text, match.start(), file,
                                  f"expected at most {MAX_DEPTH} levels of nesting, found more")
        elif depth:
            depth -= 1
    chain = _COMPACT_CHAIN.search(text)
    if chain:
        return _text_diag(text, chain.start(), file,
                          f"expected at most {MAX_DEPTH} levels of nesting, found more")
    return None


def _text_diag(text: str, offset: int, file: str, message: str) -> Diagnostic:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Diagnostic(Loc(file, line, col), message)


def _yaml_error_diag(exc: yaml.YAMLError, file: str) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}"
    if context:
        message += f" ({context})"
    if mark is None:
        return Diagnostic(Loc(file, 1, 1), message)
    return Diagnostic(Loc(file, mark.line + 1, mark.column + 1), message)


def parse_text(text: str, file: str) -> tuple[Node | None, list[Diagnostic]]:
    """Compose one YAML document and check the safety rules on every node."""
    problem = _nesting_problem(text, file)
    if problem:
        return None, [problem]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        return None, [_yaml_error_diag(exc, file)]
    finally:
        loader.dispose()
    if node is None:
        return None, []
    diagnostics, has_alias = _check_nodes(node, file, may_alias="&" in text, may_tag="!" in text)
    if has_alias:
        diagnostics.extend(_alias_diagnostics(text, file))
    return node, diagnostics


def _alias_diagnostics(text: str, file: str) -> list[Diagnostic]:
    """Point at each alias (the composed tree only knows the anchored node)."""
    found = []
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, yaml.AliasToken):
            mark = token.start_mark
            found.append(Diagnostic(Loc(file, mark.line + 1, mark.column + 1),
                                    f"expected plain data, found alias '*{token.value}' "
                                    "(anchors and aliases are not supported)"))
            if len(found) == 20:  # an alias bomb needs no more than a sample
                break
    return found


def load_yaml(path: Path, file: str | None = None) -> tuple[Node | None, list[Diagnostic]]:
    """Read and compose a YAML file; ``file`` is the name diagnostics show."""
    shown = file or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Diagnostic(Loc(shown), f"expected a file under {MAX_BYTES} bytes, found {size}")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(Loc(shown), f"cannot read file: {exc.strerror}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Diagnostic(Loc(shown, line, 1), "expected UTF-8 text, found undecodable bytes")]
    return parse_text(text, shown)


def _check_nodes(root: Node, file: str, *, may_alias: bool = True,
                 may_tag: bool = True) -> tuple[list[Diagnostic], bool]:
    """Refuse aliases, unknown tags and duplicate keys, walking iteratively.

    The composer has already resolved aliases into shared nodes, so an alias
    shows up as a node reached twice; refusing those also defuses alias bombs.
    A text without '&' has no anchor and so no alias, and one without '!' has
    no explicit tag: scalars then need no visit at all, which is most of the
    walk in a large bank.
    """
    diagnostics: list[Diagnostic] = []
    has_alias = False
    visit_scalars = may_alias or may_tag
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if may_alias:
            if id(node) in seen:
                has_alias = True
                continue
            seen.add(id(node))
        if may_tag and node.tag not in ALLOWED_TAGS:
            diagnostics.append(Diagnostic(loc_of(node, file),
                                          f"expected plain data, found tag '{node.tag}' (only standard YAML tags are allowed)"))
            continue
        if depth > MAX_DEPTH:
            diagnostics.append(Diagnostic(loc_of(node, file),
                                          f"expected at most {MAX_DEPTH} levels of nesting, found more"))
            continue
        if isinstance(node, MappingNode):
            first: dict[str, Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in first:
                        prev = first[key.value].start_mark
                        diagnostics.append(Diagnostic(
                            loc_of(key, file),
                            f"duplicate key '{key.value}' (first defined at line {prev.line + 1}); "
                            "expected each key once per mapping"))
                    else:
                        first[key.value] = key
                    if visit_scalars:
                        stack.append((key, depth + 1))
                else:
                    stack.append((key, depth + 1))
                if visit_scalars or not isinstance(value, ScalarNode):
                    stack.append((value, depth + 1))
        elif isinstance(node, SequenceNode):
            stack.extend((child, depth + 1) for child in node.value
                         if visit_scalars or not isinstance(child, ScalarNode))
    return diagnostics, has_alias
