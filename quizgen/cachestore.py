"""A content-addressed cache on disk: a key (the sha256 of everything an
output depends on) -> bytes. Shared by the build cache and the per-file
validation cache.

It can never make a result wrong, only faster: every entry carries the
sha256 of its own bytes and a mismatch (a torn write, a disk error, a person
editing it) reads as a miss; writes go to a temporary file renamed into
place, so a killed process leaves no half entry; any OSError reading or
writing is a miss or a no-op, never an error of the command. Deleting the
folder at any time is safe.

Where: $QUIZGEN_CACHE_DIR, else $XDG_CACHE_HOME/quizgen, else ~/.cache/quizgen;
QUIZGEN_CACHE_DIR=off (or "") turns it off. Stdlib only.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

_MAGIC = b"quizgen-cache/1\n"


def cache_root() -> Path | None:
    """The cache folder, or None when caching is off."""
    explicit = os.environ.get("QUIZGEN_CACHE_DIR")
    if explicit is not None:
        return None if explicit in ("", "off", "0") else Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "quizgen"


def digest(*parts: bytes | str) -> str:
    """A key from parts; each is length-prefixed so ('ab', 'c') != ('a', 'bc')."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


class Store:
    """One namespace of the cache (e.g. "build", "validate")."""

    def __init__(self, namespace: str, root: Path | None = None):
        root = cache_root() if root is None else root
        self.folder = None if root is None else Path(root) / namespace

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / key

    def get(self, key: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            raw = self._path(key).read_bytes()
        except OSError:
            return None
        head, sep, data = raw[len(_MAGIC):].partition(b"\n")
        if not raw.startswith(_MAGIC) or not sep or hashlib.sha256(data).hexdigest().encode() != head:
            return None
        return data

    def put(self, key: str, data: bytes) -> None:
        if self.folder is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(_MAGIC + hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # a cache that cannot be written is only a slower build
