"""The no-change check: before the bank is even loaded, every input of the
last successful build with the same output folder, bank and options is
hashed again (every file under the bank folder, the corpus files its sources
cite, the font files, quizgen's own code and the libraries' versions), and
every output it left is checked against its recorded sha256. All equal:
nothing would change, and the build says so instead of loading and
rendering. Anything else (no record, a corrupt one, a file added, edited,
deleted, an output touched by hand) takes the full path.

The record is written at the end of a successful build, with the bank's
hashes taken *before* it was loaded (an edit made while the build ran makes
the next build a full one), but the outputs the build wrote into the bank
folder (the Anki lock) as it wrote them: it reads them next time. Stdlib only, and
nothing heavy imported: this path must answer in a small fraction of a second.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from quizgen.build_cache import code_digest, diagnostic_json, diagnostic_of, file_state

STATE_FORMAT = "quizgen-build-state/1"
SKIP_DIRS = {".git", "__pycache__", ".hg", ".svn"}


@dataclass(frozen=True)
class Previous:
    """What the last build with these options was, when anything differs now."""

    questions: int
    units: int  # files it staged


@dataclass(frozen=True)
class Record:
    outputs: tuple[tuple[str, str, int], ...]  # (path as printed, sha256, size)
    questions: int
    warnings: tuple  # Diagnostics the last build printed (validation and renderers)


def state_key(out_dir: Path, root: Path, signature: str) -> str:
    from quizgen.cachestore import digest

    return digest(STATE_FORMAT, os.path.abspath(out_dir), os.path.abspath(root), signature)


def bank_hashes(root: Path, out_dir: Path) -> dict[str, str]:
    """Every file under the bank folder (its output folder, if inside, left out): relative path -> sha256."""
    root = Path(root)
    skip = os.path.abspath(out_dir)
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and os.path.abspath(os.path.join(folder, d)) != skip)
        for name in files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = file_state(path)
    return found


def check(store, key: str, root: Path, out_dir: Path) -> tuple[Record | Previous | None, dict[str, str] | None]:
    """(the record when nothing changed, else what the last build was, if any;
    the bank's hashes, for the record of this build)."""
    if store is None or not store.enabled:
        return None, None
    try:
        hashes = bank_hashes(root, out_dir)
    except OSError:
        return None, None
    blob = store.get(key)
    if blob is None:
        return None, hashes
    try:
        state = json.loads(blob)
        if state.get("format") != STATE_FORMAT:
            return None, hashes
        previous = Previous(int(state["questions"]), len(state["outputs"]))
        if state["bank"] != hashes or any(file_state(path) != sha for path, sha in state["extra"].items()):
            return previous, hashes
        # checked at their absolute place, shown as the build that made them named them
        outputs = tuple((str(p), str(sha), int(size)) for p, sha, size, _ in state["outputs"])
        if not outputs or any(file_state(place) != sha for _, sha, _, place in state["outputs"]):
            return previous, hashes
        if state["code"] != code_digest():
            return previous, hashes
        return Record(outputs, int(state["questions"]), tuple(diagnostic_of(w) for w in state["warnings"])), hashes
    except (ValueError, KeyError, TypeError, AttributeError, OSError):
        return None, hashes


def save(store, key: str, hashes: dict[str, str] | None, bank, corpus: Path | None, with_pdf: bool,
         outputs: list[tuple[str, str, int]], warnings, root: Path | None = None,
         out_dir: Path | None = None) -> None:
    """Record a successful build: its bank hashes from before it loaded,
    except for the outputs it wrote into the bank folder ``root`` (the Anki
    lock), recorded as written. The next build reads that lock and, nothing
    else changed, makes the same outputs and the same lock again, so it may
    take the fast path; with the lock's old hash, every build after an edit
    was a full one (~0.3 s instead of ~0.1 s for the shipped bank)."""
    if store is None or not store.enabled or hashes is None:
        return
    if root is not None:
        # checked with the bank's files from now on (bank_hashes sees them:
        # inside the bank, not in the output folder), and not listed as an
        # output: a build that finds the lock as it left it does not list it
        top = os.path.abspath(root)
        out = os.path.abspath(out_dir) if out_dir is not None else None
        hashes, kept = dict(hashes), []
        for path, sha, size in outputs:
            place = os.path.abspath(path)
            rel = os.path.relpath(place, top)
            if (os.path.commonpath([top, place]) == top and not (out and os.path.commonpath([out, place]) == out)
                    and not SKIP_DIRS.intersection(Path(rel).parts[:-1])):
                hashes[rel] = sha
            else:
                kept.append((path, sha, size))
        outputs = kept
    from quizgen.bank.sources import corpus_folder

    extra: dict[str, str] = {}
    folder = corpus_folder(bank.root, bank.config, corpus)
    extra[os.path.abspath(folder)] = file_state(folder)
    for s in bank.sources:
        path = os.path.abspath(Path(folder) / s.file)
        extra[path] = file_state(path)
    if with_pdf:
        from quizgen.build_cache import font_files

        for path in font_files(bank.root, bank.config.fonts):
            extra[os.path.abspath(path)] = file_state(path)
    state = {"format": STATE_FORMAT, "code": code_digest(), "bank": hashes, "extra": extra,
             "outputs": [[p, sha, size, os.path.abspath(p)] for p, sha, size in outputs],
             "questions": len(bank.questions),
             "warnings": [diagnostic_json(w) for w in warnings]}
    store.put(key, json.dumps(state, ensure_ascii=True, sort_keys=True).encode())
