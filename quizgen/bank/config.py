"""The bank's config file, bank.yaml at the bank root: title, deck, corpus
folder, GUID namespace, fonts, topics and printed labels. Everything a bank
says about its own subject lives here or in its other files, never in quizgen/.

A bank without bank.yaml still loads, with defaults and a warning, so a
folder of question files is enough to start from."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from yaml.nodes import Node

from quizgen.bank.check import Checker, did_you_mean
from quizgen.bank.marks import load_yaml
from quizgen.errors import Diagnostic, Loc, errors_only
from quizgen.model import DEFAULT_LABELS, EXPORT_FORMATS, BankConfig, Topic

CONFIG_FILE = "bank.yaml"
NAMESPACE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
TOPIC_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")

REQUIRED = ("title",)
OPTIONAL = ("description", "author", "language", "deck", "corpus", "id_namespace", "fonts", "topics", "labels",
            "include_outside", "exports")


def default_config(root: Path) -> BankConfig:
    """What a bank without bank.yaml gets: its folder name as the title."""
    name = Path(root).resolve().name or "bank"
    return BankConfig(title=name.replace("-", " ").replace("_", " ").strip().capitalize() or "Question bank")


def load_config(root: Path, shown: str) -> tuple[BankConfig | None, list[Diagnostic]]:
    """The config of the bank at ``root`` (``shown`` is how diagnostics name
    the file), or None with the reasons."""
    path = Path(root) / CONFIG_FILE
    if not path.exists():
        return default_config(root), [Diagnostic(Loc(shown), f"expected a bank config here (quizgen init writes "
                                                             f"one), found no file; using the title "
                                                             f"'{default_config(root).title}'", "warning")]
    node, diagnostics = load_yaml(path, shown)
    if errors_only(diagnostics):
        return None, diagnostics
    c = Checker(shown)
    config = config_document(c, node, Path(root))
    return config, diagnostics + c.diagnostics


def config_document(c: Checker, node: Node | None, root: Path) -> BankConfig | None:
    if node is None:
        c.diagnostics.append(Diagnostic(Loc(c.file, 1, 1), "expected a mapping with 'title', found an empty file"))
        return None
    f = c.mapping(node, "", required=REQUIRED, optional=OPTIONAL)
    if f is None or "title" not in f:
        return None
    before = len(c.diagnostics)
    title = c.string(f["title"], "title")
    text = {k: (c.string(f[k], k) if k in f else "") for k in ("description", "author")}
    language = c.string(f["language"], "language") if "language" in f else "en"
    if language is not None and not LANGUAGE.match(language):
        c.error(f["language"], "language", f"expected a language tag such as 'en' or 'pt-BR', found '{language}'")
    deck_name, deck_description = _deck(c, f.get("deck"))
    corpus = _relative_path(c, f["corpus"], "corpus", "a folder") if "corpus" in f else "sources"
    namespace = ""
    if "id_namespace" in f:
        namespace = c.string(f["id_namespace"], "id_namespace", allow_empty=True)
        if namespace and not NAMESPACE.match(namespace):
            c.error(f["id_namespace"], "id_namespace", f"expected lower-case letters, digits and '-', "
                                                       f"found '{namespace}'")
    fonts = _fonts(c, f["fonts"], root) if "fonts" in f else ()
    topics = _topics(c, f["topics"]) if "topics" in f else ()
    labels = _labels(c, f["labels"]) if "labels" in f else dict(DEFAULT_LABELS)
    include_outside = c.boolean(f["include_outside"], "include_outside") if "include_outside" in f else False
    exports = _exports(c, f["exports"]) if "exports" in f else ()
    if len(c.diagnostics) > before:
        return None
    return BankConfig(title=title, description=text["description"], author=text["author"],  # type: ignore[arg-type]
                      language=language, deck_name=deck_name, deck_description=deck_description,  # type: ignore[arg-type]
                      corpus=corpus, id_namespace=namespace, fonts=fonts, topics=topics,  # type: ignore[arg-type]
                      labels=labels, include_outside=include_outside, exports=exports,  # type: ignore[arg-type]
                      loc=c.loc(node))  # type: ignore[arg-type]


def _deck(c: Checker, node: Node | None) -> tuple[str | None, str | None]:
    if node is None:
        return "", ""
    f = c.mapping(node, "deck", optional=("name", "description"))
    if f is None:
        return None, None
    name = c.string(f["name"], "deck.name") if "name" in f else ""
    if name and any(part.strip() == "" for part in name.split("::")):
        c.error(f["name"], "deck.name", f"expected a deck name without empty '::' parts, found '{name}'")
    description = c.string(f["description"], "deck.description") if "description" in f else ""
    return name, description


def _relative_path(c: Checker, node: Node, path: str, what: str) -> str | None:
    value = c.string(node, path)
    if value is None:
        return None
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", value) or "\x00" in value:
        c.error(node, path, f"expected {what} relative to the bank, found '{value}'")
        return None
    return str(PurePosixPath(value.replace("\\", "/")))


def _fonts(c: Checker, node: Node, root: Path) -> tuple[str, ...] | None:
    items = c.sequence(node, "fonts")
    if items is None:
        return None
    out = []
    for i, item in enumerate(items):
        value = _relative_path(c, item, f"fonts[{i}]", "a TrueType file")
        if value is None:
            continue
        real_root = root.resolve()
        target = (root / value).resolve()
        if not target.is_relative_to(real_root):
            c.error(item, f"fonts[{i}]", f"expected a font file inside the bank, found '{value}' "
                                         "(it resolves outside the bank folder)")
        elif not target.is_file():
            c.error(item, f"fonts[{i}]", f"expected a TrueType font file, found no file '{value}'")
        elif target.suffix.lower() not in (".ttf", ".otf"):
            c.error(item, f"fonts[{i}]", f"expected a .ttf or .otf file, found '{value}'")
        else:
            out.append(value)
    return tuple(out)


def _topics(c: Checker, node: Node) -> tuple[Topic, ...] | None:
    items = c.sequence(node, "topics")
    if items is None:
        return None
    topics: list[Topic] = []
    seen: dict[str, Topic] = {}
    for i, item in enumerate(items):
        f = c.mapping(item, f"topics[{i}]", required=("id", "name"))
        if f is None or "id" not in f or "name" not in f:
            continue
        tid = c.string(f["id"], f"topics[{i}].id")
        name = c.string(f["name"], f"topics[{i}].name")
        if tid is not None and not TOPIC_ID.match(tid):
            c.error(f["id"], f"topics[{i}].id", f"expected a topic slug of lower-case letters, digits and '-', "
                                                f"found '{tid}'")
            continue
        if tid is None or name is None:
            continue
        if tid in seen:
            c.error(f["id"], f"topics[{i}].id", f"expected a unique topic id, found '{tid}' again "
                                                f"(first at {seen[tid].loc})")
            continue
        topic = Topic(tid, name, c.loc(item))
        seen[tid] = topic
        topics.append(topic)
    return tuple(topics)


def _exports(c: Checker, node: Node) -> tuple[str, ...] | None:
    items = c.sequence(node, "exports")
    if items is None:
        return None
    chosen = [c.choice(item, f"exports[{i}]", EXPORT_FORMATS) for i, item in enumerate(items)]
    return None if None in chosen else tuple(dict.fromkeys(chosen))  # type: ignore[arg-type]


def _labels(c: Checker, node: Node) -> dict[str, str] | None:
    f = c.mapping(node, "labels", optional=tuple(DEFAULT_LABELS))
    if f is None:
        return None
    labels = dict(DEFAULT_LABELS)
    for key, value in f.items():
        text = c.string(value, f"labels.{key}")
        if text is not None:
            labels[key] = text
    return labels


def check_topics(config: BankConfig, used: list[tuple[str, Loc]]) -> list[Diagnostic]:
    """With topics declared, every question's topic must be one of them."""
    if not config.topics:
        return []
    known = [t.id for t in config.topics]
    return [Diagnostic(loc, f"expected a topic declared in {CONFIG_FILE} ({', '.join(known)}), found "
                            f"'{topic}'{did_you_mean(topic, known)}", path="topic")
            for topic, loc in used if topic not in known]
