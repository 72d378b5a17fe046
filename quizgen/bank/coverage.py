"""Which sentences of each article the questions cite.

Each article's body is split into sentences (a line without a full stop, such
as a heading, is one sentence). A sentence is *cited* when some question's quote
overlaps it. Page furniture (banners, captions, links, navigation) is left out
through the source's ``exclude`` list in sources.yaml, each entry a verbatim
span with a reason; a line that is the source's headline or outlet is printed
metadata and left out without an entry. Pure: reads the corpus, writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from quizgen.bank.sources import normalize, resolve_in
from quizgen.errors import Diagnostic
from quizgen.model import Bank, Source

# A sentence ends at . ! or ? (and a closing quote) followed by a space and a
# capital or an opening quote; "St. Petersburg" and "J. Smith" stay whole
# because an initial or "St"/"Mr"/"Dr" before the stop is not an ending.
_END = re.compile(r"(?<!\s[A-Z])(?<!\bSt)(?<!\bMr)(?<!\bDr)[.!?][\"'”’]?\s+(?=[A-Z\"“'‘(\[])")


@dataclass(frozen=True, slots=True)
class Sentence:
    number: int  # 1-based within the article body
    text: str
    start: int  # offsets in the article's normalised text
    end: int
    curated: tuple[str, ...] = ()  # ids of curated questions citing it
    generated: tuple[str, ...] = ()

    @property
    def cited(self) -> bool:
        return bool(self.curated or self.generated)


@dataclass(frozen=True, slots=True)
class Left:
    """A part of the article the report leaves out, and why."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class ArticleCoverage:
    source: Source
    sentences: tuple[Sentence, ...]
    excluded: tuple[Left, ...]

    @property
    def cited(self) -> int:
        return sum(s.cited for s in self.sentences)

    @property
    def uncited(self) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if not s.cited)


@dataclass(frozen=True, slots=True)
class CoverageReport:
    articles: tuple[ArticleCoverage, ...]
    diagnostics: tuple[Diagnostic, ...]


def paragraphs(raw: str) -> tuple[str, list[tuple[int, str]]]:
    """The article normalised as quotes are matched (one space between lines),
    and each non-empty line with its offset in that text."""
    parts: list[tuple[int, str]] = []
    pos = 0
    for line in raw.splitlines():
        text = normalize(line)
        if not text:
            continue
        parts.append((pos, text))
        pos += len(text) + 1
    return " ".join(t for _, t in parts), parts


def split_sentences(offset: int, line: str) -> list[tuple[int, int, str]]:
    out = []
    start = 0
    for m in _END.finditer(line):
        end = m.start() + len(m.group(0).rstrip())
        out.append((offset + start, offset + end, line[start:end]))
        start = m.end()
    if start < len(line):
        out.append((offset + start, offset + len(line), line[start:]))
    return out


def _spans(text: str, needle: str, *, whole_words: bool = False) -> list[tuple[int, int]]:
    """Every place of ``needle`` in ``text``; with ``whole_words``, only places
    not inside a word (so an excluded "0" or "Asia" is not found in "2016" or
    "Asia-Pacific"'s neighbours)."""
    found, at = [], text.find(needle)
    while needle and at >= 0:
        end = at + len(needle)
        if not whole_words or ((at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum())):
            found.append((at, end))
        at = text.find(needle, at + 1)
    return found


def article_coverage(bank: Bank, source: Source, raw: str) -> tuple[ArticleCoverage, list[Diagnostic]]:
    text, lines = paragraphs(raw)
    diagnostics: list[Diagnostic] = []
    excluded_spans: list[tuple[int, int]] = []
    left: list[Left] = []
    for ex in source.exclude:
        spans = _spans(text, normalize(ex.text), whole_words=True)
        if not spans:
            diagnostics.append(Diagnostic(ex.loc, f"expected the excluded text in {source.file}, found no match "
                                                  f"for \"{ex.text}\"", path="exclude"))
            continue
        excluded_spans.extend(spans)
        left.append(Left(ex.text, ex.reason))
    metadata = {normalize(source.headline): "headline (in the registry)"}
    if source.outlet:
        metadata[normalize(source.outlet)] = "outlet (in the registry)"

    owners: list[tuple[int, int, str, str]] = []
    for q in bank.questions:
        for c in q.citations:
            if c.source == source.id:
                owners.extend((a, b, q.origin, q.id) for a, b in _spans(text, normalize(c.quote)))

    sentences: list[Sentence] = []
    for offset, line in lines:
        if line in metadata:
            left.append(Left(line, metadata[line]))
            continue
        for start, end, sentence in split_sentences(offset, line):
            if _covered(start, end, excluded_spans):
                continue
            cites = [(origin, qid) for a, b, origin, qid in owners if a < end and start < b]
            sentences.append(Sentence(
                len(sentences) + 1, sentence, start, end,
                tuple(dict.fromkeys(qid for origin, qid in cites if origin != "generated")),
                tuple(dict.fromkeys(qid for origin, qid in cites if origin == "generated"))))
    return ArticleCoverage(source, tuple(sentences), tuple(left)), diagnostics


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """True when excluded spans cover every non-space character of [start, end)."""
    inside = [False] * (end - start)
    for a, b in spans:
        for i in range(max(a, start), min(b, end)):
            inside[i - start] = True
    return all(inside)


def coverage(bank: Bank, corpus: Path) -> CoverageReport:
    articles, diagnostics = [], []
    for s in bank.sources:
        path = resolve_in(corpus, s.file)
        if path is None or not path.is_file():
            diagnostics.append(Diagnostic(s.loc, f"expected corpus file '{s.file}' in {corpus}, found none",
                                          path="file"))
            continue
        article, diags = article_coverage(bank, s, path.read_text(encoding="utf-8"))
        articles.append(article)
        diagnostics.extend(diags)
    return CoverageReport(tuple(articles), tuple(diagnostics))


def corpus_folder(bank: Bank, given: Path | None) -> Path:
    """--corpus when given, else bank.yaml's ``corpus`` relative to the bank."""
    return given if given is not None else Path(bank.root) / bank.config.corpus


# -- the report as text ------------------------------------------------------------

def report_text(report: CoverageReport, *, uncited_only: bool = False) -> str:
    out: list[str] = []
    total = cited = 0
    for a in report.articles:
        n = len(a.sentences)
        total += n
        cited += a.cited
        out.append(f"{a.source.id} ({a.source.file}): {a.cited} of {n} sentences cited, "
                   f"{len(a.excluded)} spans left out")
        for s in a.sentences:
            if uncited_only and s.cited:
                continue
            out.append(f"  {s.number:>2}. {s.text}")
            out.append(f"      {_cited_by(s)}")
        for x in a.excluded:
            out.append(f"  left out ({x.reason}): {x.text}")
        out.append("")
    out.append(f"{cited} of {total} body sentences cited in {len(report.articles)} articles; "
               f"{total - cited} not cited")
    return "\n".join(out) + "\n"


def _cited_by(s: Sentence) -> str:
    if not s.cited:
        return "NOT CITED"
    parts = []
    if s.curated:
        parts.append(", ".join(s.curated))
    if s.generated:
        parts.append(f"{len(s.generated)} generated")
    return "cited by " + "; ".join(parts)
