"""Nodes -> model objects: questions and question sets (sources.yaml records
are sourcefile.py's). Every record is checked field by field and every
problem is collected; cross-file checks (ids, source references) live in load.py."""

from __future__ import annotations

import functools
import re

from yaml.nodes import MappingNode, Node

from quizgen.bank.check import Checker, did_you_mean
from quizgen.errors import Diagnostic, Loc
from quizgen.model import (
    CLOZE_BLANK,
    DIFFICULTIES,
    QUESTION_TYPES,
    QUOTED,
    TRUE_FALSE_OPTIONS,
    SUPPORT_STATUSES,
    Citation,
    Question,
    QuestionSet,
    Support,
    cloze_answer,
    matching_answer,
    ordering_answer,
)

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
MAX_QUOTE_WORDS = 30

COMMON_REQUIRED = ("id", "type", "topic", "tags", "difficulty", "prompt", "explanation", "citations")
COMMON_OPTIONAL = ("origin", "template", "facts", "support", "points")
TYPE_KEYS = {
    "mcq": (("options", "answer"), ()),
    "true_false": (("answer",), ()),
    "short_answer": (("answer",), ("accept",)),
    "cloze": ((), ()),
    "matching": (("pairs",), ("spares",)),
    "ordering": (("items",), ()),
}
ALL_TYPE_KEYS = tuple(dict.fromkeys(k for req, opt in TYPE_KEYS.values() for k in req + opt))


def _slug(c: Checker, node: Node, path: str, pattern: re.Pattern[str], what: str) -> str | None:
    value = c.string(node, path)
    if value is not None and not pattern.match(value):
        c.error(node, path, f"expected {what}, found '{value}'")
        return None
    return value


def citations(c: Checker, node: Node, path: str) -> tuple[Citation, ...] | None:
    items = c.sequence(node, path, min_len=1)
    if items is None:
        return None
    result = []
    for i, item in enumerate(items):
        p = f"{path}[{i}]"
        fields = c.mapping(item, p, required=("source", "quote"))
        if fields is None or len(fields) < 2:
            continue
        source = c.string(fields["source"], f"{p}.source")
        if source is not None and c.source_ids is not None and source not in c.source_ids:
            c.error(fields["source"], f"{p}.source", f"expected a source id from sources.yaml, found "
                                                     f"'{source}'{did_you_mean(source, c.source_ids)}")
            source = None
        quote = c.string(fields["quote"], f"{p}.quote")
        if quote is not None:
            words = len(quote.split())
            if words > MAX_QUOTE_WORDS:
                c.error(fields["quote"], f"{p}.quote",
                        f"expected a quote of at most {MAX_QUOTE_WORDS} words, found {words} words")
                quote = None
        if source is not None and quote is not None:
            # the quote is what verify may reject, so that is where the location points
            result.append(Citation(source, quote, c.loc(fields["quote"])))
    return tuple(result) if len(result) == len(items) else None


# -- questions --------------------------------------------------------------

def question(c: Checker, node: Node, path: str) -> Question | None:
    if not isinstance(node, MappingNode):
        c.expected(node, path, "a question (a mapping)")
        return None
    qtype = _peek_type(c, node, path)
    required, optional = TYPE_KEYS.get(qtype, ((), ALL_TYPE_KEYS))
    fields = c.mapping(node, path, required=COMMON_REQUIRED + required,
                       optional=COMMON_OPTIONAL + optional, unadvertised=_misplaced(qtype))
    if fields is None:
        return None
    for key in _misplaced(qtype):
        if key in fields:
            c.error(fields[key], f"{path}.{key}",
                    f"expected no '{key}' on a {qtype} question, found one")
    ok = qtype is not None and all(k in fields for k in COMMON_REQUIRED + required)
    get = fields.get

    def text(key: str) -> str | None:
        return c.string(fields[key], f"{path}.{key}") if key in fields else None

    qid = _slug(c, fields["id"], f"{path}.id", ID_PATTERN,
                "an id of lower-case letters, digits, '.', '_' or '-'") if "id" in fields else None
    if qid is not None:
        c.ids.append((qid, c.loc(fields["id"])))
    topic = _slug(c, fields["topic"], f"{path}.topic", SLUG_PATTERN,
                  "a topic slug of lower-case letters, digits and '-'") if "topic" in fields else None
    prompt = text("prompt")
    explanation = text("explanation")
    tags = c.strings(fields["tags"], f"{path}.tags") if "tags" in fields else None
    difficulty = c.choice(fields["difficulty"], f"{path}.difficulty", DIFFICULTIES) if "difficulty" in fields else None
    cites = citations(c, fields["citations"], f"{path}.citations") if "citations" in fields else None
    origin = c.choice(get("origin"), f"{path}.origin", ("curated", "generated")) if "origin" in fields else "curated"
    template = text("template")
    facts = c.strings(fields["facts"], f"{path}.facts", min_len=1) if "facts" in fields else ()
    # the one default object: equal to a fresh Support(), and pickled once per file instead of once per question
    support_mark = support_field(c, fields["support"], f"{path}.support") if "support" in fields else QUOTED
    points = c.integer(fields["points"], f"{path}.points", minimum=1) if "points" in fields else None
    if "points" in fields and points is None:
        ok = False
    if origin == "generated" and ("template" not in fields or "facts" not in fields):
        c.error(node, path, "expected 'template' and 'facts' on a generated question, found them missing")
        ok = False
    if tags is not None:
        for i, tag in enumerate(tags):
            if not SLUG_PATTERN.match(tag):
                c.error(fields["tags"].value[i], f"{path}.tags[{i}]",
                        f"expected a tag of lower-case letters, digits and '-', found '{tag}'")

    shape = _shape(c, qtype, fields, path, prompt) if qtype else None
    values = (qid, topic, prompt, explanation, tags, difficulty, cites, origin, facts, shape, support_mark)
    if not ok or any(v is None for v in values):
        return None
    answer, options, accept, pairs, items = shape  # type: ignore[misc]
    q = Question(
        id=qid, type=qtype, topic=topic, prompt=prompt, answer=answer,  # type: ignore[arg-type]
        explanation=explanation, citations=cites, tags=tags,  # type: ignore[arg-type]
        # a matching's spare right-hand options travel in _shape's options slot
        difficulty=difficulty, options=() if qtype == "matching" else options, accept=accept, pairs=pairs,  # type: ignore[arg-type]
        spares=options if qtype == "matching" else (),  # type: ignore[arg-type]
        items=items, origin=origin, template=template, facts=facts,  # type: ignore[arg-type]
        loc=c.loc(node), support=support_mark, points=points,  # type: ignore[arg-type]
    )
    _quality_warnings(c, q, fields, path)
    return q


def support_field(c: Checker, node: Node, path: str) -> Support | None:
    """`support: {status: inferred|outside|quoted, reason: ...}`; whether a
    "quoted" key really is quoted is checked by quizgen/bank/support.py."""
    fields = c.mapping(node, path, required=("status",), optional=("reason",))
    if fields is None or "status" not in fields:
        return None
    status = c.choice(fields["status"], f"{path}.status", SUPPORT_STATUSES)
    reason = c.string(fields["reason"], f"{path}.reason") if "reason" in fields else ""
    if status is None or reason is None:
        return None
    if status != "quoted" and not reason:
        c.error(node, f"{path}.reason", f"expected a reason for students with status '{status}', found none")
        return None
    return Support(status, reason, c.loc(node))


def _peek_type(c: Checker, node: MappingNode, path: str) -> str | None:
    for key, value in node.value:
        if key.value == "type":
            return c.choice(value, f"{path}.type", QUESTION_TYPES)
    return None


@functools.cache
def _misplaced(qtype: str | None) -> tuple[str, ...]:
    """Keys that belong to other question types: reported as misplaced, not unknown."""
    if qtype not in TYPE_KEYS:
        return ()
    own = set(TYPE_KEYS[qtype][0] + TYPE_KEYS[qtype][1])
    return tuple(k for k in ALL_TYPE_KEYS if k not in own)


def _distinct(c: Checker, node: Node, path: str, values: tuple[str, ...], what: str) -> bool:
    seen: dict[str, int] = {}
    ok = True
    for i, v in enumerate(values):
        key = " ".join(v.casefold().split())
        if key in seen:
            c.error(node.value[i], f"{path}[{i}]",
                    f"expected distinct {what}, found '{v}' again (same as item {seen[key] + 1})")
            ok = False
        else:
            seen[key] = i
    return ok


def _shape(c: Checker, qtype: str, fields: dict[str, Node], path: str, prompt: str | None):
    """Type-specific fields -> (answer, options, accept, pairs, items) or None."""
    if qtype == "mcq":
        if "options" not in fields or "answer" not in fields:
            return None
        options = c.strings(fields["options"], f"{path}.options", min_len=2, max_len=6)
        answer = c.string(fields["answer"], f"{path}.answer")
        if options is None or answer is None:
            return None
        if not _distinct(c, fields["options"], f"{path}.options", options, "options"):
            return None
        if answer not in options:
            c.error(fields["answer"], f"{path}.answer",
                    f"expected one of the options, found '{answer}'")
            return None
        return answer, options, (), (), ()
    if qtype == "true_false":
        if "answer" not in fields:
            return None
        value = c.boolean(fields["answer"], f"{path}.answer")
        if value is None:
            return None
        return TRUE_FALSE_OPTIONS[0 if value else 1], TRUE_FALSE_OPTIONS, (), (), ()
    if qtype == "short_answer":
        if "answer" not in fields:
            return None
        answer = c.string(fields["answer"], f"{path}.answer")
        accept = c.strings(fields["accept"], f"{path}.accept") if "accept" in fields else ()
        if answer is None or accept is None:
            return None
        return answer, (), accept, (), ()
    if qtype == "cloze":
        if prompt is None:
            return None
        if not CLOZE_BLANK.search(prompt):
            c.error(fields["prompt"], f"{path}.prompt",
                    "expected at least one [[blank]] in a cloze prompt, found none")
            return None
        empty = [m for m in CLOZE_BLANK.finditer(prompt) if not m.group(1).strip()]
        if empty:  # a card whose answer is a space asks nothing
            c.error(fields["prompt"], f"{path}.prompt",
                    f"expected text in every [[blank]], found {len(empty)} blank{'s' if len(empty) > 1 else ''} "
                    "of only whitespace")
            return None
        return cloze_answer(prompt), (), (), (), ()
    if qtype == "matching":
        if "pairs" not in fields:
            return None
        items = c.sequence(fields["pairs"], f"{path}.pairs", min_len=2, max_len=6)
        if items is None:
            return None
        pairs = []
        for i, item in enumerate(items):
            p = f"{path}.pairs[{i}]"
            pf = c.mapping(item, p, required=("left", "right"))
            if pf is None or len(pf) < 2:
                return None
            left, right = c.string(pf["left"], f"{p}.left"), c.string(pf["right"], f"{p}.right")
            if left is None or right is None:
                return None
            pairs.append((left, right))
        lefts = tuple(p[0] for p in pairs)
        rights = tuple(p[1] for p in pairs)
        if not (_distinct(c, fields["pairs"], f"{path}.pairs", lefts, "left items")
                and _distinct(c, fields["pairs"], f"{path}.pairs", rights, "right items")):
            return None
        spares: tuple[str, ...] = ()
        if "spares" in fields:  # options on the right that match nothing (docs/pdf.md)
            spares = c.strings(fields["spares"], f"{path}.spares", min_len=1, max_len=3)
            if spares is None or not _distinct(c, fields["spares"], f"{path}.spares", spares, "spares"):
                return None
            paired = {" ".join(r.casefold().split()) for r in rights}
            for i, spare in enumerate(spares):
                if " ".join(spare.casefold().split()) in paired:  # a spare must match nothing
                    c.error(fields["spares"].value[i], f"{path}.spares[{i}]",
                            f"expected a spare that is no pair's right item, found '{spare}'")
                    return None
        return matching_answer(tuple(pairs)), spares, (), tuple(pairs), ()
    if qtype == "ordering":
        if "items" not in fields:
            return None
        items = c.strings(fields["items"], f"{path}.items", min_len=3, max_len=6)
        if items is None or not _distinct(c, fields["items"], f"{path}.items", items, "items"):
            return None
        return ordering_answer(items), (), (), (), items
    return None


_YEARISH = re.compile(r"^\d{4}$")
_DATEISH = re.compile(r"\b(1[89]|20)\d\d\b|\b(January|February|March|April|May|June|July|August|"
                      r"September|October|November|December)\b")


def _kind(option: str) -> str:
    if len(option.split()) > 5:  # a sentence that mentions a year is still a statement
        return "text"
    if _YEARISH.match(option.strip()):
        return "year"
    if _DATEISH.search(option):
        return "date"
    if option.strip().replace(",", "").replace(".", "").isdigit():
        return "number"
    return "text"


def _quality_warnings(c: Checker, q: Question, fields: dict[str, Node], path: str) -> None:
    """Cheap item-quality checks; warnings, because a person may know better."""
    if q.type in ("mcq", "short_answer") and len(q.answer) >= 4:
        if q.answer.casefold() in q.prompt.casefold():
            c.warning(fields["prompt"], f"{path}.prompt",
                      f"the answer '{q.answer}' appears in the prompt; expected it hidden")
    if q.type == "mcq":
        kinds = {_kind(o) for o in q.options}
        if len(kinds) > 1 and kinds != {"year", "date"}:
            c.warning(fields["options"], f"{path}.options",
                      f"expected options of one kind, found a mix ({', '.join(sorted(kinds))})")


def questions_file(c: Checker, root: Node | None) -> list[Question]:
    if root is None:
        return []
    fields = c.mapping(root, "", required=("questions",))
    if not fields or "questions" not in fields:
        return []
    items = c.sequence(fields["questions"], "questions")
    if items is None:
        return []
    result = []
    for i, item in enumerate(items):
        q = question(c, item, f"questions[{i}]")
        if q is not None:
            result.append(q)
    return result


def _empty(c: Checker, key: str) -> Diagnostic:
    return Diagnostic(Loc(c.file, 1, 1), f"expected a mapping with '{key}', found an empty file")


# -- question sets ------------------------------------------------------------

SET_ORDERS = ("bank", "shuffle", "topic", "ids")


def set_file(c: Checker, root: Node | None) -> QuestionSet | None:
    if root is None:
        c.diagnostics.append(_empty(c, "set"))
        return None
    fields = c.mapping(root, "", required=("set",))
    if not fields or "set" not in fields:
        return None
    node = fields["set"]
    f = c.mapping(node, "set", required=("name", "title"),
                  optional=("instructions", "topics", "tags", "types", "ids", "origins",
                            "count", "order", "seed", "timeline", "points"))
    if f is None or "name" not in f or "title" not in f:
        return None
    before = len(c.diagnostics)
    name = _slug(c, f["name"], "set.name", SLUG_PATTERN, "a set name of lower-case letters, digits and '-'")
    title = c.string(f["title"], "set.title")
    instructions = c.string(f["instructions"], "set.instructions") if "instructions" in f else ""
    lists = {k: (c.strings(f[k], f"set.{k}") if k in f else ()) for k in ("topics", "tags", "types", "ids", "origins")}
    for i, t in enumerate(lists["types"] or ()):
        if t not in QUESTION_TYPES:
            c.error(f["types"].value[i], f"set.types[{i}]",
                    f"expected one of {', '.join(QUESTION_TYPES)}; found '{t}'")
    for i, o in enumerate(lists["origins"] or ()):
        if o not in ("curated", "generated"):
            c.error(f["origins"].value[i], f"set.origins[{i}]", f"expected curated or generated; found '{o}'")
    count = c.integer(f["count"], "set.count", minimum=1) if "count" in f else None
    order = c.choice(f["order"], "set.order", SET_ORDERS) if "order" in f else "bank"
    seed = c.integer(f["seed"], "set.seed", minimum=0) if "seed" in f else 0
    timeline = c.boolean(f["timeline"], "set.timeline") if "timeline" in f else False
    points = set_points(c, f["points"]) if "points" in f else ()
    if len(c.diagnostics) > before:
        return None
    return QuestionSet(name=name, title=title, instructions=instructions,  # type: ignore[arg-type]
                       count=count, order=order, seed=seed, timeline=timeline,  # type: ignore[arg-type]
                       points=points, loc=c.loc(node), **lists)  # type: ignore[arg-type]


def set_points(c: Checker, node: Node) -> tuple[tuple[str, int], ...]:
    """`points: {mcq: 2, short_answer: 3}`: what each type is worth on this set's sheets."""
    f = c.mapping(node, "set.points", optional=QUESTION_TYPES) or {}
    found = ((t, c.integer(v, f"set.points.{t}", minimum=1)) for t, v in f.items())
    return tuple((t, n) for t, n in found if n is not None)
