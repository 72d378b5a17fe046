"""Property-based tests: generated and mutated bank documents through the
library `quizgen validate` uses. Fixed seed (derandomize) and small example
counts keep the suite fast; bench/fuzz.py runs the same mutations on 10,000
documents for local use."""

from __future__ import annotations

import json
import random
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import (ANKI_MARKUP, FORBIDDEN, QUESTION_SCHEMA, FuzzBank, INVALIDATING, MUTATIONS,
                     location_problems, mutated, node_data, question_seeds, set_seeds, sources_seed)
from quizgen.bank.load import load_bank
from quizgen.bank.marks import parse_text
from quizgen.errors import errors_only

FAST = settings(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def fast(examples: int) -> settings:
    return settings(FAST, max_examples=examples)

try:
    import jsonschema
except ImportError:  # pragma: no cover - in the test extra
    jsonschema = None
QUESTION_VALIDATOR = (jsonschema.Draft202012Validator(json.loads(QUESTION_SCHEMA.read_text(encoding="utf-8")))
                      if jsonschema is not None else None)
QUESTION_SEEDS = question_seeds()
SEEDS = {"questions": QUESTION_SEEDS, "set": set_seeds(), "sources": [sources_seed()]}


@pytest.fixture(scope="module")
def fuzz_bank():
    with tempfile.TemporaryDirectory() as tmp:
        bank = FuzzBank(Path(tmp) / "bank")
        loaded, diagnostics = load_bank(bank.root)
        assert loaded is not None, [str(d) for d in diagnostics]
        yield bank


def check_document(bank: FuzzBank, doc) -> tuple[object, list]:
    path = bank.put(doc)
    try:
        loaded, diagnostics = load_bank(bank.root)  # must not raise: a traceback fails the test
        problems = location_problems(diagnostics, {path: doc.data})
    finally:
        bank.restore(doc)
    assert not problems, (doc.mutations, problems)
    if doc.must_fail:
        assert loaded is None and errors_only(diagnostics), (doc.mutations, path.name)
    assert (loaded is None) == bool(errors_only(diagnostics))
    if loaded is not None and doc.kind == "questions" and jsonschema is not None:
        # what the validator accepts, an editor's schema check must accept too
        node, _ = parse_text(doc.data.decode("utf-8-sig"), "f.yaml")
        found = [e.message for e in QUESTION_VALIDATOR.iter_errors(node_data(node))] if node else []
        assert not found, (doc.mutations, found[:3])
    if "brackets_in_quotes" in doc.mutations and "deep_nesting" not in doc.mutations:
        assert not [d for d in diagnostics if "levels of nesting" in d.message], doc.mutations
    return loaded, diagnostics


@fast(1500)
@given(kind=st.sampled_from(["questions", "questions", "questions", "set", "sources"]), data=st.data(),
       rng=st.randoms(use_true_random=False))
def test_mutated_documents_never_crash_and_point_inside_their_file(fuzz_bank, kind, data, rng):
    seed = data.draw(st.sampled_from(SEEDS[kind]), label="seed")
    check_document(fuzz_bank, mutated(seed, kind, rng, huge_limit=50_000))


@fast(300)
@given(seed=st.sampled_from(QUESTION_SEEDS), mutation=st.sampled_from(INVALIDATING),
       rng=st.randoms(use_true_random=False))
def test_invalid_input_never_validates(fuzz_bank, seed, mutation, rng):
    from fuzzing import Document

    text, certain = mutation(seed, rng)
    doc = Document("questions", text.encode("utf-8", "surrogatepass"), certain, [mutation.__name__])
    check_document(fuzz_bank, doc)


@fast(200)
@given(seed=st.sampled_from(QUESTION_SEEDS), ch=st.sampled_from(FORBIDDEN), data=st.data())
def test_control_character_reported_exactly_where_it_is(seed, ch, data):
    offset = data.draw(st.integers(0, len(seed)), label="offset")
    text = seed[:offset] + ch + seed[offset:]
    _, diagnostics = parse_text(text, "f.yaml")
    head = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line, col = head.count("\n") + 1, offset - (head.rfind("\n") + 1) + 1 if "\r" not in text[:offset] else None
    where = [(d.loc.line, d.loc.col) for d in diagnostics if "control characters" in d.message]
    assert where and where[0][0] == line and (col is None or where[0][1] == col), (repr(ch), offset, where)


# -- the writer -----------------------------------------------------------------

WRITABLE = st.text(st.characters(blacklist_characters=FORBIDDEN, blacklist_categories=("Cs",)), max_size=80)


@fast(500)
@given(value=WRITABLE | st.sampled_from(ANKI_MARKUP + ["", " ", "yes", "no", "~", "1e3", "0x1F", "- a",
                                                       "a: b", "#x", "[a", "'", '"', "\\", "\t", "\ufeffa"]))
def test_writer_scalar_reads_back_as_the_same_text(value):
    from quizgen.generate.write import scalar

    node, diagnostics = parse_text(f"k: {scalar(value)}\n", "f.yaml")
    assert diagnostics == [] and node.value[0][1].value == value


PROSE = st.text(st.characters(blacklist_characters=FORBIDDEN, blacklist_categories=("Cs",)),
                min_size=1, max_size=300).filter(lambda s: s.strip())


@fast(200)
@given(prompt=PROSE, explanation=PROSE, answer=PROSE, quote=PROSE.filter(lambda s: len(s.split()) <= 30),
       tag=st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True))
def test_question_files_quizgen_writes_load_back_unchanged(prompt, explanation, answer, quote, tag):
    from quizgen.bank.check import Checker
    from quizgen.bank.records import questions_file
    from quizgen.generate.write import dump_questions
    from quizgen.model import Citation, Question

    q = Question("written-1", "short_answer", "dates", prompt, answer, explanation,
                 (Citation("some-source", quote),), tags=(tag,), accept=(answer + "x",))
    text = dump_questions([q], ["# a header"])
    node, diagnostics = parse_text(text, "f.yaml")
    assert diagnostics == [], text
    c = Checker("f.yaml", source_ids=["some-source"])
    (back,) = questions_file(c, node)
    assert (back.prompt, back.explanation, back.answer, back.accept, back.citations[0].quote, back.tags) == \
           (prompt, explanation, answer, (answer + "x",), quote, (tag,))
    assert dump_questions([back], ["# a header"]) == text


# -- a bank that validates builds --------------------------------------------------


@fast(6)
@given(markup=st.lists(st.sampled_from(ANKI_MARKUP) | WRITABLE.filter(lambda s: s.strip()), min_size=1,
                       max_size=3), rng=st.randoms(use_true_random=False))
def test_a_bank_that_validates_builds_and_imports_into_anki(fuzz_bank, markup, rng):
    anki_collection = pytest.importorskip("anki.collection")
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    from quizgen.render import RenderOptions
    from quizgen.render.anki import render

    seed = rng.choice(QUESTION_SEEDS[1:])
    # every plain prompt and explanation gets the drawn text appended, quoted;
    # not the prompt of a true/false question: that is its keyed statement, and
    # the support check rightly refuses names or numbers its quotes lack
    def append(chunk: str) -> str:
        fields = "explanation" if "\n    type: true_false" in chunk else "prompt|explanation"
        return re.sub(rf"^(    (?:{fields}): )([A-Za-z0-9(][^\n#]*)$",
                      lambda m: m.group(1) + json.dumps(m.group(2) + " " + rng.choice(markup), ensure_ascii=False),
                      chunk, flags=re.M)

    text = "\n  - id:".join(append(chunk) for chunk in seed.split("\n  - id:"))
    (fuzz_bank.target["questions"]).write_text(text, encoding="utf-8")
    try:
        bank, diagnostics = load_bank(fuzz_bank.root)
        # appended text keeps every record valid (an answer now in its prompt only warns)
        assert bank is not None, [str(d) for d in errors_only(diagnostics)]
        with tempfile.TemporaryDirectory() as out:
            apkg = render(bank, Path(out), RenderOptions(timestamp=1_700_000_000))[0]
            col = anki_collection.Collection(str(Path(out) / "c.anki2"))
            try:
                log = col.import_anki_package(ImportAnkiPackageRequest(
                    package_path=str(apkg), options=ImportAnkiPackageOptions())).log
                # the bank folder is reused between examples: questions of earlier ones come as retired stubs
                assert len(col.find_notes("-tag:quizgen::retired")) == len(bank.questions)
                for cid in col.find_cards(""):
                    card = col.get_card(cid)
                    card.question(), card.answer()
                    assert not card.question_av_tags() and not card.answer_av_tags()
            finally:
                col.close()
    finally:
        (fuzz_bank.target["questions"]).unlink(missing_ok=True)


def test_every_mutation_is_exercised():
    rng = random.Random(1)
    for mutation in MUTATIONS:
        for seed in QUESTION_SEEDS[:5]:
            text, _ = mutation(seed, rng)
            assert isinstance(text, str)
