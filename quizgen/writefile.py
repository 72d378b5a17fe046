"""Atomic writes of single files (export -o, generate -o, add-source): a file
appears whole under its final name or not at all. A build, which writes many
files that belong together, stages them all instead (quizgen.staging). Also
the build timestamp (SOURCE_DATE_EPOCH)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from quizgen.errors import Diagnostic, Loc, QuizgenError

# 9999-12-31T23:59:59Z: the last second every date format of the outputs can print.
MAX_EPOCH = 253402300799


def write_atomic(path: Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    return write_atomic(path, text.encode("utf-8"))


def build_timestamp(default: int = 0) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the given default.

    A value that is set but malformed is an error, not silently the default: a
    build that quietly ignores it is not the reproducible build it was asked for."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    value = raw.strip()
    if not value:  # unset or empty: the convention of reproducible-builds.org tools
        return default
    # ASCII digits only: str.isdigit() would accept '²' and other digits int() refuses.
    if re.fullmatch(r"[0-9]{1,20}", value) and int(value) <= MAX_EPOCH:  # {1,20}: int() refuses 4,300+ digits
        return int(value)
    raise QuizgenError([Diagnostic(Loc("SOURCE_DATE_EPOCH"), "expected a whole number of seconds "
                                   f"between 0 and {MAX_EPOCH}, found '{raw}'")])
