"""How much ink is in each box: the page is warped into layout coordinates
(PX pixels per point), then each box's inside, shrunk past its printed
outline, is measured: ``dark`` is the share of pixels darker than half the
paper's white (pen), ``grey`` the mean darkness (a smudge or an erased mark
raises it without making pixels dark)."""

from __future__ import annotations

PX = 3.0
INSET = 2.0  # points inside the rectangle: past the outline and a little blur
SNAP = 6  # pixels each way a box may sit off where the page's homography puts it


def warp(image, to_image, size):
    import cv2
    import numpy as np

    w, h = size
    # layout points (origin bottom-left) -> warped pixels (origin top-left)
    flip = np.float64([[PX, 0, 0], [0, -PX, h * PX], [0, 0, 1]])
    to_warped = flip @ np.linalg.inv(to_image)
    return cv2.warpPerspective(image, to_warped, (int(w * PX), int(h * PX)), flags=cv2.INTER_AREA,
                               borderValue=255)


def box_pixels(warped, rect, height, margin=INSET):
    x, y, w, h = rect
    top = (height - y - h + margin) * PX
    left = (x + margin) * PX
    return warped[int(top):int(top + (h - 2 * margin) * PX), int(left):int(left + (w - 2 * margin) * PX)]


def paper_white(warped) -> float:
    import numpy as np

    return float(np.percentile(warped[::4, ::4], 90))


def snapped(warped, rect, height):
    """The rectangle moved onto its printed outline: the offset where the
    outline's four sides are darkest. A filled box is dark everywhere, so any
    offset serves it; a blank one gets its edges out of the measurement."""
    import numpy as np

    x, y, w, h = rect
    top, left = int(round((height - y - h) * PX)), int(round(x * PX))
    bw, bh = int(round(w * PX)), int(round(h * PX))
    t0, l0 = max(0, top - SNAP), max(0, left - SNAP)
    area = 255.0 - warped[t0:top + bh + SNAP + 1, l0:left + bw + SNAP + 1].astype(np.float32)
    if area.shape[0] < bh + 2 * SNAP or area.shape[1] < bw + 2 * SNAP:
        return rect
    cols, rows = area.sum(axis=0), area.sum(axis=1)
    dx = max(range(-SNAP, SNAP + 1), key=lambda d: cols[left - l0 + d] + cols[left - l0 + d + bw - 1])
    dy = max(range(-SNAP, SNAP + 1), key=lambda d: rows[top - t0 + d] + rows[top - t0 + d + bh - 1])
    return (x + dx / PX, y - dy / PX, w, h)


def fill(warped, rect, height, white) -> tuple[float, float]:
    import numpy as np

    cell = box_pixels(warped, snapped(warped, rect, height), height).astype(np.float32)
    if cell.size == 0:
        return 0.0, 0.0
    dark = float((cell < white * 0.5).mean())
    grey = float(np.clip(1 - cell / max(white, 1), 0, 1).mean())
    return dark, grey
