"""Two flat exports: Anki's CSV importer format (`csv`) and Quizlet's
two-column paste format (`tsv`).

The Anki CSV names only note types every fresh collection has (`Basic`,
`Cloze`), so it imports anywhere without the quizgen note types; its GUID
column holds the deck's own note GUIDs (quizgen.ids.note_guid), so importing it
over a collection that has the .apkg updates those notes in place. Fields are
HTML made inert exactly as in the deck (quizgen.render.anki.notes.text).
"""

from __future__ import annotations

import csv
import io
import json
import re

from quizgen.bank.balance import option_order
from quizgen.ids import note_guid
from quizgen.model import CLOZE_BLANK, Bank, Question
from quizgen.render.fragments import pieces
from quizgen.render.anki.notes import LETTERS, SourcesHtml, cloze_text, shuffled_order, support_html, tag_names, tags_for, text

SUFFIX = ".csv"
TSV_SUFFIX = ".tsv"  # export_tsv's: the registry names ("quizgen.render.csv_export", "export_tsv", ".tsv")

HEADER = (
    "#separator:Comma\n"
    "#html:true\n"
    "#guid column:1\n"
    "#notetype column:2\n"
    "#deck column:3\n"
    "#tags column:6\n"
)


def _deck(bank: Bank, parent: str, q: Question) -> str:
    # The same subdeck the .apkg puts the note in.
    return f"{parent}::{bank.config.topic_name(q.topic).replace('::', ':') or 'Other'}"


def _list(items: list[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{text(item)}</li>" for item in items) + f"</{tag}>"


def _front_back(q: Question) -> tuple[str, str]:
    """Front and back of a Basic note (the answer first on the back)."""
    prompt = f"<div>{text(q.prompt)}</div>"
    if q.type == "mcq":
        order = option_order(q.id, q.options)
        rows = "".join(f"<li>{LETTERS[i]}. {text(q.options[j])}</li>" for i, j in enumerate(order))
        letter = LETTERS[order.index(q.options.index(q.answer))] + ". " if q.answer in q.options else ""
        return prompt + f"<ul>{rows}</ul>", f"<div><b>{letter}{text(q.answer)}</b></div>"
    if q.type == "true_false":
        return prompt + "<div>True or false?</div>", f"<div><b>{text(q.answer)}</b></div>"
    if q.type == "short_answer":
        also = f"<div>Also accepted: {text('; '.join(q.accept))}</div>" if q.accept else ""
        return prompt, f"<div><b>{text(q.answer)}</b></div>{also}"
    if q.type == "matching":
        rights = [right for _, right in q.pairs] + list(q.spares)
        order = shuffled_order(q.id, "right", len(rights))
        solution = "".join(f"<li>{text(left)} → {text(right)}</li>" for left, right in q.pairs)
        return (prompt + _list([left for left, _ in q.pairs], ordered=True) + _list([rights[i] for i in order]),
                f"<ol>{solution}</ol>")
    if q.type == "ordering":
        order = shuffled_order(q.id, "items", len(q.items))
        return prompt + _list([q.items[i] for i in order]), _list(list(q.items), ordered=True)
    raise ValueError(f"question {q.id}: expected a Basic-able type, got {q.type!r}")


def _row(bank: Bank, q: Question, parent: str, sources: SourcesHtml, names, labels) -> list[str]:
    extra = (f"<div>{text(q.explanation)}</div>" + support_html(q, labels) + sources(q)
             + f'<div class="qg-id">{text(q.id)}</div>')
    if q.type == "cloze":
        notetype, first, second = "Cloze", cloze_text(q.prompt)[0], extra
    else:
        front, back = _front_back(q)
        notetype, first, second = "Basic", front, back + extra
    guid = note_guid(q.id, bank.config.id_namespace)
    return [guid, notetype, _deck(bank, parent, q), first, second, " ".join(tags_for(q, names))]


def export(bank: Bank, options) -> bytes:
    parent = options.deck_name or bank.config.deck
    sources = SourcesHtml({s.id: s for s in bank.sources})
    names = tag_names(bank.questions)
    labels = {s: bank.config.label(f"support_{s}") for s in ("inferred", "outside")}
    row = io.StringIO()
    # Every cell quoted: Anki's reader takes a line that starts with "#" for a
    # comment, and a GUID may start with "#".
    writer = csv.writer(row, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def line(q: Question) -> str:
        row.seek(0)
        row.truncate()
        writer.writerow(_row(bank, q, parent, sources, names, labels))
        return row.getvalue()

    # a row's tags are spelt as the whole bank decides (tag_names): that is part of its piece's key
    lines = pieces("csv", bank.questions, line, extra=json.dumps(sorted(names.items()), ensure_ascii=False))
    return (HEADER + "".join(lines)).encode("utf-8")


# -- Quizlet ---------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def _cell(value: str) -> str:
    """One line, no tab: Quizlet splits terms on tabs and cards on newlines."""
    return _SPACE.sub(" ", value).strip()


def term(q: Question) -> str:
    if q.type == "cloze":
        return CLOZE_BLANK.sub("____", q.prompt)
    if q.type == "mcq":
        order = option_order(q.id, q.options)
        return q.prompt + " " + " ".join(f"{LETTERS[i]}) {q.options[j]}" for i, j in enumerate(order))
    if q.type == "true_false":
        return f"True or false: {q.prompt}"
    if q.type == "matching":
        return q.prompt + " " + "; ".join(left for left, _ in q.pairs)
    if q.type == "ordering":
        order = shuffled_order(q.id, "items", len(q.items))
        return q.prompt + " " + "; ".join(q.items[i] for i in order)
    return q.prompt


def definition(bank: Bank, q: Question) -> str:
    parts = [q.answer]
    if q.type == "short_answer" and q.accept:
        parts.append("(also: " + "; ".join(q.accept) + ")")
    if q.explanation:
        parts.append("— " + q.explanation)
    if q.support.status != "quoted":
        label = bank.config.label(f"support_{q.support.status}") or q.support.status
        parts.append(f"[{label}: {q.support.reason}]" if q.support.reason else f"[{label}]")
    for c in q.citations:
        try:
            s = bank.source(c.source)
            head = ", ".join(x for x in (s.outlet_label, s.date_label) if x)
        except (KeyError, LookupError):
            head = c.source
        parts.append(f"“{c.quote}” ({head})")
    return " ".join(parts)


def export_tsv(bank: Bank, options) -> bytes:
    lines = pieces("tsv", bank.questions, lambda q: f"{_cell(term(q))}\t{_cell(definition(bank, q))}\n")
    return "".join(lines).encode("utf-8")
