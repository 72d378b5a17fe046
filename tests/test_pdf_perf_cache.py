"""The paragraph cache of the PDF renderer (flowables.SharedLayouts): shared
while in use or asked for twice, not held for good after a single use."""

from __future__ import annotations

import gc

from reportlab.lib.styles import ParagraphStyle

from quizgen.render.pdf.flowables import SharedLayouts

STYLE = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)


class Thing:
    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs


def test_a_value_in_use_is_shared():
    cache = SharedLayouts(Thing)
    one = cache("a", STYLE)
    assert cache("a", STYLE) is one
    assert cache("b", STYLE) is not one


def test_a_value_asked_for_once_is_not_held_after_use():
    cache = SharedLayouts(Thing)
    first = id(cache("a", STYLE))
    gc.collect()
    assert not cache._kept and not cache._alive
    assert cache("a", STYLE).args == ("a", STYLE) and first is not None


def test_a_value_asked_for_twice_is_held():
    cache = SharedLayouts(Thing)
    one = cache("a", STYLE)
    assert cache("a", STYLE) is one
    del one
    gc.collect()
    assert cache("a", STYLE).args == ("a", STYLE)
    assert list(cache._kept) == [("a", STYLE)]


def test_keywords_are_part_of_the_key_and_the_size_is_bounded():
    cache = SharedLayouts(Thing, maxsize=2)
    held = [cache("a", box=1), cache("a", box=1), cache("a", box=2), cache("a", box=2)]
    assert held[0] is held[1] and held[2] is held[3] and held[0] is not held[2]
    for text in "xyz":
        cache(text), cache(text)
    assert len(cache._kept) == 2
    cache.cache_clear()
    assert not cache._kept and not cache._alive
