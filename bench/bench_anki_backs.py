"""How long is the back of every card on a phone?

    python bench/bench_anki_backs.py [--bank questions] [--width 420] [--screen 900]
        [--screenshots DIR] [--json FILE]

Builds the bank's deck (the questions `quizgen build` ships), imports it into a
fresh headless Anki collection, takes every card's back as Anki renders it
(card.answer(): the note type's CSS and the back template filled in) and lays
each one out in headless Chromium at --width CSS pixels, the width of a
phone. Prints the distribution of back heights (total, and down to the end of
the answer itself), in screens of --screen pixels. With --screenshots, writes a
PNG of one card of each note type, light and night mode.

Needs `chromium` (Debian: apt-get install chromium). Not a test: it takes
several seconds and a browser.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars")
# The body Anki gives a card (desktop reviewer and AnkiDroid both put .card on it;
# night mode adds nightMode/night_mode).
PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body {{ margin: 0; padding: 8px 0; }}</style></head>
<body class="card{night}">{back}</body></html>"""
MEASURE = """<!doctype html><html><head><meta charset="utf-8"><style>
iframe {{ display: block; border: 0; width: {width}px; height: 10px; }}</style></head><body>
{frames}
<pre id="out"></pre>
<script>
window.addEventListener("load", () => {{
  const out = [];
  for (const f of document.querySelectorAll("iframe")) {{
    const d = f.contentDocument;
    const end = d.querySelector(".qg-back .qg-answer, .qg-back .qg-solution, .cloze");
    const hr = d.getElementById("answer");
    out.push({{id: f.dataset.id, height: d.documentElement.scrollHeight,
               answer_top: hr ? hr.getBoundingClientRect().top : 0,
               answer_end: end ? end.getBoundingClientRect().bottom : 0}});
  }}
  document.getElementById("out").textContent = JSON.stringify(out);
}});
</script></body></html>"""


def cards(bank_path: Path, tmp: Path):
    """(card label, note type name, back HTML) for every card of the shipped deck."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    from quizgen.bank.load import load_bank
    from quizgen.render import RenderOptions
    from quizgen.render.anki import render
    from quizgen.select import deliverable

    root = tmp / "bank"
    shutil.copytree(bank_path, root)  # never rewrite the bank's lock
    bank, diagnostics = load_bank(root)
    if bank is None:
        sys.exit("\n".join(str(d) for d in diagnostics))
    apkg = render(deliverable(bank), tmp / "out", RenderOptions(timestamp=1_700_000_000))[0]
    col = Collection(str(tmp / "collection.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions()))
        out = []
        for cid in sorted(col.find_cards("")):
            card = col.get_card(cid)
            label = f"{card.note()['Question ID']}#{card.ord}"
            out.append((label, card.note_type()["name"], card.answer()))
        return out
    finally:
        col.close()


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return name
    sys.exit("needs chromium: apt-get install chromium")


def run_chromium(tmp: Path, args: list[str]) -> str:
    profile = tempfile.mkdtemp(prefix="profile-", dir=tmp)  # a fresh profile every run
    done = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=300)
    return done.stdout


def measure(backs, width: int, tmp: Path) -> list[dict]:
    frames = []
    for i, (label, _, back) in enumerate(backs):
        page = tmp / f"card-{i}.html"
        page.write_text(PAGE.format(night="", back=back), encoding="utf-8")
        frames.append(f'<iframe data-id="{html.escape(label)}" src="{page.name}"></iframe>')
    index = tmp / "measure.html"
    index.write_text(MEASURE.format(width=width, frames="\n".join(frames)), encoding="utf-8")
    dom = run_chromium(tmp, ["--allow-file-access-from-files", "--virtual-time-budget=20000",
                             f"--window-size={width},900", "--dump-dom", index.as_uri()])
    start, end = dom.index('<pre id="out">') + len('<pre id="out">'), dom.index("</pre>")
    return json.loads(html.unescape(dom[start:end]))


def screenshots(backs, width: int, screen: int, folder: Path, tmp: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    seen = set()
    for label, kind, back in backs:
        if kind in seen:
            continue
        seen.add(kind)
        for mode, night in (("light", ""), ("night", " nightMode night_mode")):
            page = tmp / f"shot-{len(seen)}-{mode}.html"
            page.write_text(PAGE.format(night=night, back=back), encoding="utf-8")
            name = f"{'-'.join(re.findall(r'[a-z]+', kind.split(' ', 1)[1].lower()))}-{mode}.png"
            run_chromium(tmp, [f"--window-size={width},{int(screen * 1.5)}",
                               f"--screenshot={folder / name}", page.as_uri()])
            print(f"screenshot {folder / name} ({label})")


def report(rows: list[dict], screen: int) -> None:
    heights = sorted(r["height"] for r in rows)
    ends = sorted(r["answer_end"] for r in rows)

    def pct(values, p):
        return values[min(len(values) - 1, int(p / 100 * len(values)))]

    print(f"{len(rows)} card backs at {screen}px a screen")
    for name, values in (("back height", heights), ("end of the answer", ends)):
        print(f"  {name}: median {statistics.median(values):.0f}px, p90 {pct(values, 90)}px, "
              f"p95 {pct(values, 95)}px, max {values[-1]}px")
    for screens in (1, 1.5, 2, 3):
        share = sum(h <= screens * screen for h in heights) / len(heights)
        print(f"  backs within {screens} screen{'s' if screens != 1 else ''}: {share:.0%}")
    share = sum(e <= screen for e in ends) / len(ends)
    print(f"  answers ending on the first screen: {share:.0%}")
    print("  longest:", ", ".join(f"{r['id']} {r['height']}px" for r in sorted(rows, key=lambda r: -r["height"])[:5]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=Path, default=Path("questions"))
    parser.add_argument("--width", type=int, default=420)
    parser.add_argument("--screen", type=int, default=900, help="CSS pixels of one phone screen")
    parser.add_argument("--screenshots", type=Path)
    parser.add_argument("--json", type=Path, help="write every card's measurements here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-backs-") as name:
        tmp = Path(name)
        backs = cards(args.bank, tmp)
        rows = measure(backs, args.width, tmp)
        report(rows, args.screen)
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
        if args.screenshots:
            screenshots(backs, args.width, args.screen, args.screenshots, tmp)


if __name__ == "__main__":
    main()
