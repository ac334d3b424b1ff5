"""The progress line: what a build or a check is doing on a terminal, and nothing in CI."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, SITE_YAML

from generator import progress as progress_module
from generator.build import build_site
from generator.errors import ContentError
from generator.progress import Progress
from generator.project import Project


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    made = Clock()
    monkeypatch.setattr(progress_module.time, "monotonic", made)
    return made


def drawn(stream: io.StringIO) -> list[str]:
    """Each drawing of the line, as the terminal shows it after it."""
    return [piece.rstrip(" ") for piece in stream.getvalue().split("\r")[1:]]


def test_nothing_is_written_when_the_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()
    with Progress(stream=stream) as line:
        line.stage("rendering", 3, "pages")
        line(3)
        line.tick()
    assert stream.getvalue() == ""
    assert not line.enabled


def test_nothing_is_written_when_disabled() -> None:
    stream = Terminal()
    with Progress(enabled=False, stream=stream) as line:
        line.stage("rendering", 3, "pages")
        line(3)
    assert stream.getvalue() == ""


def test_a_counting_stage_draws_a_bar_at_once_then_at_most_every_tenth_of_a_second(clock: Clock) -> None:
    stream = Terminal()
    line = Progress(stream=stream)
    line.stage("rendering", 4, "pages")
    assert drawn(stream) == ["rendering [" + "." * 30 + "] 0/4 pages"]
    line(1)  # too soon: not drawn
    clock.now += 0.05
    line(1)
    assert len(drawn(stream)) == 1
    clock.now += 0.06
    line(1)
    assert drawn(stream)[-1] == "rendering [" + "#" * 22 + "." * 8 + "] 3/4 pages"
    line(1)  # the last of the count is always drawn
    assert drawn(stream)[-1] == "rendering [" + "#" * 30 + "] 4/4 pages"
    assert len(drawn(stream)) == 3


def test_a_stage_that_takes_a_second_shows_its_seconds(clock: Clock) -> None:
    stream = Terminal()
    line = Progress(stream=stream)
    line.stage("search index", 4, "parts")
    clock.now += 0.5
    line.tick()
    assert drawn(stream)[-1].endswith("0/4 parts")  # under a second: no seconds yet
    clock.now += 1.7
    line.tick()
    assert drawn(stream)[-1] == "search index [" + "." * 30 + "] 0/4 parts 2 s"
    line.stage("publishing")  # a new stage starts its own seconds, and draws at once
    assert drawn(stream)[-1] == "publishing…"


def test_a_shorter_line_covers_a_longer_one_and_close_clears_it(clock: Clock) -> None:
    stream = Terminal()
    with Progress(stream=stream) as line:
        line.stage("reading content", 10, "files")
        longest = len(drawn(stream)[-1])
        line.stage("publishing")
        last = stream.getvalue().rsplit("\r", 1)[1]
        assert last.startswith("publishing…") and len(last) == longest  # padded with spaces
    cleared = stream.getvalue().rsplit("\r", 2)
    assert cleared[1] == " " * len("publishing…") and cleared[2] == ""
    written = stream.getvalue()
    line.close()  # a second close writes nothing
    assert stream.getvalue() == written


def test_the_line_is_cut_to_the_width_of_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module.shutil, "get_terminal_size", lambda: os.terminal_size((24, 10)))
    stream = Terminal()
    Progress(stream=stream).stage("reading content", 11_050, "files")
    assert drawn(stream) == ["reading content [" + "." * 6]  # 23 characters: a wrapped line is not redrawn


def _stages(written: str) -> list[str]:
    """The stages a build drew, in order, each once."""
    stages: list[str] = []
    for piece in written.split("\r"):
        name = piece.split(" [", 1)[0].split("…", 1)[0].strip()
        if name and (not stages or stages[-1] != name):
            stages.append(name)
    return stages


def test_a_build_on_a_terminal_shows_each_stage_and_leaves_a_clean_line(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    project = make_site({"site.yaml": SITE_YAML + "search_part_pages: 2\n"})
    result = build_site(project, tmp_path / "public", progress=True)
    written = terminal.getvalue()
    assert _stages(written) == [
        "reading content",
        "checking content",
        "planning pages",
        "rendering",
        "search index",
        "CDN rules",
        "compressing",
        "publishing",
    ]
    files = sum(1 for p in (project.content).rglob("*.yaml"))
    assert f"] {files}/{files} files" in written
    assert f"] {result.pages}/{result.pages} pages" in written
    done, total = written.split("search index [")[-1].split("] ", 1)[1].split(" parts")[0].split("/")
    assert done == total and int(total) >= 2  # a part counted as each run of the indexer ends
    assert written.endswith("\r") and written.rsplit("\r", 2)[1].strip() == ""  # cleared


def test_a_build_with_progress_off_writes_nothing_to_the_terminal(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    build_site(make_site(), tmp_path / "public", progress=False, skip_extras=frozenset({"search_index"}))
    assert terminal.getvalue() == ""


def test_a_failed_build_clears_the_line_before_its_error_is_printed(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    broken = make_site({"content/models/broken.yaml": "name: [\n"})
    with pytest.raises(ContentError):
        build_site(broken, tmp_path / "public", progress=True)
    written = terminal.getvalue()
    assert "reading content [" in written
    assert written.endswith("\r") and written.rsplit("\r", 2)[1].strip() == ""


def _run_in_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run modeldir with its output streams on a pseudo-terminal; its exit code and what it wrote."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        env=env,
    )
    os.close(terminal)
    output = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the other end closed (Linux reports EIO)
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    return process.wait(), output.decode().replace("\r\n", "\n")  # (a terminal ends lines with both)


def _linked(project: Project) -> Project:
    for name in ("templates", "static"):
        (project.root / name).symlink_to(REPO / name)
    return project


def test_the_command_line_shows_progress_on_a_terminal_and_only_its_summary_elsewhere(
    make_site: Callable[..., Project],
) -> None:
    project = _linked(make_site())
    code, shown = _run_in_terminal(["build", "--skip-extra", "search_index"], project.root)
    assert code == 0, shown
    assert "reading content [" in shown and "rendering [" in shown
    summary = shown.rsplit("\r", 1)[1]  # after the line was cleared: the summary alone
    assert summary.startswith("modeldir build: 14 pages")

    quiet = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--skip-extra", "search_index"],
        cwd=project.root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""  # CI: no progress at all
    assert quiet.stdout.startswith("modeldir build: 14 pages") and "\r" not in quiet.stdout


def test_check_on_a_terminal_shows_the_files_read_then_its_verdict(make_site: Callable[..., Project]) -> None:
    project = _linked(make_site())
    code, shown = _run_in_terminal(["check"], project.root)
    assert code == 0, shown
    assert "reading content [" in shown
    assert shown.rsplit("\r", 1)[1].startswith("modeldir check: no problems")
