"""The story feed of the PDF renderer (page._Feed, page.build_pdf): a story
made as it is laid out gives the bytes of the same story made in advance."""

from __future__ import annotations

from reportlab.platypus import Paragraph, Spacer

from quizgen.model import Bank, BankConfig
from quizgen.render.pdf.page import _Feed, build_pdf, context, meta

BANK = Bank(".", (), (), config=BankConfig(title="Feed test"))


def story(cx, n: int) -> list:
    out = []
    for i in range(n):
        p = Paragraph(cx.markup(f"Paragraph {i}: " + "words to wrap " * (i % 17)), cx.st.body)
        if i % 50 == 7:  # a chain that keeps with the next ones, across a top-up of the feed
            p.keepWithNext = 1
            out += [p, Paragraph(cx.markup(f"kept with {i}"), cx.st.body)]
            continue
        out += [p, Spacer(1, 3)]
    return out


def pdf(flowables, cx) -> bytes:
    return build_pdf(flowables, meta(cx, "Feed", "feed", "footer", "quizgen"), 1700000000, cx)


def test_a_generator_story_gives_the_bytes_of_a_list_story():
    cx = context(BANK)
    made = story(cx, 700)
    assert pdf(iter(story(cx, 700)), cx) == pdf(made, cx)


def test_the_feed_holds_only_the_next_few_and_gives_every_flowable_in_order():
    made = []

    def gen():
        for i in range(1000):
            made.append(i)
            yield i

    feed = _Feed(gen())
    seen = []
    while len(feed):
        assert len(made) - len(seen) <= 2 * _Feed.AHEAD
        seen.append(feed[0])
        del feed[0]
    assert seen == list(range(1000))


def test_a_short_story_and_an_empty_one():
    assert list.__len__(_Feed([])) == 0 and len(_Feed([])) == 0
    feed = _Feed([1, 2, 3])
    assert len(feed) == 3 and list(feed) == [1, 2, 3]
