"""The command line: a thin layer over the library. Commands parse options,
call the library, print diagnostics and choose the exit code. Heavy modules
(genanki, reportlab) are imported inside the commands that need them, so
`quizgen --help` stays fast."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable, NoReturn

import click

from quizgen import __version__
from quizgen.errors import Diagnostic, QuizgenError, errors_only

DEFAULT_BANK = "questions"
DEFAULT_CORPUS = "../shared/corpus"
DEFAULT_OUT = "output"

bank_option = click.option("--bank", "bank_path", default=DEFAULT_BANK, show_default=True,
                           type=click.Path(path_type=Path), help="The question bank folder.")


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for d in diagnostics:
        click.echo(str(d), err=True)


def fail(diagnostics: Iterable[Diagnostic]) -> NoReturn:
    diagnostics = list(diagnostics)
    print_diagnostics(diagnostics)
    n = len(errors_only(diagnostics))
    click.echo(f"quizgen: {n} error{'s' if n != 1 else ''}; nothing was written", err=True)
    sys.exit(1)


def load(bank_path: Path):
    """The validated bank, or every diagnostic and exit 1."""
    from quizgen.bank.load import load_bank

    bank, diagnostics = load_bank(bank_path)
    if bank is None:
        fail(diagnostics)
    print_diagnostics(diagnostics)  # warnings only
    return bank


def refuse_overwrite(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; pass --force to overwrite it")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quizgen")
def cli() -> None:
    """Compile a source-tied question bank into Anki decks and PDF worksheets."""


@cli.command()
@click.argument("path", default=DEFAULT_BANK, type=click.Path(path_type=Path))
def validate(path: Path) -> None:
    """Check every file of the bank at PATH and report all problems at once."""
    bank = load(path)
    n_files = len({q.loc.file for q in bank.questions})
    click.echo(f"ok: {len(bank.questions)} questions in {n_files} files, "
               f"{len(bank.sources)} sources, {len(bank.sets)} sets")


@cli.command()
@bank_option
@click.option("--corpus", default=DEFAULT_CORPUS, show_default=True, type=click.Path(path_type=Path),
              help="Folder holding the source articles.")
def verify(bank_path: Path, corpus: Path) -> None:
    """Check every quote against its article and every file against its sha256."""
    from quizgen.listing import table
    from quizgen.bank.sources import verify as verify_bank

    bank = load(bank_path)
    if not corpus.is_dir():
        raise click.ClickException(f"corpus folder {corpus} not found; pass --corpus DIR")
    report = verify_bank(bank, corpus)
    rows = [(c.source_id, c.file, c.curated, c.generated, c.facts) for c in report.coverage]
    click.echo(table(("source", "file", "curated", "generated", "facts"), rows), nl=False)
    if report.diagnostics:
        fail(report.diagnostics)
    click.echo(f"ok: {report.quotes_checked} quotes found verbatim in {len(bank.sources)} articles; "
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


@cli.command()
@bank_option
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True,
              help="Export format.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def export(bank_path: Path, fmt: str, output: Path | None, force: bool) -> None:
    """Write the whole bank as JSON (a stable contract for other tools)."""
    from quizgen.render.json_export import to_json
    from quizgen.writefile import write_text_atomic

    bank = load(bank_path)
    text = to_json(bank)
    if output is None:
        click.echo(text, nl=False)
        return
    refuse_overwrite(output, force)
    write_text_atomic(output, text)
    click.echo(f"wrote {output} ({len(bank.questions)} questions, {len(bank.sources)} sources)", err=True)


def run_renderers(bank_path: Path, out: Path, formats: tuple[str, ...], **options) -> None:
    from quizgen.build import default_options, render_formats

    bank = load(bank_path)  # prints warnings before the slow part
    opts = default_options(progress=lambda msg: click.echo(msg, err=True),
                           warn=lambda d: click.echo(str(d), err=True), **options)
    try:
        written = render_formats(bank, out, formats, opts)
    except QuizgenError as exc:
        fail(exc.diagnostics)
    for path in written:
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
    click.echo(f"{len(written)} files from {len(bank.questions)} questions")


@cli.command()
@bank_option
@click.option("--out", default=DEFAULT_OUT, show_default=True, type=click.Path(path_type=Path),
              help="Output folder.")
def build(bank_path: Path, out: Path) -> None:
    """Build everything: the Anki deck, worksheets and answer keys."""
    from quizgen.render import RENDERERS

    run_renderers(bank_path, out, tuple(RENDERERS))


@cli.command()
@bank_option
@click.option("--out", default=DEFAULT_OUT, show_default=True, type=click.Path(path_type=Path),
              help="Output folder.")
@click.option("--deck", "deck_name", help="Name of the parent deck.")
def anki(bank_path: Path, out: Path, deck_name: str | None) -> None:
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
def pdf(bank_path: Path, sets: tuple[str, ...], variants: int, seed: int | None, out: Path) -> None:
    """Build worksheets and answer keys for SETS (default: every set)."""
    run_renderers(bank_path, out, ("pdf",), set_names=sets, variants=variants, seed=seed)


@cli.command()
@bank_option
@click.option("--template", "template_names", multiple=True, metavar="NAME",
              help="Only this template (repeatable; default: every template).")
@click.option("--topic", "topics", multiple=True, help="Only templates of this topic (repeatable).")
@click.option("--count", type=click.IntRange(min=1),
              help="How many questions, spread evenly across templates (default: all the facts allow).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for selection and option order.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The question file to write, e.g. questions/generated/dates.yaml.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def generate(bank_path: Path, template_names: tuple[str, ...], topics: tuple[str, ...], count: int | None,
             seed: int, output: Path, force: bool) -> None:
    """Write a new question set built from the facts database and the templates."""
    from quizgen.generate.write import generate as generate_questions

    refuse_overwrite(output, force)
    try:
        result = generate_questions(bank_path, output, templates=template_names, topics=topics,
                                    count=count, seed=seed, force=force)
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


# -- end of commands --


def main() -> None:
    cli(prog_name="quizgen")
