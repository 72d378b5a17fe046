"""Benchmark generation and bank validation at scale.

    python bench/bench_generate.py [--questions 10000] [--bank 100000] [--seed 0]

1. Writes a synthetic facts database (hundreds of people, events and places) next
   to the real templates and source registry, and times `generate()` writing
   --questions questions from it (load, expand, select, write) in a fresh
   process, with that process's peak resident memory.
2. Replicates those questions under fresh ids into a synthetic bank of --bank
   questions and times `load_bank()` on it in a fresh process, reporting wall
   time and peak resident memory (getrusage maxrss of the process and of any
   worker processes it started). Targets: under 10 s and under 500 MB.

Everything is written to a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from quizgen.generate.write import dump_questions  # noqa: E402
from quizgen.bank.marks import load_yaml  # noqa: E402

COUNTRIES = ("Aland", "Borduria", "Carpania", "Drusia", "Elbonia", "Freedonia")
OFFICES = ("President", "Prime Minister", "Foreign Minister", "Defence Minister", "Press Secretary")


def synthetic_facts(n_people: int, n_events: int, n_places: int, rng: random.Random) -> str:
    """A facts.yaml for the shipped kinds.yaml: every kind of record, with citations
    (the quotes are not in any article; this bank is for timing only)."""
    cite = "[{source: sputnik-2016-12-nagato, quote: synthetic quote}]"
    out = ["facts:"]
    for i in range(n_places):
        out.append(f"  - {{id: place-{i}, kind: place, name: City {i}, type: city, "
                   f"citations: [{{source: sputnik-2016-12-nagato, quote: in City {i}}}]}}")
    start = 1950 * 372
    days = sorted(rng.sample(range(0, 100 * 372), n_events))
    for i, d in enumerate(days):
        y, m, dd = (start + d) // 372, (d % 372) // 31 + 1, d % 31 % 28 + 1
        value = [f"{y}", f"{y}-{m:02d}", f"{y}-{m:02d}-{dd:02d}"][i % 3]
        inferred = "true" if i % 4 == 0 else "false"
        out.append(textwrap.indent(textwrap.dedent(f"""\
            - id: event-{i}
              kind: event
              label: Event {i} happens
              name: event {i}
              unnamed: the meeting numbered {i}
              unplaced: delegates met for round {i}
              summary: Delegates met for round {i}.
              date: {{value: "{value}", inferred: {inferred}, basis: Worked out from the context.}}
              place: place-{rng.randrange(n_places)}
              citations: {cite}"""), "  "))
    for i in range(n_people):
        country = COUNTRIES[i % len(COUNTRIES)]
        office = f"{OFFICES[i % len(OFFICES)]} of {country}"
        out += [f"  - id: person-{i}", "    kind: person", f"    name: Person Number{i}",
                f"    country: {country}",
                f"    spellings: [{{name: Person Number{i}, source: sputnik-2016-12-nagato}}]", "    roles:"]
        out += [f"      - {{role: {office}, at: event-{e}, citations: {cite}}}"
                for e in sorted(rng.sample(range(n_events), 3))]
        out.append(f"    citations: [{{source: sputnik-2016-12-nagato, quote: Person Number{i}}}]")
    for i in range(12):
        out.append(f"  - {{id: island-{i}, kind: island, names: {{english: Isle{i}, "
                   f"russian: {{name: Остров{i}, not_in_sources: true}}, japanese: {{name: 島{i}, not_in_sources: true}}}}, "
                   f"group: group-0, citations: [{{source: sputnik-2016-12-nagato, quote: Isle{i}}}]}}")
    members = ", ".join(f"island-{i}" for i in range(12))
    out.append(f"  - {{id: group-0, kind: island_group, name: the isles, members: [{members}], "
               "side_names: {russia: North Isles, japan: South Isles}, "
               "native_names: {russia: {name: N, not_in_sources: true}, japan: {name: S, not_in_sources: true}}, "
               "citations: [{source: sputnik-2016-12-nagato, quote: North Isles and South Isles}]}")
    # dates of any span: a few BC and approximate ones among the events
    for i, value in enumerate(("-44-03-15", "-490", "~1440", "1440/1450", "0800")):
        out.append(f"  - {{id: event-old-{i}, kind: event, label: Old event {i}, name: old event {i}, "
                   f"summary: Old event {i}., date: \"{value}\", citations: {cite}}}")
    point = f"{{text: the point, wrong: [not this, nor that, nor the other], citations: {cite}}}"
    out += ["  - id: document-0", "    kind: document", "    name: the synthetic treaty",
            "    short_name: the treaty", '    date: {value: "1956"}', f"    ended: {point}",
            f"    restored: {point.replace('the point', 'the other point')}",
            f"    left_open: {point.replace('the point', 'the open point')}",
            f"    islands: {point.replace('the point', 'two isles')}",
            f"    condition: {point.replace('the point', 'after a while')}", "    claims:"]
    out += [f"      - {{key: c{i}, statement: Claim {i} is true., detail: Detail {i}., "
            f"false: [Claim {i} is false., Claim {i} is wrong.], citations: {cite}}}" for i in range(20)]
    out.append(f"    citations: {cite}")
    return "\n".join(out) + "\n"


def make_facts_bank(root: Path, rng: random.Random) -> None:
    root.mkdir(parents=True)
    shutil.copy(REPO / "questions" / "sources.yaml", root / "sources.yaml")
    shutil.copy(REPO / "questions" / "kinds.yaml", root / "kinds.yaml")
    shutil.copytree(REPO / "questions" / "templates", root / "templates")
    (root / "facts.yaml").write_text(synthetic_facts(300, 1500, 60, rng), encoding="utf-8")


GENERATE = """
import json, resource, sys, time
from pathlib import Path
from quizgen.generate.write import generate
t0 = time.perf_counter()
r = generate(Path(sys.argv[1]), Path(sys.argv[2]), count=int(sys.argv[3]), seed=int(sys.argv[4]))
print(json.dumps({"seconds": time.perf_counter() - t0, "written": r.written, "templates": len(r.by_template),
                  "candidates": r.available, "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def bench_generate(root: Path, n: int, seed: int) -> Path:
    """Time generate() in a fresh process (tracing allocations would slow it
    several times over, so memory is the process's peak resident size)."""
    out = root / "generated" / "bench.yaml"
    proc = subprocess.run([sys.executable, "-c", GENERATE, str(root), str(out), str(n), str(seed)],
                          capture_output=True, text=True, check=True, cwd=REPO)
    r = json.loads(proc.stdout)
    print(f"generate: {r['written']:,} questions from {r['templates']} templates ({r['candidates']:,} "
          f"candidates) in {r['seconds']:.2f} s; peak RSS {r['mb']:.0f} MB; "
          f"file {out.stat().st_size / 2**20:.1f} MB")
    if r["written"] < n:
        print(f"  note: the synthetic facts allowed only {r['written']:,} of {n:,}")
    return out


def make_big_bank(root: Path, generated: Path, size: int) -> int:
    """Copies of the generated questions under fresh ids, 10,000 per file
    (the generated ones over and over when there are fewer)."""
    import yaml

    records = yaml.load(generated.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["questions"]
    root.mkdir(parents=True)
    shutil.copy(REPO / "questions" / "sources.yaml", root / "sources.yaml")
    written, copy, file_no = 0, 0, 0
    per_file = 10_000
    while written < size:
        chunk: list[dict] = []
        while len(chunk) < per_file and written + len(chunk) < size:
            for rec in records:
                if len(chunk) >= per_file or written + len(chunk) >= size:
                    break
                # fresh fact ids too: a copy resting on the same facts is a near-duplicate
                # (bank/duplicates.py), and a bank of 90 % warnings times their printing
                chunk.append(dict(rec, id=f"{rec['id']}-{copy}", facts=[f"{f}.{copy}" for f in rec["facts"]]))
            copy += 1
        text = "questions:\n" + _dump_records(chunk)
        (root / f"part-{file_no:03d}.yaml").write_text(text, encoding="utf-8")
        written += len(chunk)
        file_no += 1
    return written


def _dump_records(records: list[dict]) -> str:
    """The records in the same layout `generate` writes (via the question writer)."""
    from quizgen.model import QUOTED, Citation, Question, Support

    questions = []
    for r in records:
        answer = r.get("answer", "")
        questions.append(Question(
            id=r["id"], type=r["type"], topic=r["topic"], prompt=r["prompt"],
            answer=("True" if answer else "False") if r["type"] == "true_false" else str(answer),
            explanation=r["explanation"], citations=tuple(Citation(c["source"], c["quote"]) for c in r["citations"]),
            tags=tuple(r["tags"]), difficulty=r["difficulty"], options=tuple(r.get("options", ())),
            accept=tuple(r.get("accept", ())), pairs=tuple((p["left"], p["right"]) for p in r.get("pairs", ())),
            items=tuple(r.get("items", ())), origin="generated", template=r["template"], facts=tuple(r["facts"]),
            # the marks generate wrote (inferred dates): without them every such key is unsupported
            support=Support(r["support"]["status"], r["support"].get("reason", "")) if "support" in r else QUOTED))
    return dump_questions(questions).split("questions:\n", 1)[1]


CHILD = """
import json, resource, sys, time
from pathlib import Path
from quizgen.bank.load import load_bank
t0 = time.perf_counter()
bank, diagnostics = load_bank(Path(sys.argv[1]))
elapsed = time.perf_counter() - t0
errors = [str(d) for d in diagnostics if d.is_error]
print(json.dumps({"seconds": elapsed, "questions": len(bank.questions) if bank else 0, "errors": errors[:5],
                  "n_errors": len(errors),
                  "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def bench_validate(root: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(root)], capture_output=True, text=True, check=True,
                         cwd=REPO)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--bank", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="quizgen-bench-") as tmp:
        facts_bank = Path(tmp) / "facts-bank"
        make_facts_bank(facts_bank, rng)
        node, diags = load_yaml(facts_bank / "facts.yaml")
        assert not diags, diags
        generated = bench_generate(facts_bank, args.questions, args.seed)
        big = Path(tmp) / "big-bank"
        n = make_big_bank(big, generated, args.bank)
        size = sum(p.stat().st_size for p in big.glob("*.yaml")) / 2**20
        print(f"synthetic bank: {n:,} questions in {len(list(big.glob('part-*.yaml')))} files, {size:.0f} MB")
        r = bench_validate(big)
        peak = max(r["self_mb"], r["children_mb"])
        print(f"load_bank: {r['questions']:,} questions valid, {r['n_errors']} errors, {r['seconds']:.2f} s; "
              f"peak RSS {r['self_mb']:.0f} MB (process), {r['children_mb']:.0f} MB (largest worker)")
        for e in r["errors"]:
            print("  ", e)
        verdict = "meets" if r["seconds"] < 10 and peak < 500 else "misses"
        print(f"targets (< 10 s, < 500 MB): {verdict}")


if __name__ == "__main__":
    main()
