"""Which page is this, and where is it? The QR code names the page (set,
copy, seed, page number) and gives a first, rough mapping from the sheet's
points to the scan's pixels in any orientation; the four solid corner markers,
searched near where that mapping puts them, give the exact one (a homography,
so rotation, scale and a slight skew all come out)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Located:
    payload: str
    to_image: object  # 3x3 homography: layout points (origin bottom-left) -> scan pixels


def _corners(rect, height=None):
    x, y, w, h = rect
    # top-left, top-right, bottom-right, bottom-left, as printed
    return [(x, y + h), (x + w, y + h), (x + w, y), (x, y)]


def read_qr(image):
    import zxingcpp

    found = [r for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
             if r.text.startswith("QG1;")]
    return found[0] if found else None


def locate(image, page_for) -> tuple[Located | None, object | None, str]:
    """(where, the layout page, "") or (None, None, why). ``page_for(payload)``
    returns the layout page a payload names, or None."""
    import cv2
    import numpy as np

    qr = read_qr(image)
    if qr is None:
        return None, None, "expected a page with a quizgen answer-sheet QR code, found none"
    page = page_for(qr.text)
    if page is None:
        return None, None, f"expected a page of this manifest's copies, found the code '{qr.text}'"
    p = qr.position
    seen = np.float32([[p.top_left.x, p.top_left.y], [p.top_right.x, p.top_right.y],
                       [p.bottom_right.x, p.bottom_right.y], [p.bottom_left.x, p.bottom_left.y]])
    # affine only: a perspective fitted to the small QR code would swing wildly at the far corners
    # (least squares over the four corners; layout y runs up, pixel y down, so it is a reflection)
    src = np.hstack([np.float64(_corners(page["qr"]["rect"])), np.ones((4, 1))])
    affine = np.linalg.lstsq(src, seen.astype(np.float64), rcond=None)[0].T
    rough = np.vstack([affine, [0, 0, 1]])
    centres = _markers(image, page, rough)
    if centres is None:
        return Located(qr.text, rough), page, ""
    want = np.float32([[m["rect"][0] + m["rect"][2] / 2, m["rect"][1] + m["rect"][3] / 2] for m in page["markers"]])
    return Located(qr.text, cv2.getPerspectiveTransform(want, np.float32(centres))), page, ""


def _markers(image, page, rough):
    """Each marker's centre: the biggest dark blob in a window around where the
    QR code's mapping puts it."""
    import cv2
    import numpy as np

    scale = float(np.linalg.norm(cv2.perspectiveTransform(np.float32([[[0, 0]], [[1, 0]]]), rough)[1, 0]
                                 - cv2.perspectiveTransform(np.float32([[[0, 0]]]), rough)[0, 0]))
    out = []
    for m in page["markers"]:
        x, y, w, h = m["rect"]
        cx, cy = cv2.perspectiveTransform(np.float32([[[x + w / 2, y + h / 2]]]), rough)[0, 0]
        r = int(w * scale * 1.6)
        x0, y0 = max(0, int(cx) - r), max(0, int(cy) - r)
        window = image[y0:int(cy) + r, x0:int(cx) + r]
        if window.size == 0:
            return None
        _, dark = cv2.threshold(window, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
        n, _, stats, cents = cv2.connectedComponentsWithStats(dark)
        area = (w * scale) ** 2
        best = [i for i in range(1, n) if 0.5 * area < stats[i, cv2.CC_STAT_AREA] < 1.6 * area]
        if not best:
            return None
        i = min(best, key=lambda i: (cents[i][0] + x0 - cx) ** 2 + (cents[i][1] + y0 - cy) ** 2)
        out.append((cents[i][0] + x0, cents[i][1] + y0))
    return out
