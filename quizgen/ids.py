"""Stable ids: note GUIDs from question ids, deck and note-type ids from names.

Anki recognises a note it has seen before by its GUID, and a deck or note type
by its id. Deriving all three from names (never from text or the clock) is what
lets an edited question update its card in place instead of adding a duplicate.
Standard library only, so anything may import it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Sequence

# Anki's own GUID alphabet (base 91), so our GUIDs look like the ones Anki makes.
_BASE91 = (
    "abcdefghijklmnopqrstuvwxyz"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "0123456789"
    "!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)

# genanki's recommended id range: well clear of Anki's own millisecond-timestamp
# ids, so ours never collide with decks or note types a user made by hand.
ID_MIN = 1 << 30
ID_MAX = 1 << 31


def _digest(namespace: str, name: str) -> bytes:
    # The namespace keeps a deck and a note type of the same name apart.
    return hashlib.sha256(f"quizgen:{namespace}:{name}".encode("utf-8")).digest()


def stable_int(namespace: str, name: str, lo: int = ID_MIN, hi: int = ID_MAX) -> int:
    """An integer in [lo, hi) that depends only on namespace and name."""
    return lo + int.from_bytes(_digest(namespace, name)[:8], "big") % (hi - lo)


def deck_id(deck_name: str) -> int:
    """The id of a deck, from its full name (e.g. "Parent::Topic")."""
    return stable_int("deck", deck_name)


def note_type_id(key: str, fields: Sequence[str] = (), templates: Sequence[str] = ()) -> int:
    """The id of a note type, from its internal key (e.g. "mcq") and its schema:
    the names of its fields and card templates.

    The display name is left out, so a note type can be renamed in place. The
    schema is put in because Anki will not update a note type whose schema
    changed: it imports a copy. With a new id per schema, Anki's "Merge note
    types" import option moves existing notes onto the new note type and still
    compares their mod times, so a user's own edits survive the change."""
    return stable_int("note-type", "\x1f".join((key, *fields, "\x1e", *templates)))


def note_guid(question_id: str, namespace: str = "") -> str:
    """The GUID of the note for a question: a function of the bank's id
    namespace and the question id alone. The empty namespace gives the GUIDs
    of decks built before namespaces existed, so their review history stays."""
    name = f"{namespace}\x1f{question_id}" if namespace else question_id
    return base91(int.from_bytes(_digest("note", name)[:8], "big"))


# Every two-digit group, so a 64-bit value takes five divisions, not ten (a big
# bank makes one GUID per question).
_PAIRS = tuple(a + b for a in _BASE91 for b in _BASE91)
_PAIR = len(_PAIRS)


def base91(value: int) -> str:
    """A non-negative integer in _BASE91's digits, most significant first,
    without leading zeros ("a" for 0)."""
    if value < len(_BASE91):
        return _BASE91[value]
    groups = []
    while value >= _PAIR:
        value, rem = divmod(value, _PAIR)
        groups.append(_PAIRS[rem])
    # The leading group: two digits, or one when it is below 91 (never 0 here:
    # the loop leaves a quotient of at least 1).
    groups.append(_PAIRS[value] if value >= len(_BASE91) else _BASE91[value])
    return "".join(reversed(groups))


def deck_slug(name: str) -> str:
    """A file name for the deck and the exports named after it: lower case,
    words joined by hyphens; letters outside ASCII (Cyrillic, CJK) are kept."""
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", name).casefold())
    return "-".join(words) or "deck"
