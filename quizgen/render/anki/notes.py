"""Questions -> note contents: the HTML of each field, the tags and which cards a
note makes. Pure functions, no genanki; every piece of text from the bank is
HTML-escaped here, at the boundary.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import unicodedata
from collections import Counter
from html import escape
from typing import Iterable, Mapping, NamedTuple

from quizgen.bank.balance import option_order
from quizgen.model import CLOZE_BLANK, Question, Source
from quizgen.render.anki.notetypes import COMMON_FIELDS, NOTE_TYPES
from quizgen.render.anki.shown_quote import best_citation

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


# Most bank text has none of the characters either step changes: one scan for
# them is much cheaper than escape()'s replaces and translate()'s lookups.
_MARKUP_CHARS = re.compile(r"[&<>\[\]{}\\\x1f\n]")


def text(value: str) -> str:
    """Bank text as HTML: escaped, Anki's own markup made inert, line breaks kept."""
    if _MARKUP_CHARS.search(value) is None:
        return value
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


# The shown citation's block around its header and quote, as bytes.
_CITE, _QUOTE, _CITE_END = b'<div class="qg-cite">', b'<blockquote class="qg-quote">', b"</blockquote></div>"
MORE_CACHE = 4096  # folded-citation blocks kept: enough for the ones a bank repeats, flat memory at any size


class SourcesHtml:
    """The Sources field of a card: one block per citation. Each source's header
    (outlet, date, headline) is rendered once per build, not once per card."""

    def __init__(self, sources: Mapping[str, Source]):
        self._sources = sources
        self._heads: dict[str, str] = {}
        self._folded: dict = {}  # for best_citation: each source's folded text, once per build
        self._more: dict[tuple, tuple[str, bytes]] = {}  # (shown source, *other citations) -> their folded HTML
        self._heads_utf8: dict[str, bytes] = {}

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
        """One citation shown, the one whose quote states the key; the others
        folded in a <details> element, one block per article."""
        return self.field(question)[0]

    def field(self, question: Question) -> tuple[str, bytes]:
        """The field as __call__ gives it, and its UTF-8 bytes: made from the
        bytes of the parts questions share (the header, the folded quotes),
        each encoded once, so only the shown quote is encoded per question."""
        cites = question.citations
        if not cites:
            return "", b""
        best = best_citation(question, self._sources, self._folded) if len(cites) > 1 else 0
        shown = cites[best]
        head = self._heads.get(shown.source) or self.head(shown.source)
        head_utf8 = self._heads_utf8.get(head)
        if head_utf8 is None:
            head_utf8 = self._heads_utf8[head] = head.encode()
        quote = text(shown.quote)
        html = f'<div class="qg-cite">{head}<blockquote class="qg-quote">{quote}</blockquote></div>'
        if len(cites) == 1:
            return html, b"".join((_CITE, head_utf8, _QUOTE, quote.encode(), _CITE_END))
        # The folded part depends only on the shown source and the other
        # citations, which many questions share (a second, general quote).
        if len(cites) == 2:  # the common case, without the generator
            other = cites[1 - best]
            key = (shown.source, (other.source, other.quote))
        else:
            key = (shown.source, *((c.source, c.quote) for i, c in enumerate(cites) if i != best))
        more = self._more.get(key)
        if more is None:
            if len(self._more) >= MORE_CACHE:
                self._more.clear()
            folded = self._more_html(shown.source, key[1:])
            more = self._more[key] = (folded, folded.encode())
        return html + more[0], b"".join((_CITE, head_utf8, _QUOTE, quote.encode(), _CITE_END, more[1]))

    def _more_html(self, first: str, others: tuple[tuple[str, str], ...]) -> str:
        rest: dict[str, list[str]] = {}
        for source, quote in others:
            if quote not in rest.get(source, []):
                rest.setdefault(source, []).append(quote)
        articles = len(rest)
        quotes = sum(len(q) for q in rest.values())
        summary = f"{quotes} more quote{'s' if quotes != 1 else ''}"
        if articles > 1:
            summary += f" from {articles} articles"
        # The shown article's other quotes come first, without its header again.
        folded = "".join(self._block(sid, quotes, head=sid != first)
                         for sid, quotes in sorted(rest.items(), key=lambda item: item[0] != first))
        return f'<details class="qg-more"><summary>{summary}</summary>{folded}</details>'

    def _block(self, source_id: str, quotes: list[str], head: bool = True) -> str:
        body = "".join(f'<blockquote class="qg-quote">{text(quote)}</blockquote>' for quote in quotes)
        return f'<div class="qg-cite">{self.head(source_id) if head else ""}{body}</div>'


# Option lists repeat across a bank (True/False, a kind's fixed choices, the
# permutations of a few), so each list's HTML is made once; bounded, so memory
# stays flat at any size.
@functools.lru_cache(maxsize=4096)
def _lettered(items: tuple[str, ...]) -> str:
    rows = "".join(
        f'<li><span class="qg-letter">{LETTERS[i]}</span>{text(item)}</li>' for i, item in enumerate(items)
    )
    return f'<ul class="qg-list">{rows}</ul>'


@functools.lru_cache(maxsize=4096)
def _numbered(items: tuple[str, ...]) -> str:
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


def _fields(q: Question, reverse: bool = False) -> tuple[dict[str, str], tuple[int, ...]]:
    """Type-specific fields by name and the card ordinals they generate."""
    values, ords = _own_fields(q, reverse)
    return dict(zip(OWN_FIELDS[q.type], values)), ords


def _own_fields(q: Question, reverse: bool = False) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Type-specific fields, in the note type's order (OWN_FIELDS), and the
    card ordinals they generate. A tuple, not a dict by name: note_content
    puts the common fields in at COMMON_AT, once per question."""
    kind = q.type
    if kind == "mcq":
        # Printed in the order balance.option_order gives, so the keys spread over
        # the letters; validate's skew warning judges exactly these letters.
        order = option_order(q.id, q.options)
        i = order.index(q.options.index(q.answer)) if q.answer in q.options else -1
        letter = f'<span class="qg-letter">{LETTERS[i]}</span>' if i >= 0 else ""
        return (text(q.prompt), _lettered(tuple([q.options[j] for j in order])), letter + text(q.answer)), (0,)
    if kind == "true_false":
        return (text(q.prompt), text(q.answer)), (0,)
    if kind == "short_answer":
        return ((text(q.prompt), text(q.answer), text("; ".join(q.accept)), "y" if reverse else ""),
                (0, 1) if reverse else (0,))
    if kind == "cloze":
        body, blanks = cloze_text(q.prompt)
        return (body,), tuple(range(max(blanks, 1)))
    if kind == "matching":
        # spare options (matching nothing) sit in the right column like the
        # others; the solution lists them last against a dash (no left item)
        rights = (*(right for _, right in q.pairs), *q.spares)
        left, right, solution = _matching_html(tuple([left for left, _ in q.pairs]), rights,
                                               tuple(shuffled_order(q.id, "right", len(rights))))
        return (text(q.prompt), left, right, solution), (0,)
    if kind == "ordering":
        items, solution = _ordering_html(tuple(q.items), tuple(shuffled_order(q.id, "items", len(q.items))))
        return (text(q.prompt), items, solution), (0,)
    raise ValueError(f"question {q.id}: expected one of {', '.join(NOTE_TYPES)}, got type {q.type!r}")


# Each note type's fields are its own (what _own_fields gives, in this order)
# around the common ones, which sit together from COMMON_AT on.
OWN_FIELDS = {kind: tuple(f for f in spec.fields if f not in COMMON_FIELDS) for kind, spec in NOTE_TYPES.items()}
COMMON_AT = {kind: spec.fields.index(COMMON_FIELDS[0]) for kind, spec in NOTE_TYPES.items()}
for _kind, _spec in NOTE_TYPES.items():
    _at = COMMON_AT[_kind]
    if _spec.fields != (*OWN_FIELDS[_kind][:_at], *COMMON_FIELDS, *OWN_FIELDS[_kind][_at:]):
        raise AssertionError(f"note type {_kind}: the common fields {COMMON_FIELDS} must sit together")
del _kind, _spec, _at


# The same pairs or items in the same shuffle give the same HTML: a bank's few
# orders of a list repeat across its questions (bounded, like _lettered).
@functools.lru_cache(maxsize=4096)
def _matching_html(lefts: tuple[str, ...], rights: tuple[str, ...], order: tuple[int, ...]) -> tuple[str, str, str]:
    letter_of = {original: LETTERS[shown] for shown, original in enumerate(order)}
    rows = "".join(
        f'<tr><td><span class="qg-letter">{i + 1}</span>{text(left)}</td>'
        f'<td><span class="qg-letter">{letter_of[i]}</span>{text(rights[i])}</td></tr>'
        for i, left in enumerate(lefts)
    ) + "".join(
        f'<tr><td>\u2014</td><td><span class="qg-letter">{letter_of[i]}</span>{text(rights[i])}</td></tr>'
        for i in range(len(lefts), len(rights))
    )
    return _numbered(lefts), _lettered(tuple([rights[i] for i in order])), f"<table>{rows}</table>"


@functools.lru_cache(maxsize=4096)
def _ordering_html(items: tuple[str, ...], order: tuple[int, ...]) -> tuple[str, str]:
    letter_of = {original: LETTERS[shown] for shown, original in enumerate(order)}
    rows = "".join(
        f'<li><span class="qg-letter">{letter_of[i]}</span>{text(item)}</li>' for i, item in enumerate(items)
    )
    return _lettered(tuple([items[i] for i in order])), f"<ol>{rows}</ol>"


# -- which short answers get a reverse card ------------------------------------

_NUMBERISH = re.compile(r"^[\W\d_]*$")
_NUMBER_WORDS = frozenset("""zero one two three four five six seven eight nine ten eleven twelve twenty thirty
    forty fifty sixty seventy eighty ninety hundred thousand million first second third fourth fifth""".split())
_MONTHS = frozenset("""january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec""".split())


_WORDS = re.compile(r"\w+")


@functools.lru_cache(maxsize=16384)  # options and answers repeat across a bank
def _answer_key(answer: str) -> str:
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", answer).casefold()))


def informative(answer: str) -> bool:
    """An answer a learner can take as a cue on its own: two words or more, not
    a number, count or date ("four", "1066", "20 March 2017")."""
    words = _answer_key(answer).split()
    if len(words) < 2:
        return False
    return not all(_NUMBERISH.match(w) or w in _NUMBER_WORDS or w in _MONTHS for w in words)


def reversible(questions: Iterable[Question]) -> frozenset[str]:
    """Ids of the short answers whose answer -> question card can be answered:
    the answer is informative and no other note in the deck has it as an
    answer, accepted form, option or matching side."""
    questions = list(questions)
    keys_of: dict[tuple, set[str]] = {}  # questions share their cues (options, True/False): keyed once each
    cue_keys = []  # each question's set of keys (shared sets), counted in one pass at the end
    for q in questions:
        signature = (q.answer, q.accept, q.options, q.pairs)
        keys = keys_of.get(signature)
        if keys is None:
            if len(keys_of) >= 4096:  # bounded, so memory stays flat at any size
                keys_of.clear()
            cues = {q.answer, *q.accept, *q.options, *(r for _, r in q.pairs), *(l for l, _ in q.pairs)}
            keys = keys_of[signature] = {_answer_key(c) for c in cues if c}
        cue_keys.append(keys)
    seen = Counter(itertools.chain.from_iterable(cue_keys))
    del cue_keys
    out = set()
    for q in questions:
        if q.type != "short_answer" or not informative(q.answer):
            continue
        if all(seen[_answer_key(c)] == 1 for c in (q.answer, *q.accept)):
            out.add(q.id)
    return frozenset(out)


# -- tags: one tree under quizgen:: ----------------------------------------------

_TAGS: dict[tuple[str, str], str] = {}
_DIGITS = {w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}


def _tag(prefix: str, value: str) -> str:
    # Memoised: a bank repeats a handful of topics, types and sources thousands of times.
    key = (prefix, value)
    tag = _TAGS.get(key)
    if tag is None:
        tag = _TAGS[key] = prefix + tag_word(value)
    return tag


@functools.lru_cache(maxsize=4096)  # a bank repeats a few hundred tags thousands of times
def tag_word(value: str) -> str:
    """A tag's last part: NFKC, lower case, words joined by hyphens (Anki splits
    tags on whitespace, and "::" inside a value would make a level)."""
    words = _WORDS.findall(unicodedata.normalize("NFKC", value).casefold())
    return "-".join(words) or "-"


@functools.lru_cache(maxsize=4096)  # a bank repeats a few hundred tags thousands of times
def _near_key(value: str) -> str:
    # "Meetings", "meeting", "two-plus-two" and "2plus2" meet here.
    words = [_DIGITS.get(w, w) for w in re.findall(r"[^\W_]+", tag_word(value))]
    key = "".join(words)
    for ending in ("s", "ing", "e"):  # "names", "naming" and "name" meet too
        if len(key) > len(ending) + 2 and key.endswith(ending):
            key = key[: -len(ending)]
    return key


def tag_names(questions: Iterable[Question]) -> dict[str, str]:
    """Each free tag of the bank -> the one spelling the deck uses for it:
    near-duplicates ("meeting" and "meetings") share the most used spelling
    (then the shortest, then the first in sort order)."""
    # Counted as written first, in one pass; then each distinct tag is spelt once.
    raw = Counter(itertools.chain.from_iterable(q.tags for q in questions))
    uses: Counter = Counter()
    for t, n in raw.items():
        uses[tag_word(t)] += n
    groups: dict[str, set[str]] = {}
    for word in uses:
        groups.setdefault(_near_key(word), set()).add(word)
    best = {key: min(words, key=lambda w: (-uses[w], len(w), w)) for key, words in groups.items()}
    return {t: best[_near_key(tag_word(t))] for t in raw}


def tags_for(q: Question, names: Mapping[str, str] | None = None, cache: dict | None = None) -> tuple[str, ...]:
    """The note's tags. ``cache``: kept by the caller for one ``names``; the
    tags depend only on the parts of the question in its key."""
    if cache is None:
        return _tags_for(q, names)
    key = (q.topic, q.type, q.difficulty, q.support.status, q.tags, *[c.source for c in q.citations])
    tags = cache.get(key)
    if tags is None:
        if len(cache) >= TAGS_CACHE:
            cache.clear()
        tags = cache[key] = _tags_for(q, names)
    return tags


TAGS_CACHE = 4096


def _tags_for(q: Question, names: Mapping[str, str] | None) -> tuple[str, ...]:
    tags = [
        _tag("quizgen::topic::", q.topic),
        _tag("quizgen::type::", q.type),
        _tag("quizgen::difficulty::", q.difficulty),
    ]
    tags.extend(_tag("quizgen::source::", c.source) for c in q.citations)
    if q.support.status != "quoted":
        tags.append(_tag("quizgen::support::", q.support.status))
    said = (_near_key(q.topic), _near_key(q.type))
    for t in q.tags:
        name = (names or {}).get(t) or tag_word(t)
        if _near_key(name) not in said:  # the topic's or type's own tag already says it
            tags.append(_tag("quizgen::tag::", name))
    return tuple(dict.fromkeys(tags))


def support_html(q: Question, labels: Mapping[str, str]) -> str:
    if q.support.status == "quoted":
        return ""
    label = labels.get(q.support.status, q.support.status)
    reason = f" {text(q.support.reason)}" if q.support.reason else ""
    return f'<div class="qg-support"><span class="qg-support-label">{text(label)}:</span>{reason}</div>'


def note_content(q: Question, sources_html: SourcesHtml, *, reverse: bool = False,
                 tag_names: Mapping[str, str] | None = None,
                 labels: Mapping[str, str] | None = None, tags_cache: dict | None = None) -> NoteContent:
    return note_and_flds(q, sources_html, reverse=reverse, tag_names=tag_names, labels=labels,
                         tags_cache=tags_cache)[0]


def note_and_flds(q: Question, sources_html: SourcesHtml, *, reverse: bool = False,
                  tag_names: Mapping[str, str] | None = None,
                  labels: Mapping[str, str] | None = None,
                  tags_cache: dict | None = None) -> tuple[NoteContent, bytes]:
    """note_content() and the note's fields as the database stores them (UTF-8,
    joined by U+001F): the writer takes these bytes as they are, so the fields
    are joined and encoded once per note, not once for the hash and again for
    the database."""
    own, ords = _own_fields(q, reverse)
    kind = q.type
    spec = NOTE_TYPES[kind]
    # The support reason rides in the Explanation field: a field of its own
    # would change every note type's schema (see notetypes.py).
    explanation = text(q.explanation)
    if q.support.status != "quoted":
        explanation += support_html(q, labels or {})
    sources, sources_utf8 = sources_html.field(q)
    qid = text(q.id)
    at = COMMON_AT[kind]
    # Each field encoded once, for the hash (joined by U+001E, between the note
    # type and the tags) and for the database (joined by U+001F). Joining
    # bytes copies them; joining the strs would first widen the ASCII ones to
    # the width of the widest, then encode them all again. The Sources field
    # comes with its bytes (SourcesHtml.field).
    common = (explanation.encode(), sources_utf8, qid.encode())  # COMMON_FIELDS
    if at == len(own):
        fields = (*own, explanation, sources, qid)
        encoded = [*[f.encode() for f in own], *common]
    else:
        fields = (*own[:at], explanation, sources, qid, *own[at:])
        encoded = [*[f.encode() for f in own[:at]], *common, *[f.encode() for f in own[at:]]]
    tags = tags_for(q, tag_names, tags_cache)
    digest = hashlib.sha256(
        b"\x1e".join([spec.key.encode("utf-8"), *encoded, " ".join(tags).encode("utf-8")])
    ).hexdigest()[:16]
    flds = b"\x1f".join(encoded)
    return NoteContent(q.id, spec.key, q.topic, fields, tags, ords, digest), flds
