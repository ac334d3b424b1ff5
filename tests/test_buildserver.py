"""`modeldir build --warm`: the build server builds the same site as a build in the client's own
process, prints the same messages, and ends when idle, stopped or out of date."""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.corpus import materialize

NEW_SERVER = "built by a new build server"
OFFERING = "content/offerings/replicate/o1-mini-2024-09-12.yaml"


class Folder:
    """A site, the environment its commands run with, and a private runtime folder for the server."""

    def __init__(self, tmp_path: Path, pythonpath: Path = REPO) -> None:
        self.root = materialize([], tmp_path / "site")
        # (a short path: a socket's must fit in about 100 bytes)
        self.runtime = Path(tempfile.mkdtemp(prefix="modeldir-test-", dir="/tmp"))
        self.env = {
            **os.environ,
            "PYTHONPATH": str(pythonpath),
            "XDG_RUNTIME_DIR": str(self.runtime),
            "MODELDIR_WARM_IDLE": "300",
        }
        self.env.pop("SOURCE_DATE_EPOCH", None)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def sockets(self) -> list[Path]:
        return sorted(self.runtime.glob("modeldir-*/*.sock"))

    def close(self) -> None:
        self.run("stop")
        shutil.rmtree(self.runtime, ignore_errors=True)


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Folder]:
    found = Folder(tmp_path)
    yield found
    found.close()


def rendered(result: subprocess.CompletedProcess[str]) -> int:
    found = re.search(r"\((\d+) rendered", result.stdout)
    assert found, result.stdout + result.stderr
    return int(found[1])


def same_tree(left: Path, right: Path) -> bool:
    compared = filecmp.dircmp(left, right)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(left, right, compared.common_files, shallow=False)
    return not mismatch and not errors and all(same_tree(left / d, right / d) for d in compared.common_dirs)


def test_warm_builds_after_edits_are_the_site_a_clean_build_makes(folder: Folder) -> None:
    first = folder.run("build", "--warm")
    assert first.returncode == 0, first.stderr
    assert NEW_SERVER in first.stderr
    assert len(folder.sockets()) == 1
    offering = folder.root / OFFERING

    offering.write_text(offering.read_text().replace("input: 1.10", "input: 1.25"))  # saved in place
    edited = folder.run("build", "--warm")
    assert edited.returncode == 0, edited.stderr
    assert 0 < rendered(edited) < rendered(first)

    added = folder.root / "content/offerings/replicate/added.yaml"  # saved by a rename, in a new file
    temporary = added.with_name(".added.yaml.tmp")
    temporary.write_text(offering.read_text().replace("openai/o1-mini", "openai/o1-mini-again"))
    (folder.root / "content/models/added.yaml").write_text(
        (folder.root / "content/models/o1-mini-2024-09-12.yaml").read_text().replace("o1-mini", "added")
    )
    os.replace(temporary, added)
    grown = folder.run("build", "--warm")
    assert grown.returncode == 0, grown.stderr
    assert "added" in grown.stdout or (folder.root / "public/models/added").is_dir()

    offering.unlink()
    shrunk = folder.run("build", "--warm")
    assert shrunk.returncode == 0, shrunk.stderr

    for result in (edited, grown, shrunk):  # each served by the first server
        assert NEW_SERVER not in result.stderr and "without the build server" not in result.stderr
        assert "building here" not in result.stderr
    clean = folder.run("build", "--full", "--out", "clean")
    assert clean.returncode == 0, clean.stderr
    assert same_tree(folder.root / "public", folder.root / "clean")
    assert not (folder.root / "public/models/o1-mini-2024-09-12/replicate").exists()

    stopped = folder.run("stop")
    assert re.search(r"stopped the build server \(pid \d+\)", stopped.stderr)
    assert folder.sockets() == []
    assert "no build server runs" in folder.run("stop").stderr


def test_a_build_without_the_flag_uses_a_running_server_and_never_starts_one(folder: Folder) -> None:
    alone = folder.run("build")
    assert alone.returncode == 0, alone.stderr
    assert folder.sockets() == [] and "build server" not in alone.stderr
    assert folder.run("build", "--warm").returncode == 0
    offering = folder.root / OFFERING
    offering.write_text(offering.read_text().replace("input: 1.10", "input: 1.25"))
    served = folder.run("build")
    assert served.returncode == 0, served.stderr
    assert "built by the build server running for this folder" in served.stderr
    assert 0 < rendered(served) < rendered(alone)
    other = folder.run("build", "--out", "elsewhere")  # other folders: the server keeps the first's state
    assert other.returncode == 0, other.stderr
    assert "$1.25" in (folder.root / "elsewhere/models/o1-mini-2024-09-12/replicate/index.html").read_text()
    folder.run("stop")
    offering.write_text(offering.read_text().replace("input: 1.25", "input: 1.30"))
    after = folder.run("build")  # from the state the server handed over as it ended
    assert after.returncode == 0 and "build server" not in after.stderr
    assert 0 < rendered(after) < rendered(alone)


def test_content_errors_come_back_with_their_location_and_status(folder: Folder) -> None:
    assert folder.run("build", "--warm").returncode == 0
    published = (folder.root / "public/index.html").read_bytes()
    offering = folder.root / OFFERING
    good = offering.read_text()
    offering.write_text(good.replace("input: 1.10", "input: [1.10"))
    broken = folder.run("build", "--warm")
    assert broken.returncode == 1
    assert re.search(rf"^{re.escape(OFFERING)}:\d+:\d+: error: ", broken.stderr, re.M), broken.stderr
    assert "nothing was written" in broken.stderr
    assert (folder.root / "public/index.html").read_bytes() == published

    refused = folder.run("build", "--warm", "--no-such-option")
    assert refused.returncode == 2 and "unrecognized arguments" in refused.stderr

    offering.write_text(good)
    assert folder.run("build", "--warm").returncode == 0
    assert NEW_SERVER not in folder.run("build", "--warm").stderr, "errors do not end the server"


def test_the_server_ends_when_idle(folder: Folder) -> None:
    folder.env["MODELDIR_WARM_IDLE"] = "1"
    assert folder.run("build", "--warm").returncode == 0
    deadline = time.monotonic() + 30
    while folder.sockets() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert folder.sockets() == []
    assert NEW_SERVER in folder.run("build", "--warm").stderr


def test_new_code_starts_a_new_server(tmp_path: Path) -> None:
    copy = tmp_path / "code"
    shutil.copytree(REPO / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    folder = Folder(tmp_path, pythonpath=copy)
    try:
        assert NEW_SERVER in folder.run("build", "--warm").stderr
        assert NEW_SERVER not in folder.run("build", "--warm").stderr
        with open(copy / "generator/text.py", "a") as module:
            module.write("\n# changed\n")
        again = folder.run("build", "--warm")
        assert again.returncode == 0, again.stderr
        assert NEW_SERVER in again.stderr
        assert len(folder.sockets()) == 1
    finally:
        folder.close()


def test_a_socket_folder_that_others_can_write_is_not_used(folder: Folder) -> None:
    shared = folder.runtime / f"modeldir-{os.getuid()}"
    shared.mkdir()
    shared.chmod(0o777)
    result = folder.run("build", "--warm")
    assert result.returncode == 0, result.stderr
    assert "not a folder private to this user; building without the build server" in result.stderr
    assert (folder.root / "public/index.html").is_file()
    assert folder.sockets() == []


def test_a_killed_server_is_replaced(folder: Folder) -> None:
    assert folder.run("build", "--warm").returncode == 0
    pid = server_pid(folder)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert folder.sockets(), "its socket is left behind"
    again = folder.run("build", "--warm")
    assert again.returncode == 0, again.stderr
    assert NEW_SERVER in again.stderr and server_pid(folder) != pid


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"  # (a zombie, where nothing reaps the children of ended processes)


def server_pid(folder: Folder) -> int:
    """The pid of the server listening on the folder's socket (from its command line in /proc)."""
    (sock,) = folder.sockets()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(sock).encode() in cmdline.read_bytes():
                return int(cmdline.parent.name)
        except OSError:
            continue
    raise AssertionError("no server process found")
