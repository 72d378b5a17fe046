"""Synthetic scans for the grading tests and bench/bench_grade.py: answer
sheets rasterised with pdfium, marks drawn from NAME.layout.json, then
rotated, scaled, noised and JPEG-compressed like a cheap scanner would."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pypdfium2

# grey level of the ink inside the box, and how much of the box it covers
STYLES = {"clear": (35, 0.85), "faint": (180, 0.8), "erased": (205, 0.9)}


def rasterise(pdf_path, dpi):
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    out = []
    for page in pdf:
        image = page.render(scale=dpi / 72, grayscale=True).to_numpy()
        out.append(np.ascontiguousarray(image if image.ndim == 2 else image[..., 0]))
    return out


def draw_mark(image, rect, dpi, style, rng):
    grey, cover = STYLES[style]
    s = dpi / 72
    x, y, w, h = rect
    height = image.shape[0]
    cx, cy = (x + w / 2) * s, height - (y + h / 2) * s
    rx, ry = w * s * cover / 2, h * s * cover / 2
    jitter = lambda: rng.uniform(-0.6, 0.6)
    pts = np.int32([[cx - rx + jitter(), cy - ry + jitter()], [cx + rx + jitter(), cy - ry + jitter()],
                    [cx + rx + jitter(), cy + ry + jitter()], [cx - rx + jitter(), cy + ry + jitter()]])
    cv2.fillPoly(image, [pts], int(grey))


def distort(image, rng, angle=None, scale=None, turn=0, noise=6.0, quality=50):
    h, w = image.shape
    angle = rng.uniform(-5, 5) if angle is None else angle
    scale = rng.uniform(0.97, 1.03) if scale is None else scale
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    out = cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    out = np.rot90(out, turn // 90).copy() if turn else out
    out = np.clip(out.astype(np.float32) + np.random.default_rng(rng.randrange(1 << 30)).normal(0, noise, out.shape),
                  0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return data.tobytes()
