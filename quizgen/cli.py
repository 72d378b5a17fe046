"""The command line: a thin layer over the library. Commands parse options,
call the library, print diagnostics and choose the exit code. Heavy modules
(genanki, reportlab) are imported inside the commands that need them, so
`quizgen --help` stays fast."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable, NoReturn

import click

from quizgen import __version__
from quizgen.errors import Diagnostic, Loc, QuizgenError, errors_only

DEFAULT_BANK = "questions"
DEFAULT_OUT = "output"

bank_option = click.option("--bank", "bank_path", default=DEFAULT_BANK, show_default=True,
                           type=click.Path(path_type=Path), help="The question bank folder.")
# Options that change how the bank is loaded, read by load() from the running
# command's parameters: a command that declares --corpus checks every quote
# against the corpus, one that declares --deck renames the deck, and the
# commands never thread them through by hand.
corpus_option = click.option("--corpus", type=click.Path(path_type=Path), default=None,
                             help="Folder holding the source articles (default: bank.yaml's corpus).")


def _deck_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and any(not part.strip() for part in value.split("::")):
        raise click.BadParameter(f"expected a deck name without empty '::' parts, found '{value}'")
    return value


deck_option = click.option("--deck", "deck_name", callback=_deck_name,
                           help="Name of the parent deck (default: bank.yaml's deck name).")


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    # one write: click.echo per line costs ~7 us each, 0.7 s for 100,000 warnings
    text = "\n".join(str(d) for d in diagnostics)
    if text:
        click.echo(text, err=True)


def failure_line(diagnostics: list[Diagnostic], summary: str = "nothing was written") -> str:
    n = len(errors_only(diagnostics))
    return f"quizgen: {n} error{'s' if n != 1 else ''}; {summary}"


def fail(diagnostics: Iterable[Diagnostic], summary: str = "nothing was written") -> NoReturn:
    diagnostics = list(diagnostics)
    print_diagnostics(diagnostics)
    click.echo(failure_line(diagnostics, summary), err=True)
    sys.exit(1)


def written_summary(written: Iterable[Path], not_written: Iterable[Path]) -> str:
    """What a failed build left: nothing, unless a rename of its commit failed."""
    written = [str(p) for p in written]
    if not written:
        return "nothing was written"
    return f"wrote {', '.join(written)}; not written: {', '.join(str(p) for p in not_written)}"


def _params() -> dict:
    ctx = click.get_current_context(silent=True)
    return ctx.params if ctx is not None else {}


def load_with_report(bank_path: Path, *, require_corpus: bool = False, warnings: list | None = None):
    """The validated bank and its quote report (None when quotes were not
    checked), or every diagnostic and exit 1. The warnings it printed are
    added to ``warnings`` when given."""
    from dataclasses import replace

    from quizgen.bank.load import load_bank, load_checked_bank

    params = _params()
    report = None
    if "corpus" in params or require_corpus:
        bank, diagnostics, report = load_checked_bank(bank_path, params.get("corpus"),
                                                      require_corpus=require_corpus)
    else:
        bank, diagnostics = load_bank(bank_path)
    if bank is None:
        fail(diagnostics)
    print_diagnostics(diagnostics)  # warnings only
    if warnings is not None:
        warnings.extend(diagnostics)
    if params.get("deck_name"):
        bank = replace(bank, config=replace(bank.config, deck_name=params["deck_name"]))
    return bank, report


def load(bank_path: Path):
    """The validated bank, or every diagnostic and exit 1."""
    return load_with_report(bank_path)[0]


def bank_config(bank_path: Path):
    """The config of an existing bank folder (warnings dropped: the command
    only needs its corpus), or the diagnostics and exit 1."""
    from quizgen.bank.config import CONFIG_FILE, load_config
    from quizgen.bank.load import shown_path

    if not bank_path.is_dir():
        fail([Diagnostic(Loc(shown_path(bank_path)), "expected a bank folder, found no such directory "
                                                     "(quizgen init DIR makes one)")])
    config, diagnostics = load_config(bank_path, shown_path(bank_path / CONFIG_FILE))
    if config is None:
        fail(diagnostics)
    return config


def refuse_overwrite(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; pass --force to overwrite it")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quizgen")
def cli() -> None:
    """Compile a source-tied question bank into Anki decks and PDF worksheets."""


@cli.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--bank", "bank_path", type=click.Path(path_type=Path),
              help="The question bank folder, as every other command takes it (or give it as PATH).")
@corpus_option
@click.option("--verbose", "-v", is_flag=True, help="List each question the sheets leave out, and why.")
def validate(path: Path | None, bank_path: Path | None, corpus: Path | None, verbose: bool = False) -> None:
    """Check every file of the bank at PATH (default: questions) and report all
    problems at once; quotes and sha256 too when the corpus folder is there.
    Also says how many questions each set's sheets leave out (--verbose: which)."""
    if path is not None and bank_path is not None and path != bank_path:
        raise click.UsageError(f"two banks named: PATH {path} and --bank {bank_path}; give one")
    from quizgen import filedigest
    from quizgen.bank import resultcache

    root = path or bank_path or Path(DEFAULT_BANK)
    if resultcache.store().enabled:
        # every file is hashed once for the key; the loader's per-file keys
        # and the second key below take the digests remembered by stat
        filedigest.enable()
    try:
        key = resultcache.key(root, corpus, verbose)
        outcome = resultcache.get(key)
        if outcome is None:
            outcome = _validate_outcome(root, corpus, verbose)
            # stored only when nothing changed while it ran: the result must be that of the key's inputs
            if key is not None and resultcache.key(root, corpus, verbose) == key:
                resultcache.put(key, outcome)
    finally:
        filedigest.disable()  # saves what it learnt
    out, err, code = outcome
    if err:
        click.echo(err, err=True, nl=False)
    if out:
        click.echo(out, nl=False)
    if code:
        sys.exit(code)


_LOADED: list = []  # banks a command loaded and is done with: main() leaves them to the operating system
_EXIT_AT_ONCE = False  # set by main() only: a library caller's (or a test's) banks are freed as usual


def _validate_outcome(root: Path, corpus: Path | None, verbose: bool) -> tuple[str, str, int]:
    """What `validate` prints (stdout, stderr) and its exit code, as the
    other commands' load_with_report and fail() print them."""
    from quizgen.bank.load import load_checked_bank
    from quizgen.select import SetTally, left_out_summary

    # the questions are checked as each file comes in and not kept: what is
    # said of them below, the tally took (a large bank is never all in memory)
    tally = SetTally()
    bank, diagnostics, report = load_checked_bank(root, corpus, feeds=(tally,), keep=False)
    if _EXIT_AT_ONCE:
        _LOADED.append((bank, tally))  # not freed object by object when this returns: see main()
    err = "".join(f"{d}\n" for d in diagnostics)
    if bank is None:
        return "", err + failure_line(diagnostics) + "\n", 1
    quotes = f"; {report.quotes_checked} quotes found verbatim" if report is not None else ""
    lines = [f"ok: {tally.count} questions in {len(tally.files)} files, "
             f"{len(bank.sources)} sources, {len(bank.sets)} sets{quotes}"]
    lines += left_out_summary(bank, verbose, tally)
    return "".join(f"{line}\n" for line in lines), err, 0


@cli.command()
@bank_option
@corpus_option
def verify(bank_path: Path, corpus: Path | None) -> None:
    """Check every quote against its article and every file against its sha256."""
    from quizgen.bank.load import load_checked_bank
    from quizgen.listing import table

    bank, diagnostics, report = load_checked_bank(bank_path, corpus, require_corpus=True)
    if report is not None:
        rows = [(c.source_id, c.file, c.curated, c.generated, c.facts) for c in report.coverage]
        click.echo(table(("source", "file", "curated", "generated", "facts"), rows), nl=False)
    if bank is None:
        fail(diagnostics)
    print_diagnostics(diagnostics)  # warnings only
    click.echo(f"ok: {report.quotes_checked} quotes found verbatim in {len(bank.sources)} articles; "  # type: ignore[union-attr]
               "all sha256 match")


@cli.command(name="list")
@bank_option
@click.option("--topic", help="Only this topic.")
@click.option("--type", "qtype", help="Only this question type.")
@click.option("--source", help="Only questions citing this source id.")
@click.option("--origin", type=click.Choice(["curated", "generated"]), help="Only curated or generated.")
@click.option("--support", "support", type=click.Choice(["quoted", "inferred", "outside", "unsupported"]),
              help="Only questions of this support status.")
def list_(bank_path: Path, topic: str | None, qtype: str | None, source: str | None,
          origin: str | None, support: str | None) -> None:
    """Show the questions of the bank as a table, with how each key is supported."""
    from quizgen.listing import filter_questions, question_table, support_counts, support_statuses

    bank = load(bank_path)
    chosen = filter_questions(bank.questions, topic=topic, qtype=qtype, source=source, origin=origin)
    statuses = support_statuses(chosen, bank.sources)
    if support:
        chosen = [q for q in chosen if statuses[q.id] == support]
    click.echo(question_table(chosen, statuses), nl=False)
    click.echo(f"{len(chosen)} of {len(bank.questions)} questions; support: "
               f"{support_counts(statuses[q.id] for q in chosen)}")


@cli.command()
@bank_option
@click.option("--corpus", type=click.Path(path_type=Path),
              help="Folder holding the source articles (default: the bank config's corpus).")
@click.option("--uncited", is_flag=True, help="List only the sentences no question cites.")
def coverage(bank_path: Path, corpus: Path | None, uncited: bool) -> None:
    """Show, per article, each body sentence and the questions that cite it."""
    from quizgen.bank.coverage import corpus_folder, coverage as article_coverage, report_text

    bank = load(bank_path)
    folder = corpus_folder(bank, corpus)
    if not folder.is_dir():
        raise click.ClickException(f"corpus folder {folder} not found; pass --corpus DIR")
    report = article_coverage(bank, folder)
    if report.diagnostics:
        fail(report.diagnostics)
    click.echo(report_text(report, uncited_only=uncited), nl=False)


def export_names() -> list[str]:
    from quizgen.render import EXPORTERS

    return sorted(EXPORTERS)


@cli.command()
@bank_option
@click.option("--format", "fmt", type=click.Choice(export_names()), default="json", show_default=True,
              help="Export format (see docs/exports.md).")
@click.option("--set", "set_name", metavar="NAME", help="Only the questions of this question set.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def export(bank_path: Path, fmt: str, set_name: str | None, output: Path | None, force: bool) -> None:
    """Write the bank (or one set) in a format other tools and platforms import."""
    from dataclasses import replace

    from quizgen.build import default_options
    from quizgen.render import exporter
    from quizgen.select import deliverable, select
    from quizgen.writefile import write_atomic

    if output is not None:
        refuse_overwrite(output, force)
    bank = load(bank_path)
    if set_name is not None:
        qset = next((s for s in bank.sets if s.name == set_name), None)
        if qset is None:
            from quizgen.bank.check import did_you_mean

            names = [s.name for s in bank.sets]
            raise click.ClickException(f"expected a question set of the bank ({', '.join(names) or 'none'}), "
                                       f"found '{set_name}'{did_you_mean(set_name, names)}")
        bank = replace(bank, questions=select(bank.questions, qset))
    if fmt != "json":  # the JSON contract is the whole bank; platforms get what the deck gets
        bank = deliverable(bank)
    try:
        data = exporter(fmt)(bank, default_options())
    except QuizgenError as exc:
        fail(exc.diagnostics)
    if output is None:
        if fmt == "qti" and sys.stdout.isatty():
            raise click.ClickException("a QTI package is a zip file; pass -o FILE")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        write_atomic(output, data)
    except OSError as exc:
        fail([Diagnostic(Loc(str(output)), f"cannot write: {exc.strerror or exc}")])
    click.echo(f"wrote {output} ({len(bank.questions)} questions, {len(data):,} bytes)", err=True)


def run_renderers(bank_path: Path, out: Path, formats: tuple[str, ...], *, cache: bool = True,
                  jobs: int | None = None, **options) -> None:
    """Render all or nothing: files are staged and renamed into place only when
    every renderer has succeeded (quizgen.build). With the cache, a build whose
    inputs and outputs are all as the last one left them stops before loading
    the bank (quizgen.build_fastpath), and unchanged render units come from
    the cache; the rest render in ``jobs`` processes."""
    from quizgen.build import default_options, output_folder, render_formats

    session = None
    try:
        # SOURCE_DATE_EPOCH first: a bad value stops the build before anything is touched.
        printed: list[Diagnostic] = []

        def warn(d: Diagnostic) -> None:
            printed.append(d)
            click.echo(str(d), err=True)

        opts = default_options(progress=lambda msg: click.echo(msg, err=True), warn=warn, **options)
        store = _build_store(cache)
        if store is not None:
            from quizgen import filedigest

            filedigest.enable()
        with output_folder(out, bank_path) as session:
            print_diagnostics(session.recovered)  # an interrupted build, finished or cleaned up
            key = hashes = workers = None
            if store is not None and not session.recovered:
                from quizgen.build_fastpath import Record, check, state_key

                key = state_key(out, bank_path, _build_signature(formats, opts))
                record, hashes = check(store, key, bank_path, out)
                if isinstance(record, Record):
                    _report_nothing_changed(out, record)
                    return
                workers = _early_workers(record, _jobs(jobs), session, bank_path)
            try:
                bank = load_with_report(bank_path, warnings=printed)[0]  # prints warnings before the slow part
                if _EXIT_AT_ONCE:
                    _LOADED.append(bank)  # left to the operating system, with the rest of the process: see main()
                staged: dict = {}
                files = render_formats(bank, session, formats, opts, store=store, jobs=_jobs(jobs),
                                       staged_digests=staged, workers=workers)
            finally:
                if workers is not None:
                    workers.close()
            if key is not None:
                from quizgen.build_fastpath import save

                try:
                    save(store, key, hashes, bank, _params().get("corpus"), "pdf" in formats,
                         [(str(c.output.dest), staged[c.output.dest], c.output.size) for c in files], printed,
                         root=bank_path, out_dir=out)
                except OSError:
                    pass  # no record: the next build takes the full path
    except KeyboardInterrupt:
        if session is not None and session.commit_pending:
            click.echo(f"quizgen: interrupted while renaming files into place; the next build into "
                       f"{str(out).rstrip('/')}/ finishes it", err=True)
        else:
            click.echo("quizgen: interrupted; nothing was written", err=True)
        sys.exit(130)
    except QuizgenError as exc:
        fail(exc.diagnostics, written_summary(getattr(exc, "written", ()), getattr(exc, "not_written", ())))
    except Exception:  # a bug: show it, but say honestly that the outputs were not touched
        import traceback

        traceback.print_exc()
        click.echo("quizgen: internal error (please report it with the traceback above); "
                   "nothing was written", err=True)
        sys.exit(1)
    finally:
        from quizgen import filedigest

        filedigest.disable()  # saves what it learnt; a library caller's next command decides again
    for c in files:
        click.echo(f"{'wrote' if c.changed else 'unchanged'} {c.output.dest} ({c.output.size:,} bytes)")
    unchanged = sum(not c.changed for c in files)
    note = f" ({unchanged} unchanged, left as they were)" if unchanged else ""
    click.echo(f"{len(files)} files from {len(bank.questions)} questions{note}")


def _build_store(cache: bool):
    from quizgen.cachestore import Store

    store = Store("build") if cache else None
    return store if store is not None and store.enabled else None


def _early_workers(previous, jobs: int, session, bank_path: Path):
    """Worker processes started before the bank loads (they warm up meanwhile),
    when the last build of these options was big enough to use them."""
    from quizgen.build_units import EARLY_MIN_BANK_BYTES, EARLY_MIN_QUESTIONS, Workers, bank_bytes

    if jobs < 2:
        return None
    if previous is None:  # no build of these options yet: judge by the size of the bank's files
        if bank_bytes(bank_path) < EARLY_MIN_BANK_BYTES:
            return None
    elif previous.questions < EARLY_MIN_QUESTIONS:
        return None
    return Workers(jobs, session)


def _jobs(jobs: int | None) -> int:
    from quizgen.build_units import default_jobs

    return default_jobs() if jobs is None else jobs


def _build_signature(formats: tuple[str, ...], opts) -> str:
    """What, besides the files, decides a build's outputs (the key of its no-change record)."""
    import os

    from quizgen.build_units import clock_may_be_read

    params = _params()
    corpus = params.get("corpus")
    return repr((formats, opts.timestamp, opts.seed, opts.variants, opts.deck_name, opts.set_names, opts.students,
                 opts.answer_sheet,
                 opts.exports, params.get("deck_name"), None if corpus is None else os.path.abspath(corpus),
                 clock_may_be_read(opts)))


def _report_nothing_changed(out: Path, record) -> None:
    print_diagnostics(record.warnings)
    n = len(record.outputs)
    click.echo(f"{str(out).rstrip('/')}/: nothing changed since the last build (inputs and outputs as it "
               f"left them)", err=True)
    for path, _sha, size in record.outputs:
        click.echo(f"unchanged {path} ({size:,} bytes)")
    click.echo(f"{n} files from {record.questions} questions ({n} unchanged, left as they were)")


@cli.command()
@bank_option
@click.option("--out", default=DEFAULT_OUT, show_default=True, type=click.Path(path_type=Path),
              help="Output folder.")
@corpus_option
@deck_option
@click.option("--format", "formats", multiple=True, type=click.Choice(["anki", "pdf", *export_names()]),
              help="Only this output (repeatable; default: the deck, the worksheets and bank.yaml's exports).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes rendering at once (default: one per core, up to 8; 1: all in this process).")
@click.option("--no-cache", is_flag=True,
              help="Render everything again, neither reading nor filling the build cache.")
def build(bank_path: Path, out: Path, corpus: Path | None, deck_name: str | None,
          formats: tuple[str, ...], jobs: int | None, no_cache: bool) -> None:
    """Build everything: the Anki deck, worksheets and answer keys, and the exports bank.yaml names."""
    run = dict(cache=not no_cache, jobs=jobs)
    if not formats:
        run_renderers(bank_path, out, ("anki", "pdf", "exports"), **run)
        return
    exports = tuple(f for f in dict.fromkeys(formats) if f not in ("anki", "pdf"))
    renderers = tuple(f for f in ("anki", "pdf") if f in formats) + (("exports",) if exports else ())
    run_renderers(bank_path, out, renderers, exports=exports, **run)


@cli.command()
@bank_option
@click.option("--out", default=DEFAULT_OUT, show_default=True, type=click.Path(path_type=Path),
              help="Output folder.")
@corpus_option
@deck_option
def anki(bank_path: Path, out: Path, corpus: Path | None, deck_name: str | None) -> None:
    """Build the Anki deck (.apkg) of the whole bank."""
    run_renderers(bank_path, out, ("anki",), deck_name=deck_name)


@cli.command()
@bank_option
@click.argument("sets", nargs=-1)
@click.option("--variants", default=1, show_default=True, type=click.IntRange(1, 26),
              help="Shuffled variants per set (A, B, C, ...).")
@click.option("--seed", type=int, help="Override each set's seed.")
@click.option("--out", default=DEFAULT_OUT, show_default=True, type=click.Path(path_type=Path),
              help="Output folder.")
@corpus_option
@click.option("--students", "roster", type=click.Path(path_type=Path, dir_okay=False),
              help="A CSV roster (a 'name' column): one copy per student, with the name printed, "
                   "its own key and seed, and a class grid; instead of --variants.")
@click.option("--answer-sheet", is_flag=True,
              help="Also an answer sheet per copy (NAME[-V]-answers.pdf) and NAME.layout.json, "
                   "for quizgen grade (docs/grading.md).")
def pdf(bank_path: Path, sets: tuple[str, ...], variants: int, seed: int | None, out: Path,
        corpus: Path | None, roster: Path | None, answer_sheet: bool) -> None:
    """Build worksheets and answer keys for SETS (default: every set)."""
    students: tuple[str, ...] = ()
    if roster is not None:
        from quizgen.render.pdf.roster import read_roster

        try:
            students = read_roster(roster)
        except QuizgenError as exc:
            fail(exc.diagnostics)
    run_renderers(bank_path, out, ("pdf",), set_names=sets, variants=variants, seed=seed, students=students,
                  answer_sheet=answer_sheet)


@cli.command()
@click.argument("scans", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--manifest", "manifest_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="NAME.manifest.json of the printed set (keys and points).")
@click.option("--layout", "layout_path", type=click.Path(path_type=Path, dir_okay=False),
              help="NAME.layout.json (default: beside the manifest).")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="results.csv to write (totals go to RESULTS-totals.csv beside it).")
@click.option("--review", "review_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the review page and its crops (default: RESULTS-review beside the results).")
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path, dir_okay=False),
              help="A filled-in review.csv: the teacher's reading of the doubtful marks.")
@click.option("--report", "report_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Also write the item analysis and key check report into this folder.")
@click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None,
              help="The question bank, so the report shows each flagged question's prompt and citation.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes reading pages.")
@click.option("--force", is_flag=True, help="Overwrite results, totals, review.csv and the report if they exist.")
def grade(scans: tuple[Path, ...], manifest_path: Path, layout_path: Path | None, output: Path,
          review_dir: Path | None, decisions_path: Path | None, report_dir: Path | None,
          bank_path: Path | None, workers: int, force: bool) -> None:
    """Grade scanned answer sheets (PDF, PNG, JPEG) against the set's manifest (docs/grading.md)."""
    from quizgen.grade.results import results_csv, totals_csv
    from quizgen.grade.review import review_files
    from quizgen.grade.run import grade as grade_scans
    from quizgen.writefile import write_atomic

    rows, crops, errors = grade_scans(list(scans), manifest_path, layout_path, decisions_path, workers)
    if errors:
        for line in errors:
            click.echo(line, err=True)
        click.echo(f"quizgen: {len(errors)} error{'s' if len(errors) != 1 else ''}; nothing was written", err=True)
        sys.exit(1)
    totals_path = output.with_name(f"{output.stem}-totals.csv")
    review_dir = review_dir or output.with_name(f"{output.stem}-review")
    review = review_files(rows, crops)
    # results and review.csv are files a teacher may have edited
    for path in (output, totals_path, review_dir / "review.csv"):
        refuse_overwrite(path, force)
    try:
        write_atomic(output, results_csv(rows))
        write_atomic(totals_path, totals_csv(rows))
        for name, data in review.items():
            (review_dir / name).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(review_dir / name, data)
    except OSError as exc:
        fail([Diagnostic(Loc(str(getattr(exc, "filename", "") or output)), f"cannot write: {exc.strerror or exc}")])
    undecided = sum(r.correct is None for r in rows)
    click.echo(f"wrote {output} ({len(rows)} rows), {totals_path}; {undecided} to review in {review_dir}/index.html")
    if report_dir is not None:
        # the item analysis and key check, the same as `quizgen analyse` on these results
        import json

        from quizgen.grade.report import write_report

        manifests = [json.loads(manifest_path.read_text(encoding="utf-8"))]
        bank = load(bank_path) if bank_path is not None else None
        try:
            written = write_report(report_dir, rows, manifests, bank, force=force)
        except QuizgenError as exc:
            fail(exc.diagnostics, "the report was not written")
        for path in written:
            click.echo(f"wrote {path}")


@cli.command()
@bank_option
@click.option("--template", "template_names", multiple=True, metavar="NAME",
              help="Only this template (repeatable; default: every template).")
@click.option("--topic", "topics", multiple=True, help="Only templates of this topic (repeatable).")
@click.option("--count", type=click.IntRange(min=1),
              help="How many questions, spread evenly across templates (default: all the facts allow).")
@click.option("--per-fact", type=click.IntRange(min=0), default=8, show_default=True,
              help="At most this many questions on any one fact record (0: no cap).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for selection and option order.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The question file to write, e.g. questions/generated/dates.yaml.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def generate(bank_path: Path, template_names: tuple[str, ...], topics: tuple[str, ...], count: int | None,
             per_fact: int, seed: int, output: Path, force: bool) -> None:
    """Write a new question set built from the facts database and the templates."""
    from quizgen.generate.write import generate as generate_questions

    refuse_overwrite(output, force)
    try:
        result = generate_questions(bank_path, output, templates=template_names, topics=topics,
                                    count=count, seed=seed, force=force, per_fact=per_fact or None)
    except QuizgenError as exc:
        fail(exc.diagnostics)
    click.echo(result.summary())


@cli.command()
@bank_option
def templates(bank_path: Path) -> None:
    """List the question templates and how many distinct questions each can make."""
    from quizgen.generate.write import template_counts
    from quizgen.listing import table

    try:
        infos = template_counts(bank_path)
    except QuizgenError as exc:
        fail(exc.diagnostics)
    rows = [(i.name, i.type, i.topic, i.generator, i.count) for i in infos]
    click.echo(table(("template", "type", "topic", "generator", "questions"), rows), nl=False)
    click.echo(f"{len(infos)} templates, {sum(i.count for i in infos)} distinct questions")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", help="The bank's title; the deck is named after it (default: from FOLDER).")
@click.option("--force", is_flag=True, help="Add the starter files to a non-empty FOLDER (existing files are kept).")
def init(folder: Path, title: str | None, force: bool) -> None:
    """Start a new bank in FOLDER: config, source registry with an example
    text, an example question file, a set and the JSON Schemas."""
    from quizgen.starter import InitError, init_bank

    try:
        result = init_bank(folder, title, force=force)
    except InitError as exc:
        raise click.ClickException(str(exc)) from None
    for rel in result.kept:
        click.echo(f"kept {folder / rel} (it exists)")
    click.echo(f"wrote {len(result.written)} files in {folder} (id namespace {result.namespace})")
    click.echo(f"next: quizgen add-source ARTICLE.txt --bank {folder}; then quizgen build --bank {folder}")


def confirm_headline(guess: str | None) -> str:
    """Ask yes/no first: at a bare text prompt, people answer 'y' and get a headline 'y'."""
    if guess is None:  # nothing to confirm: ask for the headline itself
        click.echo("No line of the text reads like a headline.", err=True)
        return click.prompt("Headline", err=True).strip()
    click.echo(f"Headline guessed from the text: {guess}", err=True)
    if click.confirm("Use this headline?", default=True, err=True):
        return guess
    return click.prompt("Headline", err=True).strip()


@cli.command(name="add-source")
@click.argument("file", type=click.Path(path_type=Path))
@bank_option
@click.option("--corpus", type=click.Path(path_type=Path), help="The corpus folder (default: bank.yaml's corpus).")
@click.option("--id", "source_id", help="The source id (default: from the file name).")
@click.option("--outlet", help="Who published the article (default: none named).")
@click.option("--headline", help="The headline (default: guessed from the text, then confirmed).")
@click.option("--published", metavar="DATE", help="The date the article prints: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--inferred-date", metavar="DATE", help="Where it prints none: a date or START/END range you infer.")
@click.option("--inferred-reason", metavar="TEXT", help="Why that date (required with --inferred-date).")
@click.option("--yes", "-y", is_flag=True, help="Take the guessed headline without asking.")
def add_source(file: Path, bank_path: Path, corpus: Path | None, source_id: str | None, outlet: str | None,
               headline: str | None, published: str | None, inferred_date: str | None,
               inferred_reason: str | None, yes: bool) -> None:
    """Register the article FILE: copy it into the corpus folder, record its
    sha256, headline and date in sources.yaml (comments are kept)."""
    from quizgen.bank.article import guess_headline, read_article
    from quizgen.bank.registry import apply_add_source, check_add_source, plan_add_source
    from quizgen.bank.sources import corpus_folder

    config = bank_config(bank_path)
    folder = corpus_folder(bank_path, config, corpus)
    try:
        article = read_article(file)
        dates = dict(published=published, inferred_date=inferred_date, inferred_reason=inferred_reason)
        check_add_source(bank_path, folder, article, source_id=source_id, headline=headline, **dates)  # before asking
        if headline is None:
            guess = guess_headline(article.text)
            if yes and guess is None:
                raise click.ClickException(f"no line of {file} reads like a headline; pass --headline")
            headline = guess if yes else confirm_headline(guess)
        plan = plan_add_source(bank_path, folder, article, source_id=source_id, headline=headline or "",
                               outlet=outlet, **dates)
    except QuizgenError as exc:
        fail(exc.diagnostics)
    apply_add_source(plan)
    if plan.copy_to is not None:
        click.echo(f"copied {file} to {plan.copy_to}")
    r = plan.record
    date = r.published or (f"{r.inferred_date} (inferred)" if r.inferred_date else "undated")
    click.echo(f"registered '{r.id}' in {plan.registry}: {r.headline} ({date}, sha256 {r.sha256[:12]}...)")


@cli.command()
@bank_option
@corpus_option
@click.argument("source_ids", nargs=-1, metavar="[SOURCE_ID]...")
def rehash(bank_path: Path, corpus: Path | None, source_ids: tuple[str, ...]) -> None:
    """Record new sha256 values after a deliberate edit of articles (default:
    every source) and report the quotes that no longer verify."""
    from quizgen.bank.load import load_checked_bank
    from quizgen.bank.registry import apply_rehash, plan_rehash
    from quizgen.bank.sources import corpus_folder

    config = bank_config(bank_path)
    folder = corpus_folder(bank_path, config, corpus)
    try:
        plan = plan_rehash(bank_path, folder, source_ids)
    except QuizgenError as exc:
        fail(exc.diagnostics)
    apply_rehash(plan)
    for c in plan.changes:
        click.echo(f"{c.source_id}: sha256 {c.old[:12]}... -> {c.new[:12]}... ({c.file})")
    n = len(plan.changes)
    changed = f"updated the sha256 of {n} source{'s' if n != 1 else ''}" if n else "no sha256 changed"
    _bank, diagnostics, report = load_checked_bank(bank_path, folder)
    quotes = [d for d in diagnostics if d.is_error and d.path == "quote"]
    if report is None:
        fail(diagnostics, f"{changed}; quotes not checked until the errors above are fixed")
    if errors_only(diagnostics):
        noun = "quote no longer verifies" if len(quotes) == 1 else "quotes no longer verify"
        fail(diagnostics, f"{changed}; {len(quotes)} {noun}")
    click.echo(f"ok: {changed}; all {report.quotes_checked if report else 0} quotes still verify")


# -- analyse (item analysis of a results.csv; quizgen/grade/analysis.py, report.py) --

@cli.command()
@click.argument("results", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--manifest", "manifests", multiple=True, required=True, type=click.Path(path_type=Path),
              help="The NAME.manifest.json the sheets were printed with (repeatable).")
@click.option("--bank", "bank_path", type=click.Path(path_type=Path), default=None,
              help="The question bank, to show each flagged question's prompt and citation.")
@click.option("--report", "report_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder for analysis.csv and report.html.")
@click.option("--force", is_flag=True, help="Replace an earlier report in the folder.")
def analyse(results: Path, manifests: tuple[Path, ...], bank_path: Path | None, report_dir: Path,
            force: bool) -> None:
    """Item analysis and key check of a results.csv (e.g. after correcting it by hand)."""
    from quizgen.grade.analysis_inputs import read_inputs
    from quizgen.grade.report import write_report

    try:
        rows, loaded = read_inputs(results, manifests)
    except QuizgenError as exc:
        fail(exc.diagnostics)
    bank = load(bank_path) if bank_path is not None else None
    try:
        written = write_report(report_dir, rows, loaded, bank, force=force)
    except QuizgenError as exc:
        fail(exc.diagnostics)
    for path in written:
        click.echo(f"wrote {path}")


# -- end of commands --


def main() -> None:
    global _EXIT_AT_ONCE
    _EXIT_AT_ONCE = True
    try:
        cli(prog_name="quizgen")
    except SystemExit as exc:
        if not _LOADED:
            raise
        code = exc.code
    else:  # pragma: no cover - click's standalone mode always ends in SystemExit
        if not _LOADED:
            return
        code = 0
    # A bank validate or build loaded is left to the operating system, which
    # takes its pages back at once: freeing its objects one by one, and again
    # at the interpreter's shutdown, cost ~0.08 s at 100,000 questions, and
    # the shutdown of a build of the shipped bank ~0.025 s. Everything the
    # command writes (outputs, the caches, the digest memo) is written and
    # closed by then, its worker processes stopped and joined; only the
    # standard streams need flushing.
    _exit_now(code)


def _exit_now(code) -> None:
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"), as Python prints it
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # e.g. a closed pipe: what Python's own shutdown exits with then
        code = 120
    os._exit(code)
