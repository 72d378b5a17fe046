"""The per-file validation cache: a question file's records and diagnostics,
keyed by everything they depend on, so an unchanged file is not parsed again.

The key (cachestore.digest) covers the quizgen version, the source of every
module that reads, checks or models a record (an edited checker is a new key
without anyone bumping a number), PyYAML's version, the name diagnostics show
for the file, the source ids and the valid sources' records (citations are
checked against the ids, keys against the sources' printed text) and the
sha256 of the file's bytes (the parent looks a file up by the digest
filedigest remembers for it; the worker that reads it keys the bytes it
read). Cross-file checks are not cached: they run on every load.

Entries are pickles of quizgen's own frozen dataclasses and builtins, read
back with an unpickler that resolves no other global, so even an entry
someone crafted can build nothing but those (cachestore's self-check already
turns a torn or edited entry into a miss; anything that fails to unpickle is
a miss as well).
"""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
from pathlib import Path

from quizgen.cachestore import Store, digest  # noqa: F401 (digest: load.py's whole-bank key)

SCHEMA = "validate-file/4"  # bump when the entry's shape changes
_ALLOWED_MODULES = ("quizgen.model", "quizgen.errors", "quizgen.dates")


@functools.cache
def _code_fingerprint() -> str:
    import yaml

    import quizgen

    package = Path(quizgen.__file__).parent
    files = sorted((package / "bank").glob("*.py")) + [package / n for n in ("model.py", "errors.py", "dates.py")]
    parts: list[bytes | str] = [quizgen.__version__, yaml.__version__, str(getattr(yaml, "__with_libyaml__", ""))]
    for f in files:
        try:
            parts += [f.name, f.read_bytes()]
        except OSError:  # pragma: no cover - an installed package without its sources: never a hit
            parts.append(repr(object()))
    return digest(*parts)


def store() -> Store:
    return Store("validate")  # not kept: where the cache is may change between loads (tests)


def context_key(source_ids: list[str] | None, sources: tuple | None) -> str:
    """The part of the key shared by every file of one load (computed once)."""
    ids = "\x00".join(source_ids) if source_ids is not None else "\x01none"
    return digest(SCHEMA, _code_fingerprint(), ids, repr(sources))


def file_key(context: str, shown: str, content_sha256: str) -> str:
    """The key of one file: by the sha256 of its bytes, so the parent can look
    a file up by the digest filedigest remembers (by stat) without reading it,
    and the worker that reads it keys the bytes it checked."""
    return digest(context, shown, content_sha256)


def bytes_key(context: str, shown: str, data: bytes) -> str:
    return file_key(context, shown, hashlib.sha256(data).hexdigest())


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):  # noqa: ANN201
        if module in _ALLOWED_MODULES or (module == "builtins" and name in ("frozenset", "set", "tuple")):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cache entry's class")


def get(key: str):  # noqa: ANN201 - a FileResult plus support diagnostics, or None
    raw = store().get(key)
    return None if raw is None else loads(raw)


def get_raw(key: str) -> bytes | None:
    """An entry's bytes (checked by the store, not yet unpickled), or None."""
    return store().get(key)


def loads(raw: bytes):  # noqa: ANN201
    """An entry's bytes read back, None when they do not unpickle into quizgen's classes."""
    try:
        return _Unpickler(io.BytesIO(raw)).load()
    except Exception:  # anything unreadable is only a miss
        return None


def dumps(result: object) -> bytes:
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def put(key: str, result: object) -> None:
    s = store()
    if s.enabled:
        s.put(key, dumps(result))


def put_raw(key: str, raw: bytes) -> None:
    """put() of what dumps() made: a worker pickles its result once, for the cache and for its parent."""
    s = store()
    if s.enabled:
        s.put(key, raw)


def cache_key(name: str, key: str) -> str:
    """The entry's key of a cross-file result ``name`` over inputs keyed ``key``."""
    return digest(SCHEMA, _code_fingerprint(), name, key)


def cached(name: str, key: str | None, compute):  # noqa: ANN001, ANN201
    """compute(), read from the cache when ``key`` (a key of all its inputs) was seen."""
    if key is None or not store().enabled:
        return compute()
    full = cache_key(name, key)
    hit = get(full)
    if hit is None:
        hit = compute()
        put(full, hit)
    return hit
