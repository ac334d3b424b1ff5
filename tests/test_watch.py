"""The watcher names what changed, and a warm load trusts those names (and checks the rest when idle)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator import watch
from generator.load import LoadCache, load
from generator.project import Project
from generator.watch import Watcher
from tests.corpus import materialize


@pytest.fixture
def watcher(tmp_path: Path) -> Watcher:
    (tmp_path / "a").mkdir()
    found = Watcher([tmp_path])
    if not found.uses_inotify:
        pytest.skip("no inotify here")
    return found


def test_a_burst_of_saves_is_one_change_naming_every_file(tmp_path: Path, watcher: Watcher) -> None:
    for name in ("x.yaml", "y.yaml", "x.yaml"):
        (tmp_path / "a" / name).write_text(name)
    assert watcher.wait(timeout=5)
    assert watcher.changed == {tmp_path / "a" / "x.yaml", tmp_path / "a" / "y.yaml"}
    assert not watcher.wait(timeout=0.3)  # the burst was reported once


def test_a_new_folder_makes_the_change_unknown(tmp_path: Path, watcher: Watcher) -> None:
    (tmp_path / "b").mkdir()  # files written into it before its watch exists raise no event
    (tmp_path / "b" / "z.yaml").write_text("z")
    assert watcher.wait(timeout=5)
    assert watcher.changed is None
    (tmp_path / "b" / "z.yaml").write_text("zz")  # the new folder is watched from now on
    assert watcher.wait(timeout=5)
    assert watcher.changed == {tmp_path / "b" / "z.yaml"}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _data(project: Project, cache: LoadCache, display: str) -> object:
    loaded = load(project.content, project.root, cache)
    return next(doc.data for source, doc in loaded.documents if source.display == display)


def test_drain_names_what_is_queued_without_waiting_for_the_burst_to_end(
    tmp_path: Path, watcher: Watcher
) -> None:
    assert watcher.drain() == set()
    (tmp_path / "a" / "x.yaml").write_text("x")
    os.replace(_written(tmp_path / "a" / ".y.tmp"), tmp_path / "a" / "y.yaml")  # a save by rename
    assert watcher.drain() == {
        tmp_path / "a" / "x.yaml",
        tmp_path / "a" / ".y.tmp",
        tmp_path / "a" / "y.yaml",
    }
    assert watcher.drain() == set(), "each change is named once"
    (tmp_path / "a" / "new").mkdir()
    assert watcher.drain() is None, "what is in a new folder is not known"


def _written(path: Path) -> Path:
    path.write_text(path.name)
    return path


def test_the_idle_check_leaves_out_the_files_a_watcher_named(tmp_path: Path) -> None:
    project = Project.find(materialize([], tmp_path / "site"))
    file = project.content / "models/o1-mini-2024-09-12.yaml"
    cache = LoadCache()
    cache.watching = True
    _data(project, cache, "content/models/o1-mini-2024-09-12.yaml")
    _edit(file, "name:", "name: Renamed #")
    cache.changed({file})
    assert not cache.stale(project.content), "the next load reads it anyway"
    cache.changed(None)
    assert cache.stale(project.content)


def test_a_watched_load_reads_the_named_files_and_the_idle_check_finds_the_rest(tmp_path: Path) -> None:
    project = Project.find(materialize([], tmp_path / "site"))
    file = project.content / "models/o1-mini-2024-09-12.yaml"
    display = "content/models/o1-mini-2024-09-12.yaml"
    cache = LoadCache()
    cache.watching = True
    first = _data(project, cache, display)  # nothing pending is known yet: every file is checked
    assert cache.pending == set() and not cache.stale(project.content)

    _edit(file, "name:", "name: Renamed #")
    cache.changed({file})
    assert _data(project, cache, display) != first, "a file the watcher named is read again"

    _edit(file, "Renamed", "Missed")  # an edit the watcher did not report
    cache.changed(set())
    assert "Missed" not in str(_data(project, cache, display)), "only the named files are stat'ed"
    assert cache.stale(project.content), "the idle check sees what the watcher missed"
    cache.changed(None)
    assert "Missed" in str(_data(project, cache, display))
    assert not cache.stale(project.content)


def test_files_reached_through_a_link_are_always_checked(tmp_path: Path) -> None:
    project = Project.find(materialize([], tmp_path / "site"))
    models = project.content / "models"
    target = models / "o1-mini-2024-09-12.yaml"
    os.rename(target, project.content / "o1-mini.txt")
    target.symlink_to(project.content / "o1-mini.txt")
    cache = LoadCache()
    cache.watching = True
    display = "content/models/o1-mini-2024-09-12.yaml"
    _data(project, cache, display)
    _edit(project.content / "o1-mini.txt", "name:", "name: Linked #")  # the event names the target
    cache.changed({project.content / "o1-mini.txt"})
    assert "Linked" in str(_data(project, cache, display))


def test_a_file_that_cannot_be_read_does_not_look_stale_forever(tmp_path: Path) -> None:
    project = Project.find(materialize([], tmp_path / "site"))
    os.mkfifo(project.content / "models/a-pipe.yaml")  # never read, so never kept
    cache = LoadCache()
    cache.watching = True
    loaded = load(project.content, project.root, cache)
    assert any("not a regular file" in str(p) for p in loaded.problems)
    assert not cache.stale(project.content), "the idle check would rebuild every few seconds"


def test_pending_sees_a_change_and_leaves_it_for_the_next_wait(tmp_path: Path) -> None:
    site_file = tmp_path / "site.yaml"
    site_file.write_text("title: t\n")
    (tmp_path / "a").mkdir()
    watcher = Watcher([tmp_path / "a"], [site_file])  # (site.yaml's folder is watched too)
    if not watcher.uses_inotify:
        pytest.skip("no inotify here")
    assert not watcher.pending()
    (tmp_path / "beside.txt").write_text("not an input")  # events in a watched folder, not of an input
    (tmp_path / ".public.staging-1").mkdir()
    assert not watcher.pending()
    (tmp_path / "a" / "x.yaml").write_text("x")
    assert watcher.pending() and watcher.pending()
    (tmp_path / "a" / "y.yaml").write_text("y")
    assert watcher.wait(timeout=5)
    assert watcher.changed == {tmp_path / "a" / "x.yaml", tmp_path / "a" / "y.yaml"}
    assert not watcher.pending() and not watcher.wait(timeout=0.2)


def test_without_inotify_pending_scans_the_files_and_the_next_wait_reports_the_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_inotify(*args: object, **kwargs: object) -> None:
        raise OSError("no inotify here")

    monkeypatch.setattr(watch.ctypes, "CDLL", no_inotify)
    (tmp_path / "a").mkdir()
    watcher = Watcher([tmp_path / "a"])
    assert not watcher.uses_inotify and not watcher.pending()
    (tmp_path / "a" / "x.yaml").write_text("x")
    deadline = time.monotonic() + 10
    while not watcher.pending() and time.monotonic() < deadline:  # (a scan every POLL seconds at most)
        time.sleep(0.05)
    assert watcher.pending()
    assert watcher.wait(timeout=5) and watcher.changed is None  # (polling cannot name the files)
    assert not watcher.pending()
