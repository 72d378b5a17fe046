"""Small field checkers over YAML nodes. Each check records a Diagnostic that
says what was expected and what was found, and returns None instead of raising,
so one run reports every problem in every file."""

from __future__ import annotations

import difflib
import functools
from typing import Sequence

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quizgen.errors import Diagnostic, Loc, printable
from quizgen.bank.marks import loc_of

STR, INT, BOOL, NULL, FLOAT = (
    "tag:yaml.org,2002:" + t for t in ("str", "int", "bool", "null", "float")
)


def describe(node: Node) -> str:
    """How a value reads in an error message: 'a mapping', "'1965' (an integer)"."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == NULL:
        return "nothing (null)"
    kind = {INT: "an integer", BOOL: "a boolean", FLOAT: "a number"}.get(node.tag, "a string")
    return f"{kind} '{shown(node.value)}'"


def shown(value: str, limit: int = 40) -> str:
    """A value as a message echoes it: escaped (errors.printable), then cut,
    so the cut counts what the reader sees and a huge value costs nothing."""
    text = printable(value[:limit * 5])
    return text if len(text) <= limit else text[:limit - 3] + "..."


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    # difflib indexes every character of the word: a megabyte of it costs ~40
    # times that in memory, and no misspelling of a choice is that long
    if len(word) > 2 * max((len(c) for c in choices), default=0) + 10:
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Checker:
    """Collects the diagnostics of one file."""

    def __init__(self, file: str, *, source_ids: Sequence[str] | None = None):
        self.file = file
        self.diagnostics: list[Diagnostic] = []
        # Known source ids, when the caller has them: citations are then checked
        # on the spot, so a record with other problems still gets this one reported.
        self.source_ids = source_ids
        # (id, loc) of every record id seen, valid record or not, for the
        # cross-file duplicate check.
        self.ids: list[tuple[str, Loc]] = []

    def loc(self, node: Node) -> Loc:
        return loc_of(node, self.file)

    def error(self, node: Node, path: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.loc(node), message, "error", path))

    def warning(self, node: Node, path: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.loc(node), message, "warning", path))

    def expected(self, node: Node, path: str, what: str) -> None:
        self.error(node, path, f"expected {what}, found {describe(node)}")

    # -- containers -------------------------------------------------------

    def mapping(self, node: Node, path: str, *, required: Sequence[str] = (),
                optional: Sequence[str] = (), unadvertised: Sequence[str] = ()) -> dict[str, Node] | None:
        """The mapping's values by key; reports unknown and missing keys.

        ``unadvertised`` keys are accepted here (the caller reports them better)
        but not offered in the list of expected keys."""
        if not isinstance(node, MappingNode):
            self.expected(node, path, "a mapping")
            return None
        known = tuple(required) + tuple(optional)
        accepted = _accepted(known, tuple(unadvertised))
        fields: dict[str, Node] = {}
        for key, value in node.value:
            if key.tag not in _PLAIN_KEY_TAGS or not isinstance(key, ScalarNode):
                self.expected(key, path, "a plain key")
                continue
            if key.value not in accepted:
                self.error(key, _join(path, key.value),
                           f"expected one of the keys {', '.join(known)}; found unknown key "
                           f"'{shown(key.value, 80)}'{did_you_mean(key.value, known)}")
                continue
            fields.setdefault(key.value, value)  # duplicates were reported by the loader
        missing = [k for k in required if k not in fields]
        for key in missing:
            self.error(node, path, f"expected key '{key}', found none")
        return fields

    def sequence(self, node: Node, path: str, *, min_len: int = 0,
                 max_len: int | None = None) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.expected(node, path, "a list")
            return None
        n = len(node.value)
        if n < min_len or (max_len is not None and n > max_len):
            bound = f"{min_len} to {max_len}" if max_len is not None else f"at least {min_len}"
            self.error(node, path, f"expected {bound} item{'s' if bound != '1' and bound != 'at least 1' else ''}, "
                                   f"found {n}")
            return None
        return list(node.value)

    # -- scalars ----------------------------------------------------------

    def string(self, node: Node, path: str, *, allow_empty: bool = False) -> str | None:
        """A string; plain numbers are accepted as text ('1848' is a fine answer)."""
        if not isinstance(node, ScalarNode) or node.tag in (NULL, BOOL):
            self.expected(node, path, "a string")
            return None
        value = node.value
        if not allow_empty and (not value or value.isspace()):  # as `not value.strip()`, without a copy
            self.error(node, path, "expected non-empty text, found an empty string")
            return None
        return value

    def strings(self, node: Node, path: str, *, min_len: int = 0,
                max_len: int | None = None) -> tuple[str, ...] | None:
        items = self.sequence(node, path, min_len=min_len, max_len=max_len)
        if items is None:
            return None
        values = [self.string(item, f"{path}[{i}]") for i, item in enumerate(items)]
        if any(v is None for v in values):
            return None
        return tuple(values)  # type: ignore[arg-type]

    def integer(self, node: Node, path: str, *, minimum: int | None = None) -> int | None:
        if not isinstance(node, ScalarNode) or node.tag != INT:
            self.expected(node, path, "an integer")
            return None
        try:
            value = int(node.value.replace("_", ""), 0)
        except ValueError:
            self.expected(node, path, "a decimal integer")
            return None
        if minimum is not None and value < minimum:
            self.error(node, path, f"expected an integer of at least {minimum}, found {value}")
            return None
        return value

    def boolean(self, node: Node, path: str) -> bool | None:
        if not isinstance(node, ScalarNode) or node.tag != BOOL:
            self.expected(node, path, "true or false")
            return None
        return node.value.lower() in ("true", "yes", "on")

    def choice(self, node: Node, path: str, choices: Sequence[str]) -> str | None:
        value = self.string(node, path)
        if value is None:
            return None
        if value not in choices:
            self.error(node, path, f"expected one of {', '.join(choices)}; found '{shown(value, 80)}'"
                                   f"{did_you_mean(value, choices)}")
            return None
        return value


_PLAIN_KEY_TAGS = frozenset((STR, INT, BOOL))


@functools.lru_cache(maxsize=256)
def _accepted(known: tuple[str, ...], unadvertised: tuple[str, ...]) -> frozenset[str]:
    """The keys a mapping accepts, as a set: every record's mapping asks this, with a few shapes."""
    return frozenset(known + unadvertised)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
