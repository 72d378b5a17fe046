"""Line breaking of a paragraph of several fragments, as reportlab does it, cheaper.

An answer key is mostly paragraphs like ``<b>Why:</b> text``: two fragments,
so reportlab's Paragraph.breakLines takes its general path, which for every
word compares the word's style with the line's (``sameFrag``, some
microseconds a call), looks up the font's ascent and descent, and sums the
widths of the line's spaces. Breaking these paragraphs was half a key's time.
In one paragraph those answers depend only on the pair of fragments and on
the font and size, so this works each out once.

``break_lines`` is that general path of reportlab 5 (platypus/paragraph.py,
Paragraph.breakLines, the branch for more than one fragment) with the
branches that cannot run for the paragraphs it accepts left out: no
hyphenation, shaping, bidi, images, <br/>, soft hyphens or words wider than
a line, and not the rest of a split paragraph. It returns the same lines, and sets the same attributes, as
reportlab would (tests/test_pdf_linebreak.py compares them); for any other
paragraph it returns None and the caller asks reportlab.
"""

from __future__ import annotations

import reportlab
from reportlab.lib.rl_accel import sameFrag
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import paragraph as rl

# The reportlab whose breakLines this reproduces (tests/test_pdf_linebreak.py
# compares the two); any other takes reportlab's own path.
SUPPORTED = reportlab.Version.split(".")[0] == "5"
_SHY = "\xad"


def _accepts(para) -> bool:
    style = para.style
    if not SUPPORTED or style.wordWrap or style.shaping or getattr(style, "hyphenationLang", ""):
        return False
    if style.uriWasteReduce or style.embeddedHyphenation:
        return False
    frags = para.frags
    if len(frags) < 2 or rl._processed_frags(frags):
        return False
    for f in frags:
        d = f.__dict__
        if "cbDefn" in d or "lineBreak" in d or "text" not in d or _SHY in d["text"]:
            return False
    return True


def break_lines(para, width):
    """reportlab's lines of ``para`` at ``width`` (a width or a list of them),
    or None when this paragraph needs reportlab's own code."""
    if not _accepts(para):
        return None
    maxWidths = width if isinstance(width, (tuple, list)) else [width]
    before = list(maxWidths)
    rl._handleBulletWidth(para.bulletText, para.style, maxWidths)
    maxWidth = maxWidths[0]
    _words = rl._getFragWords(para.frags, maxWidth)
    narrowest = min(maxWidths)
    for w in _words:
        if w[0] > narrowest or not isinstance(w, (list, rl._HSFrag)) or isinstance(w, rl._SplitFrag):
            maxWidths[:] = before  # reportlab will adjust it again
            return None  # a word to split: reportlab's own path
    return _break(para, _words, maxWidths)


def _break(para, _words, maxWidths):
    FragLine, HSFrag = rl.FragLine, rl._HSFrag
    FK_TEXT = rl._FK_TEXT
    para._width_max = 0
    para.height = lineno = 0
    para._splitLongWordCount = para._hyphenations = 0
    maxlineno = len(maxWidths) - 1
    spaceShrinkage = para.style.spaceShrinkage
    maxWidth = maxWidths[0]
    metrics: dict = {}  # (font, size) -> (ascent, descent), as getAscentDescent
    spaces: dict = {}  # (font, size) -> width of a space
    same: dict = {}  # (id of the fragment g was cloned from, id of f) -> sameFrag

    def ascent_descent(name, size):
        key = (name, size)
        found = metrics.get(key)
        if found is None:
            found = metrics[key] = getAscentDescent(name, size)
        return found

    def space(name, size):
        key = (name, size)
        found = spaces.get(key)
        if found is None:
            found = spaces[key] = stringWidth(" ", name, size)
        return found

    def space_of(word):  # the width of a space in a word of text, which the line's shrinking counts
        return space(word.fontName, word.fontSize) if word._fkind == FK_TEXT else None

    lines = []
    words = []
    spaces_of = []  # space_of each of words
    folded = set()  # (font, size) already in the line's maxSize, maxAscent and minDescent
    FW = []
    aFW = FW.append
    sFW = 0
    g = g_from = None
    for w in _words:
        aFW(w)
        f = w[-1][0]
        fontName = f.fontName
        fontSize = f.fontSize

        if not words:
            n = spaceWidth = currentWidth = 0
            maxSize = fontSize
            maxAscent, minDescent = ascent_descent(fontName, fontSize)
            folded = {(fontName, fontSize)}

        wordWidth = w[0]
        f = w[1][0]
        if wordWidth > 0:
            newWidth = currentWidth + spaceWidth + wordWidth
        else:
            newWidth = currentWidth

        limWidth = maxWidth
        if spaceShrinkage:  # the line may be set a little tighter: by a share of its spaces
            spaceShrink = spaceWidth
            for wi, sw in zip(words, spaces_of):
                if sw is not None:
                    ns = wi.text.count(" ")
                    if ns:
                        spaceShrink += ns * sw
            spaceShrink *= spaceShrinkage
            limWidth += spaceShrink

        if not (newWidth > limWidth and n > 0):
            nText = w[1][1]
            if nText:
                n += 1
            fontSize = f.fontSize
            pair = (f.fontName, fontSize)
            if pair not in folded:  # max and min of values already in give what they had
                folded.add(pair)
                ascent, descent = ascent_descent(f.fontName, fontSize)
                maxSize = max(maxSize, fontSize)
                maxAscent = max(maxAscent, ascent)
                minDescent = min(minDescent, descent)
            if not words:
                g, g_from = f.clone(), f
                words = [g]
                g.text = nText
                spaces_of = [space_of(g)]
            else:
                key = (id(g_from), id(f))
                alike = same.get(key)
                if alike is None:
                    # a clone differs from its original in its text only, which sameFrag ignores
                    alike = same[key] = sameFrag(g_from, f)
                if not alike:
                    if spaceWidth:
                        i = len(words) - 1
                        while i >= 0:
                            wi = words[i]
                            i -= 1
                            if wi._fkind == FK_TEXT:
                                if not wi.text.endswith(" "):
                                    wi.text += " "
                                break
                    g, g_from = f.clone(), f
                    words.append(g)
                    g.text = nText
                    spaces_of.append(space_of(g))
                elif spaceWidth:
                    if not g.text.endswith(" "):
                        g.text += " " + nText
                    else:
                        g.text += nText
                else:
                    g.text += nText

            spaceWidth = space(fontName, fontSize) if isinstance(w, HSFrag) else 0

            ni = 0
            for i in w[2:]:
                g, g_from = i[0].clone(), i[0]
                g.text = i[1]
                if g.text:
                    ni = 1
                words.append(g)
                spaces_of.append(space_of(g))
                fontSize = g.fontSize
                ascent, descent = ascent_descent(g.fontName, fontSize)
                maxSize = max(maxSize, fontSize)
                maxAscent = max(maxAscent, ascent)
                minDescent = min(minDescent, descent)
                folded.add((g.fontName, fontSize))
            if not nText and ni:
                n += 1
            currentWidth = newWidth
        else:  # it won't fit: end the line
            if currentWidth > para._width_max:
                para._width_max = currentWidth
            lines.append(FragLine(extraSpace=maxWidth - currentWidth, wordCount=n,
                                  lineBreak=False, words=words,
                                  fontSize=maxSize, ascent=maxAscent, descent=minDescent, maxWidth=maxWidth,
                                  sFW=sFW))
            sFW = len(FW) - 1

            lineno += 1
            maxWidth = maxWidths[min(maxlineno, lineno)]

            spaceWidth = space(fontName, fontSize) if isinstance(w, HSFrag) else 0
            currentWidth = wordWidth
            n = 1
            g, g_from = f.clone(), f
            maxSize = g.fontSize
            maxAscent, minDescent = ascent_descent(g.fontName, maxSize)
            folded = {(g.fontName, maxSize)}
            words = [g]
            g.text = w[1][1]
            spaces_of = [space_of(g)]

            for i in w[2:]:
                g, g_from = i[0].clone(), i[0]
                g.text = i[1]
                words.append(g)
                spaces_of.append(space_of(g))
                fontSize = g.fontSize
                ascent, descent = ascent_descent(g.fontName, fontSize)
                maxSize = max(maxSize, fontSize)
                maxAscent = max(maxAscent, ascent)
                minDescent = min(minDescent, descent)
                folded.add((g.fontName, fontSize))

    if words:
        if currentWidth > para._width_max:
            para._width_max = currentWidth
        lines.append(FragLine(extraSpace=(maxWidth - currentWidth), wordCount=n, lineBreak=False,
                              words=words, fontSize=maxSize, ascent=maxAscent, descent=minDescent, maxWidth=maxWidth,
                              sFW=sFW))
    para.frags = FW
    return rl.ParaLines(kind=1, lines=lines)
