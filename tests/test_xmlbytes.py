"""xml_bytes gives exactly ET.tostring(..., encoding="utf-8")'s bytes (the
Moodle and QTI exports use it), lone surrogates and markup characters too."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from quizgen.render.xmlbytes import xml_bytes

text = st.text(alphabet=st.characters(blacklist_categories=("Cc",)) | st.sampled_from("&<>\"'\n\t\ud800"), max_size=20)


@st.composite
def trees(draw, depth=0):
    element = ET.Element(draw(st.sampled_from(["a", "b", "mattext", "x:y"])),
                         draw(st.dictionaries(st.sampled_from(["ident", "title", "xmlns"]), text, max_size=2)))
    element.text = draw(st.none() | text)
    element.tail = draw(st.none() | text) if depth else None
    if depth < 3:
        element.extend(draw(st.lists(trees(depth + 1), max_size=3)))
    return element


@given(trees(), st.booleans())
def test_the_bytes_of_et_tostring(tree, indent):
    if indent:
        ET.indent(tree, space=" ")
    assert xml_bytes(tree) == ET.tostring(tree, encoding="utf-8", xml_declaration=False)
