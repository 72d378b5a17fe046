"""The item analysis as files a teacher reads: analysis.csv (one row per
question, every figure and flag) and report.html (self-contained: the plots are
SVG drawn by matplotlib, embedded as data URIs so their ids and styles cannot
clash with the page). Every text from the bank or the scans is escaped here,
at the boundary; the same rows, manifests and bank give the same bytes.

matplotlib is imported only inside the drawing functions (the `grade` extra).
"""

from __future__ import annotations

import base64
import csv
import io
from html import escape
from pathlib import Path
from typing import Callable, Mapping, Sequence

from quizgen.errors import Diagnostic, Loc, QuizgenError
from quizgen.grade.analysis import (FLAG_TEXT, LOW_DISCRIMINATION, NONFUNCTIONING, TOO_EASY, TOO_HARD, Analysis,
                                    Item, analyse)
from quizgen.grade.results import ResultRow

REPORT_FILES = ("analysis.csv", "report.html")
CSV_COLUMNS = ("number", "question", "type", "max_points", "answered", "undecided", "facility", "discrimination",
               "upper_lower", "blank", "multiple", "key", "counts", "top_wrong", "top_wrong_count", "flags")

KEY_COLOUR, WRONG_COLOUR, TOP_COLOUR, FLAG_COLOUR = "#2b7a3d", "#9a9a9a", "#c0392b", "#c0392b"


def _f(x: float | None, digits: int = 3) -> str:
    return "" if x is None else f"{x:.{digits}f}"


def _g(x: float) -> str:
    return f"{x:g}"


def analysis_csv(analysis: Analysis) -> bytes:
    """UTF-8 CSV, \\n line ends. ``counts`` are the students per bank option in
    the bank's order, the key marked with '*' ("3;12*;0;1")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for it in analysis.items:
        top = it.top_wrong
        counts = ";".join(f"{o.count}{'*' if o.correct else ''}" for o in it.options)
        writer.writerow((it.label, it.id, it.type, _g(it.max_points), it.n, it.undecided, _f(it.facility),
                         _f(it.discrimination), _f(it.upper_lower), it.blank if it.options else "",
                         it.multiple if it.options else "", it.key_text, counts, top.text if top else "",
                         top.count if top else "", ";".join(it.flags)))
    return out.getvalue().encode("utf-8")


# -- plots ------------------------------------------------------------------------

def _rc(salt: str) -> dict:
    return {"svg.hashsalt": f"quizgen-{salt}", "svg.fonttype": "none", "text.parse_math": False,
            "font.family": "DejaVu Sans", "font.size": 10, "axes.spines.top": False, "axes.spines.right": False}


def _svg(salt: str, size: tuple[float, float], draw: Callable) -> str:
    """An <img> whose source is the SVG ``draw(ax)`` makes (no pyplot: no global figure state)."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc(salt)):
        fig = Figure(figsize=size, dpi=72)
        ax = fig.add_subplot()
        alt = draw(ax)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    uri = "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'<img src="{uri}" alt="{escape(alt)}" width="{int(size[0] * 72)}" '
            f'height="{int(size[1] * 72)}">')


def score_histogram(analysis: Analysis) -> str:
    t = analysis.test

    def draw(ax) -> str:
        xs = [score for score, _ in t.distribution]
        ys = [count for _, count in t.distribution]
        gaps = [b - a for a, b in zip(xs, xs[1:])]
        step = min(gaps + [1.0])  # half points make half-point bars, never overlapping ones
        ax.bar(xs, ys, width=0.8 * step, color="#4a6fa5")
        ax.set_xlim(-0.5, max(t.max_points, max(xs, default=0)) + 0.5)
        ax.set_xlabel(f"total points (of {_g(t.max_points)})")
        ax.set_ylabel("students")
        ax.yaxis.get_major_locator().set_params(integer=True)
        return "Score distribution: " + ", ".join(f"{_g(x)} points: {y}" for x, y in t.distribution)

    return _svg("histogram", (9, 3), draw)


def facility_scatter(analysis: Analysis) -> str:
    items = [it for it in analysis.items if it.facility is not None and it.discrimination is not None]

    def draw(ax) -> str:
        ax.axhspan(-1, LOW_DISCRIMINATION, color="#f3e3e3", zorder=0)
        ax.axvspan(0, TOO_HARD, color="#f1f1f1", zorder=0)
        ax.axvspan(TOO_EASY, 1, color="#f1f1f1", zorder=0)
        ax.axhline(0, color="#888888", linewidth=0.6)
        for it in items:
            colour = FLAG_COLOUR if "key_error" in it.flags else "#2c4f7c"
            ax.scatter([it.facility], [it.discrimination], s=18, color=colour, zorder=3)
            ax.annotate(it.label or it.id, (it.facility, it.discrimination), textcoords="offset points",
                        xytext=(4, 3), fontsize=10, zorder=4)
        ax.set_xlim(0, 1)
        ax.set_ylim(-1, 1)
        ax.set_xlabel("facility (share of points earned)")
        ax.set_ylabel("discrimination (corrected point-biserial)")
        return "Facility against discrimination: " + "; ".join(
            f"{it.label or it.id}: {_f(it.facility, 2)}, {_f(it.discrimination, 2)}" for it in items)

    return _svg("scatter", (9, 5), draw)


def _short(text: str, n: int = 42) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def distractor_bars(it: Item) -> str:
    top = it.top_wrong

    def draw(ax) -> str:
        labels = [_short(o.text) for o in it.options] + ["(blank)", "(several)"]
        counts = [o.count for o in it.options] + [it.blank, it.multiple]
        colours = [KEY_COLOUR if o.correct else TOP_COLOUR if top is not None and o.index == top.index
                   else WRONG_COLOUR for o in it.options] + ["#cccccc", "#cccccc"]
        ys = list(range(len(labels)))[::-1]
        ax.barh(ys, counts, color=colours)
        ax.set_yticks(ys, labels)
        for y, o in zip(ys, it.options):
            ax.annotate(f"{o.count}  (upper {o.upper}, lower {o.lower})", (o.count, y), textcoords="offset points",
                        xytext=(3, -3), fontsize=9)
        ax.set_xlim(0, max(counts + [1]) * 1.5)
        ax.set_xlabel("students")
        ax.xaxis.get_major_locator().set_params(integer=True)
        return f"Answers to {it.id}: " + ", ".join(f"{lab}: {c}" for lab, c in zip(labels, counts))

    return _svg(f"options-{it.id}", (9, 0.8 + 0.32 * (len(it.options) + 2)), draw)


# -- html -----------------------------------------------------------------------

CSS = """
body{font-family:system-ui,sans-serif;max-width:960px;margin:1.5em auto;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.8em}td,th{border:1px solid #ccc;padding:.2em .45em;text-align:left;
vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
.flag{color:#a8281b;font-weight:600}.keycheck{border:2px solid #c0392b;border-radius:6px;padding:.6em 1em;margin:1em 0}
blockquote{margin:.4em 0;padding:.3em .8em;border-left:4px solid #999;background:#f6f6f6}
td.opts{white-space:nowrap}.wide{overflow-x:auto}.note{color:#555}img{max-width:100%;height:auto}dt{font-weight:600}dd{margin:0 0 .4em 1.2em}
"""


def _citations(it: Item, bank) -> str:
    if bank is None:
        return '<p class="note">Pass the bank (--bank) to show the prompt and the citation.</p>'
    try:
        q = bank.question(it.id)
    except KeyError:
        return f'<p class="note">The bank has no question {escape(it.id)}.</p>'
    parts = [f'<p class="prompt"><strong>Prompt:</strong> {escape(q.prompt)}</p>']
    sources = {s.id: s for s in bank.sources}
    try:
        from quizgen.bank.support import status

        support = status(q, sources)
    except Exception:  # the check needs nothing the bank lacks, but a report must not die on it
        support = q.support.status
    reason = f": {escape(q.support.reason)}" if q.support.reason else ""
    parts.append(f'<p class="support"><strong>Support:</strong> {escape(support)}{reason}</p>')
    for c in q.citations:
        s = sources.get(c.source)
        where = (f"{escape(s.headline)} — {escape(s.outlet_label)}, {escape(s.date_label)}" if s is not None
                 else f"source {escape(c.source)} (not in the bank)")
        parts.append(f'<blockquote class="quote">{escape(c.quote)}</blockquote><p class="source">{where}</p>')
    if q.explanation:
        parts.append(f'<p class="explanation"><strong>Why:</strong> {escape(q.explanation)}</p>')
    return "".join(parts)


def _key_check(it: Item, bank) -> str:
    key, top = it.key_option, it.top_wrong
    title = f"Question {escape(it.label)} ({escape(it.id)})" if it.label else escape(it.id)

    def chosen(o) -> str:
        return (f"{escape(o.text)} — {o.count} of {it.n} students, {o.upper} in the upper group, "
                f"{o.lower} in the lower group")

    rows = [f"<dt>Keyed answer</dt><dd>{chosen(key) if key else escape(it.key_text)}</dd>"]
    if top is not None:
        rows.append(f"<dt>Most chosen wrong option</dt><dd>{chosen(top)}</dd>")
    rows.append(f"<dt>Discrimination</dt><dd>{_f(it.discrimination, 2) or 'n/a'} (upper–lower "
                f"{_f(it.upper_lower, 2) or 'n/a'})</dd>")
    return (f'<section class="keycheck" id="key-{escape(it.id)}"><h3>{title}</h3><dl>{"".join(rows)}</dl>'
            f"{_citations(it, bank)}{distractor_bars(it)}</section>")


def _item_table(analysis: Analysis) -> str:
    head = ("No.", "Question", "Type", "Points", "n", "Review", "Facility", "r (rest)", "U–L",
            "Answers per option (* key)", "Flags")
    out = ['<div class="wide"><table><thead><tr>', *(f"<th>{h}</th>" for h in head), "</tr></thead><tbody>"]
    for it in analysis.items:
        counts = "<br>".join(f"{o.count}{'*' if o.correct else ''} {escape(_short(o.text, 24))}" for o in it.options)
        if it.options:
            counts += f"<br>{it.blank} blank" + (f"<br>{it.multiple} several" if it.multiple else "")
        flags = "<br>".join(FLAG_TEXT[f] for f in it.flags)
        cells = (escape(it.label), escape(it.id), escape(it.type), _g(it.max_points), str(it.n), str(it.undecided),
                 _f(it.facility, 2), _f(it.discrimination, 2), _f(it.upper_lower, 2), counts, flags)
        numeric = {3, 4, 5, 6, 7, 8}
        out.append("<tr>" + "".join(
            f'<td class="{"n" if i in numeric else "opts" if i == 9 else "flag" if i == 10 and c else ""}">{c}</td>'
            for i, c in enumerate(cells)) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def report_html(analysis: Analysis, bank=None, title: str = "") -> bytes:
    t = analysis.test
    heading = f"Item analysis: {title}" if title else "Item analysis"
    summary = [("Students", str(t.students)), ("Questions", str(t.items)), ("Points", _g(t.max_points)),
               ("Mean", f"{_f(t.mean, 2)} ({_f(t.mean / t.max_points * 100 if t.mean is not None and t.max_points else None, 1)} %)"),
               ("Standard deviation", _f(t.sd, 2)),
               ("Reliability (Cronbach's alpha / KR-20)",
                f"{_f(t.alpha, 2) or 'n/a'} (from {t.alpha_students} students with every answer decided)"),
               ("Answers left for review (not counted)", str(t.undecided))]
    parts = ["<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
             f"<title>{escape(heading)}</title><style>{CSS}</style></head><body>",
             f"<h1>{escape(heading)}</h1><table class=\"summary\"><tbody>",
             *(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>" for k, v in summary), "</tbody></table>"]
    if analysis.notes:
        parts.append('<ul class="notes">' + "".join(f'<li class="note">{escape(n)}</li>' for n in analysis.notes)
                     + "</ul>")
    keyed = [it for it in analysis.items if "key_error" in it.flags]
    parts.append("<h2>Key check</h2>")
    if keyed:
        parts.append("<p>Strong students agree on a wrong option, or the question discriminates the wrong way "
                     "with a popular distractor. Check the key against the quote before re-marking.</p>")
        parts.extend(_key_check(it, bank) for it in keyed)
    else:
        parts.append('<p class="note">No question looks mis-keyed.</p>')
    parts.append(f"<h2>Score distribution</h2>{score_histogram(analysis)}")
    parts.append("<h2>Facility and discrimination</h2><p class=\"note\">Shaded: too hard (facility below "
                 f"{TOO_HARD:g}), too easy (above {TOO_EASY:g}), low discrimination (below "
                 f"{LOW_DISCRIMINATION:g}). Labels are question numbers on the first copy.</p>"
                 f"{facility_scatter(analysis)}")
    parts.append(f"<h2>Questions</h2>{_item_table(analysis)}")
    others = [it for it in analysis.items if it.flags and it.options and "key_error" not in it.flags]
    if others:
        parts.append(f"<h2>Answers to the other flagged questions</h2><p class=\"note\">A distractor chosen by "
                     f"fewer than {NONFUNCTIONING:.0%} of the students does no work.</p>")
        for it in others:
            flags = ", ".join(FLAG_TEXT[f] for f in it.flags)
            parts.append(f"<h3>{escape(it.label)} {escape(it.id)} <span class=\"flag\">({flags})</span></h3>"
                         f"{distractor_bars(it)}")
    parts.append("</body></html>\n")
    return "".join(parts).encode("utf-8")


def _title(manifests: Sequence[Mapping]) -> str:
    return ", ".join(dict.fromkeys(str(m.get("title") or m.get("set") or "") for m in manifests if m))


def write_report(out_dir: Path, rows: Sequence[ResultRow], manifests: Sequence[Mapping], bank=None, *,
                 force: bool = False) -> list[Path]:
    """Write analysis.csv and report.html into ``out_dir``, all or nothing
    (quizgen.staging). A report already there with other bytes may have been
    edited by a person: it is replaced only with ``force``. QuizgenError on
    bad rows, a refusal, or a failed write."""
    from quizgen.staging import Session, WriteError

    analysis = analyse(rows, manifests, bank)
    out_dir = Path(out_dir)
    files = {out_dir / "analysis.csv": analysis_csv(analysis),
             out_dir / "report.html": report_html(analysis, bank, _title(manifests))}
    if not force:
        clashes = [p for p, data in files.items() if p.exists() and (not p.is_file() or p.read_bytes() != data)]
        if clashes:
            raise QuizgenError([Diagnostic(Loc(str(p)), "expected no earlier report (pass --force to replace it), "
                                                        "found a file with other content") for p in clashes])
    try:
        with Session(out_dir) as session:
            stage = session.stage()
            for path, data in files.items():
                stage.write(path, data)
            session.commit(stage)
    except WriteError as exc:
        raise QuizgenError([exc.diagnostic]) from exc
    return list(files)
