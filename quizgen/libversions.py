"""Installed libraries' versions, as importlib.metadata.version gives them,
read straight from their ``.dist-info`` folders on sys.path.

The build's code digest names the versions of the libraries that draw its
bytes, in the build's process and again in its warm pool; importing
importlib.metadata (email, zipfile, csv and more) for that was some 20 ms of
each, on the path of every one-edit rebuild. Anything this reader cannot
settle exactly (an ``.egg-info``, a path entry that is a zip file, a
``.dist-info`` without a readable version) is asked of importlib.metadata, so
the answer is always importlib.metadata's. Standard library only.
"""

from __future__ import annotations

import os
import re
import sys

NOT_INSTALLED = "-"


def _normal(name: str) -> str:
    # importlib.metadata's Prepared.normalize: runs of "-_." are one "_", case ignored
    return re.sub(r"[-_.]+", "_", name).lower()


def versions(names: tuple[str, ...]) -> dict[str, str]:
    """name -> version, or NOT_INSTALLED, for each name (distribution names, e.g. "pyyaml")."""
    wanted = {_normal(n): n for n in names}  # one name per normal form: the one asked of importlib
    found: dict[str, tuple[str, str]] = {}  # normal name -> (kind, path), the first on sys.path
    unsure = False  # a path entry this reader cannot list: "not found" proves nothing
    for entry in sys.path:
        folder = entry or "."
        try:
            listing = os.listdir(folder)
        except NotADirectoryError:
            unsure = True
            continue
        except OSError:  # a path entry that does not exist (or cannot be read): importlib skips it too
            continue
        for item in listing:
            low = item.lower()
            for suffix in (".dist-info", ".egg-info"):
                if low.endswith(suffix):
                    key = _normal(low[:-len(suffix)].partition("-")[0])
                    if key in wanted and key not in found:
                        found[key] = (suffix, os.path.join(folder, item))
    by_key: dict[str, str] = {}
    for key, name in wanted.items():
        kind, path = found.get(key, (None, ""))
        version = _dist_info_version(path) if kind == ".dist-info" else None
        if version is not None:
            by_key[key] = version
        elif kind is None and not unsure:
            by_key[key] = NOT_INSTALLED
        else:
            by_key[key] = _asked(name)
    return {name: by_key[_normal(name)] for name in names}


def _dist_info_version(folder: str) -> str | None:
    """The Version header of a .dist-info folder's METADATA, or None."""
    try:
        with open(os.path.join(folder, "METADATA"), encoding="utf-8", errors="surrogateescape") as fh:
            for line in fh:
                if not line.strip():
                    break  # the headers end at the first empty line
                if line[:8].lower() == "version:":
                    return line[8:].strip() or None
    except OSError:
        return None
    return None


def _asked(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except Exception:  # not installed (or broken metadata): recorded as such
        return NOT_INSTALLED
