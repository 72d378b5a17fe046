"""The cyclic garbage collector paused around work that makes many small
objects and no cycles (loading a bank, streaming a deck): each collection
would walk every one of them again, to free nothing."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc(freeze_after: int | None = None) -> Iterator[None]:
    """Collector off inside. With ``freeze_after``: when more young objects
    than that are alive on leaving, they are frozen, so the first collection
    after does not traverse all of them at once (they are still freed when
    their last reference goes)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if freeze_after is not None and gc.get_count()[0] > freeze_after:
                gc.freeze()
            gc.enable()
