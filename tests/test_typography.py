"""Straight quotes in the bank print as typographic ones; article text keeps its own."""

from __future__ import annotations

import pypdf

from quizgen.model import Bank, Citation, Question, QuestionSet, Source
from quizgen.render import RenderOptions
from quizgen.render.pdf import render
from quizgen.render.pdf.typography import curly


def test_pairs_apostrophes_and_elisions():
    assert curly('He said "no" to Kono\'s plan.') == "He said “no” to Kono’s plan."
    assert curly("the 'two-plus-two' talks") == "the ‘two-plus-two’ talks"
    assert curly('("quoted")') == "(“quoted”)"
    assert curly("in the '90s") == "in the ’90s"
    assert curly("“already” ‘curly’") == "“already” ‘curly’"
    assert curly("the leaders' talks") == "the leaders’ talks"


def text_of(path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_sheets_and_keys_print_typographic_quotes_and_keep_quotes_verbatim(tmp_path):
    source = Source("s", "s.txt", "0" * 64, "Herald", 'The "big" fair')
    question = Question("q", "mcq", "t", 'Which "autumn" fair did the mayor\'s office open?', "The 'old' fair",
                        'The mayor said "it\'s open".', (Citation("s", "the mayor's 'old' fair"),),
                        options=("The 'old' fair", "The new fair"))
    render(Bank("b", (source,), (question,), (QuestionSet("s", "Fairs", instructions='Read "both" articles.'),)),
           tmp_path, RenderOptions(timestamp=0))
    sheet, key = text_of(tmp_path / "s.pdf"), text_of(tmp_path / "s-key.pdf")
    assert "“autumn”" in sheet and "mayor’s" in sheet and "‘old’" in sheet and "“both”" in sheet
    assert '"' not in sheet and "'" not in sheet
    assert "“it’s open”" in key
    # the quote and the headline are the article's words: their characters stay, the marks around them curl
    assert "“the mayor's 'old' fair”" in key and '“The "big" fair”' in key
