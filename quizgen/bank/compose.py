"""Compose YAML into compact nodes: the same tree PyYAML's composer builds, at
a fraction of its memory.

PyYAML's nodes keep a ``__dict__`` and two Mark objects each (~380 bytes a
node with its ints), which for a large bank file is ~13x the file. The nodes
here are subclasses of PyYAML's (so every ``isinstance`` check keeps working)
with ``__slots__``, and both marks packed into one int that reads as the
start mark (:class:`StartMark`: ``.line``, ``.column``, ``.index``, all the
code reads of a mark), the end mark made from it when asked for.

The tree is composed from libyaml's parser events, node for node as PyYAML's
C composer does (same tags from the same resolver, same styles, aliases
resolved into shared nodes, the same ComposerErrors), iteratively, and each
event is dropped as soon as it is read.
"""

from __future__ import annotations

import yaml
from yaml.composer import ComposerError
from yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent,
                         SequenceStartEvent, StreamEndEvent)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode


# A node's two marks, (line, column, index) each, are packed into one int of
# six _BITS-bit fields: ~44 bytes instead of two Mark objects and six ints.
# Every field is at most the length of the source, which compose() checks.
_BITS = 25  # LeanScalarNode.__init__ spells out its multiples
_MASK = (1 << _BITS) - 1
_END = (1 << 3 * _BITS) - 1
LIMIT = 1 << _BITS


def _pack(mark) -> int:
    return mark.line << 2 * _BITS | mark.column << _BITS | mark.index


class StartMark(int):
    """The packed int, read as the start mark: loops over every node read
    ``node.start_mark.line``, so it is a plain attribute holding this, not a
    property making a Mark each time."""

    __slots__ = ()

    @property
    def line(self) -> int:
        return self >> 5 * _BITS

    @property
    def column(self) -> int:
        return self >> 4 * _BITS & _MASK

    @property
    def index(self) -> int:
        return self >> 3 * _BITS & _MASK

    def __repr__(self) -> str:
        return f"Mark(line={self.line}, column={self.column}, index={self.index})"

    __str__ = __repr__  # never the packed number, should an error message show a mark


class EndMark(int):
    """The end mark's three fields, made from the packed int when read (rarely)."""

    __slots__ = ()

    @property
    def line(self) -> int:
        return self >> 2 * _BITS

    @property
    def column(self) -> int:
        return self >> _BITS & _MASK

    @property
    def index(self) -> int:
        return self & _MASK

    def __repr__(self) -> str:
        return f"Mark(line={self.line}, column={self.column}, index={self.index})"

    __str__ = __repr__  # never the packed number, should an error message show a mark


class _Marks:
    __slots__ = ()

    @property
    def end_mark(self) -> EndMark:
        return EndMark(self.start_mark & _END)  # type: ignore[attr-defined]

    @end_mark.setter
    def end_mark(self, mark) -> None:
        self.start_mark = StartMark(self.start_mark >> 3 * _BITS << 3 * _BITS | _pack(mark))  # type: ignore[attr-defined]


class LeanScalarNode(_Marks, ScalarNode):
    __slots__ = ("tag", "value", "style", "start_mark")

    def __init__(self, tag, value, start_mark, end_mark, style=None) -> None:
        self.tag, self.value, self.style = tag, value, style
        self.start_mark = StartMark(start_mark.line << 125 | start_mark.column << 100 | start_mark.index << 75
                                    | end_mark.line << 50 | end_mark.column << 25 | end_mark.index)


class _LeanCollection(_Marks):
    __slots__ = ()

    def __init__(self, tag, value, start_mark, end_mark=None, flow_style=None) -> None:
        self.tag, self.value, self.flow_style = tag, value, flow_style
        self.start_mark = StartMark(_pack(start_mark) << 3 * _BITS | (0 if end_mark is None else _pack(end_mark)))


class LeanSequenceNode(_LeanCollection, SequenceNode):
    __slots__ = ("tag", "value", "flow_style", "start_mark")


class LeanMappingNode(_LeanCollection, MappingNode):
    __slots__ = ("tag", "value", "flow_style", "start_mark")


def compose(loader, size: int) -> yaml.Node | None:
    """The single document of a (C)SafeLoader's stream as lean nodes, or None
    for an empty stream; raises what ``loader.get_single_node()`` raises.
    ``size`` is the source's length, which bounds every mark."""
    if size >= LIMIT:
        raise ValueError(f"compose() handles sources under {LIMIT} characters")
    if loader.yaml_path_resolvers:  # pragma: no cover - the safe loaders have none; they need descend_resolver
        raise ValueError("compose() does not follow path resolvers")
    get_event, resolve = loader.get_event, loader.resolve
    get_event()  # StreamStart
    if isinstance(get_event(), StreamEndEvent):
        return None
    anchors: dict[str, yaml.Node] = {}
    # Each open collection: its node, its value list, whether it is a
    # mapping, and for a mapping the key waiting for its value.
    stack: list[list] = []
    strings: dict[str, str] = {}  # one str for the many equal keys and short values
    tags: dict[str, str] = {}
    default_tag = loader.DEFAULT_SCALAR_TAG
    no_key = _NO_KEY
    new_scalar, new_sequence, new_mapping = LeanScalarNode.__new__, LeanSequenceNode.__new__, LeanMappingNode.__new__
    seq_tag, map_tag = loader.DEFAULT_SEQUENCE_TAG, loader.DEFAULT_MAPPING_TAG
    while True:
        event = get_event()
        cls = event.__class__
        if cls is ScalarEvent:
            value = event.value
            tag = event.tag
            short = len(value) <= 24
            if short:
                value = strings.setdefault(value, value)
            if tag is None or tag == "!":  # the resolver's answer depends on these two only
                implicit = event.implicit
                if not implicit[0]:  # quoted or block: the resolver's default, without asking it
                    tag = default_tag
                elif short:  # (True, x): the answer depends on the value alone
                    tag = tags.get(value)
                    if tag is None:
                        tag = tags[value] = resolve(ScalarNode, value, implicit)
                else:
                    tag = resolve(ScalarNode, value, implicit)
            # LeanScalarNode's fields set here: a Python __init__ per scalar is a third of this loop
            node = new_scalar(LeanScalarNode)
            node.tag, node.value, node.style = tag, value, event.style
            mark = event.start_mark
            end = event.end_mark
            node.start_mark = StartMark(mark.line << 125 | mark.column << 100 | mark.index << 75
                                        | end.line << 50 | end.column << 25 | end.index)
            anchor = event.anchor
            del event
            if anchor is not None:
                _anchor(anchors, anchor, node)
        elif cls is SequenceEndEvent or cls is MappingEndEvent:
            node = stack.pop()[0]
            end = event.end_mark  # the end_mark setter, inlined
            node.start_mark = StartMark(node.start_mark >> 75 << 75 | end.line << 50 | end.column << 25 | end.index)
            del event
        elif cls is SequenceStartEvent or cls is MappingStartEvent:
            tag = event.tag
            # without path resolvers a collection's implicit tag is the resolver's default
            if cls is SequenceStartEvent:
                node = new_sequence(LeanSequenceNode)
                node.tag = seq_tag if tag is None or tag == "!" else tag
            else:
                node = new_mapping(LeanMappingNode)
                node.tag = map_tag if tag is None or tag == "!" else tag
            node.value, node.flow_style = [], event.flow_style
            mark = event.start_mark
            node.start_mark = StartMark(mark.line << 125 | mark.column << 100 | mark.index << 75)
            anchor = event.anchor
            if anchor is not None:
                _anchor(anchors, anchor, node, event.start_mark)
            del event
            stack.append([node, node.value, cls is MappingStartEvent, no_key])
            continue
        elif cls is AliasEvent:
            if event.anchor not in anchors:
                raise ComposerError(None, None, "found undefined alias", event.start_mark)
            node = anchors[event.anchor]
            del event
        else:  # pragma: no cover - the parser closes every collection before the document
            raise ComposerError(None, None, f"unexpected {cls.__name__}", event.start_mark)
        if not stack:
            break
        frame = stack[-1]
        if not frame[2]:
            frame[1].append(node)
        elif frame[3] is no_key:
            frame[3] = node
        else:
            frame[1].append((frame[3], node))
            frame[3] = no_key
    get_event()  # DocumentEnd
    event = get_event()
    if not isinstance(event, StreamEndEvent):
        raise ComposerError("expected a single document in the stream", node.start_mark,
                            "but found another document", event.start_mark)
    return node


def _anchor(anchors: dict, anchor: str, node, mark=None) -> None:
    if anchor in anchors:
        raise ComposerError("found duplicate anchor; first occurrence", anchors[anchor].start_mark,
                            "second occurrence", mark or node.start_mark)
    anchors[anchor] = node


_NO_KEY = object()
