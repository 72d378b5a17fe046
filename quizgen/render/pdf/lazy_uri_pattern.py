"""reportlab's paragraph module compiles one regular expression at import
that quizgen never uses: ``uri_pat``, for breaking long URLs
(rl_config.uriWasteReduce, off by default). Case-insensitive over
U+00A1..U+FFFF, it takes ~30 ms to compile: a fifth of a worker's warm-up,
paid by every process that draws a PDF. Here that one pattern is compiled
when it is first matched, not at import; nothing else changes.

``install()`` adds an import hook for that module only (cheap: reportlab is
not imported until a renderer needs it). While the module body runs,
``re.compile`` gives a lazy stand-in for that exact pattern and the real
thing for every other; afterwards it is the real function again.
"""

from __future__ import annotations

import re
import sys

MODULE = "reportlab.platypus.paragraph"
_PREFIX = "(^(?:[a-z0-9\\.\\-\\+]*)://)"  # how uri_pat begins (reportlab 3.5 to 5)


class LazyPattern:
    """A compiled pattern, compiled at its first use."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, *args):
        self._args = args
        self._compiled = None

    def __getattr__(self, name):
        if self._compiled is None:
            self._compiled = _real_compile(*self._args)
        return getattr(self._compiled, name)


_real_compile = re.compile


def _compile(pattern, flags=0):
    if isinstance(pattern, str) and pattern.startswith(_PREFIX):
        return LazyPattern(pattern, flags)
    return _real_compile(pattern, flags)


class _Loader:
    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        re.compile = _compile
        try:
            self._loader.exec_module(module)
        finally:
            re.compile = _real_compile

    def __getattr__(self, name):  # get_source, get_code, is_package... for tracebacks and tools
        return getattr(self._loader, name)


class _Finder:
    def find_spec(self, name, path=None, target=None):
        if name != MODULE:
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _Loader(spec.loader)
        return spec


def install() -> None:
    if MODULE not in sys.modules and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
