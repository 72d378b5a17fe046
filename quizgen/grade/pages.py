"""Scans in, grey pages out: PDF pages rasterised with pdfium, PNG and JPEG
read with OpenCV. A file that cannot be read is an error message, not a
traceback (quizgen.grade.read collects them all)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DPI = 200


@dataclass(slots=True)
class Page:
    source: str  # the file, and "#N" for a PDF page
    image: object  # numpy uint8, grey


def load_pages(path: Path) -> tuple[list[Page], list[str]]:
    """The file's pages, or the errors that stopped it being read."""
    import numpy as np

    if path.suffix.lower() == ".pdf":
        import pypdfium2

        try:
            pdf = pypdfium2.PdfDocument(str(path))
        except (pypdfium2.PdfiumError, OSError) as exc:
            return [], [f"{path}: error: expected a readable PDF, found {exc}"]
        pages = []
        for i in range(len(pdf)):
            image = pdf[i].render(scale=DPI / 72, grayscale=True).to_numpy()
            pages.append(Page(f"{path}#{i + 1}", np.ascontiguousarray(image if image.ndim == 2 else image[..., 0])))
        return pages, []
    import cv2

    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as exc:
        return [], [f"{path}: error: cannot read: {exc.strerror or exc}"]
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if data.size else None
    if image is None:
        return [], [f"{path}: error: expected a PDF, PNG or JPEG scan, found a file no reader understands"]
    return [Page(str(path), image)], []
