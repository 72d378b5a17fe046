"""The Anki note types, one per question shape, as plain data: fields, card
templates and the shared stylesheet. anki_package turns them into genanki models.

Field and template *names* are the note type's schema, and the note type's id
derives from them (quizgen.ids.note_type_id): Anki does not update a note type
whose schema changed, so a changed schema is a new note type, and users must
import it with "Merge note types" (the lock file notices and warns). Change
field or template names only on purpose; templates' HTML and the CSS may change
freely.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from quizgen.ids import note_type_id

COMMON_FIELDS = ("Explanation", "Sources", "Question ID")


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    front: str
    back: str


@dataclass(frozen=True, slots=True)
class NoteTypeSpec:
    key: str  # stable: the note-type id derives from it and the schema
    name: str  # shown in Anki; may change without forking the note type
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    cloze: bool = False
    sort_field: int = 0

    @property
    def id(self) -> int:
        return note_type_id(self.key, self.fields, self.template_names)

    @property
    def template_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.templates)

    def fingerprint(self) -> str:
        """Changes whenever anything Anki stores for the note type changes."""
        payload = {
            "name": self.name,
            "fields": self.fields,
            "templates": [[t.name, t.front, t.back] for t in self.templates],
            "cloze": self.cloze,
            "sort_field": self.sort_field,
            "css": CSS,
        }
        blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()[:16]


def _front(kind: str, body: str) -> str:
    return f'<div class="qg qg-front">\n<div class="qg-kind">{kind}</div>\n{body}\n</div>'


# Cloze backs repeat {{cloze:Text}} rather than {{FrontSide}}: the front side of
# a cloze card is the hidden version, and the back must reveal the blank.
# Multiple choice, matching and ordering backs repeat only the prompt, not the
# option lists: the answer then starts within the first screen of a phone (the
# solution restates the items anyway).
_BACK_COMMON = """{{#Explanation}}<div class="qg-explanation">{{Explanation}}</div>{{/Explanation}}
<div class="qg-sources">{{Sources}}</div>
<div class="qg-id">{{Question ID}}</div>
</div>"""


def _back(answer: str, front: str = "{{FrontSide}}") -> str:
    return f'{front}\n<hr id="answer">\n<div class="qg qg-back">\n{answer}\n{_BACK_COMMON}'


_PROMPT = '<div class="qg-prompt">{{Prompt}}</div>'

SHORT_ANSWER = NoteTypeSpec(
    key="short_answer",
    name="quizgen Short answer (and reversed)",
    fields=("Prompt", "Answer", "Also accepted", *COMMON_FIELDS, "Reverse"),
    templates=(
        Template(
            "Question → answer",
            _front("Short answer", _PROMPT),
            _back(
                '<div class="qg-answer">{{Answer}}</div>\n'
                "{{#Also accepted}}<div class=\"qg-accept\">Also accepted: {{Also accepted}}</div>"
                "{{/Also accepted}}"
            ),
        ),
        # Generated only when the Reverse field is filled in.
        Template(
            "Answer → question",
            "{{#Reverse}}"
            + _front("Which question has this answer?", '<div class="qg-prompt">{{Answer}}</div>')
            + "{{/Reverse}}",
            _back(_PROMPT),
        ),
    ),
)

MULTIPLE_CHOICE = NoteTypeSpec(
    key="mcq",
    name="quizgen Multiple choice",
    fields=("Prompt", "Options", "Answer", *COMMON_FIELDS),
    templates=(
        Template(
            "Multiple choice",
            _front("Multiple choice", _PROMPT + "\n{{Options}}"),
            _back('<div class="qg-answer">{{Answer}}</div>', front=_front("Multiple choice", _PROMPT)),
        ),
    ),
)

TRUE_FALSE = NoteTypeSpec(
    key="true_false",
    name="quizgen True or false",
    fields=("Statement", "Answer", *COMMON_FIELDS),
    templates=(
        Template(
            "True or false",
            _front("True or false?", '<div class="qg-prompt">{{Statement}}</div>'),
            _back('<div class="qg-answer">{{Answer}}</div>'),
        ),
    ),
)

CLOZE = NoteTypeSpec(
    key="cloze",
    name="quizgen Cloze",
    fields=("Text", *COMMON_FIELDS),
    cloze=True,
    templates=(
        Template(
            "Cloze",
            _front("Fill in the blank", '<div class="qg-prompt">{{cloze:Text}}</div>'),
            _back(
                "",
                front=_front("Fill in the blank", '<div class="qg-prompt">{{cloze:Text}}</div>'),
            ),
        ),
    ),
)

MATCHING = NoteTypeSpec(
    key="matching",
    name="quizgen Matching",
    fields=("Prompt", "Left", "Right", "Solution", *COMMON_FIELDS),
    templates=(
        Template(
            "Matching",
            _front(
                "Match each item",
                _PROMPT + '\n<div class="qg-columns">\n<div>{{Left}}</div>\n<div>{{Right}}</div>\n</div>',
            ),
            _back('<div class="qg-solution">{{Solution}}</div>', front=_front("Match each item", _PROMPT)),
        ),
    ),
)

ORDERING = NoteTypeSpec(
    key="ordering",
    name="quizgen Ordering",
    fields=("Prompt", "Items", "Solution", *COMMON_FIELDS),
    templates=(
        Template(
            "Ordering",
            _front("Put in order", _PROMPT + "\n{{Items}}"),
            _back('<div class="qg-solution">{{Solution}}</div>', front=_front("Put in order", _PROMPT)),
        ),
    ),
)

# Question type -> note type.
NOTE_TYPES: dict[str, NoteTypeSpec] = {
    "mcq": MULTIPLE_CHOICE,
    "true_false": TRUE_FALSE,
    "short_answer": SHORT_ANSWER,
    "cloze": CLOZE,
    "matching": MATCHING,
    "ordering": ORDERING,
}

# One stylesheet for every note type. Night mode: Anki desktop puts .nightMode on
# the card (and body), AnkiDroid uses .night_mode; both are covered.
CSS = """\
.card {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
    "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Noto Sans CJK JP",
    "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  text-align: left;
  color: #1d1d1f;
  background-color: #fcfcfd;
}
.qg { max-width: 38em; margin: 0 auto; padding: 0 .6em; overflow-wrap: anywhere; }
.qg-kind {
  font-size: .7em; letter-spacing: .08em; text-transform: uppercase;
  color: #6b6b73; margin: .2em 0 .5em;
}
.qg-prompt { font-size: 1.1em; font-weight: 600; }
.qg-list { list-style: none; padding: 0; margin: .8em 0; }
.qg-list li {
  margin: .35em 0; padding: .4em .6em;
  border: 1px solid #d8d8de; border-radius: .5em;
}
.qg-letter { display: inline-block; min-width: 1.7em; font-weight: 700; color: #2f55c4; }
.qg-columns { display: flex; flex-wrap: wrap; gap: 0 1em; }
.qg-columns > div { flex: 1 1 14em; min-width: 0; }
.qg-answer { font-size: 1.1em; font-weight: 700; color: #1b7a3a; margin: .5em 0; }
.qg-accept { color: #55555c; font-size: .9em; }
.qg-solution table { border-collapse: collapse; width: 100%; }
.qg-solution td {
  padding: .3em .4em; border-bottom: 1px solid #e2e2e8; vertical-align: top;
  overflow-wrap: break-word; /* not "anywhere": a column must fit its longest word */
}
.qg-solution ol { padding-left: 1.6em; }
.qg-explanation { margin: .8em 0; }
.qg-cite {
  margin: .8em 0; padding: .5em .8em; font-size: .85em;
  border-left: 4px solid #2f55c4; border-radius: 0 .5em .5em 0;
  background-color: #f1f4fb;
}
.qg-cite-head { color: #55555c; }
.qg-outlet { font-weight: 700; }
.qg-inferred { font-style: italic; }
.qg-headline { font-weight: 600; margin: .15em 0; }
.qg-quote { margin: .3em 0 0; font-style: italic; }
.qg-quote::before { content: "\\201C"; }
.qg-quote::after { content: "\\201D"; }
.qg-support { margin: .5em 0 0; font-size: .9em; color: #55555c; }
.qg-support-label { font-weight: 700; }
.qg-more { margin: .4em 0; font-size: .9em; color: #55555c; }
.qg-more summary { cursor: pointer; padding: .2em 0; }
.qg-more .qg-cite { font-size: .95em; }
.qg-id { margin-top: 1.2em; font-size: .65em; color: #8e8e96; font-family: ui-monospace, monospace; }
.cloze { font-weight: 700; color: #2f55c4; }
hr#answer { border: 0; border-top: 1px solid #d8d8de; margin: 1em 0; }
@media (max-width: 480px) {
  .card { font-size: 18px; }
  .qg { padding: 0 .2em; }
}
.nightMode.card, .night_mode.card, .nightMode .card, .night_mode .card {
  color: #e6e6ea; background-color: #1f1f22;
}
.nightMode .qg-kind, .night_mode .qg-kind,
.nightMode .qg-cite-head, .night_mode .qg-cite-head,
.nightMode .qg-accept, .night_mode .qg-accept,
.nightMode .qg-support, .night_mode .qg-support,
.nightMode .qg-more, .night_mode .qg-more { color: #a9a9b2; }
.nightMode .qg-list li, .night_mode .qg-list li { border-color: #44444c; }
.nightMode .qg-letter, .night_mode .qg-letter,
.nightMode .cloze, .night_mode .cloze { color: #8fa9ff; }
.nightMode .qg-answer, .night_mode .qg-answer { color: #6fd08c; }
.nightMode .qg-cite, .night_mode .qg-cite { background-color: #2a2d38; border-left-color: #8fa9ff; }
.nightMode .qg-solution td, .night_mode .qg-solution td,
.nightMode hr#answer, .night_mode hr#answer { border-color: #44444c; }
"""
