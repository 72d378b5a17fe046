"""Benchmark: quizgen's Anki renderer against plain genanki on the same notes.

    python bench/bench_anki.py [--questions 10000] [--repeat 3] [--max-ratio 1.2] [--quick]

Writes a deck of synthetic questions (every question type, five topics) through
quizgen.render.anki.render, and the same notes (same fields, tags, GUIDs, note
types and decks) through genanki's own Note/Deck/Package. Each run is a fresh
subprocess, so each side's peak memory (the child's peak RSS, from wait4) is its
own; both hold the same synthetic bank. The genanki side gets its field HTML
ready-made (outside its timing, inside its memory: plain genanki holds every
note); quizgen's time includes turning questions into fields, the lock file and
the deterministic zip. Two quizgen runs: a first build (no lock file) and a
rebuild (lock file present, written by an untimed build in the same child),
and a third line, not checked, of quizgen's writer alone on genanki's
ready-made notes (plan, rows, streamed database and zip), which shows what
of the gap is the field HTML rather than the writer.
Prints the best of --repeat interleaved runs (wall and CPU seconds of the work
itself) and the lowest peak, and exits 1 when a time or memory ratio is above
--max-ratio. --quick: 2000 questions, one run each, no limit enforced.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import genanki

from quizgen.ids import deck_id, note_guid
from quizgen.model import Bank, BankConfig, Citation, Question, Source, cloze_answer, matching_answer, ordering_answer
from quizgen.render import RenderOptions
from quizgen.render.anki import render
from quizgen.render.anki.lock import dump_lock
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


def quizgen_write(bank: Bank, contents, work: Path) -> None:
    """quizgen's writer alone, on the notes the genanki side gets: the lock
    plan, the rows, the database and the zip streamed to disk; no field HTML."""
    from quizgen.render.anki.lock import EMPTY, Planner, guid_key
    from quizgen.render.anki.package import NoteRow, NoteType, StableDeck, write_package

    used = list(NOTE_TYPES.values())
    planner = Planner(EMPTY, used, TIMESTAMP, work / "anki-lock.json")
    decks = [StableDeck(DECK, "", TIMESTAMP)] + [
        StableDeck(f"{DECK}::{topic.replace('-', ' ').capitalize()}", "", TIMESTAMP) for topic in TOPICS]
    topic_deck = {topic: deck.deck_id for topic, deck in zip(TOPICS, decks[1:])}
    types = [NoteType(spec, planner.note_type_mods[spec.key]) for spec in used]
    type_ids = {spec.key: spec.id for spec in used}

    def rows():
        for c in contents:
            state = planner.add(c)
            yield NoteRow(note_guid(guid_key(c.question_id, state.gen)), type_ids[c.kind], topic_deck[c.topic],
                          state.mod, state.id, c.fields, c.tags, c.card_ords)

    (work / "scratch").mkdir()
    with open(work / "genanki.apkg", "wb") as fh:
        write_package(fh, decks, types, rows(), TIMESTAMP, str(work / "scratch"))
    (work / "anki-lock.json").write_bytes(dump_lock(planner.finish().lock))


SIDES = ("plain", "first", "rebuild", "writer")


def child(side: str, n: int, work: Path) -> dict:
    """One side, once, in this (fresh) process: its wall and CPU seconds."""
    bank = synthetic_bank(work / "bank", n)
    (work / "bank").mkdir()
    options = RenderOptions(timestamp=TIMESTAMP)
    if side == "plain":
        sources_html = SourcesHtml({s.id: s for s in bank.sources})
        contents = [note_content(q, sources_html) for q in bank.questions]
        # genanki leaves its temporary database behind on every write; keep
        # it in the scratch folder so the benchmark cleans up after itself.
        (work / "genanki-tmp").mkdir()
        tempfile.tempdir = str(work / "genanki-tmp")
        run = lambda: genanki_write(bank, contents, work / "genanki.apkg")  # noqa: E731
    elif side == "writer":
        sources_html = SourcesHtml({s.id: s for s in bank.sources})
        contents = [note_content(q, sources_html) for q in bank.questions]
        run = lambda: quizgen_write(bank, contents, work)  # noqa: E731
    else:
        if side == "rebuild":
            render(bank, work / "warm-up", options)  # writes the lock file the rebuild reads
        run = lambda: render(bank, work / "out", options)  # noqa: E731
    import quizgen.build  # noqa: F401  (imports the renderer makes on its first call, not timed)
    import quizgen.render.anki.package  # noqa: F401

    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    deck = work / "genanki.apkg" if side in ("plain", "writer") else next((work / "out").glob("*.apkg"))
    return {"wall": wall, "cpu": cpu, "bytes": deck.stat().st_size}


def measure(side: str, n: int) -> dict:
    """child() in a fresh interpreter, with its peak RSS in MB."""
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-") as tmp:
        proc = subprocess.Popen([sys.executable, __file__, "--child", side, "--questions", str(n), "--work", tmp],
                                stdout=subprocess.PIPE)
        out = proc.stdout.read()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"bench child {side} failed ({proc.returncode})")
    result = json.loads(out)
    result["peak_mb"] = usage.ru_maxrss / 1024  # KB on Linux
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-ratio", type=float, default=1.2)
    parser.add_argument("--quick", action="store_true", help="2000 questions, one run each, no limit")
    parser.add_argument("--child", choices=SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.questions, Path(args.work))))
        return 0
    if args.quick:
        args.questions, args.repeat = 2000, 1

    best = {side: {"wall": float("inf"), "cpu": float("inf"), "peak_mb": float("inf")} for side in SIDES}
    sizes = {}
    for _ in range(args.repeat):  # interleaved: a burst of load slows every side, not one
        for side in SIDES:
            r = measure(side, args.questions)
            sizes[side] = r["bytes"]
            for key in best[side]:
                best[side][key] = min(best[side][key], r[key])
    plain = best["plain"]
    print(f"{args.questions} questions, best of {args.repeat}, each run a fresh process")
    print(f"  {'':22} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}   ratios wall/cpu/peak")
    worst = 0.0
    for side, label in (("plain", "plain genanki"), ("first", "quizgen, first build"), ("rebuild", "quizgen, rebuild"),
                        ("writer", "quizgen writer only")):
        r = best[side]
        ratios = [r[k] / plain[k] for k in ("wall", "cpu", "peak_mb")]
        if side in ("first", "rebuild"):
            worst = max(worst, ratios[0], ratios[2])
        shown = "" if side == "plain" else "   " + " / ".join(f"{x:.2f}" for x in ratios)
        print(f"  {label:22} {r['wall']:8.3f} {r['cpu']:8.3f} {r['peak_mb']:8.1f}{shown}   ({sizes[side]:,} bytes)")
    if args.quick:
        print(f"quick: worst time/memory ratio {worst:.2f} (not checked)")
        return 0
    if worst > args.max_ratio:
        print(f"FAIL: ratio {worst:.2f} is above {args.max_ratio}")
        return 1
    print(f"ok: ratio {worst:.2f} <= {args.max_ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
