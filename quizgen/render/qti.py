"""Canvas QTI 1.2: a zip of imsmanifest.xml and one assessment file.

Canvas's own flavour (what its exports and text2qti write): the assessment in
the IMS QTI ASI 1.2 namespace, the manifest in the Common Cartridge 1.1 CP
namespace. Question ids are every item's ident and title; each choice's ident
is the question id plus its place, so a re-import matches item for item.

Types: mcq -> multiple_choice_question, true_false -> true_false_question,
short_answer -> short_answer_question (the key and every accepted form),
cloze -> fill_in_multiple_blanks_question (one named blank per gap), matching
-> matching_question. Canvas has no ordering type: an ordering question becomes
a matching question whose left column is "Position 1..n".

Every item's general feedback carries its explanation, its support status when
not "quoted", and all its citation quotes with outlet, date and headline.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import xml.etree.ElementTree as ET
import zipfile
from html import escape

from quizgen.bank.balance import option_order
from quizgen.model import CLOZE_BLANK, Bank, Question
from quizgen.render.fragments import pieces
from quizgen.render.xmlbytes import xml_bytes

SUFFIX = ".zip"

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_XSD = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

CANVAS_TYPES = {
    "mcq": "multiple_choice_question",
    "true_false": "true_false_question",
    "short_answer": "short_answer_question",
    "cloze": "fill_in_multiple_blanks_question",
    "matching": "matching_question",
    "ordering": "matching_question",
}

# XML 1.0 has no way to write these characters at all, not even as references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _html(value: str) -> str:
    """Bank text as HTML inside a text/html mattext. Canvas reads `[name]` in a
    question's HTML as a blank, so literal brackets become references."""
    return escape(_clean(value), quote=False).replace("[", "&#91;").replace("]", "&#93;").replace("\n", "<br>")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        el.text = _clean(text)
    return el


def _material(parent: ET.Element, text: str, html: bool = False) -> ET.Element:
    material = _sub(parent, "material")
    _sub(material, "mattext", text, texttype="text/html" if html else "text/plain")
    return material


def _stable_ident(*parts: str) -> str:
    # Canvas wants idents that are unique in the package; a digest keeps them
    # stable and free of characters an id could bring.
    return "g" + hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:32]


def feedback_html(bank: Bank, q: Question) -> str:
    parts = []
    if q.explanation:
        parts.append(f"<p>{_html(q.explanation)}</p>")
    if q.support.status != "quoted":
        label = bank.config.label(f"support_{q.support.status}") or q.support.status
        reason = f" {_html(q.support.reason)}" if q.support.reason else ""
        parts.append(f"<p><strong>{_html(label)}:</strong>{reason}</p>")
    for c in q.citations:
        try:
            s = bank.source(c.source)
            head = " · ".join(x for x in (s.outlet_label, s.date_label, s.headline) if x)
        except (KeyError, LookupError):
            head = c.source
        parts.append(f"<blockquote><p>{_html(c.quote)}</p><p>— {_html(head)}</p></blockquote>")
    parts.append(f"<p><small>{_html(q.id)}</small></p>")
    return "".join(parts)


def _metadata(item: ET.Element, q: Question, points: int) -> None:
    meta = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    for label, entry in (("question_type", CANVAS_TYPES[q.type]), ("points_possible", str(points)),
                         ("original_answer_ids", ""), ("assessment_question_identifierref", "")):
        field = _sub(meta, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _outcomes(resprocessing: ET.Element) -> None:
    _sub(_sub(resprocessing, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")


def _condition(resprocessing: ET.Element, respident: str, value: str, score: str, stop: bool = True) -> None:
    # The Common Cartridge profile allows only action="Set": a part of a
    # matching or blanks item sets its share (Canvas scores those per part).
    cond = _sub(resprocessing, "respcondition", continue_="No" if stop else "Yes")
    _sub(_sub(cond, "conditionvar"), "varequal", value, respident=respident)
    _sub(cond, "setvar", score, action="Set", varname="SCORE")


def _choice_item(item, presentation, q: Question) -> None:
    order = option_order(q.id, q.options) if q.type == "mcq" else list(range(len(q.options)))
    lid = _sub(presentation, "response_lid", ident="response1", rcardinality="Single")
    render = _sub(lid, "render_choice")
    key = ""
    for j in order:
        ident = f"{q.id}-{j + 1}"
        _material(_sub(render, "response_label", ident=ident), q.options[j])
        if q.options[j] == q.answer:
            key = ident
    rp = _sub(item, "resprocessing")
    _outcomes(rp)
    _condition(rp, "response1", key, "100")


def _short_item(item, presentation, q: Question) -> None:
    lid = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
    _sub(lid, "render_fib", fibtype="String", prompt="Box")
    rp = _sub(item, "resprocessing")
    _outcomes(rp)
    cond = _sub(rp, "respcondition", continue_="No")
    var = _sub(cond, "conditionvar")
    for answer in dict.fromkeys((q.answer, *q.accept)):
        _sub(var, "varequal", answer, respident="response1")
    _sub(cond, "setvar", "100", action="Set", varname="SCORE")


def _cloze_item(item, presentation, q: Question) -> None:
    blanks = q.cloze_blanks
    rp_conditions = []
    for i, answer in enumerate(blanks, start=1):
        name = f"blank{i}"
        lid = _sub(presentation, "response_lid", ident=f"response_{name}")
        _material(lid, name)
        render = _sub(lid, "render_choice")
        ident = f"{q.id}-b{i}"
        _material(_sub(render, "response_label", ident=ident), answer)
        rp_conditions.append((f"response_{name}", ident))
    rp = _sub(item, "resprocessing")
    _outcomes(rp)
    share = f"{100 / max(len(blanks), 1):.2f}"
    for respident, ident in rp_conditions:
        _condition(rp, respident, ident, share, stop=False)


def _pairs(q: Question) -> list[tuple[str, str]]:
    if q.type == "ordering":
        return [(f"Position {i}", item) for i, item in enumerate(q.items, start=1)]
    return list(q.pairs)


def _matching_item(item, presentation, q: Question) -> None:
    pairs = _pairs(q)
    rights = list(dict.fromkeys([*(right for _, right in pairs), *q.spares]))  # spares: choices no left takes
    from quizgen.render.anki.notes import shuffled_order

    order = shuffled_order(q.id, "right", len(rights))
    right_ident = {right: f"{q.id}-r{i + 1}" for i, right in enumerate(rights)}
    conditions = []
    for i, (left, right) in enumerate(pairs, start=1):
        lid = _sub(presentation, "response_lid", ident=f"response_{q.id}-l{i}")
        _material(lid, left)
        render = _sub(lid, "render_choice")
        for j in order:
            _material(_sub(render, "response_label", ident=right_ident[rights[j]]), rights[j])
        conditions.append((f"response_{q.id}-l{i}", right_ident[right]))
    rp = _sub(item, "resprocessing")
    _outcomes(rp)
    share = f"{100 / max(len(pairs), 1):.2f}"
    for respident, ident in conditions:
        _condition(rp, respident, ident, share, stop=False)


def _prompt_html(q: Question) -> str:
    if q.type != "cloze":
        return f"<p>{_html(q.prompt)}</p>"
    parts, last = [], 0
    for i, match in enumerate(CLOZE_BLANK.finditer(q.prompt), start=1):
        parts.append(_html(q.prompt[last:match.start()]))
        parts.append(f"[blank{i}]")
        last = match.end()
    parts.append(_html(q.prompt[last:]))
    return f"<p>{''.join(parts)}</p>"


def item_element(bank: Bank, q: Question) -> ET.Element:
    from quizgen.select import question_points

    item = ET.Element("item", ident=q.id, title=q.id)
    _metadata(item, q, question_points(q))
    presentation = _sub(item, "presentation")
    _material(presentation, _prompt_html(q), html=True)
    build = {"mcq": _choice_item, "true_false": _choice_item, "short_answer": _short_item,
             "cloze": _cloze_item, "matching": _matching_item, "ordering": _matching_item}[q.type]
    build(item, presentation, q)
    # General feedback: Canvas shows it after an answer, whichever answer. It
    # comes first, as in Canvas's own exports: a scoring condition stops the
    # processing (continue="No"), so a feedback condition after it would be
    # skipped for a right answer.
    rp = item.find("resprocessing")
    cond = ET.Element("respcondition", {"continue": "Yes"})
    rp.insert(1, cond)
    _sub(_sub(cond, "conditionvar"), "other")
    _sub(cond, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    feedback = _sub(item, "itemfeedback", ident="general_fb")
    _material(_sub(feedback, "flow_mat"), feedback_html(bank, q), html=True)
    return item


def assessment_xml(bank: Bank, ident: str, title: str) -> bytes:
    root = ET.Element("questestinterop", {"xmlns": QTI_NS, "xmlns:xsi": XSI_NS,
                                          "xsi:schemaLocation": f"{QTI_NS} {QTI_XSD}"})
    assessment = _sub(root, "assessment", ident=ident, title=title)
    meta = _sub(assessment, "qtimetadata")
    field = _sub(meta, "qtimetadatafield")
    _sub(field, "fieldlabel", "cc_maxattempts")
    _sub(field, "fieldentry", "1")
    section = _sub(assessment, "section", ident="root_section")
    if not bank.questions:
        return _serialize(root)
    # The items are printed one by one (most come from the build cache:
    # quizgen.render.fragments) and put where a placeholder stands, which
    # ET.indent spaces as it would the first item and follows as the last.
    _sub(section, _ITEMS)
    items = pieces("qti", bank.questions, lambda q: _item_text(bank, q))
    head, tail = _serialize(root).split(f"<{_ITEMS} />".encode())
    return head + "\n   ".join(items).encode("utf-8", "xmlcharrefreplace") + tail


_ITEMS = "quizgen-items"  # no text of the bank can print as this tag: "<" is escaped


def _item_text(bank: Bank, q: Question) -> str:
    """An item as ET.indent(root, " ") prints it inside questestinterop/assessment/section."""
    item = item_element(bank, q)
    ET.indent(item, space=" ", level=3)
    return ET.tostring(item, encoding="unicode")


def manifest_xml(manifest_ident: str, resource_ident: str, href: str, title: str) -> bytes:
    root = ET.Element("manifest", {"identifier": manifest_ident, "xmlns": CP_NS, "xmlns:xsi": XSI_NS,
                                   "xsi:schemaLocation": f"{CP_NS} {CP_XSD}"})
    meta = _sub(root, "metadata")
    _sub(meta, "schema", "IMS Content")
    _sub(meta, "schemaversion", "1.1.3")
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    resource = _sub(resources, "resource", identifier=resource_ident, type="imsqti_xmlv1p2")
    _sub(resource, "file", href=href)
    return _serialize(root)


def _serialize(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + xml_bytes(root) + b"\n"


def _zip_time(timestamp: int) -> tuple[int, int, int, int, int, int]:
    # Zip dates start in 1980 and have two-second steps.
    t = time.gmtime(max(int(timestamp), 315532800))
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec - t.tm_sec % 2)


def export(bank: Bank, options) -> bytes:
    title = options.deck_name or bank.config.deck
    ident = _stable_ident("assessment", bank.config.id_namespace, title)
    href = f"{ident}/{ident}.xml"
    files = [
        ("imsmanifest.xml", manifest_xml(_stable_ident("manifest", bank.config.id_namespace, title),
                                         ident, href, title)),
        (href, assessment_xml(bank, ident, title)),
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=_zip_time(options.timestamp))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data)
    return buf.getvalue()
