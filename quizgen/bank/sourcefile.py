"""sources.yaml records -> Source objects, field by field, every problem
collected (the registry of the articles; quizgen/bank/sources.py checks them
against the corpus)."""

from __future__ import annotations

import re

from yaml.nodes import Node

from quizgen.bank.check import Checker
from quizgen.bank.dates import date_problem
from quizgen.bank.records import SLUG_PATTERN, _empty, _slug
from quizgen.model import Excluded, Source

SHA256_PATTERN = re.compile(r"[0-9a-f]{64}\Z")

SOURCE_REQUIRED = ("id", "file", "sha256", "outlet", "headline")
SOURCE_OPTIONAL = ("published", "inferred_date", "inferred_reason")


def sources_file(c: Checker, root: Node | None) -> list[Source]:
    """The valid sources. The id of every record is also added to ``c.ids``,
    valid or not, so a citation of a broken record is not reported again."""
    if root is None:
        c.diagnostics.append(_empty(c, "sources"))
        return []
    fields = c.mapping(root, "", required=("sources",))
    if not fields or "sources" not in fields:
        return []
    # An empty registry is fine: a new bank has no articles yet.
    items = c.sequence(fields["sources"], "sources")
    result = []
    for i, item in enumerate(items or ()):
        s = source(c, item, f"sources[{i}]")
        if s is not None:
            result.append(s)
    return result


def source(c: Checker, node: Node, path: str) -> Source | None:
    fields = c.mapping(node, path, required=SOURCE_REQUIRED, optional=SOURCE_OPTIONAL + ("exclude",))
    if fields is None:
        return None
    sid = _slug(c, fields["id"], f"{path}.id", SLUG_PATTERN,
                "a source id of lower-case letters, digits and '-'") if "id" in fields else None
    if sid is not None:
        c.ids.append((sid, c.loc(fields["id"])))
    if any(k not in fields for k in SOURCE_REQUIRED):
        return None
    file = c.string(fields["file"], f"{path}.file")
    if file is not None and (file != file.strip() or "/" in file or "\\" in file or file.startswith(".")):
        c.error(fields["file"], f"{path}.file",
                f"expected a bare file name inside the corpus folder, found '{file}'")
        file = None
    sha = _slug(c, fields["sha256"], f"{path}.sha256", SHA256_PATTERN, "64 lower-case hex digits")
    outlet_node = fields["outlet"]
    outlet = None if outlet_node.tag.endswith(":null") else c.string(outlet_node, f"{path}.outlet")
    headline = c.string(fields["headline"], f"{path}.headline")
    dates = {}
    for key in SOURCE_OPTIONAL:
        if key in fields:
            dates[key] = c.string(fields[key], f"{path}.{key}")
    dates_ok = True
    for key in ("published", "inferred_date"):
        value = dates.get(key)
        problem = date_problem(value, allow_range=key == "inferred_date") if value is not None else None
        if problem:
            c.error(fields[key], f"{path}.{key}", problem)
            dates_ok = False
    # No date at all is allowed: the source is shown as undated.
    if "published" in fields and "inferred_date" in fields:
        c.error(node, path, "expected at most one of 'published' or 'inferred_date', found both")
        return None
    if ("inferred_date" in fields) != ("inferred_reason" in fields):
        c.error(node, path, "expected 'inferred_reason' with 'inferred_date', found none" if "inferred_date" in fields
                else "expected 'inferred_reason' only with 'inferred_date', found no 'inferred_date'")
        return None
    if "inferred_date" in fields and not dates.get("inferred_reason"):
        return None  # its own error is reported
    exclude = excluded_spans(c, fields["exclude"], f"{path}.exclude") if "exclude" in fields else ()
    if not dates_ok or None in (sid, file, sha, headline, exclude) or (outlet is None and not outlet_node.tag.endswith(":null")):
        return None
    return Source(sid, file, sha, outlet, headline, dates.get("published"),  # type: ignore[arg-type]
                  dates.get("inferred_date"), dates.get("inferred_reason"), c.loc(node),
                  exclude)  # type: ignore[arg-type]


def excluded_spans(c: Checker, node: Node, path: str) -> tuple[Excluded, ...] | None:
    """`exclude: [{text, reason}]`: spans the coverage report leaves out (that
    each text is in the article is checked against the corpus, in coverage.py)."""
    items = c.sequence(node, path)
    if items is None:
        return None
    result = []
    for i, item in enumerate(items):
        f = c.mapping(item, f"{path}[{i}]", required=("text", "reason"))
        if f is None or "text" not in f or "reason" not in f:
            continue
        text, reason = c.string(f["text"], f"{path}[{i}].text"), c.string(f["reason"], f"{path}[{i}].reason")
        if text is not None and reason is not None:
            result.append(Excluded(text, reason, c.loc(f["text"])))
    return tuple(result) if len(result) == len(items) else None
