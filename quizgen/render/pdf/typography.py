"""Typographic quotes for printed sheets and keys.

Banks are typed with straight ' and "; the articles print curly ones, and a
sheet that mixes both looks careless. Every text a PDF prints passes through
``curly`` at the markup boundary (quizgen.render.pdf.page.Context.markup),
except what is verbatim article text (a citation's quote, a headline): that
keeps its own characters, and only the marks the key puts around it are
typographic. The bank, the manifest and the exports keep the text as typed.
"""

from __future__ import annotations

import functools
import re

# An opening mark follows the start, a space, an opening bracket or dash, or
# another opening mark; every other straight mark closes (or, for ', is an
# apostrophe, which is the same character ’).
_OPENS_AFTER = r"(^|(?<=[\s(\[{<\-–—/“‘]))"
_DOUBLE_OPEN = re.compile(_OPENS_AFTER + '"')
_SINGLE_OPEN = re.compile(_OPENS_AFTER + "'(?=\\w)")
_NOT_OPENING_YEAR = re.compile(r"‘(?=\d\ds\b|\d\d\b(?!\w*’))")  # '90s, '56: an elision, not a quote


@functools.lru_cache(maxsize=65536)
def curly(text: str) -> str:
    """``text`` with straight quotes as typographic ones: “…”, ‘…’ and ’."""
    if "'" not in text and '"' not in text:
        return text
    text = _DOUBLE_OPEN.sub("“", text).replace('"', "”")
    text = _SINGLE_OPEN.sub("‘", text)
    text = _NOT_OPENING_YEAR.sub("’", text)
    return text.replace("'", "’")
