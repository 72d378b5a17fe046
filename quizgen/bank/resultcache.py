"""The validate command's whole result, cached: what it printed and its exit
code, under a key of every input that can change them, so validating an
unchanged bank reads no record at all (at 100,000 questions, unpickling the
per-file entries alone cost most of a second).

The key covers:

- quizgen's code digest (build_cache.code_digest: its version and every file
  of the package, fonts included, the versions of the libraries it uses and
  Python's), so an edited checker, renderer font or library is a miss;
- the command's arguments as given (bank path, --corpus, --verbose), the
  working directory (diagnostics show paths relative to it) and the bank's
  resolved path (a bank without bank.yaml is titled from its folder's name);
- every entry under the bank folder, hidden ones too: its relative path and
  kind, a link's target and where it resolves, a regular file's sha256 (so
  the config, the registry, sets, templates, facts, kinds, fonts and every
  question file, whatever the loader reads of them);
- the same for the corpus folder the config (or --corpus) names, wherever
  it is: its articles are checked against their sha256 and quotes.

A torn or foreign entry is a miss (cachestore checks every entry's own
sha256; an entry is JSON of three plain values). Standard library only.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from quizgen.cachestore import Store, digest
from quizgen import filedigest

SCHEMA = "validate-bank/1"

Outcome = tuple[str, str, int]  # stdout text, stderr text, exit code


def store() -> Store:
    return Store("validate")


def key(root: Path, corpus: Path | None, verbose: bool) -> str | None:
    """The key of a validate run, or None when caching is off."""
    if not store().enabled:
        return None
    from quizgen.build_cache import code_digest

    parts: list[str | bytes] = [SCHEMA, code_digest(), os.getcwd(), str(root),
                                "-" if corpus is None else str(corpus), str(bool(verbose))]
    try:
        parts.append(str(root.resolve()))
    except (OSError, RuntimeError):  # a loop of links: the loader says so, every time
        return None
    parts.append("bank")
    _tree(parts, root)
    parts.append("corpus")
    _tree(parts, _corpus(root, corpus))
    return digest(*parts)


def _corpus(root: Path, corpus: Path | None) -> Path:
    """The corpus folder validate checks quotes against (as load_checked_bank finds it)."""
    from quizgen.bank.config import CONFIG_FILE, load_config
    from quizgen.bank.sources import corpus_folder

    config = None
    if (root / CONFIG_FILE).is_file():
        config, _ = load_config(root, str(root / CONFIG_FILE))
    # without a valid config the loader stops before looking at the corpus;
    # the default folder is fingerprinted all the same (it costs little)
    return corpus_folder(root, config, corpus)


def _tree(parts: list[str | bytes], top: Path) -> None:
    """Every entry under ``top`` (``top`` itself included) into ``parts``."""
    parts += [str(top), _state(str(top))]
    if not top.is_dir():
        return
    errors: list[str] = []
    for dirpath, dirnames, filenames in os.walk(top, onerror=lambda e: errors.append(repr(e))):
        dirnames.sort()  # links to folders are listed, not followed: the loader does not descend them
        rel = os.path.relpath(dirpath, top)
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            parts += [os.path.join(rel, name), _state(path)]
    parts += errors


def _state(path: str) -> str:
    """How one entry reads: a link's target and resolution, then a regular
    file's sha256, "dir", "missing" or another kind; never the content of a
    fifo or device (reading one could block)."""
    out = ""
    try:
        if os.path.islink(path):
            out = f"link:{os.readlink(path)}:{os.path.realpath(path)}:"
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return out + "missing"
    except (OSError, ValueError) as exc:
        return out + f"unreadable:{exc.__class__.__name__}:{getattr(exc, 'errno', '')}"
    if stat.S_ISDIR(mode):
        return out + "dir"
    if not stat.S_ISREG(mode):
        return out + f"special:{stat.S_IFMT(mode)}"
    try:
        return out + filedigest.sha256(path)  # remembered by stat when validate enabled it
    except OSError as exc:  # e.g. no permission: the loader reports it, so it is part of the key
        return out + f"unreadable:{exc.__class__.__name__}:{exc.errno}"


def get(k: str | None) -> Outcome | None:
    if k is None:
        return None
    raw = store().get(k)
    if raw is None:
        return None
    try:
        out, err, code = json.loads(raw)
    except (ValueError, TypeError):
        return None
    if not (isinstance(out, str) and isinstance(err, str) and type(code) is int):
        return None
    return out, err, code


def put(k: str | None, outcome: Outcome) -> None:
    if k is not None:
        store().put(k, json.dumps(list(outcome)).encode("utf-8"))
