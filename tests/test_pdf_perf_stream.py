"""A story made as it is laid out (page.build_pdf's feed) and a long table's
rows made a page at a time (longtable.PageTable from an iterator) give the
very bytes of the same story and rows made in advance."""

from __future__ import annotations

import hashlib

from reportlab.platypus import Paragraph, Spacer, Table

from quizgen.model import Bank, BankConfig
from quizgen.render.pdf.flowables import Block, Bookmark, para
from quizgen.render.pdf.longtable import PageTable
from quizgen.render.pdf.page import build_pdf, context, meta

CX = context(Bank(".", (), (), config=BankConfig(title="Stream test")))


def story(n: int, rows_as_list: bool):
    st = CX.st
    rows = ([para(f"{i}.", st.cell), Paragraph(f"answer {i} " * (1 + i % 7), st.cell)] for i in range(n))
    table = PageTable(list(rows) if rows_as_list else rows, [["", para("total", st.cell)]],
                      lambda body, last: Table([["#", "answer"]] + body, colWidths=[40, 300], repeatRows=1))
    out = [table]
    for i in range(n):
        out.append(Block([Bookmark(f"q{i}", f"question {i}"), Paragraph(f"question {i} " * (3 + i % 11), st.prompt)]))
        out.append(Paragraph(f"why {i} " * (2 + i % 5), st.detail))
        out.append(Spacer(1, 4))
    return out


def digest(flowables) -> str:
    data = build_pdf(flowables, meta(CX, "Stream", "test", "footer", ""), 1700000000, CX)
    return hashlib.sha256(data).hexdigest()


def test_a_story_made_as_it_goes_gives_the_same_bytes():
    made = digest(story(400, rows_as_list=True))
    assert digest(iter(story(400, rows_as_list=True))) == made
    assert digest(x for x in story(400, rows_as_list=False)) == made


def test_short_stories_and_tables_of_exactly_a_window():
    for n in (0, 1, 63, 64, 65, 129):
        assert digest(iter(story(n, rows_as_list=False))) == digest(story(n, rows_as_list=True))
