"""CONTRIBUTING.md's walk-through works as written: its own commands, run on the files it names."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from conftest import REPO, git

from generator.cli import main

GUIDE = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")


def shell_blocks(text: str) -> list[str]:
    return [block.replace("\\\n", " ") for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S)]


def command(prefix: str) -> list[str]:
    """The first `modeldir …` line of the guide that starts with ``prefix``, as arguments."""
    for block in shell_blocks(GUIDE):
        for line in block.splitlines():
            if line.startswith(prefix):
                return shlex.split(line.split("#", 1)[0])[1:]
    raise AssertionError(f"CONTRIBUTING.md has no command starting with {prefix!r}")


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding what the walk-through touches, committed on main."""
    args = command("modeldir new offering")
    provider, model = args[2].split("/")
    root = tmp_path / "modeldir"
    wanted = ["site.yaml", f"content/providers/{provider}.yaml", f"content/models/{model}.yaml"]
    creator = re.search(r"^creator: (\S+)", (REPO / wanted[2]).read_text(encoding="utf-8"), flags=re.M)
    assert creator, wanted[2]
    wanted.append(f"content/creators/{creator[1]}.yaml")
    for name in wanted:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, root / name)
    for folder in ("templates", "static"):
        (root / folder).symlink_to(REPO / folder)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    monkeypatch.chdir(root)
    return root


def test_the_walk_through_adds_an_offering(clone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = command("modeldir new offering")
    assert main(new) == 0
    created = capsys.readouterr().out
    file = re.search(r"`created (content/offerings/\S+)`", GUIDE)
    assert file and f"created {file[1]}" in created
    assert main(command("modeldir check")) == 0
    assert "no problems" in capsys.readouterr().err

    assert main(command("modeldir diff main")) == 0
    report = capsys.readouterr().out
    # what the guide says the diff shows
    page = re.search(r"\(`\+ (/models/\S+/)`\)", GUIDE)
    price = re.search(r"prices as `(\(new\) -> \$[\d.]+)`", GUIDE)
    assert page and price
    assert f"+ {page[1]}" in report and price[1] in report

    assert main(["build"]) == 0
    assert (clone / "public" / page[1].strip("/") / "index.html").is_file()
