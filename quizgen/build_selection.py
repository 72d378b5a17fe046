"""Each set's selection (which candidates its sheets print, and the leaks
that kept the others off), remembered in the build cache, so that a build
weighs again only the sets whose candidates changed: the weighing is
quadratic in a set's size, and it decides the keys of the set's units, so it
happens in the build's own process before anything renders.

An entry names questions by their place among the set's candidates; its key
covers the code, the set, the seed, the config and sources, and every
candidate's canonical bytes (quizgen.build_cache), so a hit is the selection
those candidates make. Anything unexpected in an entry is a miss.
"""

from __future__ import annotations

import json

from quizgen.build_cache import Digests, NotCanonical

SELECTION_FORMAT = "quizgen-selection/1"


class CachedSelections:
    """``render.units.plan_units``' ``selections``: render.pdf.set_selection,
    through the store."""

    def __init__(self, store, digests: Digests):
        self._store = store
        self._digests = digests

    def __call__(self, candidates, qset, seed):
        from quizgen.render.pdf import set_selection

        key = self._key(candidates, qset, seed)
        if key is not None:
            blob = self._store.get(key)
            hit = decode(blob, candidates.questions) if blob is not None else None
            if hit is not None:
                return hit
        chosen = set_selection(candidates, qset, seed)
        if key is not None:
            blob = encode(chosen, candidates.questions)
            if blob is not None:
                self._store.put(key, blob)
        return chosen

    def _key(self, candidates, qset, seed) -> str | None:
        from quizgen.cachestore import digest

        d = self._digests
        try:
            return digest(SELECTION_FORMAT, d.code, d.of(qset), repr(seed), d.of(candidates.config),
                          d.of(candidates.sources), d.questions(candidates.questions))
        except NotCanonical:
            return None


def encode(chosen, candidates) -> bytes | None:
    """The entry, or None when a question of it is not among the candidates."""
    place = {id(q): i for i, q in enumerate(candidates)}
    try:
        entry = {"format": SELECTION_FORMAT,
                 "questions": [place[id(q)] for q in chosen.questions],
                 "left_out": [[place[id(leak.question)], leak.key, leak.by, leak.text, leak.kind]
                              for leak in chosen.left_out]}
    except KeyError:
        return None
    return json.dumps(entry, ensure_ascii=True, separators=(",", ":")).encode()


def decode(blob: bytes, candidates):
    from quizgen.select import Selection
    from quizgen.select_leaks import Leak

    try:
        entry = json.loads(blob)
        if entry["format"] != SELECTION_FORMAT:
            return None
        n = len(candidates)

        def at(i):
            if type(i) is not int or not 0 <= i < n:
                raise ValueError(i)
            return candidates[i]

        questions = tuple(at(i) for i in entry["questions"])
        left_out = []
        for i, key, by, text, kind in entry["left_out"]:
            if not all(isinstance(v, str) for v in (key, by, text, kind)):
                return None
            left_out.append(Leak(at(i), key, by, text, kind))
    except (ValueError, KeyError, TypeError):
        return None
    return Selection(questions, tuple(left_out))
