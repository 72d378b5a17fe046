"""Every benchmark in one run, and one table of figures and ratios against
their floors at the end.

    python bench/run_all.py [--quick] [--only NAME ...]

Runs, each in its own process, those of these scripts that exist (a missing
one is skipped with a note): bench_validate.py (validate vs libyaml compose
of the same files), bench_generate.py, bench_anki.py (vs plain genanki),
bench_pdf.py (vs plain platypus), bench_build.py (full build vs the sum of its
renderers; no-change and one-edit rebuilds), bench_grade.py. --quick passes
each script smaller sizes, but only the flags its own --help lists, so a
script that takes other flags still runs (at its default size).

The table takes every line of a script's output that names a ratio, a
target, a floor or a time in seconds; a script ending with a
`BENCH-JSON {...}` line (bench_build.py --json) gives its figures exactly.
The exit status is 1 when a script failed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# script -> (flags always passed, flags for --quick); a flag is passed only when the script's --help lists it
SCRIPTS: dict[str, tuple[list[str], list[str]]] = {
    "bench_validate.py": ([], ["--questions", "10000", "--runs", "1", "--repeat", "1"]),
    "bench_generate.py": ([], ["--questions", "1000", "--bank", "10000"]),
    "bench_anki.py": ([], ["--questions", "2000", "--repeat", "2"]),
    "bench_pdf.py": ([], ["--questions", "200", "--variants", "20", "--runs", "1"]),
    "bench_build.py": (["--json"], ["--runs", "2"]),
    "bench_grade.py": ([], ["--pages", "10", "--runs", "1", "--repeat", "1"]),
}
INTERESTING = re.compile(r"ratio|target|floor|×|\bx\s*plain|\d+(\.\d+)?\s*s\b|MB|peak", re.IGNORECASE)


def supported(script: Path, flags: list[str]) -> list[str]:
    """The flag/value pairs of ``flags`` the script's --help mentions."""
    try:
        help_text = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True,
                                   timeout=120).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    out, i = [], 0
    while i < len(flags):
        flag = flags[i]
        value = flags[i + 1] if i + 1 < len(flags) and not flags[i + 1].startswith("--") else None
        if re.search(rf"(^|\s|\[){re.escape(flag)}\b", help_text):
            out += [flag] + ([value] if value is not None else [])
        i += 2 if value is not None else 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a first look (minutes, not tens)")
    parser.add_argument("--only", nargs="*", default=None, help="script names (e.g. bench_build)")
    args = parser.parse_args()

    rows: list[tuple[str, str]] = []
    failed = []
    for name, (always, quick) in SCRIPTS.items():
        if args.only and name.removesuffix(".py") not in args.only and name not in args.only:
            continue
        script = HERE / name
        if not script.exists():
            print(f"== {name}: skipped (not in bench/ yet)")
            rows.append((name, "skipped: not written yet"))
            continue
        flags = supported(script, always + (quick if args.quick else []))
        print(f"== {name} {' '.join(flags)}", flush=True)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script), *flags], capture_output=True, text=True)
        took = time.perf_counter() - start
        output = proc.stdout + proc.stderr
        print(output.rstrip())
        if proc.returncode != 0:
            failed.append(name)
            rows.append((name, f"exit status {proc.returncode} after {took:.1f} s"))
        figures = [line for line in proc.stdout.splitlines() if line.startswith("BENCH-JSON ")]
        if figures:
            data = json.loads(figures[-1][len("BENCH-JSON "):])
            for what, f in data.get("build", {}).items():
                target = f" (target ≤ {f['target']} s)" if f.get("target") else ""
                rows.append((name, f"{what}: {f['wall']:.3f} s wall, {f['cpu']:.3f} s CPU{target}"))
            if "ratio" in data:
                rows.append((name, f"full build / sum of renderers ({data['renderers']:.3f} s): {data['ratio']:.2f}"))
        else:
            rows += [(name, line.strip()) for line in output.splitlines()
                     if line.strip() and INTERESTING.search(line) and not line.startswith(("==", "Traceback"))]
        rows.append((name, f"(the script took {took:.1f} s)"))

    print("\n== summary" + (" (--quick: smaller sizes than the targets are set for)" if args.quick else ""))
    width = max((len(n) for n, _ in rows), default=10)
    for name, text in rows:
        print(f"{name:{width}}  {text}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
