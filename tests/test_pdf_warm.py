"""quizgen.render.pdf.warm(): a synthetic sheet and key laid out before the
real ones (in the process a build forks its workers from) changes no byte of them."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REAL_BANK, REPO

# Renders the sets' worksheets and keys of the shipped bank in a fresh
# process, warmed up first or not, and prints each file's sha256.
SCRIPT = """
import hashlib, json, sys
from pathlib import Path
from quizgen.build import default_options, load_or_raise
from quizgen.render.units import plan_units
from quizgen.select import deliverable
import quizgen.render.pdf as pdf

bank, _ = load_or_raise(Path(sys.argv[1]))
if sys.argv[2] == "warm":
    pdf.warm()
options = default_options(timestamp=1700000000)
out = {}
for unit in plan_units(deliverable(bank), ("pdf",), options):
    for name, data in pdf.render_set(unit.bank, unit.qset, options, unit.part):
        out[name] = hashlib.sha256(data).hexdigest()
print(json.dumps(out))
"""


def _hashes(mode: str) -> dict[str, str]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(REAL_BANK), mode], cwd=REPO,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_warming_up_changes_no_byte_of_the_real_pdfs():
    cold, warm = _hashes("cold"), _hashes("warm")
    assert len(cold) > 10 and cold == warm


def test_warm_leaves_no_paragraphs_behind():
    import quizgen.render.pdf as pdf
    from quizgen.render.pdf import flowables

    pdf.warm()
    for cache in (flowables.para, flowables.boxed, flowables._template):
        assert not cache._kept
