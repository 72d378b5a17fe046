"""The reader of quizgen's own layout (quizgen/bank/fastread.py) against the
full path (compose the nodes, then records.py): whenever it reads a text, it
gives the same questions (places included), ids and diagnostics; it reads
every file quizgen generate writes; and on anything else it steps aside."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen.bank import fastread, marks, records
from quizgen.bank.check import Checker
from quizgen.errors import errors_only
from quizgen.generate.write import dump_questions
from quizgen.model import Citation, Question, Support

from conftest import REAL_BANK

SOURCES = ["harbour", "notes"]


def both(text: str, source_ids: list[str] | None = SOURCES):
    """(fast result, its ids and diagnostics), (full result, its ids and diagnostics)."""
    data = text.encode("utf-8")
    fast_c = Checker("bank/q.yaml", source_ids=source_ids)
    fast = fastread.questions_from_bytes(fast_c, data)
    full_c = Checker("bank/q.yaml", source_ids=source_ids)
    node, diags = marks.compose_bytes(data, "bank/q.yaml")
    full = records.questions_file(full_c, node) if not errors_only(diags) else []
    return (fast, fast_c.ids, fast_c.diagnostics), (full, full_c.ids, diags + full_c.diagnostics)


def agree(text: str, source_ids: list[str] | None = SOURCES) -> bool:
    """Asserts the two paths agree when the fast one reads the text; whether it did."""
    (fast, fast_ids, fast_diags), (full, full_ids, full_diags) = both(text, source_ids)
    if fast is None:
        assert (fast_ids, fast_diags) == ([], [])  # the checker is left untouched
        return False
    assert fast == full  # every field, the places of the question, its citations and support included
    assert fast_ids == full_ids
    assert fast_diags == full_diags
    return True


def test_every_generated_file_of_the_shipped_bank_is_read_and_agrees():
    files = sorted((REAL_BANK / "generated").glob("*.yaml"))
    assert files
    for path in files:
        assert agree(path.read_text(encoding="utf-8"), None), path


@pytest.mark.parametrize("piece", [1, 700, 20_000])
def test_a_file_read_in_pieces_agrees(piece, monkeypatch):
    """Pieces cut at every question, every few, or a few per file: the same
    records, places (line numbers count on across pieces), ids and warnings."""
    monkeypatch.setattr(fastread, "_PIECE", piece)
    files = sorted((REAL_BANK / "generated").glob("*.yaml"))
    for path in files:
        assert agree(path.read_text(encoding="utf-8"), None), path
    text = files[0].read_text(encoding="utf-8")
    assert text.count("\n  - id: ") > 3
    # what only a later piece holds still sends the file down the full path
    late = text.rindex("\n  - id: ")
    at = text.index("    prompt: ", late) + len("    prompt: ") + 1  # inside the last question's prompt
    for bad in ("\x07", "\u2028"):
        (fast, _, _), (_, _, full_diags) = both(text[:at] + bad + text[at:], None)
        assert fast is None and errors_only(full_diags)
    data = text.encode("utf-8")
    c = Checker("bank/q.yaml")
    assert fastread.questions_from_bytes(c, data[:late] + b"\xff" + data[late:]) is None and c.ids == []


def test_curated_files_agree_or_step_aside():
    for path in sorted((REAL_BANK / "curated").glob("*.yaml")):
        agree(path.read_text(encoding="utf-8"), None)


# -- written by quizgen's writer: random questions, then random edits ------------

WORDS = ["Ada", "Quill", "made", "the", "lens", "in", "1590", "Lyon", "yes", "null", "~", "12:30", "a:", "C#",
         "x #y", "\u201cquoted\u201d", "[[Portville]]", "[[ ]]", "-dash", "?", "&anchor", "*alias", "!tag",
         "'", "é", "東京", "true", "{x}", "[a]", "%", "@", "`", "0x1F", "1e3", "2018-01-02", "-", ":",
         "Portville", "Harbourton", "again"]


@st.composite
def texts(draw, lo: int = 1, hi: int = 8) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=lo, max_size=hi)))


def _distinct(draw, n_lo: int, n_hi: int) -> tuple[str, ...]:
    n = draw(st.integers(n_lo, n_hi))
    return tuple(f"{draw(texts(1, 3))} {k}" for k in range(n))


@st.composite
def questions(draw, i: int, mistakes: bool = True) -> Question:
    """Mostly questions every check accepts (so the fast path is exercised),
    now and then (with ``mistakes``) one with a mistake of some kind."""
    ok = not mistakes or draw(st.integers(0, 9)) < 8
    bad = (lambda good, wrong: draw(st.sampled_from(wrong)) if not ok and draw(st.booleans()) else good)
    qtype = draw(st.sampled_from(["mcq", "true_false", "short_answer", "cloze", "matching", "ordering"]))
    prompt = draw(texts(1, 30)).replace("[[ ]]", "[[x]]")
    options: tuple[str, ...] = ()
    answer, accept, pairs, items = "", (), (), ()
    if qtype == "mcq":
        options = bad(_distinct(draw, 2, 6), [("a", "a"), ("one",), tuple("abcdefg")])
        answer = bad(draw(st.sampled_from(options)), ["Elsewhere"])
    elif qtype == "true_false":
        answer = draw(st.sampled_from(["True", "False"]))
    elif qtype == "short_answer":
        answer = draw(texts(1, 3))
        accept = tuple(draw(st.lists(texts(1, 2), max_size=2)))
    elif qtype == "cloze":
        prompt = bad("Met in [[Portville]]. ", ["", "Met in [[ ]]. "]) + prompt
    elif qtype == "matching":
        lefts, rights = _distinct(draw, 2, 6), _distinct(draw, 6, 6)
        pairs = bad(tuple(zip(lefts, rights)), [(("a", "b"), ("a", "c")), (("a", "b"),)])
    else:
        items = bad(_distinct(draw, 3, 6), [("a", "b"), ("a", "a", "b")])
    generated = draw(st.booleans())
    support = draw(st.sampled_from([None, ("inferred", "Worked out."), ("quoted", "")]))
    support = bad(support, [("outside", ""), ("other", "x")])
    citations = tuple(Citation(bad(draw(st.sampled_from(SOURCES)), ["unknown"]),
                               bad(draw(texts(1, 12)), [" ".join(["w"] * 31)]))
                      for _ in range(draw(st.integers(1, 2))))
    return Question(
        id=bad(draw(st.sampled_from([f"q-{i}", f"q.{i}_x"])), [f"Q{i}", "-q"]), type=qtype,
        topic=bad(draw(st.sampled_from(["meetings", "dates"])), ["Bad Topic"]), prompt=prompt, answer=answer,
        explanation=draw(texts(1, 30)), citations=citations,
        tags=tuple(draw(st.lists(st.sampled_from(["one", "two-2", "1965"] + ([] if ok else ["Bad", "yes"])),
                                 max_size=3))),
        difficulty=bad(draw(st.sampled_from(["easy", "medium", "hard"])), ["extreme"]), options=options,
        accept=accept, pairs=pairs, items=items, origin="generated" if generated else "curated",
        template="a-template" if generated else None,
        facts=tuple(draw(st.lists(st.sampled_from(["f-1", "f.2"] + ([] if ok else ["F3", "null"])),
                                  min_size=1, max_size=2))) if generated else (),
        support=Support(*support) if support else Support())


@st.composite
def banks(draw, mistakes: bool = True) -> str:
    n = draw(st.integers(1, 4))
    header = draw(st.sampled_from([[], ["# written by a test", "#"]]))
    return dump_questions([draw(questions(i, mistakes)) for i in range(n)], header)


EDITS = ["", "yes", "null", "~", "1965", "12:30", "a: b", "a #b", "#x", "&a x", "*a", "!!str x", '"a\\nb"',
         '"plain quoted"', "'single'", "[a, b]", "[A, b]", "[a,b]", "[]", "{x: 1}", ">", "|", ">-", "- x",
         " x", "x ", "Portville", " ".join(["word"] * 31), "[[blank]] here", "[[ ]]", "true", "no"]


def edit(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        i = rng.randrange(len(lines))
        line = lines[i]
        choice = rng.randrange(11)
        if choice == 0 and ": " in line:
            lines[i] = line.split(": ", 1)[0] + ": " + rng.choice(EDITS)
        elif choice == 1:
            lines.insert(i, rng.choice(["", "    # a comment", "\t", "  # c", "---", "    extra: x"]))
        elif choice == 2:
            lines[i] = " " + line
        elif choice == 3:
            lines[i] = line[1:]
        elif choice == 4:
            lines.insert(i, line)  # a key twice
        elif choice == 5:
            del lines[i]
        elif choice == 6 and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif choice == 7:
            lines[i] = line + rng.choice([" ", "\t", " # c", "\r", ":", "\u00a0"])
        elif choice == 8 and ": " in line:
            key, value = line.split(": ", 1)
            lines[i] = f"{key}: >-"
            lines.insert(i + 1, " " * (len(key) - len(key.lstrip()) + rng.choice([1, 2, 2, 3])) + value)
        elif choice == 9 and line.strip().startswith("- "):
            lines[i] = line.replace("- ", "-  ", 1)
        else:
            lines[i] = line.replace("  ", " " * rng.choice([1, 3]), 1)
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(banks())
def test_writer_output_agrees(text: str):
    agree(text)


def test_writer_output_of_valid_questions_is_read():
    rng = random.Random(7)
    qs = [Question(id=f"q-{i}", type="true_false", topic="dates", prompt=f"It was in {1900 + i}: yes #{i}.",
                   answer=rng.choice(["True", "False"]), explanation="Because it says so.",
                   citations=(Citation("harbour", f"it was in {1900 + i}"),), tags=("one",))
          for i in range(5)]
    assert agree(dump_questions(qs))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(banks(mistakes=False), st.integers(0, 2**32 - 1))
def test_edited_writer_output_agrees_or_steps_aside(text: str, seed: int):
    agree(edit(text, random.Random(seed)))


@pytest.mark.parametrize("text", [
    "questions:\n  - id: a\n    type: true_false\n",  # missing keys: the full path says which
    "questions: []\n",
    "questions:\n  - id: a\n    type: true_false\n\tx\n",
    "\ufeffquestions:\n",
    'questions:\n  - id: a\n    type: true_false\n    prompt: "a \\"quoted\\" word"\n',  # an escape
    "",
])
def test_odd_files_step_aside(text: str):
    assert not agree(text)



GAP = """questions:
  - id: where-else
    type: mcq
    topic: meetings
    tags: [x]
    difficulty: easy
    prompt: Where else did they meet?
    options:
      - Portville
      - Harbourton
    answer: Harbourton
    explanation: Not stated.
    citations:
      - source: harbour
        quote: met in Portville
"""


def test_a_support_gap_in_a_fast_read_file_is_placed_as_the_full_path_places_it(
        mini_bank: Path, monkeypatch: pytest.MonkeyPatch):
    from quizgen.bank.load import load_bank

    (mini_bank / "curated" / "gap.yaml").write_text(GAP, encoding="utf-8")
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    assert agree(GAP)
    fast = [str(d) for d in load_bank(mini_bank, partial=True)[1]]
    monkeypatch.setattr(fastread, "questions_from_bytes", lambda c, data: None)
    full = [str(d) for d in load_bank(mini_bank, partial=True)[1]]
    assert fast == full
    assert any("gap.yaml:11:13" in m and "Harbourton" in m for m in fast), fast


def test_a_line_read_before_is_checked_again_where_it_stands():
    """The reader remembers `key: value` lines it has read (a bank repeats
    them); a remembered line is still refused where its key may not be: a
    second time in one question or one citation."""
    qs = [Question(id=f"q-{i}", type="true_false", topic="dates", prompt=f"It was in {1900 + i}.",
                   answer="True", explanation="Because it says so.", difficulty="easy",
                   citations=(Citation("harbour", f"it was in {1900 + i}"),), tags=("one",))
          for i in range(3)]
    text = dump_questions(qs)
    assert agree(text)
    twice = text.replace("    difficulty: easy\n", "    difficulty: easy\n    difficulty: easy\n", 1)
    assert twice.count("difficulty: easy") == 4
    assert not agree(twice)  # the full path names the duplicate key
    quote = next(line for line in text.split("\n") if line.strip().startswith("quote:"))
    assert not agree(text.replace(quote + "\n", quote + "\n" + quote + "\n", 1))  # in a citation too
