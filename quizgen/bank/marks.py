"""YAML -> nodes that keep their marks, so every diagnostic can say file:line:col.

Only the safe subset is accepted: standard tags, no aliases, bounded nesting,
bounded size, no control characters. Problems are returned as Diagnostics,
never raised, and each one points at the line and column it is about.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Callable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quizgen.errors import Diagnostic, Loc

try:  # libyaml is several times faster; the pure-Python loader is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64
# Composing costs ~8x the file in compact nodes (~13x in PyYAML's); a bank
# file is a few megabytes at most (10,000 questions are ~5 MB), so anything
# bigger is refused before a byte of it is parsed.
MAX_BYTES = 16 * 1024 * 1024
MAX_REPORTED = 20  # of one kind of problem per file: enough to act on
# From this size on a file is composed into compact nodes (compose.py): a
# load then peaks at ~8.6x the file instead of ~12.9x, and composing is as
# fast as PyYAML's C composer; on small files it is ~1.6x slower, so they
# keep PyYAML's nodes.
LEAN_BYTES = 64 * 1024

ALLOWED_TAGS = frozenset(
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)

# Characters no bank text may hold: C0 controls but tab, newline and carriage
# return (U+001F is the separator between Anki's fields: one in a field
# breaks the whole deck), DEL, the C1 controls (U+0085 included: YAML counts it
# as a line break, editors do not), the noncharacters U+FFFE/U+FFFF and lone
# surrogates (only an escape can make one; nothing can encode it).
# In the raw text U+2028/U+2029 are refused as well: YAML counts them as line
# breaks and editors do not, so every line number after one would be wrong.
# Written as the escapes "\u2028" in a double-quoted string they are fine.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff"
FORBIDDEN_IN_VALUE = re.compile(f"[{_CONTROL}]")
FORBIDDEN_IN_TEXT = re.compile(f"[{_CONTROL}\u2028\u2029]")
_NESTING_MESSAGE = f"expected at most {MAX_DEPTH} levels of nesting, found more"
# Bytes that only ever encode characters FORBIDDEN_IN_TEXT lets through.
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def _may_hold_controls(data: bytes) -> bool:
    """False when the bytes are all printable ASCII, tab and line breaks, so
    their text holds nothing FORBIDDEN_IN_TEXT matches: deleting those bytes
    is one C loop, ~20x faster than the regex scanning the text of a large
    file that, as nearly every bank file, is plain ASCII."""
    return bool(data.translate(None, _PLAIN_ASCII))


def loc_of(node: Node, file: str) -> Loc:
    mark = node.start_mark
    return Loc(file, mark.line + 1, mark.column + 1)


def char_name(ch: str) -> str:
    """U+001F, with its name when Unicode has one, as a message shows a character."""
    name = {"\x1f": "the unit separator Anki puts between fields", "\t": "TAB"}.get(ch)
    if name is None:
        name = unicodedata.name(ch, "a control character" if ch.isascii() or ord(ch) < 0xA0 else "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def _offset_loc(text: str, offset: int, file: str) -> Loc:
    """Line and column of a character offset, counting lines the way YAML and
    editors both do once U+0085/U+2028/U+2029 are refused: at \\n, \\r\\n and a lone \\r."""
    offset = max(0, min(offset, len(text)))
    head = text[:offset]
    line_start = max(head.rfind("\n"), head.rfind("\r")) + 1
    line = head.count("\n") + head.count("\r") - head.count("\r\n") + 1
    return Loc(file, line, offset - line_start + 1)


def _text_diag(text: str, offset: int, file: str, message: str) -> Diagnostic:
    return Diagnostic(_offset_loc(text, offset, file), message)


def _control_diagnostics(text: str, file: str) -> list[Diagnostic]:
    found = []
    for match in FORBIDDEN_IN_TEXT.finditer(text):
        found.append(_text_diag(text, match.start(), file,
                                f"expected text without control characters, found {char_name(match.group())}"))
        if len(found) == MAX_REPORTED:
            break
    return found


def _nesting_diag(text: str, file: str) -> Diagnostic:
    """Where the nesting first goes deeper than MAX_DEPTH. Read from parser
    events, which know quoted text from brackets and never recurse; the parser
    may stop before that depth (libyaml has its own limit), then its error mark
    is the place."""
    loader = _Loader(text)
    depth = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return Diagnostic(Loc(file, mark.line + 1, mark.column + 1), _NESTING_MESSAGE)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass  # libyaml's scanner looks ahead and may fail before the first event
    finally:
        loader.dispose()
    return _bracket_diag(text, file)


_FLOW = re.compile(r"[\[\]{}]")


def _bracket_diag(text: str, file: str) -> Diagnostic:
    """Where flow brackets first nest deeper than MAX_DEPTH, counted in the raw
    text. Blind to quotes, so only used to place an error already known."""
    depth = 0
    for match in _FLOW.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _text_diag(text, match.start(), file, _NESTING_MESSAGE)
        elif depth:
            depth -= 1
    return Diagnostic(Loc(file, 1, 1), _NESTING_MESSAGE)


def _error_loc(exc: yaml.YAMLError, text: str, file: str) -> Loc:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        # From the character index: at the end of a text without a final
        # newline libyaml's line is one past the last line.
        if isinstance(getattr(mark, "index", None), int) and 0 <= mark.index <= len(text):
            return _offset_loc(text, mark.index, file)
        return Loc(file, mark.line + 1, mark.column + 1)
    position = getattr(exc, "position", None)  # a ReaderError: libyaml counts UTF-8 bytes
    if isinstance(position, int):
        if _Loader.__name__.startswith("C"):
            position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
        return _offset_loc(text, position, file)
    return Loc(file, 1, 1)  # pragma: no cover - every YAMLError of PyYAML has a mark or a position


def _yaml_error_diag(exc: yaml.YAMLError, text: str, file: str) -> Diagnostic:
    if isinstance(exc, yaml.reader.ReaderError):
        ch = chr(exc.character) if isinstance(exc.character, int) else "?"
        return Diagnostic(_error_loc(exc, text, file), f"expected text without control characters, found {char_name(ch)}")
    problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}"
    if context:
        message += f" ({context})"
    return Diagnostic(_error_loc(exc, text, file), message)


def parse_text(text: str, file: str) -> tuple[Node | None, list[Diagnostic]]:
    """Compose one YAML document and check the safety rules on every node."""
    if len(text) > MAX_BYTES:  # characters: never more than the bytes
        return None, [Diagnostic(Loc(file, 1, 1), f"expected a file under {MAX_BYTES} bytes, found "
                                                  f"{len(text)} characters")]
    controls = _control_diagnostics(text, file) if FORBIDDEN_IN_TEXT.search(text) else []
    if controls:
        return None, controls
    return _compose(text, file, lambda: text)


def _compose(source: str | bytes, file: str, text_of: Callable[[], str]) -> tuple[Node | None, list[Diagnostic]]:
    """Compose from text or from UTF-8 bytes (libyaml reads those as they are:
    no str of the whole file, which for one emoji in a megabyte of ASCII
    costs four bytes a character, has to live while the nodes are built).
    ``text_of`` gives the text for the rare checks that need it."""
    loader = _Loader(source)
    try:
        if len(source) >= LEAN_BYTES and _Loader.__name__.startswith("C"):
            from quizgen.bank.compose import compose

            node = compose(loader, len(source))
        else:
            node = loader.get_single_node()
    except RecursionError:  # the pure-Python composer recurses; libyaml has its own limit
        return None, [_nesting_diag(text_of(), file)]
    except yaml.YAMLError as exc:
        if "nesting depth" in str(getattr(exc, "problem", "")):
            return None, [_nesting_diag(text_of(), file)]
        return None, [_yaml_error_diag(exc, text_of(), file)]
    finally:
        loader.dispose()
    if node is None:
        return None, []
    amp, bang, backslash = ("&", "!", "\\") if isinstance(source, str) else (b"&", b"!", b"\\")
    diagnostics, has_alias = _check_nodes(node, file, may_alias=amp in source, may_tag=bang in source,
                                          may_escape=backslash in source, text_of=text_of,
                                          data=source if isinstance(source, bytes) else None)
    if has_alias:  # scanned from the source: libyaml reads bytes and text alike
        diagnostics.extend(_alias_diagnostics(source, file))
    return node, diagnostics


def _alias_diagnostics(text: str | bytes, file: str) -> list[Diagnostic]:
    """Point at each alias (the composed tree only knows the anchored node)."""
    found = []
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, yaml.AliasToken):
            mark = token.start_mark
            found.append(Diagnostic(Loc(file, mark.line + 1, mark.column + 1),
                                    f"expected plain data, found alias '*{token.value}' "
                                    "(anchors and aliases are not supported)"))
            if len(found) == MAX_REPORTED:  # an alias bomb needs no more than a sample
                break
    return found


def load_yaml(path: Path, file: str | None = None) -> tuple[Node | None, list[Diagnostic]]:
    """Read and compose a YAML file; ``file`` is the name diagnostics show."""
    shown = file or str(path)
    data, diagnostics = read_yaml_bytes(path, shown)
    if data is None:
        return None, diagnostics
    return compose_bytes(data, shown)


def read_yaml_bytes(path: Path, shown: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes, or None and why not (unreadable, too big)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Diagnostic(Loc(shown, 1, 1), f"expected a file under {MAX_BYTES} bytes, found {size}")]
        with path.open("rb") as handle:
            # read(n) allocates n bytes up front: ask for what stat found, and
            # one more byte to notice a file that grew past the cap meanwhile
            data = handle.read(size + 1)
            while len(data) > size and len(data) <= MAX_BYTES:
                more = handle.read(min(len(data), MAX_BYTES + 1 - len(data)))
                if not more:
                    break
                data += more
    except (OSError, ValueError) as exc:
        return None, [Diagnostic(Loc(shown), f"cannot read file: {getattr(exc, 'strerror', None) or exc}")]
    if len(data) > MAX_BYTES:
        return None, [Diagnostic(Loc(shown, 1, 1), f"expected a file under {MAX_BYTES} bytes, found more")]
    return data, []


def compose_bytes(data: bytes, shown: str) -> tuple[Node | None, list[Diagnostic]]:
    """Compose a file's bytes (read by read_yaml_bytes) as load_yaml does."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[:exc.start].decode("utf-8-sig")
        where = _offset_loc(good, len(good), shown)
        return None, [Diagnostic(where, f"expected UTF-8 text, found undecodable byte 0x{data[exc.start]:02X}")]
    controls = (_control_diagnostics(text, shown)
                if _may_hold_controls(data) and FORBIDDEN_IN_TEXT.search(text) else [])
    if controls:
        return None, controls
    if not _Loader.__name__.startswith("C"):  # pragma: no cover - the pure-Python reader counts a BOM
        return _compose(text, shown, lambda: text)
    del text  # the bytes are smaller, and libyaml skips a BOM as utf-8-sig does
    return _compose(data, shown, lambda: data.decode("utf-8-sig"))


_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_SHORT_ESCAPES = {"0": "\x00", "a": "\x07", "b": "\x08", "e": "\x1b", "v": "\x0b", "f": "\x0c", "N": "\x85"}


def _escaped_char(body: str) -> str:
    """The character a double-quoted escape (without its backslash) writes,
    "" when it writes none or is malformed."""
    if body[0] in "xuU" and len(body) > 1:
        try:
            return chr(int(body[1:], 16))
        except (ValueError, OverflowError):
            return ""
    return _SHORT_ESCAPES.get(body, "")


def _escape_offset(node: ScalarNode, text: str) -> tuple[int, str]:
    """Offset in the text of the escape that wrote a forbidden character into
    a double-quoted scalar, and the character (the scalar's start if not found)."""
    start, end = node.start_mark.index, node.end_mark.index
    for match in _ESCAPE.finditer(text, start, end):
        ch = _escaped_char(match.group()[1:])
        if ch and FORBIDDEN_IN_VALUE.match(ch):
            return match.start(), ch
    bad = FORBIDDEN_IN_VALUE.search(node.value)
    return start, bad.group() if bad else "?"


_ESCAPE_BYTES = re.compile(_ESCAPE.pattern.encode("ascii"), re.S)
_CONTINUATION = bytes(range(0x80, 0xC0))  # UTF-8 bytes that do not start a character
_CHUNK = 1 << 16


def _chars(data: bytes, start: int, end: int) -> int:
    """How many characters the UTF-8 bytes data[start:end] hold, a chunk at a time."""
    n = 0
    for at in range(start, end, _CHUNK):
        chunk = data[at:min(at + _CHUNK, end)]
        n += len(chunk.translate(None, _CONTINUATION))
    return n


def _byte_offset(data: bytes, start: int, chars: int) -> int:
    """The byte offset ``chars`` characters after byte ``start`` (a character's first byte)."""
    at = start
    while at < len(data):
        chunk = data[at:at + _CHUNK]
        n = len(chunk.translate(None, _CONTINUATION))
        if n <= chars:  # a character split at the chunk's end adds nothing to the next count
            chars -= n
            at += len(chunk)
            continue
        for i, byte in enumerate(chunk):
            if not 0x80 <= byte < 0xC0:
                if chars == 0:
                    return at + i
                chars -= 1
    return len(data)


def _byte_loc(data: bytes, bom: int, offset: int, file: str) -> Loc:
    """_offset_loc for a byte offset into UTF-8 bytes: line breaks are ASCII,
    so they are counted in the bytes; the column is counted in characters."""
    line = (data.count(b"\n", bom, offset) + data.count(b"\r", bom, offset)
            - data.count(b"\r\n", bom, offset) + 1)
    line_start = max(data.rfind(b"\n", bom, offset), data.rfind(b"\r", bom, offset), bom - 1) + 1
    return Loc(file, line, _chars(data, line_start, offset) + 1)


def _escape_in_bytes(node: ScalarNode, data: bytes, file: str) -> tuple[Loc, str]:
    """Where _escape_offset would find the escape, read from the UTF-8 bytes
    (escapes are ASCII; a node's marks count characters after any BOM)."""
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    start = _byte_offset(data, bom, node.start_mark.index)
    end = _byte_offset(data, start, node.end_mark.index - node.start_mark.index)
    for match in _ESCAPE_BYTES.finditer(data, start, end):
        ch = _escaped_char(match.group()[1:].decode("ascii", "replace"))
        if ch and FORBIDDEN_IN_VALUE.match(ch):
            return _byte_loc(data, bom, match.start(), file), ch
    bad = FORBIDDEN_IN_VALUE.search(node.value)
    return _byte_loc(data, bom, start, file), bad.group() if bad else "?"


def _check_nodes(root: Node, file: str, *, may_alias: bool = True, may_tag: bool = True,
                 may_escape: bool = True, text_of: Callable[[], str] | None = None,
                 data: bytes | None = None) -> tuple[list[Diagnostic], bool]:
    """Refuse aliases, unknown tags, duplicate keys, too deep nesting and
    control characters written as escapes, walking iteratively.

    The composer has already resolved aliases into shared nodes, so an alias
    shows up as a node reached twice; refusing those also defuses alias bombs.
    A text without '&' has no anchor and so no alias, one without '!' has no
    explicit tag and one without a backslash no escape: scalars then need no
    visit at all, which is most of the walk in a large bank.
    """
    diagnostics: list[Diagnostic] = []
    has_alias = too_deep = False
    controls = 0
    text: str | None = None
    visit_scalars = may_alias or may_tag or may_escape
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
            if not too_deep:  # one place is enough: the rest is the same mistake
                diagnostics.append(Diagnostic(loc_of(node, file), _NESTING_MESSAGE))
            too_deep = True
            continue
        if isinstance(node, ScalarNode):
            if (may_escape and node.style == '"' and controls < MAX_REPORTED
                    and FORBIDDEN_IN_VALUE.search(node.value)):
                controls += 1
                if data:  # read from the bytes: the whole text, with one emoji 4 bytes a character, is not needed
                    where, ch = _escape_in_bytes(node, data, file)
                else:
                    if text is None:  # decoded once, for the first escape only
                        text = text_of() if text_of else ""
                    offset, ch = _escape_offset(node, text) if text else (node.start_mark.index, "?")
                    where = _offset_loc(text, offset, file) if text else loc_of(node, file)
                diagnostics.append(Diagnostic(where, f"expected text without control characters, "
                                                     f"found {char_name(ch)} written as an escape"))
        elif isinstance(node, MappingNode):
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
