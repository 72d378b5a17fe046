"""End to end: `quizgen build` over a copy of the real bank, and all-or-nothing
builds (staging, commit, recovery after a killed build) over a small one."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quizgen.staging as staging_module
from quizgen.build import output_folder, render_formats
from quizgen.model import Bank
from quizgen.cli import cli
from quizgen.errors import Diagnostic, Loc, QuizgenError
from quizgen.staging import STAGING_PREFIX, Session

from conftest import REAL_BANK, write
from quizgen.bank.load import load_bank


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("build")
    bank = root / "questions"
    shutil.copytree(REAL_BANK, bank)  # the renderer updates the lock file; keep the repo's untouched
    out = root / "output"
    result = CliRunner().invoke(cli, ["build", "--bank", str(bank), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return bank, out, result.output


def test_build_writes_deck_worksheets_and_keys(built):
    bank, out, output = built
    names = sorted(p.name for p in out.iterdir())
    assert "russia-japan-peace-treaty.apkg" in names
    sets = sorted(p.stem for p in (bank / "sets").glob("*.yaml"))
    for name in sets:
        assert f"{name}.pdf" in names and f"{name}-key.pdf" in names
    assert not [n for n in names if n.endswith(".tmp") or n.startswith(".")]
    for name in names:
        assert f"wrote {out / name} (" in output
    total = len(load_bank(bank)[0].questions)
    assert output.rstrip().endswith(f"{len(names)} files from {total} questions")


def test_second_build_is_byte_identical(built, monkeypatch):
    bank, out, _ = built
    before = digests(out)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = CliRunner().invoke(cli, ["build", "--bank", str(bank), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert digests(out) == before


def test_failed_build_leaves_previous_outputs_intact(built, tmp_path):
    bank, out, _ = built
    broken = tmp_path / "questions"
    shutil.copytree(bank, broken)
    path = broken / "curated" / "dates.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("difficulty: easy", "difficulty: trivial", 1),
                    encoding="utf-8")
    before = digests(out)
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    result = CliRunner().invoke(cli, ["build", "--bank", str(broken), "--out", str(out)])
    assert result.exit_code == 1
    assert "error: questions[" in result.output and "expected one of easy, medium, hard; found 'trivial'" in result.output
    assert result.output.rstrip().endswith("quizgen: 1 error; nothing was written")
    assert "Traceback" not in result.output
    assert digests(out) == before
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == mtimes


def test_source_date_epoch_changes_embedded_dates(built, tmp_path, monkeypatch):
    bank, out, _ = built
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    other = tmp_path / "out"
    result = CliRunner().invoke(cli, ["pdf", "quick-check", "--bank", str(bank), "--out", str(other)])
    assert result.exit_code == 0, result.output
    data = (other / "quick-check.pdf").read_bytes()
    assert b"D:20231114" in data  # 1700000000 is 2023-11-14 UTC
    assert data != (out / "quick-check.pdf").read_bytes()


def test_library_build_matches_the_cli(built, tmp_path):
    from quizgen.build import build

    bank, out, _ = built
    result = build(bank, tmp_path / "lib")
    # The copied bank's relative corpus path leads nowhere: said once, not an error.
    assert [(w.severity, w.path) for w in result.warnings] == [("warning", "corpus")]
    assert len(result.bank.questions) == len(load_bank(bank)[0].questions)
    assert digests(tmp_path / "lib") == digests(out)


# --- all or nothing ------------------------------------------------------------
#
# A small bank (conftest.mini_bank) keeps these quick: each build is a few
# hundredths of a second. The pattern: build once, change the bank so the Anki
# deck and lock would change, make the build fail in its last renderer (pdf),
# then check that output/ and the lock are byte-identical, mtimes included.


def snapshot(*places: Path) -> dict[str, tuple[str, int]]:
    """Every file (hidden ones too) under the given folders or files: digest and mtime."""
    files = {}
    for place in places:
        paths = [place] if place.is_file() else sorted(place.rglob("*"))
        for p in paths:
            if p.is_file():
                files[str(p)] = (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            elif p.is_dir():
                files[str(p)] = ("folder", 0)
    return files


@pytest.fixture
def built_mini(mini_bank: Path, tmp_path: Path) -> tuple[Path, Path, dict]:
    out = tmp_path / "output"
    result = CliRunner().invoke(cli, ["build", "--bank", str(mini_bank), "--out", str(out)])
    assert result.exit_code == 0, result.output
    # Old mtimes, so a file rewritten within the same clock tick would still show.
    for p in [*out.iterdir(), mini_bank / "anki-lock.json"]:
        os.utime(p, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    return mini_bank, out, snapshot(out, mini_bank / "anki-lock.json")


def run_build(bank: Path, out: Path, *args: str, command: str = "build", **kwargs):
    return CliRunner().invoke(cli, [command, *args, "--bank", str(bank), "--out", str(out)], **kwargs)


def assert_untouched(bank: Path, out: Path, before: dict) -> None:
    assert snapshot(out, bank / "anki-lock.json") == before
    assert not list(out.glob(STAGING_PREFIX + "*"))
    assert not [p for p in bank.iterdir() if p.name.endswith(".tmp")]


def edit_first_prompt(bank: Path, new: str) -> None:
    path = bank / "curated" / "basics.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Where did the ministers meet?", new, 1),
                    encoding="utf-8")


def test_missing_glyph_in_the_last_renderer_changes_nothing(built_mini):
    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the ministers meet? \U0001F600")  # no font has U+1F600
    result = run_build(bank, out)
    assert result.exit_code == 1
    assert "U+1F600" in result.output and "Traceback" not in result.output
    # Found by the PDF renderer or at validate time: either way, nothing was written.
    assert re.search(r"\nquizgen: \d+ errors?; nothing was written\n$", result.output)
    assert_untouched(bank, out, before)


def write_set_matching_nothing(bank):
    write(bank / "sets" / "none.yaml", """
        set:
          name: none
          title: Nothing
          topics: [meetings]
          tags: [plans]
        """)


def test_a_set_matching_nothing_changes_nothing(built_mini):
    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")
    write_set_matching_nothing(bank)
    result = run_build(bank, out)
    assert result.exit_code == 1
    assert result.output.endswith(
        f"{bank / 'sets' / 'none.yaml'}:2:3: error: set: expected at least one question of the bank to match "
        "this set, found none\nquizgen: 1 error; nothing was written\n")
    assert_untouched(bank, out, before)


def test_an_empty_bank_changes_nothing(built_mini):
    bank, out, before = built_mini
    (bank / "curated" / "basics.yaml").write_text("questions: []\n", encoding="utf-8")
    result = run_build(bank, out)
    assert result.exit_code == 1
    # caught while validating now, before any renderer runs: still nothing changes
    assert result.output == (f"{bank}: error: expected at least one question in the bank, found none\n"
                             "quizgen: 1 error; nothing was written\n")
    assert_untouched(bank, out, before)


@pytest.mark.parametrize("value", ["abc", "1e9", "-5", "\u00b2", "253402300800", "99999999999999999999",
                                   "1" * 5000])
def test_a_bad_source_date_epoch_is_one_error_before_anything(built_mini, monkeypatch, value):
    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    for command in ("build", "anki", "pdf"):
        result = run_build(bank, out, command=command)
        assert (result.exit_code, result.output) == (1, (
            "SOURCE_DATE_EPOCH: error: expected a whole number of seconds between 0 and 253402300799, "
            f"found '{value}'\nquizgen: 1 error; nothing was written\n"))
    assert_untouched(bank, out, before)


@pytest.mark.parametrize("value, stamp", [("0", b"D:19700101"), ("253402300799", b"D:99991231")])
def test_source_date_epoch_accepts_its_whole_range(mini_bank, tmp_path, monkeypatch, value, stamp):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = run_build(mini_bank, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert stamp in (tmp_path / "out" / "all.pdf").read_bytes()


def test_disk_full_while_staging_is_one_clear_error(built_mini, monkeypatch):
    import quizgen.staging as staging

    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")
    real = staging._write_all

    def full(fh, data):
        if fh.name.endswith(".pdf"):  # the deck and lock are staged already
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fh, data)

    monkeypatch.setattr(staging, "_write_all", full)
    result = run_build(bank, out)
    assert result.exit_code == 1
    assert result.output.endswith(f"{out}/: error: cannot write: No space left on device\n"
                                  "quizgen: 1 error; nothing was written\n")
    assert_untouched(bank, out, before)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_one_clear_error(built_mini):
    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")
    out.chmod(0o555)
    try:
        result = run_build(bank, out)
    finally:
        out.chmod(0o755)
    assert result.exit_code == 1
    assert result.output.endswith(f"{out}/: error: cannot write: Permission denied\n"
                                  "quizgen: 1 error; nothing was written\n")
    assert_untouched(bank, out, before)


def test_a_read_only_bank_folder_fails_before_any_rename(built_mini, monkeypatch):
    # As root, chmod does not stop writes: simulate the answer the OS would give.
    import quizgen.staging as staging

    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")
    real = staging._can_write
    monkeypatch.setattr(staging, "_can_write", lambda folder: folder != bank and real(folder))
    result = run_build(bank, out)
    assert result.exit_code == 1
    assert result.output.endswith(f"{bank / 'anki-lock.json'}: error: cannot write: Permission denied\n"
                                  "quizgen: 1 error; nothing was written\n")
    assert_untouched(bank, out, before)


def test_a_rename_failing_mid_commit_says_what_was_written(built_mini, monkeypatch):
    import quizgen.staging as staging

    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")
    real = staging._rename

    def rename(src, dest):
        if Path(dest).name == "anki-lock.json":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(src, dest)

    monkeypatch.setattr(staging, "_rename", rename)
    result = run_build(bank, out)
    assert result.exit_code == 1
    lock = bank / "anki-lock.json"
    assert result.output.endswith(
        f"{lock}: error: cannot write: Input/output error\n"
        f"quizgen: 1 error; wrote {out / 'harbour-talks.apkg'}, {out / 'all.pdf'}, {out / 'all-key.pdf'}; "
        f"not written: {lock}\n")
    assert snapshot(lock) == {str(lock): before[str(lock)]}
    assert not list(out.glob(STAGING_PREFIX + "*"))


def test_a_renderer_raising_midway_changes_nothing(built_mini, monkeypatch):
    import quizgen.render.pdf as pdf

    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pdf, "render_set", broken)
    result = run_build(bank, out)
    assert result.exit_code == 1
    assert "RuntimeError: boom" in result.output
    assert result.output.endswith("quizgen: internal error (please report it with the traceback above); "
                                  "nothing was written\n")
    assert_untouched(bank, out, before)


def test_ctrl_c_while_rendering_changes_nothing(built_mini, monkeypatch):
    import quizgen.render.pdf as pdf

    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pdf, "render_set", interrupted)
    result = run_build(bank, out)
    assert (result.exit_code, result.output.splitlines()[-1]) == (130, "quizgen: interrupted; nothing was written")
    assert_untouched(bank, out, before)


def test_files_not_rendered_are_left_alone(built_mini):
    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")
    result = run_build(bank, out, command="anki")
    assert result.exit_code == 0, result.output
    after = snapshot(out, bank / "anki-lock.json")
    changed = sorted(Path(k).name for k in after if after[k] != before.get(k))
    assert changed == ["anki-lock.json", "harbour-talks.apkg"]
    result = run_build(bank, out, command="pdf")
    assert result.exit_code == 0, result.output
    final = snapshot(out, bank / "anki-lock.json")
    assert sorted(Path(k).name for k in final if final[k] != after.get(k)) == ["all-key.pdf", "all.pdf"]


def test_unchanged_files_keep_their_mtime(built_mini):
    bank, out, before = built_mini
    result = run_build(bank, out)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-5:] == [
        f"unchanged {out / 'harbour-talks.apkg'} ({(out / 'harbour-talks.apkg').stat().st_size:,} bytes)",
        f"unchanged {out / 'all.pdf'} ({(out / 'all.pdf').stat().st_size:,} bytes)",
        f"unchanged {out / 'all-key.pdf'} ({(out / 'all-key.pdf').stat().st_size:,} bytes)",
        f"unchanged {out / 'all.manifest.json'} ({(out / 'all.manifest.json').stat().st_size:,} bytes)",
        "4 files from 2 questions (4 unchanged, left as they were)",
    ]
    assert_untouched(bank, out, before)


def test_a_second_build_into_a_busy_folder_is_refused(built_mini):
    bank, out, before = built_mini
    with Session(out):
        result = run_build(bank, out)
    assert (result.exit_code, result.output) == (1, (
        f"{out}/: error: cannot write: another quizgen build is writing into this folder; wait for it to finish\n"
        "quizgen: 1 error; nothing was written\n"))
    assert_untouched(bank, out, before)


def test_leftovers_of_a_killed_build_are_removed(built_mini):
    bank, out, before = built_mini
    (out / ".quizgen-staging-abcd1234").mkdir()
    (out / ".quizgen-staging-abcd1234" / "0000-all.pdf").write_bytes(b"half")
    (out / ".all.pdf.k2j4h5g6.tmp").write_bytes(b"half")
    (bank / ".anki-lock.json.zz99yy88.tmp").write_bytes(b"half")
    (out / "notes.tmp").write_bytes(b"a person's file, not ours")
    result = run_build(bank, out, command="pdf")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"{out}/: warning: removed .quizgen-staging-abcd1234, the unfinished files of an interrupted build\n"
        f"{out / '.all.pdf.k2j4h5g6.tmp'}: warning: removed a temporary file left by an interrupted build\n"
        f"{bank / '.anki-lock.json.zz99yy88.tmp'}: warning: removed a temporary file left by an interrupted build\n")
    assert sorted(p.name for p in out.iterdir()) == ["all-key.pdf", "all.manifest.json", "all.pdf", "harbour-talks.apkg",
                                                         "notes.tmp"]
    assert not list(bank.glob(".*.tmp"))


def test_an_interrupted_commit_is_rolled_forward_by_the_next_build(built_mini, monkeypatch):
    import quizgen.staging as staging

    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")
    real = staging._rename
    calls = []

    def interrupted(src, dest):
        if calls:
            raise KeyboardInterrupt  # Ctrl-C after the first rename: keep the journal
        calls.append(dest)
        real(src, dest)

    monkeypatch.setattr(staging, "_rename", interrupted)
    with pytest.raises(KeyboardInterrupt):
        with output_folder(out, bank) as session:
            from quizgen.build import default_options, load_or_raise

            render_formats(load_or_raise(bank)[0], session, ("anki", "pdf"), default_options())
    (folder,) = out.glob(STAGING_PREFIX + "*")
    journal = json.loads((folder / "journal.json").read_text(encoding="utf-8"))
    pending = {r["to"]: hashlib.sha256(Path(r["from"]).read_bytes()).hexdigest()
               for r in journal["renames"] if Path(r["from"]).exists()}
    assert len(pending) == 3  # all.pdf, all-key.pdf, then the lock
    monkeypatch.setattr(staging, "_rename", real)
    # `quizgen pdf` writes neither deck nor lock: only the roll-forward can.
    result = run_build(bank, out, "nope", command="pdf")
    assert result.exit_code == 1
    assert result.output.startswith(f"{out}/: warning: finished the commit of an interrupted build "
                                    "(all.pdf, all-key.pdf, anki-lock.json)\n")
    for dest, digest in pending.items():
        assert hashlib.sha256(Path(dest).read_bytes()).hexdigest() == digest
    assert not list(out.glob(STAGING_PREFIX + "*"))
    again = run_build(bank, out)  # and the rolled-forward state is what a build makes
    assert again.exit_code == 0 and "4 files from 2 questions (4 unchanged" in again.output


# --- killed builds (a real SIGKILL, in a subprocess) -------------------------

KILLER = """
import os, signal, sys, time
from pathlib import Path
import quizgen.staging as staging

mode, marker = sys.argv[1], Path(sys.argv[2])
if mode == "render":
    real_write = staging.Stage.write
    def write(self, dest, data):
        output = real_write(self, dest, data)
        if str(dest).endswith(".pdf"):  # deck and lock staged, PDFs under way
            marker.write_text("staged")
            time.sleep(60)
        return output
    staging.Stage.write = write
else:
    real_rename = staging._rename
    def rename(src, dest):
        real_rename(src, dest)
        os.kill(os.getpid(), signal.SIGKILL)  # right after the first rename of the commit
    staging._rename = rename
from quizgen.cli import main
sys.argv = ["quizgen", *sys.argv[3:]]
main()
"""


def run_killer(tmp_path: Path, mode: str, bank: Path, out: Path) -> int:
    script = tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, str(script), mode, str(marker), "build", "--bank", str(bank),
                             "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if mode == "render":
        deadline = time.monotonic() + 60
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert marker.exists(), "the build never reached the PDF stage"
        proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=60)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_build_killed_while_rendering_leaves_the_previous_outputs(built_mini, tmp_path):
    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")
    assert run_killer(tmp_path, "render", bank, out) == -signal.SIGKILL
    (folder,) = out.glob(STAGING_PREFIX + "*")
    assert {k: v for k, v in snapshot(out, bank / "anki-lock.json").items()
            if not k.startswith(str(folder))} == before
    result = run_build(bank, out)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{out}/: warning: removed {folder.name}, the unfinished files of an "
                                    "interrupted build\n")
    assert not list(out.glob(STAGING_PREFIX + "*"))


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_build_killed_mid_commit_is_rolled_forward(built_mini, tmp_path):
    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")
    assert run_killer(tmp_path, "commit", bank, out) == -signal.SIGKILL
    (folder,) = out.glob(STAGING_PREFIX + "*")
    journal = json.loads((folder / "journal.json").read_text(encoding="utf-8"))
    assert [Path(r["to"]).name for r in journal["renames"]] == [
        "harbour-talks.apkg", "all.pdf", "all-key.pdf", "anki-lock.json"]  # the lock last
    staged = {r["to"]: Path(r["from"]).read_bytes() for r in journal["renames"] if Path(r["from"]).exists()}
    result = run_build(bank, out, "nope", command="pdf")  # writes no deck or lock itself
    assert result.output.startswith(f"{out}/: warning: finished the commit of an interrupted build "
                                    "(all.pdf, all-key.pdf, anki-lock.json)\n")
    assert all(Path(dest).read_bytes() == data for dest, data in staged.items())
    assert not list(out.glob(STAGING_PREFIX + "*"))


# --- the property: fail anywhere, change nothing ------------------------------

NAMES = ("deck.apkg", "a.pdf", "a-key.pdf", "b.pdf", "b-key.pdf")
FAILURES = {
    "quizgen": lambda: QuizgenError([Diagnostic(Loc("x.yaml", 1, 1), "expected X, found Y")]),
    "disk full": lambda: OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
    "read-only": lambda: PermissionError(errno.EACCES, os.strerror(errno.EACCES)),
    "bug": lambda: RuntimeError("boom"),
    "ctrl-c": lambda: KeyboardInterrupt(),
}
contents = st.dictionaries(st.sampled_from(NAMES), st.binary(max_size=40), max_size=len(NAMES))


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=contents, old_lock=st.none() | st.binary(max_size=20), first=contents, second=contents,
       lock=st.none() | st.binary(max_size=20), fail_at=st.integers(0, 14), failure=st.sampled_from(sorted(FAILURES)))
def test_failing_anywhere_before_the_commit_changes_nothing(tmp_path_factory, old, old_lock, first, second, lock,
                                                           fail_at, failure):
    """Two fake renderers stage random files (the first also the lock); the
    build fails at a random step: before a renderer's write, at its end, or in
    the checks of the commit, with any kind of exception. Then the output
    folder and the lock are exactly as they were (bytes and mtimes); when
    nothing fails, every new file is in place and only changed ones moved."""
    root = tmp_path_factory.mktemp("prop")
    out, bank = root / "out", root / "bank"
    out.mkdir(), bank.mkdir()
    for name, data in old.items():
        (out / name).write_bytes(data)
    if old_lock is not None:
        (bank / "anki-lock.json").write_bytes(old_lock)
    for p in [*out.iterdir(), *bank.iterdir()]:
        os.utime(p, ns=(10**18, 10**18))
    before = snapshot(out, bank)
    steps = iter(range(10**6))

    def step():
        if next(steps) == fail_at:
            raise FAILURES[failure]()

    def fake(files, with_lock):
        def render(bank_, stage, options):
            outputs = []
            for name, data in files.items():
                step()
                outputs.append(stage.write(stage.path(name), data))
            if with_lock and lock is not None:
                step()
                outputs.append(stage.write(bank / "anki-lock.json", lock))
            step()
            return outputs
        return render

    second = {n: d for n, d in second.items() if n not in first}  # one renderer per file
    renderers = {"first": fake(first, True), "second": fake(second, False)}
    real_source = staging_module.Session._source_for

    def source_for(self, stage, output):
        step()
        return real_source(self, stage, output)

    with mock.patch("quizgen.build.renderer", renderers.__getitem__), \
            mock.patch.object(staging_module.Session, "_source_for", source_for):
        try:
            with output_folder(out, bank) as session:
                files = render_formats(Bank(str(bank), (), ()), session, ("first", "second"), None)
        except (QuizgenError, RuntimeError, KeyboardInterrupt) as exc:
            assert getattr(exc, "written", ()) == ()  # BuildFailed: nothing reached its place
            assert snapshot(out, bank) == before
            assert not list(out.glob(STAGING_PREFIX + "*"))
            return
    expected = {**old, **first, **second}
    assert {p.name: p.read_bytes() for p in out.iterdir()} == expected
    if lock is not None:
        assert (bank / "anki-lock.json").read_bytes() == lock
    after = snapshot(out, bank)
    for c in files:  # unchanged bytes: not renamed, mtime kept
        assert c.changed == (after[str(c.output.dest)] != before.get(str(c.output.dest)))
    assert not list(out.glob(STAGING_PREFIX + "*"))


def test_a_bank_on_another_filesystem_gets_its_lock_by_copy_and_rename(built_mini, monkeypatch):
    """A rename cannot cross file systems: the lock is copied beside itself
    first, and that copy is what the journal renames (and rolls forward)."""
    import quizgen.staging as staging

    bank, out, before = built_mini
    edit_first_prompt(bank, "Where did the two ministers meet?")
    monkeypatch.setattr(staging, "_same_filesystem", lambda a, b: Path(a) != bank)
    real = staging._rename

    def interrupted(src, dest):
        if Path(dest).name == "anki-lock.json":
            raise KeyboardInterrupt
        real(src, dest)

    monkeypatch.setattr(staging, "_rename", interrupted)
    result = run_build(bank, out, command="anki")
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        130, f"quizgen: interrupted while renaming files into place; the next build into {out}/ finishes it")
    (copy,) = bank.glob(".anki-lock.json.*.tmp")
    (folder,) = out.glob(STAGING_PREFIX + "*")
    renames = json.loads((folder / "journal.json").read_text(encoding="utf-8"))["renames"]
    assert renames[-1] == {"from": str(copy.resolve()), "to": str((bank / "anki-lock.json").resolve())}
    new_lock = copy.read_bytes()
    monkeypatch.setattr(staging, "_rename", real)
    result = run_build(bank, out, command="anki")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{out}/: warning: finished the commit of an interrupted build "
                                    "(anki-lock.json)\n")
    assert (bank / "anki-lock.json").read_bytes() == new_lock
    assert not list(bank.glob(".*.tmp")) and not list(out.glob(".*"))
