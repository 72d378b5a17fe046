"""reportlab's uri_pat is compiled at first use (render/pdf/lazy_uri_pattern),
matching as the real pattern does; re.compile is itself again after the import."""

from __future__ import annotations

import re
import subprocess
import sys

CHECK = r"""
import re, sys
import quizgen.render.pdf  # installs the hook
from reportlab.platypus import paragraph
from quizgen.render.pdf.lazy_uri_pattern import LazyPattern
assert re.compile.__module__ == "re", re.compile
assert isinstance(paragraph.uri_pat, LazyPattern), type(paragraph.uri_pat)
assert isinstance(paragraph._hy_letters_pat, re.Pattern)  # every other pattern compiled as before
src = open(paragraph.__file__, encoding="utf-8").read()
start = src.index("uri_pat = re.compile(") + len("uri_pat = ")
real = eval(src[start:src.index("\n", start)], {"re": re})
for uri in ("https://example.com/a/b/", "ftp://10.0.0.1:21/x", "http://[::1]/", "not a uri", "HTTP://EXAMPLE.ORG",
            "https://bücher.example/ä"):
    a, b = paragraph.uri_pat.match(uri), real.match(uri)
    assert (a and a.groups()) == (b and b.groups()), uri
print("ok")
"""


def test_uri_pat_is_lazy_and_matches_as_reportlabs_own():
    # a fresh process: this one may have imported reportlab before the hook
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


def test_other_patterns_compile_as_ever():
    from quizgen.render.pdf import lazy_uri_pattern

    assert isinstance(lazy_uri_pattern._compile("a+b", re.I), re.Pattern)
    assert lazy_uri_pattern._compile(b"(^(?:[a-z0-9\\.\\-\\+]*)://)").pattern == b"(^(?:[a-z0-9\\.\\-\\+]*)://)"
