"""All-or-nothing writes: stage every file, then rename them all into place.

A build renders every output into a staging folder inside the output folder,
``<out>/.quizgen-staging-XXXXXXXX/`` (the same filesystem, so a rename is
atomic), never into the output folder or the bank itself. Only when every
renderer has succeeded does ``commit`` rename the staged files into place,
files outside the output folder (the bank's Anki lock) last. Any failure
before that removes the staging folder and leaves every previous file as it
was, byte for byte and mtime for mtime.

Crash safety:

* killed while rendering: only the staging folder is left; the next session
  in that output folder removes it, and stray ``.NAME.XXXXXXXX.tmp`` files
  of ``write_atomic`` in the output folder and beside the bank's files;
* killed while committing: before its first rename, ``commit`` writes a
  journal (the renames, in order) into the staging folder, atomically; the
  next session rolls it forward (finishes the renames whose source is still
  there) before anything else, so a build is never left half-committed
  (quizgen.journal).

Only one session at a time may write into an output folder (an advisory
``flock`` on the folder where the OS has one), so a session never takes a
running build's staging folder for a leftover. Standard library only.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from quizgen.errors import Diagnostic
from quizgen.journal import (STAGING_PREFIX, WriteError, folder_label, fsync_folder, recover, unlink,
                             write_journal)

try:  # POSIX; elsewhere concurrent builds into one folder are not detected
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

CHUNK = 1 << 20


class PartialCommit(WriteError):
    """A rename failed after others had succeeded: some files are new, some old."""

    def __init__(self, where: str, error: OSError, written: Iterable[Path], not_written: Iterable[Path]):
        super().__init__(where, error)
        self.written = tuple(written)
        self.not_written = tuple(not_written)


@dataclass(frozen=True, slots=True)
class Output:
    """A whole file, staged, and where it goes."""

    dest: Path  # its final place, as the renderer named it (output folder or bank)
    staged: Path  # the file inside the staging folder
    size: int


@dataclass(frozen=True, slots=True)
class Committed:
    output: Output
    changed: bool  # False: the file in place had the same bytes and was left alone


class Stage:
    """The staging folder of one build. Renderers write here, and only here."""

    def __init__(self, out_dir: Path, folder: Path):
        self.out_dir = Path(out_dir)
        self.folder = Path(folder)
        self.outputs: list[Output] = []

    def path(self, name: str) -> Path:
        """The final place of an output file called ``name``."""
        return self.out_dir / name

    @contextmanager
    def open(self, dest: Path) -> Iterator[BinaryIO]:
        """A binary file to stream the bytes of ``dest`` into (for outputs too
        big to hold in memory); it counts as staged once the block ends."""
        dest = Path(dest)
        self._refuse_twice(dest)
        staged = self.folder / f"{len(self.outputs):04d}-{dest.name}"
        with self._file(staged) as fh:
            yield fh
        try:
            size = staged.stat().st_size
        except OSError as exc:
            raise WriteError(folder_label(self.out_dir), exc) from exc
        self.outputs.append(Output(dest, staged, size))

    def write(self, dest: Path, data: bytes) -> Output:
        with self.open(dest) as fh:
            _write_all(fh, data)
        return self.outputs[-1]

    def write_aside(self, dest: Path, data: bytes, name: str) -> Output:
        """Stage ``data`` for ``dest`` as the file ``name`` of the staging
        folder, but list it only when adopt() is given it: a build writes the
        files it took from its cache while its workers render, and lists
        every file in the units' order after."""
        staged = self.folder / name
        with self._file(staged) as fh:
            _write_all(fh, data)
        return Output(Path(dest), staged, len(data))

    def adopt(self, output: Output) -> None:
        """List a file staged in this folder by someone else (a worker process, write_aside)."""
        self._refuse_twice(output.dest)
        self.outputs.append(output)

    def _refuse_twice(self, dest: Path) -> None:
        if any(o.dest == dest for o in self.outputs):
            raise ValueError(f"{dest} staged twice")

    @contextmanager
    def _file(self, staged: Path) -> Iterator[BinaryIO]:
        try:
            with open(staged, "xb") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(staged, 0o644)
        except OSError as exc:
            raise WriteError(folder_label(self.out_dir), exc) from exc


def _write_all(fh: BinaryIO, data: bytes) -> None:
    fh.write(data)


def _rename(src: Path, dest: Path) -> None:
    os.replace(src, dest)


def _same_filesystem(a: Path, b: Path) -> bool:
    return os.stat(a).st_dev == os.stat(b).st_dev


def _can_write(folder: Path) -> bool:
    # Not a guarantee (root passes everywhere), but it turns the common case, a
    # read-only bank or output folder, into an error before anything is renamed.
    return os.access(folder, os.W_OK)


class Session:
    """Exclusive use of one output folder: recover what an interrupted build
    left there, stage, commit. Use as a context manager; leaving it with an
    exception removes whatever was staged."""

    def __init__(self, out_dir: Path, beside: Iterable[Path] = ()):
        self.out_dir = Path(out_dir)
        self.beside = tuple(Path(p) for p in beside)  # bank files a build may replace
        self.recovered: list[Diagnostic] = []
        self._fd: int | None = None
        self._created: list[Path] = []  # folders this session made, removed again on failure
        self._stages: list[Stage] = []
        self._copies: list[Path] = []  # temporary files beside destinations on other filesystems
        self._committing = False

    # -- lifetime --

    def __enter__(self) -> "Session":
        try:
            self.acquire()
        except BaseException:
            self.close(failed=True)
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(failed=exc_type is not None)

    @property
    def commit_pending(self) -> bool:
        """True after a commit was interrupted mid-way (e.g. Ctrl-C): its journal
        stays, and the next session in the output folder finishes it."""
        return self._committing

    def acquire(self) -> None:
        """Lock the output folder (when it exists) and clean up after an
        interrupted build. Called again once the folder has been made."""
        if self._fd is None and self.out_dir.is_dir():
            self._fd = _lock_folder(self.out_dir)
            self.recovered.extend(recover(self.out_dir, self.beside))

    def close(self, failed: bool) -> None:
        if failed:
            self._discard()
        if self._fd is not None:
            os.close(self._fd)  # releases the flock
            self._fd = None

    def _discard(self) -> None:
        if not self._committing:  # an interrupted commit keeps its journal for the next session
            for copy in self._copies:
                unlink(copy)
            for stage in self._stages:
                shutil.rmtree(stage.folder, ignore_errors=True)
        for folder in reversed(self._created):
            try:
                folder.rmdir()  # only if still empty
            except OSError:
                pass

    # -- staging --

    def stage(self) -> Stage:
        where = folder_label(self.out_dir)
        try:
            self._make_folder(self.out_dir)
            self.acquire()
            folder = tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.out_dir)
        except FileExistsError as exc:  # a file where the folder should be
            raise WriteError(where, OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(self.out_dir))) from exc
        except OSError as exc:
            raise WriteError(where, exc) from exc
        stage = Stage(self.out_dir, Path(folder))
        self._stages.append(stage)
        return stage

    def _make_folder(self, folder: Path) -> None:
        missing = []
        while not folder.is_dir():
            missing.append(folder)
            if folder.parent == folder:
                break
            folder = folder.parent
        for f in reversed(missing):
            f.mkdir()
            self._created.append(f)

    # -- commit --

    def commit(self, stage: Stage) -> list[Committed]:
        """Rename every staged file into place: outputs first, then files
        outside the output folder (the lock records what the outputs told
        Anki, so it never runs ahead of them). Files whose bytes are already
        in place are left alone, so their mtime stays."""
        plan: list[tuple[Path, Path]] = []
        result: list[Committed] = []
        # The bank's files last, even when the output folder is the bank itself.
        ordered = sorted(stage.outputs, key=lambda o: o.dest in self.beside or not _inside(o.dest, self.out_dir))
        for output in ordered:
            dest = output.dest
            try:
                changed = not _same_bytes(output.staged, dest)
                if changed:
                    plan.append((self._source_for(stage, output), dest))
            except OSError as exc:
                raise WriteError(str(dest), exc) from exc
            result.append(Committed(output, changed))
        if plan:
            try:
                write_journal(stage.folder, plan)
            except OSError as exc:
                raise WriteError(folder_label(self.out_dir), exc) from exc
            self._committing = True
            done: list[Path] = []
            for src, dest in plan:
                try:
                    _rename(src, dest)
                except OSError as exc:
                    # Nothing left to finish by hand: the next build renders the same bytes again.
                    self._committing = False
                    raise PartialCommit(str(dest), exc, done,
                                        [d for _, d in plan[len(done):]]) from exc
                done.append(dest)
            self._copies.clear()
            for folder in dict.fromkeys(dest.parent for _, dest in plan):
                fsync_folder(folder)
            self._committing = False
        shutil.rmtree(stage.folder, ignore_errors=True)
        self._stages.remove(stage)
        order = {id(o): i for i, o in enumerate(stage.outputs)}
        return sorted(result, key=lambda c: order[id(c.output)])

    def _source_for(self, stage: Stage, output: Output) -> Path:
        """What to rename onto ``output.dest``: the staged file, or a copy
        beside the destination when it is on another filesystem (a rename
        cannot cross one). Checks the destination can take a rename, so a
        foreseeable failure happens before anything is replaced."""
        dest = output.dest
        parent = dest.parent
        self._make_folder(parent)  # e.g. a bank given as objects, with no folder yet
        if dest.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(dest))
        if not _can_write(parent):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(parent))
        if _same_filesystem(parent, stage.folder):
            return output.staged
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=parent)
        self._copies.append(Path(tmp))
        with os.fdopen(fd, "wb") as out, open(output.staged, "rb") as src:
            shutil.copyfileobj(src, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        return Path(tmp)


def _inside(path: Path, folder: Path) -> bool:
    return os.path.abspath(path.parent) == os.path.abspath(folder)


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        if not b.is_file() or a.stat().st_size != b.stat().st_size:
            return False
    except FileNotFoundError:
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x = fa.read(CHUNK)
            if x != fb.read(CHUNK):
                return False
            if not x:
                return True


def _lock_folder(folder: Path) -> int | None:
    if fcntl is None:  # pragma: no cover
        return None
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        os.close(fd)
        raise WriteError(folder_label(folder), OSError(
            errno.EBUSY, "another quizgen build is writing into this folder; wait for it to finish",
            str(folder))) from exc
    except OSError:  # e.g. a filesystem without locks: go on unlocked
        return fd
    return fd


