"""quizgen is a tool for any teacher's material: the package must not know the
subject of the bank it ships with. Everything subject-specific lives in the
bank's own files (questions/), so these names may appear only there."""

from __future__ import annotations

import re
from pathlib import Path

import quizgen

PACKAGE = Path(quizgen.__file__).resolve().parent

# The shipped bank's proper names (people, places, outlets, documents), as the
# articles print them, plus the island names in the scripts the bank adds.
SHIPPED_NAMES = (
    "Russia", "Russian Federation", "Japan", "Kuril", "Kurils", "Putin", "Abe", "Shinzo", "Lavrov", "Kono",
    "Kishida", "Kawamura", "Nagato", "Shikotan", "Habomai", "Iturup", "Kunashir", "Tokyo", "Moscow",
    "Vladivostok", "Singapore", "Okhotsk", "Kremlin", "Sputnik", "TASS", "NHK", "Northern Territories",
    "Southern Kurils", "Joint Declaration", "peace treaty", "1956",
)
# Names in scripts without spaces between words are found anywhere in a line.
SHIPPED_SCRIPT_NAMES = ("Итуруп", "Кунашир", "Шикотан", "Хабомаи", "択捉", "国後", "色丹", "歯舞")
PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in SHIPPED_NAMES) + r")(?![\w-])|"
                     + "|".join(SHIPPED_SCRIPT_NAMES), re.I)

# A font's own licence text is the font author's, not ours to edit.
NOT_OURS = re.compile(r"OFL[^/]*\.txt\Z")


def package_text_files() -> list[Path]:
    files = []
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or NOT_OURS.search(path.name):
            continue
        try:
            path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # a binary file (a font): no words in it to check
        files.append(path)
    return files


def test_the_package_names_nothing_of_the_shipped_bank():
    files = package_text_files()
    assert any(p.suffix == ".py" for p in files) and any(p.suffix == ".json" for p in files), files
    hits = []
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for m in PATTERN.finditer(line):
                hits.append(f"{path.relative_to(PACKAGE)}:{n}: {m.group()}")
    assert hits == []


def test_the_check_finds_a_name_where_there_is_one():
    # The pattern must match the forms the bank uses, or the test above proves nothing.
    for text in ("Russia and Japan", "the 1956 declaration", "Putin's visit", "Итуруп", "択捉島", "Kuril Islands"):
        assert PATTERN.search(text), text
    for text in ("Abel", "Japanese script", "a peace treaty-like", "19560"):
        assert not PATTERN.search(text), text
