"""An article file as add-source reads it: bytes, UTF-8 text and sha256,
the headline guessed from the text, an id made from the file name."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from quizgen.bank.load import shown_path
from quizgen.errors import Diagnostic, Loc, QuizgenError

_MAX_HEADLINE_WORDS = 25
_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or over the to with".split())


def _fail(path: Path, message: str, line: int = 0, col: int = 0) -> QuizgenError:
    return QuizgenError([Diagnostic(Loc(shown_path(path), line, col), message)])


@dataclass(frozen=True, slots=True)
class Article:
    path: Path
    data: bytes
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_article(path: Path) -> Article:
    """The article's bytes and text; a clear error when it is missing,
    unreadable or not UTF-8 (quotes are matched against its text)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise _fail(path, "expected an article file here, found none") from None
    except IsADirectoryError:
        raise _fail(path, "expected an article file, found a folder") from None
    except OSError as exc:
        raise _fail(path, f"expected a readable article, found {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark is not part of the first word
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _fail(path, f"expected UTF-8 text, found undecodable bytes (byte 0x{data[exc.start]:02x}); "
                          "save the article as UTF-8 and try again", line, col) from None
    return Article(Path(path), data, text)


def guess_headline(text: str) -> str | None:
    """The first line that reads like a headline, or None.

    Pages saved from the web start with banners and menus, so a headline is a
    line of 4 to 25 words that starts with a capital or digit, does not end a
    sentence or a clause, is mostly words rather than numbers and carries no
    copyright sign or link; among the first
    three such lines one in title case wins (a banner rarely is), else the
    first. A guess: the command asks the person to confirm it."""
    candidates = []
    for line in text.splitlines():
        line = " ".join(line.split())
        words = line.split(" ")
        if not (4 <= len(words) <= _MAX_HEADLINE_WORDS) or not line[0].isalnum() or line[0].islower():
            continue
        if sum(1 for w in words if any(ch.isalpha() for ch in w)) * 3 < len(words) * 2:
            continue  # a dateline or a time stamp, mostly digits
        if line.endswith((".", ",", ";", ":")) or any(s in line for s in ("©", "http://", "https://", "www.")):
            continue
        candidates.append(line)
        if len(candidates) == 3:
            break
    if not candidates:
        return None
    for line in candidates:
        if _title_case_share(line) >= 0.6:
            return line
    return candidates[0]


def _title_case_share(line: str) -> float:
    words = [w for w in line.split() if any(ch.isalpha() for ch in w) and w.lower() not in _SMALL_WORDS]
    if not words:
        return 0.0
    return sum(1 for w in words if next(ch for ch in w if ch.isalpha()).isupper()) / len(words)


def id_from_file_name(name: str) -> str:
    """A source id from a file name: 'Printing Press (1).txt' -> 'printing-press-1'."""
    stem = Path(name).stem if "." in name.lstrip(".") else name
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
