"""quizgen: compile a source-tied question bank into Anki decks and PDF worksheets.

The pipeline is load -> validate -> expand -> select -> render. This module
imports nothing heavy so that ``quizgen --help`` stays fast.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
