"""Benchmark: quizgen's Anki renderer against plain genanki on the same notes.

    python bench/bench_anki.py [--questions 10000] [--repeat 7] [--max-ratio 1.2]

Writes a deck of synthetic questions (every question type, five topics) through
quizgen.render.anki.render, and the same notes (same fields, tags, GUIDs, note
types and decks) through genanki's own Note/Deck/Package, in this process. The
genanki side gets its field HTML ready-made; quizgen's time includes turning
questions into fields, the lock file and the deterministic zip. Two quizgen
timings: a first build (no lock file) and a rebuild (lock file present).
Prints the best of --repeat interleaved runs for each and exits 1 when either ratio is
above --max-ratio.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

import genanki

from quizgen.ids import deck_id, note_guid
from quizgen.model import Bank, BankConfig, Citation, Question, Source, cloze_answer, matching_answer, ordering_answer
from quizgen.render import RenderOptions
from quizgen.render.anki import render
from quizgen.render.anki.notes import SourcesHtml, note_content
from quizgen.render.anki.notetypes import CSS, NOTE_TYPES

TIMESTAMP = 1_700_000_000
DECK = "Bench deck"
TOPICS = ("dates", "actors", "declaration-1956", "islands", "meetings")


def synthetic_bank(root: Path, n: int) -> Bank:
    sources = tuple(
        Source(
            id=f"source-{i}",
            file=f"{i:03}.txt",
            sha256="0" * 64,
            outlet=None if i == 2 else f"Outlet {i}",
            headline=f"Headline number {i} about the peace treaty & the islands",
            published=f"2016-12-{10 + i}" if i % 2 == 0 else None,
            inferred_date=None if i % 2 == 0 else "2018-09",
            inferred_reason=None if i % 2 == 0 else "Prints no date; inferred from the text.",
        )
        for i in range(5)
    )
    questions = []
    for i in range(n):
        kind = ("mcq", "true_false", "short_answer", "cloze", "matching", "ordering")[i % 6]
        common = dict(
            id=f"bench-{i:05}",
            type=kind,
            topic=TOPICS[i % len(TOPICS)],
            tags=("bench", f"group-{i % 7}"),
            difficulty=("easy", "medium", "hard")[i % 3],
            explanation=f"Question {i}: Putin and Abe met in Nagato; Лавров met 河野 in Moscow.",
            citations=(
                Citation(f"source-{i % 5}", f"a verbatim quote number {i} from the article"),
                Citation(f"source-{(i + 1) % 5}", "a second verbatim quote from another article"),
            ),
        )
        prompt = f"Question {i}: on what day was Putin expected to visit Japan?"
        if kind == "mcq":
            q = Question(prompt=prompt, options=("15 December", "14 November", "20 March", "1 May"),
                         answer="15 December", **common)
        elif kind == "true_false":
            q = Question(prompt=f"Statement {i} about the 1956 declaration.", options=("True", "False"),
                         answer="True", **common)
        elif kind == "short_answer":
            q = Question(prompt=prompt, answer="15 December", accept=("December 15",), **common)
        elif kind == "cloze":
            text = f"In question {i}, Abe met Putin in [[Nagato]] and later in [[Tokyo]]."
            q = Question(prompt=text, answer=cloze_answer(text), **common)
        elif kind == "matching":
            pairs = (("Putin", "Russia"), ("Abe", "Japan"), ("Lavrov", "Moscow"), ("Kono", "Tokyo"))
            q = Question(prompt=f"Match {i}.", pairs=pairs, answer=matching_answer(pairs), **common)
        else:
            items = ("1956 declaration", "2014 postponement", "Vladivostok forum", "Nagato summit")
            q = Question(prompt=f"Order {i}.", items=items, answer=ordering_answer(items), **common)
        questions.append(q)
    return Bank(root=str(root), sources=sources, questions=tuple(questions), config=BankConfig(title=DECK))


def genanki_write(bank: Bank, contents, path: Path) -> None:
    """The same deck written the plain genanki way."""
    models = {}
    for key, spec in NOTE_TYPES.items():
        models[key] = genanki.Model(
            spec.id,
            spec.name,
            fields=[{"name": f} for f in spec.fields],
            templates=[{"name": t.name, "qfmt": t.front, "afmt": t.back} for t in spec.templates],
            css=CSS,
            model_type=genanki.Model.CLOZE if spec.cloze else genanki.Model.FRONT_BACK,
        )
    decks = {}
    for topic in TOPICS:
        name = f"{DECK}::{topic.replace('-', ' ').capitalize()}"
        decks[topic] = genanki.Deck(deck_id(name), name)
    for c in contents:
        decks[c.topic].add_note(
            genanki.Note(model=models[c.kind], fields=list(c.fields), tags=list(c.tags), guid=note_guid(c.question_id))
        )
    genanki.Package(list(decks.values())).write_to_file(str(path), timestamp=TIMESTAMP)


def best_times(repeat: int, runs: dict) -> dict[str, float]:
    """The best time of each run. Runs are interleaved, so a burst of load on a
    shared machine slows all of them rather than skewing the ratio."""
    best = {name: float("inf") for name in runs}
    for i in range(repeat):
        for name, run in runs.items():
            gc.collect()
            start = time.perf_counter()
            run(i)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--max-ratio", type=float, default=1.2)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="quizgen-bench-") as tmp:
        work = Path(tmp)
        bank = synthetic_bank(work / "bank", args.questions)
        sources_html = SourcesHtml({s.id: s for s in bank.sources})
        contents = [note_content(q, sources_html) for q in bank.questions]
        options = RenderOptions(timestamp=TIMESTAMP)

        def plain_genanki(i: int) -> None:
            genanki_write(bank, contents, work / f"genanki-{i}.apkg")

        def first_build(i: int) -> None:
            fresh = Bank(str(work / f"bank-{i}"), bank.sources, bank.questions, config=bank.config)
            render(fresh, work / f"first-{i}", options)

        def rebuild(i: int) -> None:
            render(bank, work / f"rebuild-{i}", options)

        render(bank, work / "warm-up", options)  # writes the lock file the rebuilds read
        # genanki leaves its temporary database behind on every write; keep
        # those in our scratch folder so the benchmark cleans up after itself.
        saved_tempdir = tempfile.tempdir
        (work / "genanki-tmp").mkdir()
        tempfile.tempdir = str(work / "genanki-tmp")
        try:
            best = best_times(args.repeat, {"plain": plain_genanki, "first": first_build, "rebuild": rebuild})
        finally:
            tempfile.tempdir = saved_tempdir
        plain, first, rebuild_time = best["plain"], best["first"], best["rebuild"]

        sizes = {
            "genanki": (work / "genanki-0.apkg").stat().st_size,
            "quizgen": next((work / "rebuild-0").glob("*.apkg")).stat().st_size,
        }

    print(f"{args.questions} questions, {sum(len(c.card_ords) for c in contents)} cards, best of {args.repeat}")
    print(f"  plain genanki          {plain:7.3f} s   ({sizes['genanki']:,} bytes, stored)")
    print(f"  quizgen, first build   {first:7.3f} s   ratio {first / plain:.2f}")
    print(f"  quizgen, rebuild       {rebuild_time:7.3f} s   ratio {rebuild_time / plain:.2f}   "
          f"({sizes['quizgen']:,} bytes, deflated)")
    worst = max(first, rebuild_time) / plain
    if worst > args.max_ratio:
        print(f"FAIL: ratio {worst:.2f} is above {args.max_ratio}")
        return 1
    print(f"ok: ratio {worst:.2f} <= {args.max_ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
