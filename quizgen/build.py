"""Run the pipeline: load and validate the whole bank, then hand it to each
renderer. Nothing is written until everything has validated, and then all or
nothing: every renderer writes into one staging folder, and only when all of
them have succeeded are the files renamed into place, the bank's Anki lock
last (quizgen.staging). No click here."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from quizgen.errors import Diagnostic, Loc, QuizgenError
from quizgen.model import Bank
from quizgen.render import RENDERERS, RenderOptions, renderer
from quizgen.staging import Committed, PartialCommit, Session, WriteError, folder_label
from quizgen.writefile import build_timestamp

# Used when SOURCE_DATE_EPOCH is unset, so that two builds of the same tree
# agree byte for byte without the caller doing anything (2000-01-01, the date
# reportlab's invariant mode also uses).
DEFAULT_EPOCH = 946684800


@dataclass(frozen=True, slots=True)
class BuildResult:
    bank: Bank
    written: tuple[Path, ...]  # renamed into place
    warnings: tuple[Diagnostic, ...]
    unchanged: tuple[Path, ...] = ()  # rendered, but the same bytes were already in place


class BuildFailed(QuizgenError):
    """Every diagnostic, and what reached its final place anyway: nothing,
    except when a rename of the commit itself failed after others succeeded."""

    def __init__(self, diagnostics: Iterable[Diagnostic], written: Iterable[Path] = (),
                 not_written: Iterable[Path] = ()):
        super().__init__(diagnostics)
        self.written = tuple(written)
        self.not_written = tuple(not_written)


def load_or_raise(root: Path) -> tuple[Bank, list[Diagnostic]]:
    """The validated bank, its quotes checked when the corpus is there (as
    the CLI's build does), or QuizgenError with every diagnostic."""
    from quizgen.bank.load import load_checked_bank

    bank, diagnostics, _report = load_checked_bank(root)
    if bank is None:
        raise QuizgenError(diagnostics)
    return bank, diagnostics


def default_options(**overrides) -> RenderOptions:
    """Render options; reads SOURCE_DATE_EPOCH, so a bad value fails here,
    before anything is read or written."""
    overrides.setdefault("timestamp", build_timestamp(DEFAULT_EPOCH))
    return RenderOptions(**overrides)


def bank_files(root: Path) -> tuple[Path, ...]:
    """Files beside the bank that a build may replace."""
    from quizgen.render import ANKI_LOCK_NAME as LOCK_NAME

    return (Path(root) / LOCK_NAME,)


@contextmanager
def output_folder(out_dir: Path, bank_root: Path) -> Iterator[Session]:
    """Exclusive use of the output folder, once what an interrupted build left
    there has been finished (a journalled commit) or removed (session.recovered
    says which). Any OSError inside becomes a diagnostic naming the place; any
    exception removes what was staged."""
    try:
        with Session(Path(out_dir), beside=bank_files(bank_root)) as session:
            yield session
    except PartialCommit as exc:
        raise BuildFailed([exc.diagnostic], exc.written, exc.not_written) from exc
    except WriteError as exc:
        raise BuildFailed([exc.diagnostic]) from exc
    except OSError as exc:  # outside the stage: a renderer reading something
        where = exc.filename if exc.filename is not None else folder_label(Path(out_dir))
        raise BuildFailed([Diagnostic(Loc(str(where)), f"cannot read: {exc.strerror or exc}")]) from exc


def render_formats(bank: Bank, session: Session, formats: tuple[str, ...],
                   options: RenderOptions, *, store=None, jobs: int = 1,
                   staged_digests: dict | None = None, workers=None) -> list[Committed]:
    """Stage every named renderer's files, then commit them all; each file
    with whether it changed (an unchanged one is left in place, mtime and all).

    The deck, the exports and the worksheets are cut into render units
    (quizgen.render.units): with a ``store`` (cachestore.Store("build")) a
    unit whose inputs were rendered before comes from it; the others render
    in ``jobs`` worker processes, and every file is staged in the units'
    order, so the bytes and the listing never depend on either.
    ``staged_digests``, when given, receives each staged file's sha256;
    ``workers`` (build_units.Workers), a pool started earlier to use."""
    from quizgen.render.units import UNIT_RENDERERS
    from quizgen.select import deliverable

    bank = deliverable(bank)  # the one place outputs leave out `support: outside` questions
    if "exports" in formats and not options.exports:  # none asked for by name: bank.yaml's `exports:`
        options = replace(options, exports=bank.config.exports)
    stage = session.stage()
    if all(name in UNIT_RENDERERS for name in formats):
        from quizgen.build_units import stage_units

        stage_units(bank, session, stage, formats, options, store=store, jobs=jobs, workers=workers,
                    staged_digests=staged_digests)
    else:  # renderers without units (a caller's own): one after the other, as they are
        for name in formats:
            renderer(name)(bank, stage, options)
        if staged_digests is not None:
            from quizgen.filedigest import sha256_of

            for o in stage.outputs:
                staged_digests[o.dest] = sha256_of(o.staged)
    return session.commit(stage)


def build(root: Path, out_dir: Path, formats: tuple[str, ...] = tuple(RENDERERS),
          options: RenderOptions | None = None, *, cache: bool = True, jobs: int | None = None) -> BuildResult:
    """Everything, all or nothing. ``cache``: take unchanged render units
    from the build cache (quizgen.cachestore, safe to delete); ``jobs``:
    worker processes for the rest (None: one per core, up to 8)."""
    from quizgen.build_units import default_jobs
    from quizgen.cachestore import Store

    options = options or default_options()
    store = Store("build") if cache else None
    with output_folder(out_dir, root) as session:
        bank, warnings = load_or_raise(root)
        files = render_formats(bank, session, formats, options, store=store,
                               jobs=default_jobs() if jobs is None else jobs)
    return BuildResult(bank, tuple(c.output.dest for c in files if c.changed),
                       tuple(session.recovered) + tuple(warnings),
                       tuple(c.output.dest for c in files if not c.changed))
