"""Benchmark `quizgen validate` on a large synthetic bank against its floors.

    python bench/bench_validate.py [--questions 100000] [--quick] [--runs 3] [--bank-dir DIR]

Builds the synthetic bank once (as bench_generate.py does: generated
questions copied under fresh ids, 10,000 a file), then times, each in a fresh
process and interleaved best-of---runs:

- validate, cold: `quizgen validate` with an empty validation cache;
- validate, unchanged: again, on the cache the cold run filled;
- libyaml: PyYAML's CSafeLoader composing every file (the floor named in issue 15);
- libyaml compose, no gc: the same with the cyclic collector paused, as the loader does;
- libyaml events: only the parser events compose.py reads;
- rapidyaml: ryml parsing every file (skipped when not installed);
- rapidyaml walk: ryml parsing, then every node's type, key and value read from
  Python (the floor of a composer on ryml, before any node object is made);
- rapidyaml to json: ryml parsing, the tree emitted as JSON and read by json.loads
  (values only, no marks).

Each figure is wall seconds, CPU seconds (the process and every worker it
waited for) and peak resident memory summed over the process tree, from two
runs of each case: one timed alone, one sampled with psutil every 10 ms
(sampling the tree costs CPU the two workers would have had: a sampled
validate ran ~0.5 s longer). Without psutil (pip install -e '.[bench]') the
memory is not known and the targets are not judged: the largest single
process is no sum. Ratios are against libyaml. --quick: 20,000 questions, one run. --bank-dir keeps the
built bank there for the next run (built again if missing).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "bench"))
# BENCH_REPO: time another checkout's quizgen (e.g. main, for before/after) on the same bank
REPO = Path(os.environ.get("BENCH_REPO") or HERE)

COMPOSE = """
import sys, yaml
from pathlib import Path
for p in sorted(Path(sys.argv[1]).glob("part-*.yaml")):
    yaml.compose(p.read_bytes(), Loader=yaml.CSafeLoader)
"""

# The same with the cyclic collector paused, as the loader composes (load.py
# paused_gc): with it running, composing millions of nodes costs ~4x the CPU,
# so "libyaml compose" above is no floor of what validate does.
COMPOSE_NO_GC = "import gc; gc.disable()\n" + COMPOSE

# libyaml's events alone, as compose.py reads them: what any composer built on
# PyYAML's CParser pays before making a single node.
EVENTS = """
import gc, sys, yaml
from pathlib import Path
gc.disable()
for p in sorted(Path(sys.argv[1]).glob("part-*.yaml")):
    loader = yaml.CSafeLoader(p.read_bytes())
    get_event, end = loader.get_event, yaml.StreamEndEvent
    while get_event().__class__ is not end:
        pass
    loader.dispose()
"""

# rapidyaml's tree handed to Python: every node's type, key and value read
# once, nothing built (no marks, no tags, no node objects). The raw SWIG
# functions take the tree's ``this`` (the proxy methods cost ~2 us a call);
# this is the floor of any composer on rapidyaml, before a node is made.
RYML_WALK = """
import gc, sys, ryml
from ryml import _ryml as R
from pathlib import Path
gc.disable()
for p in sorted(Path(sys.argv[1]).glob("part-*.yaml")):
    buf = bytearray(p.read_bytes())
    tree = ryml.parse_in_place(buf)
    this, none = tree.this, ryml.NONE
    kind, key, val, first, nxt = R.Tree_type, R.Tree_key, R.Tree_val, R.Tree_first_child, R.Tree_next_sibling
    stack = [R.Tree_root_id(this)]
    while stack:
        child = first(this, stack.pop())
        while child != none:
            k = kind(this, child)
            if k & ryml.KEY:
                str(key(this, child), "utf-8")
            if k & (ryml.MAP | ryml.SEQ):
                stack.append(child)
            else:
                v = val(this, child)
                if v is not None:
                    str(v, "utf-8")
            child = nxt(this, child)
    del tree
"""

RYML = """
import sys, ryml
from pathlib import Path
for p in sorted(Path(sys.argv[1]).glob("part-*.yaml")):
    tree = ryml.parse_in_arena(p.read_bytes())
    del tree
"""

# rapidyaml's tree handed to Python in one piece: emitted as JSON in C and
# read back by the json module. Values only (no marks, styles or tags), but
# the one way found to get every value into Python faster than libyaml's
# events alone: per-node calls through the bindings (rapidyaml walk) are
# nearly as dear as the events, and ryml 0.15's bindings expose no source
# location of a node.
RYML_JSON = """
import gc, json, sys, ryml
from pathlib import Path
gc.disable()
for p in sorted(Path(sys.argv[1]).glob("part-*.yaml")):
    tree = ryml.parse_in_arena(p.read_bytes())
    data = json.loads(ryml.emit_json_malloc(tree, tree.root_id()))
    del tree, data
"""


def build_bank(folder: Path, questions: int, seed: int = 0) -> None:
    import bench_generate as bg

    marker = folder / ".bench-questions"
    if marker.is_file() and marker.read_text() == f"{questions} v2":
        return
    if folder.exists():
        shutil.rmtree(folder)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-") as tmp:
        facts_bank = Path(tmp) / "facts-bank"
        bg.make_facts_bank(facts_bank, random.Random(seed))
        generated = bg.bench_generate(facts_bank, min(questions, 10_000), seed)
        bg.make_big_bank(folder, generated, questions)
    marker.write_text(f"{questions} v2")


def _tree_rss(proc) -> int:
    total = 0
    try:
        for p in [proc] + proc.children(recursive=True):
            try:
                total += p.memory_info().rss
            except Exception:  # a worker that just ended
                pass
    except Exception:
        pass
    return total


def _psutil():
    try:
        import psutil
    except ImportError:
        return None
    return psutil


def run(cmd: list[str], env: dict[str, str], sample: bool = False) -> dict:
    """Wall, CPU (user + sys of the process and its waited-for workers) and,
    with ``sample`` (and psutil), peak RSS summed over the process tree, of
    one fresh process; "mb" is None when not sampled."""
    psutil = _psutil() if sample else None
    # output to files: a pipe nobody reads while polling would block a chatty child
    out_f, err_f = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out_f, stderr=err_f)
    peak = 0
    if psutil is not None:
        handle = psutil.Process(child.pid)
        while child.poll() is None:
            peak = max(peak, _tree_rss(handle))
            time.sleep(0.01)
    # wait4 gives the child's own rusage (children it waited for included)
    _, status, usage = os.wait4(child.pid, 0) if child.returncode is None else (0, 0, None)
    wall = time.perf_counter() - t0
    child.wait()
    out_f.seek(0)
    err_f.seek(0)
    out, err = out_f.read(), err_f.read()
    if usage is None:  # polled to the end: psutil saw the exit; fall back on RUSAGE_CHILDREN deltas
        cpu = None
    else:
        cpu = usage.ru_utime + usage.ru_stime
    return {"rc": child.returncode, "wall": wall, "cpu": cpu, "mb": peak / 2**20 if psutil is not None else None,
            "out": out.decode(), "err": err.decode()}


class _Rusage:
    """CPU of finished children, read as deltas (Popen has already reaped them)."""

    def __enter__(self):
        import resource
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.start = r.ru_utime + r.ru_stime
        return self

    def __exit__(self, *exc):
        import resource
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = r.ru_utime + r.ru_stime - self.start


def measure(cmd: list[str], env: dict[str, str], sample: bool = False) -> dict:
    with _Rusage() as usage:
        r = run(cmd, env, sample)
    if r["cpu"] is None:
        r["cpu"] = usage.cpu
    return r


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="20,000 questions, one run")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--bank-dir", type=Path, default=None, help="keep the built bank here")
    args = parser.parse_args(argv)
    questions = args.questions or (20_000 if args.quick else 100_000)
    runs = args.runs or (1 if args.quick else 3)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-validate-") as tmp:
        bank = args.bank_dir or Path(tmp) / "bank"
        build_bank(bank, questions)
        size = sum(p.stat().st_size for p in bank.glob("part-*.yaml")) / 2**20
        print(f"bank: {questions:,} questions in {len(list(bank.glob('part-*.yaml')))} files, {size:.0f} MB")
        try:
            import ryml  # noqa: F401
            have_ryml = True
        except ImportError:
            have_ryml = False
        env = dict(os.environ)
        py = sys.executable
        cases = {
            "validate (cold)": None,
            "validate (unchanged)": None,
            "libyaml compose": [py, "-c", COMPOSE, str(bank)],
            "libyaml compose, no gc": [py, "-c", COMPOSE_NO_GC, str(bank)],
            "libyaml events": [py, "-c", EVENTS, str(bank)],
        }
        if have_ryml:
            cases["rapidyaml parse"] = [py, "-c", RYML, str(bank)]
            cases["rapidyaml walk"] = [py, "-c", RYML_WALK, str(bank)]
            cases["rapidyaml to json"] = [py, "-c", RYML_JSON, str(bank)]
        best: dict[str, dict] = {}
        peaks: dict[str, float] = {}
        sampled = _psutil() is not None
        for _ in range(runs):
            # a timed pass, then (with psutil) a sampled one, each on its own empty cache
            for sample in ((False, True) if sampled else (False,)):
                cache = Path(tmp) / f"cache-{time.monotonic_ns()}"
                venv = dict(env, QUIZGEN_CACHE_DIR=str(cache))
                validate = [py, "-m", "quizgen", "validate", str(bank)]
                for name, cmd in cases.items():
                    r = measure(validate, venv, sample) if cmd is None else measure(cmd, env, sample)
                    # the synthetic bank's quotes are made up: validate reports
                    # support errors (exit 1), the same work as a clean bank's
                    if r["rc"] not in (0, 1) or "Traceback" in r["err"] or (cmd is not None and r["rc"]):
                        sys.exit(f"{name} failed:\n{r['out']}{r['err'][-3000:]}")
                    if sample:
                        peaks[name] = min(peaks.get(name, r["mb"]), r["mb"])
                    elif name not in best or r["wall"] < best[name]["wall"]:
                        best[name] = r
                shutil.rmtree(cache, ignore_errors=True)
        for name, r in best.items():
            r["mb"] = peaks.get(name)
        floor = best["libyaml compose"]
        print(f"{'':24} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'wall/libyaml':>13}")
        for name, r in best.items():
            mb = f"{r['mb']:8.0f}" if r["mb"] is not None else f"{'n/a':>8}"
            print(f"{name:24} {r['wall']:7.2f} {r['cpu']:7.2f} {mb} {r['wall'] / floor['wall']:13.2f}")
        cold, warm = best["validate (cold)"], best["validate (unchanged)"]
        where = "" if questions == 100_000 else " (measured at another size)"
        if cold["mb"] is None:
            print("targets at 100,000 (cold <= 5 s and <= 400 MB, unchanged <= 1 s): not judged, "
                  f"the memory is unknown without psutil{where}")
        else:
            ok = cold["wall"] <= 5 and cold["mb"] <= 400 and warm["wall"] <= 1
            print(f"targets at 100,000 (cold <= 5 s and <= 400 MB, unchanged <= 1 s): "
                  f"{'meets' if ok else 'misses'}{where}")
        return {name: {k: r[k] for k in ("wall", "cpu", "mb")} for name, r in best.items()}


if __name__ == "__main__":
    result = main()
    if os.environ.get("BENCH_JSON"):
        print(json.dumps(result))
