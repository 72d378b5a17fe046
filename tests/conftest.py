"""Shared fixtures: a tiny bank over a tiny corpus of our own, and the paths of
the real bank and corpus."""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

# The suite never reads or fills the user's cache (quizgen/cachestore.py): one
# throwaway cache for the session, subprocesses included; a test that wants
# its own sets QUIZGEN_CACHE_DIR itself.
_CACHE = tempfile.mkdtemp(prefix="quizgen-test-cache-")
atexit.register(shutil.rmtree, _CACHE, True)
os.environ["QUIZGEN_CACHE_DIR"] = _CACHE

REPO = Path(__file__).resolve().parents[1]
REAL_BANK = REPO / "questions"
REAL_CORPUS = REPO.parent / "shared" / "corpus"

# A made-up article: our own corpus, so these tests never depend on the real one.
MINI_ARTICLE = (
    "Harbour Talks Resume\n\n"
    "The two \u201cneighbouring\u201d ministers met in Portville on Monday\u00a0morning.\n"
    "They agreed to meet again in 2030 \u2014 after the harvest festival.\n"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def mini_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "harbour.txt").write_text(MINI_ARTICLE, encoding="utf-8")
    return corpus


@pytest.fixture
def mini_bank(tmp_path: Path, mini_corpus: Path) -> Path:
    """A valid bank of two questions citing the mini corpus."""
    root = tmp_path / "bank"
    sha = hashlib.sha256((mini_corpus / "harbour.txt").read_bytes()).hexdigest()
    write(root / "bank.yaml", """
        title: Harbour Talks
        corpus: ../corpus
        id_namespace: harbour-tests
        """)
    write(root / "sources.yaml", f"""
        sources:
          - id: harbour
            file: harbour.txt
            sha256: {sha}
            outlet: The Test Gazette
            headline: Harbour Talks Resume
            inferred_date: "2029-10"
            inferred_reason: Invented for the tests.
        """)
    write(root / "curated" / "basics.yaml", """
        questions:
          - id: where-met
            type: mcq
            topic: meetings
            tags: [portville]
            difficulty: easy
            prompt: Where did the ministers meet?
            options: [Portville, Harbourton, Lakeside]
            answer: Portville
            explanation: They met in Portville.
            citations:
              - source: harbour
                quote: The two "neighbouring" ministers met in Portville on Monday morning.
          - id: next-year
            type: true_false
            topic: dates
            tags: [plans]
            difficulty: medium
            prompt: They agreed to meet again in 2030.
            answer: true
            explanation: The article names 2030, after the harvest festival.
            citations:
              - source: harbour
                quote: meet again in 2030 - after the harvest festival
        """)
    return root
