"""The sha256 of a file, remembered across builds by what stat says of it.

Every build hashes quizgen's own files (the code digest), the font files
(8.5 MB for the built-in ones) and, in the no-change check, every input and
output: some 11 MB, about a quarter of a no-change rebuild. A file whose
device, inode, size, mtime and ctime are all as they were when it was hashed
has the same bytes, as git's index assumes, with git's guard against "racy"
entries: a signature is only remembered when the file was last changed at
least RACY_SECONDS before it was hashed, so a write in the same clock tick as
the hash (mtime and ctime have a coarse tick) cannot hide behind an equal
signature. ctime cannot be set by a program, so a file edited and given its
old mtime back (touch -d, copy2) is hashed again.

The memo is one entry of the cache (quizgen.cachestore, namespace "stat"):
off with the cache, safe to delete, and a damaged entry reads as empty.
Standard library only.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time

MEMO_FORMAT = "quizgen-file-digests/1"
RACY_SECONDS = 2.0
MAX_ENTRIES = 20_000  # a bank of many files stays well below; past it the memo starts again


def sha256_of(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _signature(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class Memo:
    """Path -> (stat signature, sha256); saved by save() when it learnt something."""

    def __init__(self, store=None):
        self._store = store
        self._entries: dict[str, list] = {}
        self._dirty = False
        if store is not None and store.enabled:
            self._entries = _read(store.get(_KEY))

    def sha256(self, path: str | os.PathLike) -> str:
        """As sha256_of(path); raises what open/stat raise."""
        name = os.path.abspath(path)
        st = os.stat(name)
        if not stat.S_ISREG(st.st_mode):
            return sha256_of(name)  # raises IsADirectoryError for a folder, as open does
        sig = _signature(st)
        entry = self._entries.get(name)
        if entry is not None and entry[0] == sig:
            return entry[1]
        started = time.time_ns()
        digest = sha256_of(name)
        after = os.stat(name)
        changed_last = max(after.st_mtime_ns, after.st_ctime_ns)
        if _signature(after) == sig and started - changed_last >= RACY_SECONDS * 1e9 and self._store is not None:
            self._entries[name] = [sig, digest]
            self._dirty = True
        return digest

    def save(self) -> None:
        if not self._dirty or self._store is None or not self._store.enabled:
            return
        entries = self._entries if len(self._entries) <= MAX_ENTRIES else {}
        data = json.dumps({"format": MEMO_FORMAT, "entries": entries}, separators=(",", ":"), sort_keys=True)
        self._store.put(_KEY, data.encode())
        self._dirty = False


_KEY = hashlib.sha256(MEMO_FORMAT.encode()).hexdigest()


def _read(blob: bytes | None) -> dict[str, list]:
    if blob is None:
        return {}
    try:
        data = json.loads(blob)
        if data.get("format") != MEMO_FORMAT:
            return {}
        entries = {}
        for name, (sig, digest) in data["entries"].items():
            if (isinstance(name, str) and isinstance(digest, str) and len(digest) == 64
                    and isinstance(sig, list) and len(sig) == 5 and all(type(v) is int for v in sig)):
                entries[name] = [sig, digest]
        return entries
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}


_memo = Memo()  # no store: every file hashed, until a command that uses the cache enables it


def enable() -> None:
    """Remember digests in the cache from now on (a build with its cache on;
    --no-cache and a cache turned off hash every file)."""
    global _memo
    from quizgen.cachestore import Store

    store = Store("stat")
    _memo = Memo(store if store.enabled else None)


def disable() -> None:
    """Save what was learnt (a digest is a fact about the file, whatever the
    command's outcome), then hash every file again."""
    global _memo
    _memo.save()
    _memo = Memo()


def sha256(path: str | os.PathLike) -> str:
    return _memo.sha256(path)
