"""Shortcuts the loader takes before parsing a file's bytes (quizgen/bank/marks.py)
report exactly what the full checks report."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank import marks

# Every byte, with the ones around the forbidden characters' encodings (C0,
# DEL, C1 as 0xC2 0x80-0x9F, U+2028/9 as 0xE2 0x80 0xA8/9, U+FFFE/F) common.
_NEAR = [0x00, 0x08, 0x09, 0x0A, 0x0B, 0x0D, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0x9F, 0xA0,
         0xA8, 0xA9, 0xBE, 0xBF, 0xC2, 0xE2, 0xEF, 0xBB]


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(st.one_of(st.integers(0, 255), st.sampled_from(_NEAR), st.sampled_from(b"a: -\n")),
                max_size=40).map(bytes))
def test_no_controls_shortcut_never_hides_one(data: bytes) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    if not marks._may_hold_controls(data):
        assert not marks.FORBIDDEN_IN_TEXT.search(text)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text(max_size=40))
def test_no_controls_shortcut_never_hides_one_in_text(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    if not marks._may_hold_controls(data):
        assert not marks.FORBIDDEN_IN_TEXT.search(text)


def test_controls_still_reported(tmp_path) -> None:
    for source, found in ((b"a: b\x1fc\n", "U+001F"), ("a: b\u2028c\n".encode(), "U+2028"),
                          (b"a: b\x7f\n", "U+007F"), ("a: \u0085\n".encode(), "U+0085")):
        path = tmp_path / "f.yaml"
        path.write_bytes(source)
        diagnostics = marks.load_yaml(path, "f.yaml")[1]
        assert len(diagnostics) == 1 and found in str(diagnostics[0]) and "control" in str(diagnostics[0])
