"""The bank as Moodle GIFT text: one question per item, titled ``::<id>::``.

Every text is HTML (each stem starts ``[html]``) so a bank's ``<`` or ``&`` shows
literally in Moodle, then GIFT-escaped (``~ = # { } :`` and backslash, newlines
as ``\\n``). Short-answer keys and matching right-hand sides are compared or
listed as plain text by Moodle, so they are GIFT-escaped only.

GIFT has one answer block per question, so:
  * a cloze with one blank is a missing-word short answer in place;
  * a cloze with several blanks is a matching question "blank N -> answer"
    (the student picks each gap's answer from the list of all gaps' answers);
  * ordering is a matching question "item -> position".
See docs/exports.md, "GIFT".
"""

from __future__ import annotations

import html

from quizgen.model import CLOZE_BLANK, Bank, Question
from quizgen.render import RenderOptions
from quizgen.render.feedback import feedback_lines
from quizgen.render.fragments import pieces

SUFFIX = ".gift"

_SPECIAL = "~=#{}:"


def escape(value: str) -> str:
    """GIFT-escape plain text: backslash first, then the six specials, then newlines."""
    out = value.replace("\\", "\\\\")
    for ch in _SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def key(value: str) -> str:
    """Plain text Moodle compares or lists as typed (short-answer keys, matching
    answers): GIFT-escaped only. GIFT has no escape for ``->``, which would turn
    the question into a matching one, so that one sequence is written ``-&gt;``."""
    return escape(value).replace("->", "-&gt;")


def rich(value: str) -> str:
    """Text Moodle shows as HTML: entity-escape, then GIFT-escape.
    ``->`` never survives (``>`` becomes ``&gt;``), so matching sides stay split."""
    return escape(html.escape(value, quote=False))


def feedback(q: Question, bank: Bank) -> str:
    """The general feedback: explanation, support status, every citation with its source."""
    return "<br>".join(rich(p) for p in feedback_lines(q, bank))


def _positions(n: int) -> list[str]:
    return [str(i + 1) for i in range(n)]


def question(q: Question, bank: Bank) -> str:
    head = f"::{escape(q.id)}::[html]"
    fb = "####" + feedback(q, bank)
    if q.type == "true_false":
        return f"{head}{rich(q.prompt)} {{{'T' if q.answer == 'True' else 'F'}{fb}}}"
    if q.type == "mcq":
        choices = "\n".join(("=" if o == q.answer else "~") + rich(o) for o in q.options)
        return f"{head}{rich(q.prompt)} {{\n{choices}\n{fb}\n}}"
    if q.type == "short_answer":
        keys = " ".join("=" + key(a) for a in dict.fromkeys((q.answer, *q.accept)))
        return f"{head}{rich(q.prompt)} {{{keys}{fb}}}"
    if q.type == "cloze" and len(q.cloze_blanks) == 1:
        before, answer, after = CLOZE_BLANK.split(q.prompt)
        return f"{head}{rich(before)}{{={key(answer)}{fb}}}{rich(after)}"
    if q.type == "cloze":
        n = iter(range(1, 1000))
        stem = CLOZE_BLANK.sub(lambda m: f"[{next(n)}] _____", q.prompt)
        pairs = [(f"[{i + 1}]", b) for i, b in enumerate(q.cloze_blanks)]
    elif q.type == "matching":
        stem, pairs = q.prompt, list(q.pairs)
    elif q.type == "ordering":
        stem = q.prompt + "\n(1 = first)"
        pairs = list(zip(q.items, _positions(len(q.items))))
    else:  # a type this exporter does not know: fail loudly, never silently drop
        raise ValueError(f"{q.id}: no GIFT form for type {q.type!r}")
    body = "\n".join(f"={rich(left)} -> {key(right)}" for left, right in pairs)
    return f"{head}{rich(stem)} {{\n{body}\n{fb}\n}}"


def category(bank: Bank, topic: str) -> str:
    # Moodle splits a category path on "/"; "//" is a literal slash in a name.
    def name(s: str) -> str:
        return " ".join(s.split()).replace("/", "//")
    return f"$CATEGORY: $course$/top/{name(bank.config.title)}/{name(bank.config.topic_name(topic))}"


def export(bank: Bank, options: RenderOptions) -> bytes:
    questions = sorted(bank.questions, key=lambda q: bank.config.topic_rank(q.topic))  # stable
    out: list[str] = [f"// {' '.join((options.deck_name or bank.config.deck).split())}: "
                      f"{len(questions)} questions, exported by quizgen"]
    topic = None
    for q, piece in zip(questions, pieces("gift", questions, lambda q: question(q, bank))):
        if q.topic != topic:
            topic = q.topic
            out.append(category(bank, topic))
        out.append(piece)
    return ("\n\n".join(out) + "\n").encode("utf-8")
