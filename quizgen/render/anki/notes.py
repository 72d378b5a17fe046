"""Questions -> note contents: the HTML of each field, the tags and which cards a
note makes. Pure functions, no genanki; every piece of text from the bank is
HTML-escaped here, at the boundary.
"""

from __future__ import annotations

import hashlib
from html import escape
from typing import Mapping, NamedTuple

from quizgen.model import CLOZE_BLANK, Question, Source
from quizgen.render.anki.notetypes import NOTE_TYPES

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class NoteContent(NamedTuple):
    # A NamedTuple rather than a frozen dataclass: as immutable, and cheaper to
    # build, which counts at one per question in big banks.
    question_id: str
    kind: str  # a key of NOTE_TYPES
    topic: str
    fields: tuple[str, ...]  # in the note type's field order
    tags: tuple[str, ...]
    card_ords: tuple[int, ...]
    hash: str  # of fields and tags: a change here is a change Anki must apply


# Anki reads its own markup out of a field's HTML: [sound:...] plays a file,
# [latex]...[/latex], [$]...[/$] and [$$]...[/$$] typeset LaTeX, {{c1::...}} is a
# cloze and \(...\) / \[...\] are typeset by MathJax in the card's page. Bank
# text is text, so brackets and braces become character references (Anki's
# regexes see no bracket) and a backslash is cut from what follows by an empty
# element (MathJax reads the page's text, where references are already
# decoded, but never looks for a delimiter across an element). U+001F is the
# separator between the fields of a note: one inside a field would shift every
# field after it and Anki would refuse the deck; the loader refuses it, and it
# can never reach a note from here either.
_ANKI_MARKUP = str.maketrans({"[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;",
                              "\\": "&#92;<span></span>", "\x1f": "\ufffd", "\n": "<br>"})
_ATTR_MARKUP = str.maketrans({"[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;",
                              "\\": "&#92;", "\x1f": "\ufffd"})


def text(value: str) -> str:
    """Bank text as HTML: escaped, Anki's own markup made inert, line breaks kept."""
    return escape(value, quote=False).translate(_ANKI_MARKUP)


def attr(value: str) -> str:
    return escape(value, quote=True).translate(_ATTR_MARKUP)


def shuffled_order(question_id: str, salt: str, n: int) -> list[int]:
    """A permutation of range(n) fixed by the question id, never the identity
    when n > 1 (a shuffled list that happens to be in order gives the answer away).

    Sorting by hash bytes, not random.shuffle, so the order cannot change with
    the Python version and silently rewrite every note."""
    digest = hashlib.sha256(f"{question_id}\x00{salt}".encode("utf-8")).digest()
    while len(digest) < 2 * n:
        digest += hashlib.sha256(digest).digest()
    order = sorted(range(n), key=lambda i: (digest[2 * i], digest[2 * i + 1], i))
    if n > 1 and order == list(range(n)):
        order = order[1:] + order[:1]
    return order


class SourcesHtml:
    """The Sources field of a card: one block per citation. Each source's header
    (outlet, date, headline) is rendered once per build, not once per card."""

    def __init__(self, sources: Mapping[str, Source]):
        self._sources = sources
        self._heads: dict[str, str] = {}

    def head(self, source_id: str) -> str:
        head = self._heads.get(source_id)
        if head is None:
            head = self._heads[source_id] = self._render_head(source_id)
        return head

    def _render_head(self, source_id: str) -> str:
        source = self._sources.get(source_id)
        if source is None:  # validation rejects this; never crash the renderer on it
            return f'<div class="qg-cite-head">{text(source_id)}</div>'
        if source.published:
            date = f'<span class="qg-date">{text(source.date_label)}</span>'
        else:
            reason = f' title="{attr(source.inferred_reason)}"' if source.inferred_reason else ""
            date = f'<span class="qg-date qg-inferred"{reason}>{text(source.date_label)}</span>'
        return (
            f'<div class="qg-cite-head"><span class="qg-outlet">{text(source.outlet_label)}</span>'
            f" · {date}</div>"
            f'<div class="qg-headline">{text(source.headline)}</div>'
        )

    def __call__(self, question: Question) -> str:
        return "".join(
            f'<div class="qg-cite">{self.head(c.source)}'
            f'<blockquote class="qg-quote">{text(c.quote)}</blockquote></div>'
            for c in question.citations
        )


def _lettered(items: list[str]) -> str:
    rows = "".join(
        f'<li><span class="qg-letter">{LETTERS[i]}</span>{text(item)}</li>' for i, item in enumerate(items)
    )
    return f'<ul class="qg-list">{rows}</ul>'


def _numbered(items: list[str]) -> str:
    rows = "".join(f'<li><span class="qg-letter">{i + 1}</span>{text(item)}</li>' for i, item in enumerate(items))
    return f'<ul class="qg-list">{rows}</ul>'


def cloze_text(prompt: str) -> tuple[str, int]:
    """[[blank]] markers -> {{c1::blank}}, {{c2::...}}; returns the text and the
    number of blanks. Braces and colons from the bank are written as character
    references so they can never be read as cloze syntax."""
    count = 0

    def safe(value: str) -> str:
        return text(value).replace("{", "&#123;").replace("}", "&#125;")

    def blank(match) -> str:
        nonlocal count
        count += 1
        return "{{c%d::%s}}" % (count, safe(match.group(1)).replace(":", "&#58;"))

    parts = []
    last = 0
    for match in CLOZE_BLANK.finditer(prompt):
        parts.append(safe(prompt[last : match.start()]))
        parts.append(blank(match))
        last = match.end()
    parts.append(safe(prompt[last:]))
    return "".join(parts), count


def _fields(q: Question) -> tuple[dict[str, str], tuple[int, ...]]:
    """Type-specific fields and the card ordinals they generate."""
    if q.type == "mcq":
        i = q.options.index(q.answer) if q.answer in q.options else -1
        letter = f'<span class="qg-letter">{LETTERS[i]}</span>' if i >= 0 else ""
        return {
            "Prompt": text(q.prompt),
            "Options": _lettered(list(q.options)),
            "Answer": letter + text(q.answer),
        }, (0,)
    if q.type == "true_false":
        return {"Statement": text(q.prompt), "Answer": text(q.answer)}, (0,)
    if q.type == "short_answer":
        return {
            "Prompt": text(q.prompt),
            "Answer": text(q.answer),
            "Also accepted": text("; ".join(q.accept)),
            "Reverse": "y",
        }, (0, 1)
    if q.type == "cloze":
        body, blanks = cloze_text(q.prompt)
        return {"Text": body}, tuple(range(max(blanks, 1)))
    if q.type == "matching":
        lefts = [left for left, _ in q.pairs]
        rights = [right for _, right in q.pairs]
        order = shuffled_order(q.id, "right", len(rights))
        letter_of = {original: LETTERS[shown] for shown, original in enumerate(order)}
        rows = "".join(
            f'<tr><td><span class="qg-letter">{i + 1}</span>{text(left)}</td>'
            f'<td><span class="qg-letter">{letter_of[i]}</span>{text(rights[i])}</td></tr>'
            for i, left in enumerate(lefts)
        )
        return {
            "Prompt": text(q.prompt),
            "Left": _numbered(lefts),
            "Right": _lettered([rights[i] for i in order]),
            "Solution": f"<table>{rows}</table>",
        }, (0,)
    if q.type == "ordering":
        order = shuffled_order(q.id, "items", len(q.items))
        letter_of = {original: LETTERS[shown] for shown, original in enumerate(order)}
        rows = "".join(
            f'<li><span class="qg-letter">{letter_of[i]}</span>{text(item)}</li>' for i, item in enumerate(q.items)
        )
        return {
            "Prompt": text(q.prompt),
            "Items": _lettered([q.items[i] for i in order]),
            "Solution": f"<ol>{rows}</ol>",
        }, (0,)
    raise ValueError(f"question {q.id}: expected one of {', '.join(NOTE_TYPES)}, got type {q.type!r}")


_TAGS: dict[tuple[str, str], str] = {}


def _tag(prefix: str, value: str) -> str:
    # Memoised: a bank repeats a handful of topics, types and sources thousands of times.
    key = (prefix, value)
    tag = _TAGS.get(key)
    if tag is None:
        tag = _TAGS[key] = prefix + "-".join(value.split())  # Anki splits tags on whitespace
    return tag


def tags_for(q: Question) -> tuple[str, ...]:
    tags = [
        _tag("quizgen::topic::", q.topic),
        _tag("quizgen::type::", q.type),
        _tag("quizgen::difficulty::", q.difficulty),
    ]
    tags.extend(_tag("quizgen::source::", c.source) for c in q.citations)
    tags.extend(_tag("", t) for t in q.tags)
    unique = dict.fromkeys(tags)
    unique.pop("", None)
    return tuple(unique)


def note_content(q: Question, sources_html: SourcesHtml) -> NoteContent:
    values, ords = _fields(q)
    spec = NOTE_TYPES[q.type]
    values["Explanation"] = text(q.explanation)
    values["Sources"] = sources_html(q)
    values["Question ID"] = text(q.id)
    fields = tuple([values.get(name, "") for name in spec.fields])
    tags = tags_for(q)
    digest = hashlib.sha256(
        "\x1e".join((spec.key, *fields, " ".join(tags))).encode("utf-8")
    ).hexdigest()[:16]
    return NoteContent(q.id, spec.key, q.topic, fields, tags, ords, digest)
