"""A long fuzz run for local use: the property suite's mutations on many more
documents than CI can afford.

    python bench/fuzz.py [--documents 10000] [--seed 0] [--huge 2000000]

Each document (a question file, a set file or sources.yaml, mutated from the
shipped ones) replaces its file in a small valid bank and goes through
load_bank, the library `quizgen validate` uses. Reported:

- uncaught exceptions (any is a bug; the first few are printed with their
  traceback and the mutations that made the document);
- hangs: documents whose load took over 5 s (a load is stopped at 20 s);
- documents whose diagnostics point outside their file or at a wrong place,
  and certainly-invalid documents that validated;
- peak memory against input size: tracemalloc's peak (the Python heap) for
  the load of every document of 100 KB or more (in this process, also where
  load_bank would start workers), minus what loading the bank
  without it costs, over the document's size; and the same for a few big
  realistic question files (the shipped questions repeated to 1-8 MB) and
  for the worst case found so far (a huge string with one emoji and an
  escaped control character). libyaml allocates in C, which tracemalloc
  does not see, so for those the growth of the peak resident size of a
  fresh process loading the file is reported as well (getrusage).
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzzing import (Document, FuzzBank, location_problems, mutated, question_seeds,  # noqa: E402
                     set_seeds, sources_seed)

from quizgen.bank import load as bank_load  # noqa: E402
from quizgen.bank.load import load_bank, load_question_file  # noqa: E402
from quizgen.errors import errors_only  # noqa: E402

HANG_SECONDS = 5.0
STOP_SECONDS = 20
BIG = 100_000


class Stopped(Exception):
    pass


def _alarm(signum, frame):
    raise Stopped()


def traced_peak(bank_root: Path) -> int:
    """Peak of the Python heap loading the bank, all in this process
    (load_bank hands banks of PARALLEL_BYTES or more to worker processes,
    which tracemalloc does not see)."""
    parallel, bank_load.PARALLEL_BYTES = bank_load.PARALLEL_BYTES, float("inf")
    tracemalloc.start()
    try:
        load_bank(bank_root)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        bank_load.PARALLEL_BYTES = parallel


RSS_CHILD = """
import resource, sys
from pathlib import Path
from quizgen.bank.load import load_question_file

def status(field):  # kB; Linux. A process started by a big one inherits its ru_maxrss
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])

try:
    before = status("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # the high-water mark from here on
    peak = lambda: status("VmHWM")
except OSError:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
questions, _, diagnostics = load_question_file(Path(sys.argv[1]), sys.argv[2:])
print((peak() - before) * 1024)
"""


def rss_growth(path: Path, source_ids: list[str]) -> int:
    """How much a fresh process's peak resident size grows loading ``path``."""
    out = subprocess.run([sys.executable, "-c", RSS_CHILD, str(path), *source_ids], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).resolve().parents[1])
    return int(out.stdout.split()[-1])


def worst_case(size: int) -> str:
    """A question whose prompt is one huge string with an emoji (the text is
    then four bytes a character) and an escaped control character (which the
    loader has to find in the file)."""
    half = "a" * (size // 2)
    return f'questions:\n  - id: q1\n    prompt: "{half}\U0001F600{half}\\x07 tail"\n'


def realistic(size: int) -> str:
    """A question file of about ``size`` bytes: the shipped questions again and
    again under fresh ids."""
    seeds = question_seeds(per_doc=50)
    head = "questions:\n"
    parts, total, copy = [head], len(head), 0
    while total < size:
        for seed in seeds:
            body = seed.split("questions:\n", 1)[1].replace("  - id: ", f"  - id: c{copy}-")
            parts.append(body + "\n")
            total += len(body) + 1
            copy += 1
            if total >= size:
                break
    return "".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--huge", type=int, default=2_000_000, help="largest huge string, in characters")
    args = parser.parse_args()

    seeds = {"questions": question_seeds(), "set": set_seeds(), "sources": [sources_seed()]}
    kinds = ["questions"] * 6 + ["set"] * 2 + ["sources"]
    signal.signal(signal.SIGALRM, _alarm)
    exceptions: list[tuple[Document, str]] = []
    hangs: list[tuple[Document, float]] = []
    misplaced: list[tuple[Document, list[str]]] = []
    accepted: list[Document] = []
    ratios: list[tuple[float, int, str]] = []
    named_ratios: list[tuple[float, float, str]] = []
    counts: Counter[str] = Counter()
    slowest = 0.0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        bank = FuzzBank(Path(tmp) / "bank")
        baseline = traced_peak(bank.root)
        for i in range(args.documents):
            rng = random.Random(f"{args.seed}:{i}")
            kind = rng.choice(kinds)
            doc = mutated(rng.choice(seeds[kind]), kind, rng, huge_limit=args.huge)
            counts.update(doc.mutations or ["none"])
            path = bank.put(doc)
            t0 = time.perf_counter()
            signal.alarm(STOP_SECONDS)
            try:
                loaded, diagnostics = load_bank(bank.root)
            except Stopped:
                hangs.append((doc, float(STOP_SECONDS)))
                continue
            except BaseException as exc:  # noqa: BLE001 - any exception escaping is the finding
                if isinstance(exc, KeyboardInterrupt):
                    raise
                exceptions.append((doc, traceback.format_exc()))
                continue
            finally:
                signal.alarm(0)
                elapsed = time.perf_counter() - t0
                slowest = max(slowest, elapsed)
            if elapsed > HANG_SECONDS:
                hangs.append((doc, elapsed))
            problems = location_problems(diagnostics, {path: doc.data})
            if problems:
                misplaced.append((doc, problems))
            if doc.must_fail and loaded is not None:
                accepted.append(doc)
            if len(doc.data) >= BIG:
                peak = traced_peak(bank.root) - baseline
                ratios.append((peak / len(doc.data), len(doc.data), "+".join(doc.mutations)))
            bank.restore(doc)
        fuzz_seconds = time.perf_counter() - started
        source_ids = [s.id for s in load_bank(bank.root)[0].sources]
        named = [(size, realistic(size), f"realistic question file of {size:,} bytes")
                 for size in (1_000_000, 4_000_000, 8_000_000)]
        named.append((args.huge, worst_case(args.huge), "huge string, one emoji, an escaped control character"))
        for size, text, what in named:
            # in this process (load_bank hands files this big to worker
            # processes, which tracemalloc does not see)
            doc = Document("questions", text.encode("utf-8"), False, ["named"])
            path = bank.put(doc)
            tracemalloc.start()
            questions, _, diagnostics = load_question_file(path, source_ids)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            if what.startswith("realistic"):
                assert questions and not errors_only(diagnostics), [str(d) for d in errors_only(diagnostics)][:3]
                what += f" ({len(questions):,} questions)"
            else:
                assert any("written as an escape" in d.message for d in diagnostics), diagnostics
            rss = rss_growth(path, source_ids)
            named_ratios.append((peak / len(doc.data), rss / len(doc.data), what))
            bank.restore(doc)

    print(f"documents: {args.documents:,} in {fuzz_seconds:.1f} s (seed {args.seed}); slowest load {slowest:.2f} s")
    print(f"uncaught exceptions: {len(exceptions)}")
    for doc, tb in exceptions[:3]:
        print(f"  {doc.kind} via {'+'.join(doc.mutations)}:\n" + "    " + tb.strip().replace("\n", "\n    "))
    print(f"hangs over {HANG_SECONDS:.0f} s: {len(hangs)}")
    for doc, seconds in hangs[:3]:
        print(f"  {doc.kind} via {'+'.join(doc.mutations)}: {seconds:.1f} s, {len(doc.data):,} bytes")
    print(f"diagnostics outside their file or at a wrong place: {len(misplaced)}")
    for doc, problems in misplaced[:3]:
        print(f"  {doc.kind} via {'+'.join(doc.mutations)}: {problems[0][:300]}")
    print(f"certainly-invalid documents that validated: {len(accepted)}")
    for doc in accepted[:3]:
        print(f"  {doc.kind} via {'+'.join(doc.mutations)}")
    if ratios:
        worst = max(ratios)
        print(f"peak memory / input size, {len(ratios)} fuzzed documents of {BIG:,} bytes or more: "
              f"median {sorted(r[0] for r in ratios)[len(ratios) // 2]:.1f}x, worst {worst[0]:.1f}x "
              f"({worst[1]:,} bytes, {worst[2]})")
    for traced, rss, what in named_ratios:
        print(f"peak memory / input size, {what}: {traced:.1f}x (traced), {rss:.1f}x (resident)")
    print("mutations applied:", ", ".join(f"{name} {n}" for name, n in sorted(counts.items())))
    return 1 if exceptions or hangs or misplaced or accepted else 0


if __name__ == "__main__":
    sys.exit(main())
