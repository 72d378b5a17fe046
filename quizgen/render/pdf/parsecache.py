"""Paragraph markup parsed once per shape, not once per paragraph.

quizgen writes a few shapes of markup over and over: ``<b>Why:</b> text``,
``<b>Source:</b> text``, an answer in <b>, a blank in <u>, a run of another
script in <font name=...>. reportlab parses every paragraph's markup with
html.parser, a sixth of a key's time. What the parse gives (the fragments,
each with its font, size, colour and lines) depends only on the tags and on
which stretches of text between them are empty: reportlab's parser splits
text only at '<' and '&', and each stretch becomes one fragment holding it.
So the first paragraph of a shape is parsed as reportlab does, with a
placeholder for each stretch, and every later one gets copies of those
fragments with its own text.

Only plain tags take this path (b, i, u, strike, font, and para around all),
in text without entities ('&') and in styles without text transforms; any
other paragraph is parsed by reportlab. tests/test_pdf_parsecache.py compares
the fragments with reportlab's for every paragraph of the shipped bank.
"""

from __future__ import annotations

import re

from reportlab.platypus.paraparser import ParaParser

_TAG = re.compile(r"(<[^>]*>)")
_PLAIN_TAG = re.compile(r"</?(?:b|i|u|strike|font|para)(?:\s[^<>&]*)?>\Z")
_MARK = "\ue000{}\ue001"  # a private-use placeholder the cleaner and parser leave alone
_SHAPES_KEPT = 512

_shapes: dict[tuple, tuple | None] = {}  # shape -> (fragments, index of the stretch each holds), or None


def parse(text: str, style, case_sensitive: int):
    """The fragments reportlab's parser makes of ``text`` (cleaned already),
    or None when this text or style needs reportlab's own parse."""
    if "&" in text or getattr(style, "textTransform", None):
        return None
    pieces = _TAG.split(text)  # text, tag, text, tag, ..., text
    key = (style, case_sensitive, tuple(pieces[1::2]), tuple(bool(s) for s in pieces[0::2]))
    shape = _shapes.get(key, False)
    if shape is False:
        shape = _shapes[key] = _parse_shape(pieces, style, case_sensitive)
        while len(_shapes) > _SHAPES_KEPT:
            _shapes.pop(next(iter(_shapes)))
    if shape is None:
        return None
    frags, holds = shape
    out = []
    for frag, i in zip(frags, holds):
        f = frag.clone()
        f.text = pieces[i]
        out.append(f)
    return out


def _parse_shape(pieces: list[str], style, case_sensitive: int):
    if not all(_PLAIN_TAG.match(tag) for tag in pieces[1::2]):
        return None
    template = "".join(_MARK.format(i) if i % 2 == 0 and piece else piece for i, piece in enumerate(pieces))
    parser = ParaParser()
    parser.caseSensitive = case_sensitive
    parsed_style, frags, bullet_frags = parser.parse(template, style)
    if frags is None or bullet_frags or parsed_style is not style:
        return None
    holds = []
    for f in frags:
        text = f.__dict__.get("text")
        index = next((i for i in range(0, len(pieces), 2) if pieces[i] and text == _MARK.format(i)), None)
        if index is None or f.__dict__.get("greek") or "cbDefn" in f.__dict__ or "lineBreak" in f.__dict__:
            return None  # a fragment that is not one stretch of text as it stands
        holds.append(index)
    if sorted(holds) != [i for i in range(0, len(pieces), 2) if pieces[i]]:
        return None
    return frags, holds
