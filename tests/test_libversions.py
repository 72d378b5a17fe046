"""quizgen.libversions reads the versions importlib.metadata gives, without importing it."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from quizgen import libversions
from quizgen.build_cache import LIBRARIES


def asked(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return libversions.NOT_INSTALLED


def test_every_installed_distribution_and_the_build_libraries_agree_with_importlib_metadata():
    names = tuple(dict.fromkeys([*LIBRARIES, *(d.metadata["Name"] for d in metadata.distributions())]))
    assert len(names) > 20
    assert libversions.versions(names) == {n: asked(n) for n in names}


def _dist(folder: Path, dirname: str, version: str | None) -> None:
    (folder / dirname).mkdir(parents=True)
    if version is not None:
        (folder / dirname / "METADATA").write_text(f"Metadata-Version: 2.1\nName: x\nVersion: {version}\n\nbody\nVersion: 9\n")


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "missing"), str(second)])
    return [first, second]


def test_names_are_matched_as_importlib_normalises_them_and_the_first_on_the_path_wins(path):
    _dist(path[0], "Fancy_Lib-1.2.dist-info", "1.2")
    _dist(path[1], "fancy_lib-3.0.dist-info", "3.0")
    _dist(path[1], "other.pkg-0.5.DIST-INFO", "0.5")
    names = ("fancy-lib", "Fancy.Lib", "other-pkg", "absent")
    assert libversions.versions(names) == {"fancy-lib": "1.2", "Fancy.Lib": "1.2", "other-pkg": "0.5",
                                           "absent": libversions.NOT_INSTALLED}
    assert libversions.versions(names) == {n: asked(n) for n in names}


def test_what_the_reader_cannot_settle_is_asked_of_importlib_metadata(path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch):
    _dist(path[0], "eggy-2.0-py3.11.egg-info", None)
    (path[0] / "eggy-2.0-py3.11.egg-info" / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: eggy\nVersion: 2.0\n")
    _dist(path[0], "broken-1.0.dist-info", None)  # no METADATA
    asked_for: list[str] = []
    real = libversions._asked
    monkeypatch.setattr(libversions, "_asked", lambda name: asked_for.append(name) or real(name))
    assert libversions.versions(("eggy", "broken")) == {"eggy": "2.0", "broken": asked("broken")}
    assert asked_for == ["eggy", "broken"]
    # a zip on the path may hold anything: a name not found elsewhere is asked too
    archive = tmp_path / "lib.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zipped-4.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: zipped\nVersion: 4.1\n")
    sys.path.append(str(archive))
    asked_for.clear()
    assert libversions.versions(("zipped",)) == {"zipped": "4.1"} and asked_for == ["zipped"]
