"""Errors as data: a Diagnostic points at file:line:col and says what was
expected and what was found. Standard library only."""

from __future__ import annotations

import operator
from dataclasses import dataclass, fields
from typing import Iterable, TypeVar

T = TypeVar("T")


def fast_pickle(cls: type[T]) -> type[T]:
    """Pickle a frozen slotted dataclass as (class, field values).

    Large banks are validated in worker processes and every Question travels
    back by pickle; the default protocol for slotted dataclasses goes through
    __getstate__ and is three times slower (measured on 1,000 questions)."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    # every field in one C call (a getattr per field was most of pickling a bank's questions)
    values = operator.attrgetter(*names) if len(names) > 1 else (lambda self: (getattr(self, names[0]),))

    def __reduce__(self):
        return (cls, values(self))

    cls.__reduce__ = __reduce__  # type: ignore[assignment]
    return cls


_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    """Text as a message may echo it: every character a terminal would act on
    or that would break the line (ANSI escapes, newlines, other controls, bidi
    overrides, line separators, lone surrogates) written the way Python's repr
    writes it, e.g. ``\\x1b``, so a diagnostic is always one honest line."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ch in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[ch])
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


@fast_pickle
@dataclass(frozen=True, slots=True, order=True)
class Loc:
    """A place in a source file; line and col are 1-based as editors show them."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return printable(self.file)
        return f"{printable(self.file)}:{self.line}:{self.col}"


@fast_pickle
@dataclass(frozen=True, slots=True)
class Diagnostic:
    loc: Loc
    message: str
    severity: str = "error"  # "error" or "warning"
    path: str = ""  # key path inside the file, e.g. "questions[3].answer"

    def __str__(self) -> str:
        # Escaped here, at the one place every message is turned into text,
        # so no checker can echo a raw value by forgetting to.
        where = f"{printable(self.path)}: " if self.path else ""
        return f"{self.loc}: {self.severity}: {where}{printable(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class QuizgenError(Exception):
    """Raised by the library when input is bad; carries every diagnostic."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def errors_only(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.is_error]


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Order by file, then position, so output is stable and easy to read."""
    return sorted(diagnostics, key=lambda d: (d.loc.file, d.loc.line, d.loc.col, d.message))
