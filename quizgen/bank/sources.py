"""The source registry checked against the corpus: file hashes and verbatim
quotes. A quote matches when it equals a span of the article after folding
whitespace and typographic quotes and dashes, and nothing else."""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple

from quizgen.errors import Diagnostic
from quizgen.model import Bank, BankConfig, Citation, Question, Source

_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})
_SPACE = re.compile(r"\s+")  # \s covers no-break and other Unicode spaces
_PUNCTUATION = "\"'.,;:!?()[]{}"


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


def corpus_folder(bank_root: Path | str, config: BankConfig | None, override: Path | None = None) -> Path:
    """Where the articles are: ``override`` (the command line) when given,
    else the config's corpus, relative to the bank."""
    if override is not None:
        return Path(override)
    return Path(bank_root) / (config.corpus if config is not None else BankConfig(title="").corpus)


def resolve_in(corpus: Path, name: str) -> Path | None:
    """The corpus file for a registry name, or None if it would leave the
    corpus (symlinks resolved: a link pointing elsewhere leaves it too)."""
    base = corpus.resolve()
    path = (base / name).resolve()
    return path if path.parent == base else None


def read_article(corpus: Path, source: Source, *, check_hash: bool = True) -> tuple[str | None, Diagnostic | None]:
    """The article's text, or the one diagnostic (at the source record) that
    says why it cannot be checked: missing, outside the corpus, unreadable,
    changed since registration, not UTF-8."""
    def problem(message: str, path: str = "file") -> tuple[None, Diagnostic]:
        return None, Diagnostic(source.loc, message, path=path)

    path = resolve_in(corpus, source.file)
    if path is None:
        return problem(f"expected a file inside the corpus folder {corpus}, found '{source.file}' "
                       "resolving outside it")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return problem(f"expected corpus file '{source.file}' in {corpus}, found none")
    except OSError as exc:
        return problem(f"expected a readable corpus file '{source.file}', found {exc.strerror or exc}")
    if check_hash:
        digest = hashlib.sha256(data).hexdigest()
        if digest != source.sha256:
            return problem(f"expected sha256 {source.sha256} for '{source.file}', found {digest} "
                           "(after a deliberate edit: quizgen rehash)", path="sha256")
    try:
        return data.decode("utf-8-sig"), None  # a byte-order mark is not part of the first word
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return problem(f"expected UTF-8 text in '{source.file}', found undecodable bytes on its line {line}")


def verify(bank: Bank, corpus: Path) -> VerifyReport:
    check = QuoteCheck(bank.sources, corpus)
    check.add(_citation_owners(bank))
    return check.report()


class QuoteCheck:
    """verify() fed its citations a part at a time: validate checks each
    file's quotes as the file comes in and keeps no bank."""

    def __init__(self, sources: Iterable[Source], corpus: Path) -> None:
        self.sources = tuple(sources)
        self.diagnostics: list[Diagnostic] = []
        self.texts: dict[str, str] = {}
        for s in self.sources:
            text, problem = read_article(corpus, s)
            if problem is not None:
                self.diagnostics.append(problem)
            else:
                self.texts[s.id] = normalize(text)  # type: ignore[arg-type]
        self.citing: dict[tuple[str, str], set[str]] = {}
        self.checked = 0

    def add_questions(self, questions: Iterable[Question]) -> None:
        self.absorb(self.part_maker()(questions))

    def add(self, owners: Iterable[tuple[Citation, str, str]]) -> None:
        """(citation, 'curated'|'generated'|'facts', id of what cites it), as _citation_owners gives them."""
        self.absorb(self.part_maker().owners(owners))

    def part_maker(self) -> QuoteLook:
        """The check of a part's quotes with the articles and nothing else
        (load.py runs it where a file's records are, and sends its findings)."""
        return QuoteLook(self.texts)

    def absorb(self, found: QuotesFound) -> None:
        self.checked += found.checked
        for pair, ids in found.citing.items():
            self.citing.setdefault(pair, set()).update(ids)
        self.diagnostics += found.diagnostics

    def report(self) -> VerifyReport:
        coverage = tuple(
            Coverage(s.id, s.file, *(len(self.citing.get((s.id, k), ())) for k in ("curated", "generated", "facts")))
            for s in self.sources)
        return VerifyReport(tuple(self.diagnostics), coverage, self.checked)


class QuotesFound(NamedTuple):
    """What QuoteLook found in a part: how many quotes it checked, the ids
    citing each (source, kind), and a diagnostic for each quote not found."""

    checked: int
    citing: dict[tuple[str, str], set[str]]
    diagnostics: list[Diagnostic]


class QuoteLook:
    """QuoteCheck's look at some citations, given the normalized articles."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def __call__(self, questions: Iterable[Question]) -> QuotesFound:
        return self.owners((c, q.origin, q.id) for q in questions for c in q.citations)

    def owners(self, owners: Iterable[tuple[Citation, str, str]]) -> QuotesFound:
        texts = self.texts
        citing: dict[tuple[str, str], set[str]] = {}
        diagnostics: list[Diagnostic] = []
        checked = 0
        for cit, kind, ident in owners:
            checked += 1
            citing.setdefault((cit.source, kind), set()).add(ident)
            text = texts.get(cit.source)
            if text is None:
                continue  # the file problem is already reported once
            quote = normalize(cit.quote)
            if quote not in text:
                what = "fact" if kind == "facts" else "question"
                diagnostics.append(Diagnostic(
                    cit.loc, f"{what} '{ident}': expected the quote in {cit.source}, "
                             f"found no match for \"{cit.quote}\"{closest_hint(text, quote)}", path="quote"))
        return QuotesFound(checked, citing, diagnostics)


def fact_owners(extras: Mapping[str, object]) -> list[tuple[Citation, str, str]]:
    """The citations of the bank's facts, as _citation_owners gives them."""
    return [(c, "facts", fact.id) for fact in extras.get("facts", ()) or () for c in fact.citations]  # type: ignore[union-attr]


def closest_passage(text: str, quote: str) -> tuple[str, str] | None:
    """The passage of ``text`` (normalized) most like ``quote`` (normalized),
    word for word, and how the two first differ; None when nothing is close.

    Windows of the quote's length are scored with difflib on case-folded
    words; an article is a few hundred words, so this is a few milliseconds,
    and it only runs for a quote that failed."""
    words = text.split(" ")
    qwords = quote.split(" ")
    n = len(qwords)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2([_key(w) for w in qwords])  # difflib caches what it knows of seq2
    folded = [_key(w) for w in words]
    best, best_at = (0.0, False), 0
    for i in range(max(1, len(words) - n + 1)):
        matcher.set_seq1(folded[i:i + n])
        if matcher.real_quick_ratio() < best[0] or matcher.quick_ratio() < best[0]:
            continue
        score = (matcher.ratio(), folded[i] == matcher.b[0])  # ties: the window that starts like the quote
        if score > best:
            best, best_at = score, i
    if best[0] < 0.4:
        return None
    # A little more than the quote's length, so a word the quote leaves out
    # still shows; the passage then ends where the last matching words end.
    window = words[best_at:best_at + n + 3]
    opcodes = difflib.SequenceMatcher(None, [_key(w) for w in window], matcher.b, autojunk=False).get_opcodes()
    end = max((i2 for tag, _i1, i2, _j1, _j2 in opcodes if tag == "equal"), default=len(window))
    passage = " ".join(window[:end])
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            for a, b in zip(window[i1:i2], qwords[j1:j2]):
                if a != b:
                    return passage, f"the quote has '{b}' where the article has '{a}'"
            continue
        if i1 >= end and tag == "delete":
            break
        if tag == "replace":
            return passage, f"the quote has '{qwords[j1]}' where the article has '{window[i1]}'"
        if tag == "delete":
            return passage, f"the article has '{window[i1]}' where the quote has nothing"
        return passage, f"the quote has '{qwords[j1]}' where the article has nothing"
    return passage, "the words agree but not the spacing or punctuation between them"


def _key(word: str) -> str:
    """A word as the search for the closest passage compares it: case and
    surrounding punctuation aside, so "festival." still lines up with "festival"."""
    return word.strip(_PUNCTUATION).casefold() or word


def closest_hint(text: str, quote: str) -> str:
    found = closest_passage(text, quote)
    if found is None:
        return "; no passage of the article is close"
    passage, difference = found
    return f"; closest passage: \"{passage}\"; first difference: {difference}"


def _citation_owners(bank: Bank) -> list[tuple[Citation, str, str]]:
    """Each citation with what cites it: (citation, 'curated'|'generated'|'facts', id)."""
    return [(c, q.origin, q.id) for q in bank.questions for c in q.citations] + fact_owners(bank.extras)
