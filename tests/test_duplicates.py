"""Near-duplicate questions (quizgen/bank/duplicates.py): the same statement
with other names or in another format is reported once, at the later one."""

from __future__ import annotations

from conftest import REAL_BANK
from quizgen.bank.duplicates import check_duplicates, duplicate_groups, mask, shape
from quizgen.bank.load import load_bank
from quizgen.errors import Loc
from quizgen.model import Citation, Question

CITE = (Citation("notes", "Ada Quill made the lens in 1590"),)


def q(qid: str, qtype: str, prompt: str, answer: str, facts: tuple[str, ...] = ("f1",), line: int = 1,
      **extra) -> Question:
    return Question(id=qid, type=qtype, topic="t", prompt=prompt, answer=answer, explanation="x",
                    citations=extra.pop("citations", CITE), facts=facts, origin="generated" if facts else "curated",
                    loc=Loc("bank/q.yaml", line, 5), **extra)


def test_masking_hides_names_numbers_and_dates_alike():
    assert mask("Ada Quill made it on 14 November 1590, in Lyon.") == "# made it on #, in #."
    assert shape(q("a", "true_false", "Ada Quill made the lens.", "True")) == \
        shape(q("b", "true_false", "Bo Tarn made the lens.", "False"))


def test_a_statement_made_again_with_another_name_is_a_duplicate():
    first = q("a", "true_false", "Ada Quill made the lens.", "True", line=1)
    again = q("b", "true_false", "Bo Tarn made the lens.", "False", line=9)
    other_fact = q("c", "true_false", "Di Orm made the lens.", "False", facts=("f2",), line=20)
    assert [[x.id for x in g] for g in duplicate_groups([first, again, other_fact])] == [["a", "b"]]
    [d] = check_duplicates([first, again, other_fact])
    assert (str(d.loc), d.severity, d.path) == ("bank/q.yaml:9:5", "warning", "prompt")
    assert "near-duplicate of 'a' (bank/q.yaml:1:5)" in d.message


def test_one_key_on_the_same_facts_in_two_formats_is_a_duplicate():
    mcq = q("a", "mcq", "Who made the lens?", "Ada Quill", options=("Ada Quill", "Bo Tarn", "Di Orm"))
    short = q("b", "short_answer", "Name the maker of the lens.", "Ada Quill")
    cloze = q("c", "cloze", "The lens was made in [[1590]].", "1590")
    assert [[x.id for x in g] for g in duplicate_groups([mcq, short, cloze])] == [["a", "b"]]


def test_prompts_alike_but_keyed_apart_ask_different_things():
    russia = q("a", "short_answer", "What does Russia call the islands?", "Southern Kurils")
    japan = q("b", "short_answer", "What does Japan call the islands?", "Northern Territories")
    assert duplicate_groups([russia, japan]) == []


def test_hand_written_questions_are_compared_by_their_quotes():
    one = q("a", "true_false", "Ada Quill made the lens.", "True", facts=())
    two = q("b", "true_false", "Bo Tarn made the lens.", "True", facts=())
    elsewhere = q("c", "true_false", "Di Orm made the lens.", "True", facts=(),
                  citations=(Citation("notes", "something else"),))
    assert [[x.id for x in g] for g in duplicate_groups([one, two, elsewhere])] == [["a", "b"]]


def test_the_shipped_bank_states_nothing_twice():
    bank, diagnostics = load_bank(REAL_BANK)
    assert bank is not None
    assert [str(d) for d in diagnostics if "near-duplicate" in d.message] == []


# -- the scan fed file by file with keys computed elsewhere (validate's workers) --

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = ["Ada", "Bo", "lens", "made", "the", "1590", "in", "Lyon", "met", "Quill"]


@st.composite
def _questions(draw):
    out = []
    for i in range(draw(st.integers(0, 14))):
        qtype = draw(st.sampled_from(["true_false", "mcq", "short_answer", "cloze"]))
        prompt = " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4)))
        answer = draw(st.sampled_from(["Ada", "ada", "Bo", "True", "False"]))
        facts = tuple(draw(st.lists(st.sampled_from(["f1", "f2", "f3"]), max_size=2, unique=True)))
        quotes = draw(st.lists(st.sampled_from(["Ada made it", "ada  MADE it", "Bo met"]), min_size=1, max_size=2))
        citations = tuple(Citation(draw(st.sampled_from(["notes", "other"])), text) for text in quotes)
        out.append(q(f"q{i}", qtype, prompt, answer, facts, line=i + 1, citations=citations))
    return out


@settings(max_examples=200, deadline=None)
@given(_questions(), st.lists(st.integers(1, 5), max_size=6))
def test_scan_fed_by_file_with_keys_from_elsewhere_equals_one_pass(questions, sizes):
    import pickle

    from quizgen.bank.duplicates import DuplicateScan, keys_of

    scan = DuplicateScan()
    at = 0
    for size in sizes + [len(questions)]:
        chunk = questions[at:at + size]
        at += size
        keys = pickle.loads(pickle.dumps([keys_of(x) for x in chunk]))  # as a worker's result arrives
        scan.feed(chunk, keys)
    assert scan.diagnostics() == check_duplicates(questions)
    assert scan.groups() == [[(q.id, q.loc) for q in g] for g in duplicate_groups(questions)]


def _plain_scan(questions):
    """The near-duplicate groups by the definition, comparing each question
    with every earlier one kept (quadratic): what the index must give."""
    from quizgen.bank.duplicates import keys_of

    kept, groups = [], {}
    for x in questions:
        stated, s, folded, quotes, facts = keys_of(x)
        first = next((e for e, ek in kept if ek[0] == stated), None) if stated is not None else None
        if first is None:
            plain, with_facts = set(quotes), set(facts if x.facts else quotes)
            for e, (_, es, ef, eq, efa) in kept:
                if es != s or (x.type != "true_false" and ef != folded):
                    continue
                if (set(eq) | set(efa)) & (with_facts if e.facts else plain):
                    first = e
                    break
        if first is None:
            kept.append((x, keys_of(x)))
        else:
            groups.setdefault(first.id, [first]).append(x)
    return list(groups.values())


@settings(max_examples=300, deadline=None)
@given(_questions())
def test_the_index_finds_what_comparing_with_every_earlier_question_finds(questions):
    assert duplicate_groups(questions) == _plain_scan(questions)
