"""The Anki renderer: the whole bank as one .apkg, a subdeck per topic.

    render(bank, stage, options) -> [<out>/<deck slug>.apkg, (<bank>/anki-lock.json)], staged

Imports of the same deck update notes in place: note GUIDs come from question
ids, deck and note-type ids from names (quizgen.ids), and the lock file beside
the bank (anki_lock) gives every changed note a newer mod time and every
unchanged one its old mod time. See docs/anki.md.

This module and its anki_* helpers are the only ones that import genanki.
"""

from __future__ import annotations

import os
import tempfile
import time
import warnings
from pathlib import Path

from quizgen.errors import Diagnostic, Loc, QuizgenError
from quizgen.gcpause import paused_gc
from quizgen.ids import deck_id, deck_slug, note_guid  # noqa: F401  (deck_slug re-exported)
from quizgen.model import Bank, Source
from quizgen.render import RenderOptions, staged
from quizgen.render.anki.lock import (LOCK_NAME, NoteState, Plan, Planner, dump_lock, guid_key,  # noqa: F401
                                      load_lock, plan, question_of, read_lock)
from quizgen.bank.balance import balance
from quizgen.render.anki.notes import (NoteContent, SourcesHtml, note_and_flds, note_content,  # noqa: F401
                                       reversible, tag_names, text)
from quizgen.render.anki.notetypes import NOTE_TYPES
from quizgen.staging import Output, Stage

PROGRESS_EVERY = 1000  # questions between progress messages, for big builds only
RETIRED_TAG = "quizgen::retired"


class NoteTypeChangedWarning(UserWarning):
    """Raised through warnings.warn when the caller gave no options.warn."""


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
    lock_missing = not lock_path.exists()
    previous, lock_canonical = load_lock(lock_path)

    sources_html = SourcesHtml({s.id: s for s in bank.sources})
    total = len(bank.questions)
    # What the package's head (decks, note types) needs is known from the
    # questions alone, so each note can be written as soon as it is made.
    counts: dict[str, int] = {}
    kinds = {s.kind for qid, s in previous.notes.items() if s.kind in NOTE_TYPES}
    for q in bank.questions:
        counts[q.topic] = counts.get(q.topic, 0) + 1
        kinds.add(NOTE_TYPES[q.type].key)
    used_types = [spec for spec in NOTE_TYPES.values() if spec.key in kinds]
    planner = Planner(previous, used_types, timestamp, lock_path,
                      fresh=fresh_time(timestamp), lock_missing=lock_missing)
    # Every note streams through: made, planned, written, dropped.
    rows = _NoteRows(bank, parent, counts, used_types, planner, sources_html, progress)
    from quizgen.render.anki.package import write_package  # genanki: imported only when writing

    # The database is built in the stage's own folder: a scratch file that goes with the stage.
    with stage.open(stage.path(f"{deck_slug(parent)}.apkg")) as fh, \
            tempfile.TemporaryDirectory(prefix="anki-", dir=stage.folder) as scratch, paused_gc():
        write_package(fh, rows.decks, rows.note_types, rows, timestamp, scratch)
    written = [stage.outputs[-1]]
    build = rows.build
    for warning in build.warnings:
        _warn(options, warning)
    if build.newly_retired:
        _warn(options, retired_warning(build.newly_retired, lock_path))

    # Staged like the deck, and renamed into place after it: the lock must never
    # record mod times of a deck that was not written. Unchanged: not staged at all.
    # A lock read as dump_lock writes it and planned to the same lock is the
    # file as it is: no need to write it out again to see that.
    if not lock_canonical or build.lock != previous:
        lock_bytes = dump_lock(build.lock)
        if not lock_path.exists() or lock_path.read_bytes() != lock_bytes:
            written.append(stage.write(lock_path, lock_bytes))

    if progress:
        progress(
            f"anki: {total} notes ({build.new} new, {build.changed} changed, "
            f"{build.unchanged} unchanged{f', {len(build.retired)} retired' if build.retired else ''}), "
            f"{rows.cards} cards in {len(counts)} topic decks; "
            f"{balance(bank.questions).summary()}"
        )
    return written


class _NoteRows:
    """The deck's notes, one NoteRow at a time as the writer asks for them, then
    the retired stubs; once iterated, ``build`` is the whole plan."""

    def __init__(self, bank: Bank, parent: str, counts: dict[str, int], used_types, planner: Planner,
                 sources_html: SourcesHtml, progress):
        # Everything genanki touches is imported here, so loading this module (e.g. to
        # list renderers) stays cheap.
        from quizgen.render.anki.package import NoteType, StableDeck

        self.bank, self.planner, self.sources_html, self.progress = bank, planner, sources_html, progress
        timestamp = planner.timestamp
        self.decks = [StableDeck(parent, _describe_bank(bank, len(bank.questions)), timestamp)]
        for topic in sorted(counts, key=bank.config.topic_rank):
            self.decks.append(
                StableDeck(
                    f"{parent}::{topic_title(bank, topic)}",
                    f"<p>{counts[topic]} questions: {text(topic_title(bank, topic))}.</p>",
                    timestamp,
                )
            )
        self.topic_deck = {topic: deck_id(f"{parent}::{topic_title(bank, topic)}") for topic in counts}
        self.note_types = [NoteType(spec, planner.note_type_mods[spec.key]) for spec in used_types]
        self.type_ids = {t.key: t.id for t in used_types}  # NoteTypeSpec.id hashes on every call
        self.cards = 0
        self.build: Plan | None = None

    def __iter__(self):
        from quizgen.render.anki.package import NoteRow

        bank, planner, type_ids, topic_deck = self.bank, self.planner, self.type_ids, self.topic_deck
        namespace = bank.config.id_namespace
        reverse = reversible(bank.questions)
        names = tag_names(bank.questions)
        labels = {s: bank.config.label(f"support_{s}") for s in ("inferred", "outside")}
        total, progress = len(bank.questions), self.progress
        tags_cache: dict = {}
        new_row = tuple.__new__
        for i, question in enumerate(bank.questions, start=1):
            c, flds = note_and_flds(question, self.sources_html, reverse=question.id in reverse,
                                    tag_names=names, labels=labels, tags_cache=tags_cache)
            state = planner.add(c)
            self.cards += len(c.card_ords)
            # guid, note type, deck, mod, id, fields, tags, card ords, suspended, flds: a NoteRow
            # made as the tuple it is (NamedTuple's own __new__ is a Python call, one per question)
            yield new_row(NoteRow, (note_guid(guid_key(c.question_id, state.gen), namespace), type_ids[c.kind],
                                    topic_deck[c.topic], state.mod, state.id, c.fields, c.tags, c.card_ords,
                                    False, flds))
            if progress and total >= 2 * PROGRESS_EVERY and i % PROGRESS_EVERY == 0:
                progress(f"anki: prepared {i}/{total} notes")
        self.build = build = planner.finish()
        for key, state in build.retired:
            if state.kind in type_ids:
                yield NoteRow(
                    guid=note_guid(build.guid_keys[key], namespace),
                    note_type_id=type_ids[state.kind],
                    deck_id=self.decks[0].deck_id,
                    mod=state.mod,
                    id=state.id,
                    fields=retired_fields(question_of(key), state),
                    tags=(RETIRED_TAG,),
                    card_ords=(0,),
                    suspended=True,
                )


def fresh_time(timestamp: int) -> int:
    """The time of this build for what must be newer than anything shipped
    before: new notes' ids (Anki shows them as creation dates) and, when the
    lock is lost, every note's mod time. SOURCE_DATE_EPOCH or a timestamp the
    caller chose is that time; the CLI's fixed default (2000-01-01) is not, so
    then the clock is read. What it gives is recorded in the lock, so the next
    build with the lock is reproducible again."""
    from quizgen.build import DEFAULT_EPOCH

    if os.environ.get("SOURCE_DATE_EPOCH", "").strip() or timestamp != DEFAULT_EPOCH:
        return timestamp
    return max(timestamp, int(time.time()))


def retired_fields(question_id: str, state: NoteState) -> tuple[str, ...]:
    """A stub of a removed question: its first field says so (a cloze one as a
    cloze, or Anki would make no card), the Question ID field keeps the id."""
    spec = NOTE_TYPES[state.kind]
    notice = (f"Retired: the question {text(question_id)} was removed from this deck. "
              f"Delete it: Browse, search tag:{RETIRED_TAG}, select all, Delete.")
    first = "{{c1::Retired}}: " + notice if spec.cloze else notice
    values = {spec.fields[0]: first, "Question ID": text(question_id)}
    return tuple(values.get(name, "") for name in spec.fields)


def retired_warning(question_ids: tuple[str, ...], lock_path: Path) -> Diagnostic:
    shown = ", ".join(question_ids[:10]) + (f" and {len(question_ids) - 10} more" if len(question_ids) > 10 else "")
    n = len(question_ids)
    return Diagnostic(
        Loc(str(lock_path)),
        f"{n} question{'s' if n != 1 else ''} left the bank since the last build ({shown}). The deck "
        f"ships {'them' if n != 1 else 'it'} as suspended notes tagged {RETIRED_TAG}: after importing, "
        f"users find them all in Anki's browser with tag:{RETIRED_TAG} and delete them in one step.",
        severity="warning",
        path="notes",
    )


def _warn(options: RenderOptions, diagnostic: Diagnostic) -> None:
    if options.warn is not None:
        options.warn(diagnostic)
    else:
        warnings.warn(str(diagnostic), NoteTypeChangedWarning, stacklevel=3)
