"""Benchmark the PDF renderer.

    python bench/bench_pdf.py [--questions 1000] [--variants 500] [--jobs 2]
    python bench/bench_pdf.py --scale [--sizes 10000,100000] [--max-ratio 1.2]
    python bench/bench_pdf.py --quick          # a small --scale run for bench/run_all.py

``--scale``: for each size, quizgen's worksheet + key and plain platypus laying
out the same paragraphs, each in a fresh subprocess (best of --runs,
interleaved); time is the child's wall time and CPU, memory its peak RSS from
getrusage (one process per side, so the sum over processes is that child's).
Exits 1 when a time or memory ratio is above --max-ratio.

1. One worksheet and one answer key of N synthetic questions, against plain
   reportlab platypus laying out the same paragraphs (same text, fonts and
   styles; no boxes, blocks, bookmarks or footers) in the same process. The
   ratio is quizgen's time over plain platypus; the target is 1.2 or less.
2. V variants of a 20-question set, each with its worksheet and key, plus the
   teacher grid, written to a temporary folder by J worker processes. The
   target for 500 variants on 2 cores is under 20 s. Besides the wall time it
   prints the CPU seconds per process, which other load on a shared machine
   does not inflate as much: the wall time with both cores to ourselves.

The layout timings are the best of a few interleaved runs, to keep other load
on the machine out of the figures as far as possible.
"""

from __future__ import annotations

import argparse
import gc
import io
import multiprocessing
import os
import tempfile
import time
from pathlib import Path

from quizgen.model import Bank, BankConfig, Citation, Question, QuestionSet, Source
from quizgen.select import make_variants, select

SOURCES = (
    Source("bench-a", "a.txt", "0" * 64, "Bench Wire", "Talks on a peace treaty continue", published="2017-03-20"),
    Source("bench-b", "b.txt", "0" * 64, None, "An undated report on the islands", inferred_date="2018-09",
           inferred_reason="Invented for the benchmark."),
)

WORDS = ("treaty minister islands declaration visit talks forum summit agreement relations border "
         "consultations Moscow Tokyo Vladivostok Kunashir Iturup Shikotan Habomai Kuril").split()


def bench_bank(questions=()) -> Bank:
    """The renderers take a bank: its sources, config (labels, fonts) and root."""
    return Bank(".", SOURCES, tuple(questions), config=BankConfig(title="Benchmark bank"))


def synthetic_questions(n: int) -> tuple[Question, ...]:
    """A mix of every question type, with a sprinkling of Cyrillic, Greek and Japanese."""
    out = []
    for i in range(n):
        words = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(8 + i % 9))
        prompt = f"Question {i}: according to the report, what happened to the {words}?"
        if i % 25 == 0:
            prompt += " (Итуруп, 択捉島)"
        if i % 25 == 12:
            prompt += " (β-lactam, Ω)"
        cite = (Citation(SOURCES[i % 2].id, f"the {words} were discussed at length"),)
        explanation = f"The report on the {words} says so in its third paragraph; item {i}."
        kind = ("mcq", "mcq", "true_false", "short_answer", "cloze", "matching", "ordering")[i % 7]
        common = dict(id=f"q{i}", type=kind, topic=("dates", "actors", "islands")[i % 3],
                      explanation=explanation, citations=cite)
        if kind == "mcq":
            options = tuple(f"{WORDS[(i + k) % len(WORDS)]} option {k} of {i}" for k in range(4))
            out.append(Question(prompt=prompt, answer=options[0], options=options, **common))
        elif kind == "true_false":
            out.append(Question(prompt=prompt.replace("what happened to", "nothing happened to"),
                                answer="False", options=("True", "False"), **common))
        elif kind == "short_answer":
            out.append(Question(prompt=prompt, answer=f"answer {i}", **common))
        elif kind == "cloze":
            out.append(Question(prompt=f"In item {i} the [[{WORDS[i % len(WORDS)]}]] mattered for the {words}.",
                                answer=WORDS[i % len(WORDS)], **common))
        elif kind == "matching":
            pairs = tuple((f"left {k} of {i}", f"right {k} of {i} {WORDS[k]}") for k in range(4))
            out.append(Question(prompt=prompt, answer="", pairs=pairs, **common))
        else:
            items = tuple(f"event {k} of {i}: the {WORDS[(i + k) % len(WORDS)]}" for k in range(4))
            out.append(Question(prompt=prompt, answer="", items=items, **common))
    return tuple(out)


def quizgen_pair(questions, qset) -> int:
    from quizgen.render.pdf.key import key_pdf
    from quizgen.render.pdf.worksheet import worksheet_pdf

    bank = bench_bank()
    (variant,) = make_variants(questions, qset, 1)
    return len(worksheet_pdf(variant, qset, bank, 0)) + len(key_pdf(variant, qset, bank, 0))


def platypus_pair(questions, qset) -> int:
    """The same paragraphs, laid out by plain platypus: each paragraph of text
    quizgen prints for a question (prompt with its points, choices with their
    letters, the matching and ordering notes; in the key the answer summary's
    cells, the answer, the prompt, why and the citations), as a plain
    paragraph in the frame, without tables, boxes or blocks."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from quizgen.render.pdf.key import answer_markup, answer_text, citation_markup, prompt_markup
    from quizgen.render.pdf.page import MARGIN, context
    from quizgen.render.pdf.worksheet import cloze_markup, inferred, points_markup
    from quizgen.select import letters

    cx = context(bench_bank())
    st, markup = cx.st, cx.markup
    by_id = {s.id: s for s in SOURCES}
    (variant,) = make_variants(questions, qset, 1)
    sheet, key = [], []
    for shown in variant.questions:
        q = shown.question
        text = cloze_markup(q.prompt, cx) if q.type == "cloze" else markup(q.prompt)
        if inferred(shown):
            text += markup(cx.label("inferred_mark"))
        sheet.append(Paragraph(f"{text} {points_markup(shown.points, cx)}", st.prompt, bulletText=f"{shown.number}."))
        if q.type in ("matching", "ordering"):
            note = cx.label("match_note" if q.type == "matching" else "order_note")
            sheet.append(Paragraph(markup(note.replace("{count}", str(len(shown.choices)))), st.note))
        for i, choice in enumerate(shown.choices):
            sheet.append(Paragraph(markup(choice), st.choice, bulletText=letters(i)))
        for i, (left, _) in enumerate(q.pairs, start=1):
            sheet.append(Paragraph(markup(left), st.choice, bulletText=f"{i}."))
    for shown in variant.questions:  # the key's summary of every answer comes first
        key += [Paragraph(cx.bold(f"{shown.number}."), st.cell),
                Paragraph(markup(answer_text(shown, cx)), st.cell), Paragraph(str(shown.points), st.cell)]
    for shown in variant.questions:
        q = shown.question
        key.append(Paragraph(f"<b>{answer_markup(shown, cx)}</b>", st.prompt, bulletText=f"{shown.number}."))
        key.append(Paragraph(prompt_markup(q.prompt, q.type, cx), st.quiet))
        key.append(Paragraph(f"<i>Why:</i> {markup(q.explanation)}", st.detail))
        for c in q.citations:
            key.append(Paragraph(citation_markup(by_id[c.source], c.source, c.quote, cx), st.detail))
    size = 0
    for story in (sheet, key):
        buf = io.BytesIO()
        doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                bottomMargin=MARGIN, invariant=1)
        doc.build(story)
        size += len(buf.getvalue())
    return size


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def bench_layout(n: int, runs: int) -> float:
    from quizgen.render.pdf import flowables as pdf_flowables

    questions = synthetic_questions(n)
    qset = QuestionSet("bench", "Benchmark: a thousand questions", instructions="Answer everything.")
    quizgen_pair(questions[:20], qset)  # load fonts and warm caches for both sides
    platypus_pair(questions[:20], qset)
    ours, theirs = [], []
    for _ in range(runs):  # interleaved, so a burst of load hits both sides alike
        pdf_flowables.para.cache_clear()  # every run lays every paragraph out afresh
        pdf_flowables.boxed.cache_clear()
        ours.append(timed(quizgen_pair, questions, qset))
        theirs.append(timed(platypus_pair, questions, qset))
    ratio = min(ours) / min(theirs)
    print(f"{n} questions, worksheet + key: quizgen {min(ours):.2f} s, plain platypus {min(theirs):.2f} s, "
          f"ratio {ratio:.2f} (target <= 1.2)")
    return ratio


def _render_variants(args) -> int:
    from quizgen.render.pdf.key import key_pdf
    from quizgen.render.pdf.worksheet import worksheet_pdf
    from quizgen.writefile import write_atomic

    variants, qset, out = args
    bank = bench_bank()
    cpu = time.process_time()
    for v in variants:
        write_atomic(Path(out) / f"{v.label}.pdf", worksheet_pdf(v, qset, bank, 0))
        write_atomic(Path(out) / f"{v.label}-key.pdf", key_pdf(v, qset, bank, 0))
    return len(variants), time.process_time() - cpu


def bench_variants(count: int, jobs: int) -> float:
    from quizgen.render.pdf import flowables as pdf_flowables
    from quizgen.render.pdf import page as pdf_page
    from quizgen.render.pdf.key import grid_pdf
    from quizgen.writefile import write_atomic

    bank = bench_bank()
    pdf_page.context(bank)  # before forking, so workers inherit loaded fonts
    # Leave the layout benchmark's heap behind: cached paragraphs of a thousand
    # questions, traversed by the garbage collector of every worker, would cost
    # the workers time that rendering does not.
    pdf_flowables.para.cache_clear()
    pdf_flowables.boxed.cache_clear()
    gc.collect()
    gc.freeze()
    questions = synthetic_questions(20)
    qset = QuestionSet("variants", "Benchmark: many variants", seed=3)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        variants = make_variants(select(questions, qset), qset, count)
        chunks = [(variants[i::jobs], qset, out) for i in range(jobs)]
        cpu = time.process_time()
        if jobs > 1:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                pending = pool.map_async(_render_variants, chunks)
                # the grid is made here while the workers render the variants
                write_atomic(Path(out) / f"{qset.name}-grid-key.pdf", grid_pdf(variants, qset, bank, 0))
                results = pending.get()
        else:
            results = [_render_variants(chunks[0])]
            write_atomic(Path(out) / f"{qset.name}-grid-key.pdf", grid_pdf(variants, qset, bank, 0))
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu + sum(seconds for _, seconds in results)
        files = len(os.listdir(out))
    done = sum(n for n, _ in results)
    # CPU seconds do not depend on what else the machine runs; divided by the
    # processes they say what the wall time would be with the cores to ourselves.
    print(f"{done} variants of 20 questions with keys and grid ({files} files), {jobs} processes: "
          f"{elapsed:.1f} s wall, {cpu:.1f} s CPU, {cpu / jobs:.1f} s per process "
          f"(target < 20 s for 500 on 2 cores)")
    return elapsed


def _child(side: str, n: int) -> None:
    """Run one side once in this (fresh) process and print its seconds."""
    questions = synthetic_questions(n)
    qset = QuestionSet("bench", "Benchmark: many questions", instructions="Answer everything.")
    fn = quizgen_pair if side == "quizgen" else platypus_pair
    start, cpu = time.perf_counter(), time.process_time()
    fn(questions, qset)
    print(f"{time.perf_counter() - start} {time.process_time() - cpu}")


def _measure(side: str, n: int) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MB) of one side in a fresh subprocess; memory is
    the child's own peak RSS (getrusage through wait4), summed over the one
    process that side uses."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, __file__, "--child", side, "--questions", str(n)],
                            stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"bench child {side} {n} failed with exit {proc.returncode}")
    wall, cpu = map(float, out.split())
    return wall, cpu, usage.ru_maxrss / 1024  # KB on Linux


def bench_scale(sizes: list[int], runs: int, max_ratio: float) -> bool:
    ok = True
    for n in sizes:
        best = {}
        for _ in range(runs):  # interleaved, so a burst of load hits both sides alike
            for side in ("quizgen", "platypus"):
                w, c, m = _measure(side, n)
                old = best.get(side)
                best[side] = (w, c, m) if old is None else (min(old[0], w), min(old[1], c), min(old[2], m))
        (qw, qc, qm), (pw, pc, pm) = best["quizgen"], best["platypus"]
        ratios = (qw / pw, qc / pc, qm / pm)
        bad = [name for name, r in zip(("wall", "CPU", "memory"), ratios) if r > max_ratio]
        ok = ok and not bad
        print(f"pdf {n} questions, worksheet + key: quizgen {qw:.2f} s wall {qc:.2f} s CPU {qm:.0f} MB; "
              f"plain platypus {pw:.2f} s wall {pc:.2f} s CPU {pm:.0f} MB; ratio wall {ratios[0]:.2f} "
              f"CPU {ratios[1]:.2f} memory {ratios[2]:.2f} (target <= {max_ratio})"
              + (f" ABOVE: {', '.join(bad)}" if bad else ""))
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--variants", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", action="store_true", help="fresh-subprocess time and memory ratios")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--max-ratio", type=float, default=1.2)
    parser.add_argument("--quick", action="store_true", help="--scale at 1000 questions, one run, 26 variants")
    parser.add_argument("--child", choices=("quizgen", "platypus"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.questions)
        return
    if args.quick:
        ok = bench_scale([1000], 1, args.max_ratio)
        bench_variants(26, args.jobs)
        raise SystemExit(0 if ok else 1)
    if args.scale:
        ok = bench_scale([int(n) for n in args.sizes.split(",")], args.runs, args.max_ratio)
        bench_variants(26, args.jobs)  # what `quizgen pdf --variants 26` costs, on the synthetic set
        raise SystemExit(0 if ok else 1)
    bench_layout(args.questions, args.runs)
    bench_variants(args.variants, args.jobs)


if __name__ == "__main__":
    main()
