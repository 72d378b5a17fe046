"""The Anki renderer: the whole bank as one .apkg, a subdeck per topic.

    render(bank, stage, options) -> [<out>/<deck slug>.apkg, (<bank>/anki-lock.json)], staged

Imports of the same deck update notes in place: note GUIDs come from question
ids, deck and note-type ids from names (quizgen.ids), and the lock file beside
the bank (anki_lock) gives every changed note a newer mod time and every
unchanged one its old mod time. See docs/anki.md.

This module and its anki_* helpers are the only ones that import genanki.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from pathlib import Path

from quizgen.errors import Diagnostic, QuizgenError
from quizgen.ids import deck_id, note_guid
from quizgen.model import Bank, Source
from quizgen.render import RenderOptions, staged
from quizgen.render.anki.lock import LOCK_NAME, Plan, dump_lock, plan, read_lock
from quizgen.bank.balance import balance
from quizgen.render.anki.notes import NoteContent, SourcesHtml, note_content, reversible, tag_names, text
from quizgen.render.anki.notetypes import NOTE_TYPES
from quizgen.staging import Output, Stage

PROGRESS_EVERY = 1000  # questions between progress messages, for big builds only


class NoteTypeChangedWarning(UserWarning):
    """Raised through warnings.warn when the caller gave no options.warn."""


def deck_slug(name: str) -> str:
    """A file name for the deck: lower case, words joined by hyphens; letters
    outside ASCII (Cyrillic, Japanese) are kept."""
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", name).casefold())
    return "-".join(words) or "deck"


def topic_title(bank: Bank, topic: str) -> str:
    """The subdeck of a topic: its display name from the bank config. Deck ids
    come from names, so renaming a topic there makes a new subdeck in Anki."""
    return bank.config.topic_name(topic).replace("::", ":") or "Other"


def _describe_bank(bank: Bank, count: int) -> str:
    sources = "".join(f"<li>{_describe_source(s)}</li>" for s in bank.sources)
    about = f"<p>{text(bank.config.deck_description)}</p>" if bank.config.deck_description else ""
    return (
        f"{about}<p>{count} questions compiled by quizgen from {len(bank.sources)} "
        f"source{'s' if len(bank.sources) != 1 else ''}. Every answer cites a verbatim quote from its source.</p>"
        f"<ul>{sources}</ul>"
        "<p>Re-importing a newer build updates these notes in place; keep Anki's "
        "“Update notes” import option at “If newer”.</p>"
    )


def _describe_source(source: Source) -> str:
    return f"{text(source.outlet_label)}, {text(source.date_label)}: <i>{text(source.headline)}</i>"


def _check_unique_ids(bank: Bank) -> None:
    seen: set[str] = set()
    problems = []
    for q in bank.questions:
        if q.id in seen:
            problems.append(Diagnostic(q.loc, f"expected unique question ids, found '{q.id}' twice", path="id"))
        seen.add(q.id)
    if problems:
        # Two notes with one GUID would overwrite each other in Anki.
        raise QuizgenError(problems)


@staged
def render(bank: Bank, stage: Stage, options: RenderOptions) -> list[Output]:
    progress = options.progress
    _check_unique_ids(bank)
    parent = options.deck_name or bank.config.deck
    timestamp = int(options.timestamp)
    lock_path = Path(bank.root) / LOCK_NAME
    previous = read_lock(lock_path)

    sources_html = SourcesHtml({s.id: s for s in bank.sources})
    total = len(bank.questions)
    reverse = reversible(bank.questions)
    names = tag_names(bank.questions)
    labels = {s: bank.config.label(f"support_{s}") for s in ("inferred", "outside")}
    contents: list[NoteContent] = []
    for i, question in enumerate(bank.questions, start=1):
        contents.append(note_content(question, sources_html, reverse=question.id in reverse,
                                     tag_names=names, labels=labels))
        if progress and total >= 2 * PROGRESS_EVERY and i % PROGRESS_EVERY == 0:
            progress(f"anki: prepared {i}/{total} notes")

    kinds = {c.kind for c in contents}
    used_types = [spec for spec in NOTE_TYPES.values() if spec.key in kinds]
    build = plan(previous, contents, used_types, timestamp, lock_path)
    for warning in build.warnings:
        _warn(options, warning)

    data = _package(bank, parent, contents, used_types, build, timestamp)
    written = [stage.write(stage.path(f"{deck_slug(parent)}.apkg"), data)]
    del data  # a big deck's bytes need not stay in memory once staged

    # Staged like the deck, and renamed into place after it: the lock must never
    # record mod times of a deck that was not written. Unchanged: not staged at all.
    lock_bytes = dump_lock(build.lock)
    if not lock_path.exists() or lock_path.read_bytes() != lock_bytes:
        written.append(stage.write(lock_path, lock_bytes))

    if progress:
        cards = sum(len(c.card_ords) for c in contents)
        topics = len({c.topic for c in contents})
        progress(
            f"anki: {total} notes ({build.new} new, {build.changed} changed, "
            f"{build.unchanged} unchanged), {cards} cards in {topics} topic decks; "
            f"{balance(bank.questions).summary()}"
        )
    return written


def _package(bank, parent, contents, used_types, build: Plan, timestamp: int) -> bytes:
    # Everything genanki touches is imported here, so loading this module (e.g. to
    # list renderers) stays cheap.
    from quizgen.render.anki.package import HermeticPackage, NoteRow, NoteType, StableDeck

    counts: dict[str, int] = {}
    for c in contents:
        counts[c.topic] = counts.get(c.topic, 0) + 1
    decks = [StableDeck(parent, _describe_bank(bank, len(contents)), timestamp)]
    for topic in sorted(counts, key=bank.config.topic_rank):
        decks.append(
            StableDeck(
                f"{parent}::{topic_title(bank, topic)}",
                f"<p>{counts[topic]} questions: {text(topic_title(bank, topic))}.</p>",
                timestamp,
            )
        )
    topic_deck = {topic: deck_id(f"{parent}::{topic_title(bank, topic)}") for topic in counts}
    note_types = [NoteType(spec, build.note_type_mods[spec.key]) for spec in used_types]
    type_ids = {t.key: t.id for t in used_types}  # NoteTypeSpec.id hashes on every call
    rows = (
        NoteRow(
            guid=note_guid(c.question_id, bank.config.id_namespace),
            note_type_id=type_ids[c.kind],
            deck_id=topic_deck[c.topic],
            mod=build.note_mods[c.question_id],
            fields=c.fields,
            tags=c.tags,
            card_ords=c.card_ords,
        )
        for c in contents
    )
    return HermeticPackage(decks, note_types, rows).to_bytes(timestamp)


def _warn(options: RenderOptions, diagnostic: Diagnostic) -> None:
    if options.warn is not None:
        options.warn(diagnostic)
    else:
        warnings.warn(str(diagnostic), NoteTypeChangedWarning, stacklevel=3)
