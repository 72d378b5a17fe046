"""Grading printed answer sheets from scans.

The pipeline, in the order the data flows:

    scans (PDF/PNG/JPEG) -> pages found and identified by their code
    -> every box of NAME.layout.json measured -> marks decided, doubtful ones
    flagged for review -> results.py rows (one per copy and question)
    -> totals, item analysis and the key check.

Heavy libraries (OpenCV, numpy, the QR reader, pdfium, matplotlib) are
imported only inside the modules that need them, never here, so that
`quizgen --help` stays light.
"""
