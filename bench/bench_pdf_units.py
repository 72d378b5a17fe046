"""Benchmark the PDF units of a real bank, as quizgen build renders them.

    python bench/bench_pdf_units.py [--bank questions] [--runs 3] [--fresh 3] [--only full-review]

Two figures per unit (a worksheet, a key, ...):

first  the unit as the first thing a fresh worker renders: a new process
       imports and warms up as quizgen.build_units.warm_up does in the warm
       process the workers fork from, then renders the one unit, timed. The
       best of --fresh processes (the unit that is slowest when first is the
       set with the most questions; each process renders one unit only).
warm   the best of --runs renders in one process, after the first.

Each figure is the wall time and, beside it, the CPU time of the render
(which other load on a shared machine inflates less). The sum of the warm
figures is the PDF part of a build's CPU; the first figures bound its wall
time when every worker starts on a big unit. Each warm render starts with
an empty paragraph cache (flowables.SharedLayouts), as a build renders each
unit once; the set's selection (quizgen.select) is remembered from the run
before, as a worker rendering a set's key after its worksheet finds it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def load(bank_dir: str):
    from quizgen.build import default_options, load_or_raise
    from quizgen.render.units import plan_units
    from quizgen.select import deliverable

    bank, _ = load_or_raise(Path(bank_dir))
    bank = deliverable(bank)
    options = default_options(timestamp=1700000000)
    return [u for u in plan_units(bank, ("pdf",), options) if u.part != ("manifest",)], options


def render(unit, options) -> bytes:
    import quizgen.render.pdf as pdf

    return b"".join(data for _, data in pdf.render_set(unit.bank, unit.qset, options, unit.part))


def first(bank_dir: str, name: str) -> float:
    """In this (fresh) process: warm up, then time the named unit."""
    from quizgen.build_units import warm_up

    units, options = load(bank_dir)
    warm_up()
    unit = next(u for u in units if u.name == name)
    start, cpu = time.perf_counter(), time.process_time()
    render(unit, options)
    return time.perf_counter() - start, time.process_time() - cpu


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bank", default="questions")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--fresh", type=int, default=3)
    ap.add_argument("--only", default="", help="a substring of the unit names to time")
    ap.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(first(args.bank, args.child)))
        return 0
    from quizgen.render.pdf import flowables

    units, options = load(args.bank)
    units = [u for u in units if args.only in u.name]
    firsts = {}
    for u in units:
        times = []
        for _ in range(args.fresh):
            out = subprocess.run([sys.executable, __file__, "--bank", args.bank, "--child", u.name],
                                 check=True, capture_output=True, text=True).stdout
            times.append(json.loads(out))
        firsts[u.name] = min(t[0] for t in times), min(t[1] for t in times)
    warm = {}
    for u in units:
        render(u, options)
    for _ in range(args.runs):
        for u in units:
            for cache in (flowables.para, flowables.boxed, flowables._template):
                cache.cache_clear()
            start, cpu = time.perf_counter(), time.process_time()
            render(u, options)
            took = time.perf_counter() - start, time.process_time() - cpu
            best = warm.get(u.name, took)
            warm[u.name] = min(best[0], took[0]), min(best[1], took[1])
    print(f"{'unit':36} {'first':>7} {'cpu':>7} {'warm':>7} {'cpu':>7}   (seconds; first: best of {args.fresh} "
          f"fresh processes; warm: best of {args.runs})")
    for u in units:
        print(f"{u.name:36} {firsts[u.name][0]:7.3f} {firsts[u.name][1]:7.3f} {warm[u.name][0]:7.3f} "
              f"{warm[u.name][1]:7.3f}")
    total = [sum(f[i] for f in figures.values()) for figures in (firsts, warm) for i in (0, 1)]
    print(f"{'sum':36} " + " ".join(f"{t:7.3f}" for t in total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
