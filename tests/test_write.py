"""generator.write: files handed over in batches, claims checked across batches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import write
from generator.errors import BuildError
from generator.write import WRITE_BATCH, WRITE_BATCH_BYTES, SiteWriter, file_digest


def _files(count: int, made: list[int]) -> Iterator[tuple[str, bytes, str]]:
    for i in range(count):
        made.append(i)
        data = f"file {i}\n".encode()
        yield f"api/{i}.json", data, file_digest(data)


def test_files_are_taken_a_batch_at_a_time(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path / "out")
    made: list[int] = []
    count = 2 * WRITE_BATCH + 3
    files = _files(count, made)
    writer.write_files(files)
    assert made == list(range(count))
    writer.publish()
    assert (tmp_path / "out/api/0.json").read_bytes() == b"file 0\n"
    assert (tmp_path / "out" / f"api/{count - 1}.json").read_bytes() == f"file {count - 1}\n".encode()
    assert writer.files == count


def test_large_files_make_smaller_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writer = SiteWriter(tmp_path / "out")
    sizes: list[int] = []
    write_batch = writer._write_batch
    monkeypatch.setattr(writer, "_write_batch", lambda batch: (sizes.append(len(batch)), write_batch(batch)))
    big = b"x" * (WRITE_BATCH_BYTES // 3 + 1)  # three of them are more than a batch holds
    writer.write_files((f"feeds/{i}.xml", big, file_digest(big)) for i in range(7))
    assert sizes == [3, 3, 1]
    writer.publish()
    assert (tmp_path / "out/feeds/6.xml").read_bytes() == big


def test_a_file_claimed_in_an_earlier_batch_is_an_error(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path / "out")
    writer.write_files(_files(WRITE_BATCH + 1, []))
    with pytest.raises(BuildError, match=r"two outputs claim /api/0.json"):
        writer.write_files(_files(5, []))
    writer.abandon()
    assert not (tmp_path / "out").exists()


def test_a_tools_output_is_linked_into_place_not_written_again(tmp_path: Path) -> None:
    """copy_tree hands a tool's output over as hard links; a second claim on a path still fails."""
    made = tmp_path / "tool"
    (made / "index").mkdir(parents=True)
    (made / "index/a.pf").write_bytes(b"index a")
    (made / "entry.json").write_bytes(b"{}")
    writer = SiteWriter(tmp_path / "out")
    writer.copy_tree(made, "search")
    assert sorted(writer.produced) == ["search/entry.json", "search/index/a.pf"]
    assert writer.produced["search/index/a.pf"] == file_digest(b"index a") and writer.files == 2
    staged = writer.staging / "search/index/a.pf"
    assert staged.stat().st_ino == (made / "index/a.pf").stat().st_ino
    with pytest.raises(FileExistsError):
        writer.put("search/entry.json", b"{}", source=made / "entry.json")
    writer.publish()
    assert (tmp_path / "out/search/index/a.pf").read_bytes() == b"index a"


def test_both_ways_of_linking_a_tree_make_the_same_links(tmp_path: Path) -> None:
    source = tmp_path / "site"
    for relative in ("index.html", "models/a/index.html", "models/a/b/index.html", "api/v1/x.json"):
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        (source / relative).write_text(relative, encoding="utf-8")
    found = []
    for way in (write._link_tree, write._link_tree_by_path):
        target = tmp_path / way.__name__
        target.mkdir()
        made: set[str] = set()
        linked = way(source, target, made)
        assert (target / "models/a/b/index.html").stat().st_ino == (
            source / "models/a/b/index.html"
        ).stat().st_ino
        found.append((linked, {Path(m).relative_to(target).as_posix() for m in made}))
    assert found[0] == found[1]
    assert found[0][0] == {"index.html", "models/a/index.html", "models/a/b/index.html", "api/v1/x.json"}
    assert found[0][1] == {"models", "models/a", "models/a/b", "api", "api/v1"}
