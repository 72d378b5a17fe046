"""Crash recovery for staged builds (quizgen.staging): the commit journal,
and the clean-up of what an interrupted build left behind.

Before the first rename of a commit, the staging folder gets ``journal.json``,
the renames in order, written atomically. A session that finds a staging
folder of an earlier build in its output folder (it holds the folder's lock,
so that build is not running any more):

* with a journal: finishes the renames whose source is still there, in order
  (the others were done), then removes the folder: the build rolls forward;
* without one: the build died while rendering; removes the folder.

Then stray ``.NAME.XXXXXXXX.tmp`` files (write_atomic's, and the copies a commit
makes beside a destination on another filesystem) are removed from the output
folder and from beside the bank's files. Standard library only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Iterable

from quizgen.errors import Diagnostic, Loc

STAGING_PREFIX = ".quizgen-staging-"
JOURNAL = "journal.json"
JOURNAL_FORMAT = "quizgen-journal/1"
# mkstemp's names as write_atomic and commit make them: ".NAME." + 8 random characters + ".tmp"
TMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def folder_label(path: Path) -> str:
    """How diagnostics name a folder: as the user gave it, with a slash."""
    return str(path).rstrip("/\\") + "/"


class WriteError(OSError):
    """An OSError while writing, with the place to blame as the user knows it
    (the output folder rather than a file inside the staging folder)."""

    def __init__(self, where: str, error: OSError):
        super().__init__(error.errno, error.strerror or str(error), error.filename)
        self.where = where

    @property
    def diagnostic(self) -> Diagnostic:
        return Diagnostic(Loc(self.where), f"cannot write: {self.strerror}")


def write_journal(folder: Path, plan: list[tuple[Path, Path]]) -> None:
    # Absolute paths: the next session may run from another working folder.
    renames = [{"from": os.path.abspath(src), "to": os.path.abspath(dest)} for src, dest in plan]
    data = json.dumps({"format": JOURNAL_FORMAT, "renames": renames}, indent=1).encode("utf-8")
    tmp = folder / (JOURNAL + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / JOURNAL)  # a journal is whole or absent
    fsync_folder(folder)


def fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse
        pass
    finally:
        os.close(fd)


def recover(out_dir: Path, beside: Iterable[Path] = ()) -> list[Diagnostic]:
    """Finish or remove what an interrupted build left; a warning for each."""
    notes: list[Diagnostic] = []
    here = folder_label(out_dir)
    for folder in sorted(Path(out_dir).glob(STAGING_PREFIX + "*")):
        if not folder.is_dir():
            continue
        try:
            renames = read_journal(folder)
        except (OSError, ValueError, KeyError, TypeError):
            renames = None
        if renames is None:
            notes.append(Diagnostic(Loc(here), f"removed {folder.name}, the unfinished files of an "
                                               "interrupted build", severity="warning"))
        else:
            done = []
            for src, dest in renames:
                if src.exists():
                    try:
                        os.replace(src, dest)
                    except OSError as exc:
                        raise WriteError(str(dest), exc) from exc
                    done.append(dest)
            for parent in dict.fromkeys(d.parent for d in done):
                fsync_folder(parent)
            names = ", ".join(d.name for d in done) or "nothing left to rename"
            notes.append(Diagnostic(Loc(here), f"finished the commit of an interrupted build ({names})",
                                    severity="warning"))
        shutil.rmtree(folder, ignore_errors=True)
    strays = [p for p in Path(out_dir).iterdir() if TMP_NAME.match(p.name) and p.is_file()]
    for f in beside:
        if f.parent.is_dir():
            strays.extend(p for p in f.parent.glob(f".{f.name}.*.tmp") if TMP_NAME.match(p.name) and p.is_file())
    for stray in strays:
        unlink(stray)
        notes.append(Diagnostic(Loc(str(stray)), "removed a temporary file left by an interrupted build",
                                severity="warning"))
    return notes


def read_journal(folder: Path) -> list[tuple[Path, Path]] | None:
    path = folder / JOURNAL
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != JOURNAL_FORMAT:
        return None
    renames = [(Path(r["from"]), Path(r["to"])) for r in data["renames"]]
    for src, dest in renames:
        # Only ever our own renames: a staged file, or a copy beside its destination.
        ours = os.path.dirname(src) == os.path.abspath(folder) or (
            src.parent == dest.parent and src.name.startswith(f".{dest.name}.") and TMP_NAME.match(src.name))
        if not ours:
            return None
    return renames


def unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
