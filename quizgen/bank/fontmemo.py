"""The built-in font families (quizgen.bank.glyphs), remembered in the cache.

Finding them means importing fontpkg, which reads every installed package's
metadata for its entry points, and reading the cmaps of their files: some
25 ms, paid by every build twice (the validation's glyph check, and the
warm pool's font set-up) and by every validate. What it finds depends only
on the installed packages and the font files: the entry's key is quizgen's
code digest (which names the fontpkg packages' versions), and the entry
lists each file's size and mtime, checked before it is used. Anything
unexpected is a miss; with the cache off, nothing is remembered.
"""

from __future__ import annotations

import json
import os

FORMAT = "quizgen-builtin-fonts/1"


def remembered(find):
    """``find()`` (a tuple of glyphs.Family), or what it gave last time."""
    from quizgen.cachestore import Store, digest

    store = Store("fonts")
    if not store.enabled:
        return find()
    from quizgen.build_cache import code_digest

    key = digest(FORMAT, code_digest())
    blob = store.get(key)
    hit = decode(blob) if blob is not None else None
    if hit is not None:
        return hit
    families = find()
    blob = encode(families)
    if blob is not None:
        store.put(key, blob)
    return families


def _stat(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _ranges(codes) -> list[list[int]]:
    out: list[list[int]] = []
    for c in sorted(codes):
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


def encode(families) -> bytes | None:
    files = {}
    for f in families:
        for path in (f.regular, f.bold, f.italic, f.bold_italic):
            files[path] = _stat(path)
            if files[path] is None:
                return None
    entry = {"format": FORMAT, "files": files,
             "families": [[f.name, f.key, f.regular, f.bold, f.italic, f.bold_italic, _ranges(f.coverage)]
                          for f in families]}
    return json.dumps(entry, separators=(",", ":")).encode()


def decode(blob: bytes):
    from quizgen.bank.glyphs import Family

    try:
        entry = json.loads(blob)
        if entry["format"] != FORMAT:
            return None
        for path, stat in entry["files"].items():
            if _stat(path) != stat:
                return None  # a file changed, or is gone: look again
        families = []
        for name, key, regular, bold, italic, bold_italic, ranges in entry["families"]:
            paths = (regular, bold, italic, bold_italic)
            if not all(isinstance(v, str) for v in (name, key, *paths)) or not all(p in entry["files"] for p in paths):
                return None
            codes = frozenset(c for first, last in ranges for c in range(int(first), int(last) + 1))
            families.append(Family(name, key, regular, bold, italic, bold_italic, codes))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return tuple(families)
