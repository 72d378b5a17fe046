"""The source registry checked against the corpus: file hashes and verbatim
quotes. A quote matches when it equals a span of the article after folding
whitespace and typographic quotes and dashes, and nothing else."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from quizgen.errors import Diagnostic
from quizgen.model import Bank, Citation

_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})
_SPACE = re.compile(r"\s+")  # \s covers no-break and other Unicode spaces


def normalize(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHY)).strip()


@dataclass(frozen=True, slots=True)
class Coverage:
    source_id: str
    file: str
    curated: int
    generated: int
    facts: int


@dataclass(frozen=True, slots=True)
class VerifyReport:
    diagnostics: tuple[Diagnostic, ...]
    coverage: tuple[Coverage, ...]
    quotes_checked: int


def resolve_in(corpus: Path, name: str) -> Path | None:
    """The corpus file for a registry name, or None if it would leave the corpus."""
    base = corpus.resolve()
    path = (base / name).resolve()
    return path if path.parent == base else None


def verify(bank: Bank, corpus: Path) -> VerifyReport:
    diagnostics: list[Diagnostic] = []
    texts: dict[str, str] = {}
    for s in bank.sources:
        path = resolve_in(corpus, s.file)
        if path is None or not path.is_file():
            diagnostics.append(Diagnostic(s.loc, f"expected corpus file '{s.file}' in {corpus}, found none",
                                          path="file"))
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != s.sha256:
            diagnostics.append(Diagnostic(s.loc, f"expected sha256 {s.sha256} for '{s.file}', found {digest}",
                                          path="sha256"))
            continue
        texts[s.id] = normalize(data.decode("utf-8"))

    owners = _citation_owners(bank)
    citing: dict[tuple[str, str], set[str]] = {}
    for cit, kind, ident in owners:
        citing.setdefault((cit.source, kind), set()).add(ident)
        text = texts.get(cit.source)
        if text is None:
            continue  # the file problem is already reported once
        if normalize(cit.quote) not in text:
            what = "fact" if kind == "facts" else "question"
            diagnostics.append(Diagnostic(
                cit.loc, f"{what} '{ident}': expected the quote in {cit.source}, "
                         f"found no match for \"{cit.quote}\"", path="quote"))

    coverage = tuple(
        Coverage(s.id, s.file, *(len(citing.get((s.id, k), ())) for k in ("curated", "generated", "facts")))
        for s in bank.sources)
    return VerifyReport(tuple(diagnostics), coverage, len(owners))


def _citation_owners(bank: Bank) -> list[tuple[Citation, str, str]]:
    """Each citation with what cites it: (citation, 'curated'|'generated'|'facts', id)."""
    owners = [(c, q.origin, q.id) for q in bank.questions for c in q.citations]
    for fact in bank.extras.get("facts", ()) or ():  # type: ignore[union-attr]
        owners.extend((c, "facts", fact.id) for c in fact.citations)
    return owners
