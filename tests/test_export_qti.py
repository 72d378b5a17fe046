"""The Canvas QTI export, checked the way ../shared/schemas/EXPORTS.md says:
every XML file against the IMS schemas (xmlschema), then the structure."""

from __future__ import annotations

import html
import io
import os
import time
import xml.etree.ElementTree as ET
import zipfile

import pytest

from conftest import REAL_BANK, REPO
from export_fixtures import HOSTILE, hostile_bank, normal
from quizgen.render import RenderOptions
from quizgen.render import qti

SCHEMAS = REPO.parent / "shared" / "schemas" / "qti12"
TS = 1_700_000_000
NS = {"q": qti.QTI_NS, "cp": qti.CP_NS}


def _need(ok: bool, what: str) -> None:
    if not ok:
        if os.environ.get("QUIZGEN_CI") == "1":
            pytest.fail(f"{what} missing under .ci/run")
        pytest.skip(f"{what} missing")


@pytest.fixture(scope="module")
def schemas():
    try:
        import xmlschema
    except ImportError:
        xmlschema = None
    _need(xmlschema is not None, "xmlschema")
    _need(SCHEMAS.is_dir(), str(SCHEMAS))
    return {qti.QTI_NS: xmlschema.XMLSchema(str(SCHEMAS / "ccv1p1_qtiasiv1p2p1_v1p0.xsd")),
            qti.CP_NS: xmlschema.XMLSchema(str(SCHEMAS / "canvas_imscp_v1p1.xsd"))}


@pytest.fixture(scope="module")
def real_bank():
    from quizgen.bank.load import load_bank
    from quizgen.select import deliverable

    bank, diagnostics = load_bank(REAL_BANK)
    assert bank is not None, [str(d) for d in diagnostics]
    return deliverable(bank)


def check_package(data: bytes, bank, schemas) -> dict[str, ET.Element]:
    """Everything EXPORTS.md asks of a QTI zip; returns the items by ident."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    assert "imsmanifest.xml" in names
    for name in names:
        assert name.endswith(".xml"), name
        root = ET.fromstring(zf.read(name))
        ns = root.tag[1:].split("}")[0]
        assert ns in schemas, f"{name}: no schema for {ns}"
        errors = list(schemas[ns].iter_errors(zf.read(name).decode("utf-8")))
        assert not errors, f"{name}: {errors[0]}"
    manifest = ET.fromstring(zf.read("imsmanifest.xml"))
    hrefs = [f.get("href") for f in manifest.iter(f"{{{qti.CP_NS}}}file")]
    assert hrefs and all(h in names for h in hrefs)
    items = {}
    for name in names:
        root = ET.fromstring(zf.read(name))
        for item in root.iter(f"{{{qti.QTI_NS}}}item"):
            assert item.get("ident") not in items
            items[item.get("ident")] = item
    assert sorted(items) == sorted(q.id for q in bank.questions)
    for q in bank.questions:
        item = items[q.id]
        assert item.get("title") == q.id
        inside = normal(" ".join(item.itertext()))
        for c in q.citations:
            assert normal(c.quote, markup=False) in inside, (q.id, c.quote)
        if q.explanation:
            assert normal(q.explanation, markup=False) in inside, q.id
        conditions = item.findall("q:resprocessing/q:respcondition", NS)
        assert conditions[0].find("q:displayfeedback", NS).get("linkrefid") == "general_fb"
        assert conditions[0].get("continue") == "Yes"
        if q.type in ("mcq", "true_false"):
            labels = {label.get("ident"): "".join(label.itertext()).strip()
                      for label in item.iter(f"{{{qti.QTI_NS}}}response_label")}
            conditions = [c for c in item.iter(f"{{{qti.QTI_NS}}}respcondition")
                          if c.find("q:setvar", NS) is not None]
            best = max(conditions, key=lambda c: float(c.find("q:setvar", NS).text))
            assert labels[best.find("q:conditionvar/q:varequal", NS).text] == q.answer, q.id
        if q.type == "short_answer":
            keys = {v.text for v in item.iter(f"{{{qti.QTI_NS}}}varequal")}
            assert keys == {q.answer, *q.accept}
        if q.type == "cloze":
            blanks = [lid for lid in item.iter(f"{{{qti.QTI_NS}}}response_lid")]
            assert ["".join(b.find("q:render_choice", NS).itertext()).strip() for b in blanks] == \
                list(q.cloze_blanks)
        if q.type == "matching":
            lefts = item.findall("q:presentation/q:response_lid", NS)
            assert len(lefts) == len(q.pairs)
    return items


def test_real_bank_validates_and_keys(real_bank, schemas):
    data = qti.export(real_bank, RenderOptions(timestamp=TS))
    items = check_package(data, real_bank, schemas)
    assert len(items) == len(real_bank.questions) >= 100


def test_bytes_reproducible_and_dated_from_the_timestamp(real_bank):
    one = qti.export(real_bank, RenderOptions(timestamp=TS))
    assert one == qti.export(real_bank, RenderOptions(timestamp=TS))
    t = time.gmtime(TS)
    for info in zipfile.ZipFile(io.BytesIO(one)).infolist():
        assert info.date_time[:5] == (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min)
    assert one != qti.export(real_bank, RenderOptions(timestamp=TS + 86400))


def test_hostile_text_is_data(schemas):
    bank = hostile_bank()
    data = qti.export(bank, RenderOptions(timestamp=TS))
    items = check_package(data, bank, schemas)
    mattext = items["h-mcq"].find("q:presentation/q:material/q:mattext", NS).text
    assert "<script>" not in mattext and "&lt;script&gt;" in mattext
    # Canvas reads [name] in a question's HTML as a blank: only real blanks may say so.
    assert "[sound:" not in mattext
    shown = html.unescape(mattext)
    assert HOSTILE in shown
    cloze = items["h-cloze"].find("q:presentation/q:material/q:mattext", NS).text
    assert "[blank1]" in cloze and "[blank2]" in cloze and "[[" not in cloze
    feedback = "".join(items["h-short"].find("q:itemfeedback", NS).itertext())
    assert "We infer &lt;this&gt; from the dateline." in feedback
    order = items["h-order"]
    assert [m.text for m in order.iterfind("q:presentation/q:response_lid/q:material/q:mattext", NS)] == \
        ["Position 1", "Position 2", "Position 3"]
