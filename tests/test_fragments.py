"""generator.fragments: a one-off build keeps only shared pieces; the server's keeps files too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.api import write_api
from generator.check import check_content
from generator.feeds import write_feeds
from generator.fragments import Fragments
from generator.project import Project
from generator.write import SiteWriter


def _extras(project: Project, out: Path, fragments: Fragments) -> dict[str, bytes]:
    catalog = check_content(project).catalog
    assert catalog is not None
    writer = SiteWriter(out)
    write_api(catalog, project, writer, fragments)
    write_feeds(catalog, project, writer, fragments)
    writer.publish()
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_one_off_build_forgets_each_file_once_written(
    make_site: Callable[..., Project], tmp_path: Path
) -> None:
    project = make_site()
    once = Fragments()
    kept = Fragments(kept=True)
    assert _extras(project, tmp_path / "a", once) == _extras(project, tmp_path / "b", kept)
    pieces = {name for part in once.offerings for name in part.memo}
    assert "api.file" not in pieces and "api.summary" in pieces  # the summary is in three files
    assert not once._columns
    assert not [value for _, value in once._joined.values() if isinstance(value, tuple)]  # no file blobs
    assert "api.file" in {name for part in kept.offerings for name in part.memo} or kept._columns


def test_a_one_off_build_forgets_the_pieces_of_each_extra(
    make_site: Callable[..., Project], tmp_path: Path
) -> None:
    project = make_site()
    once, kept = Fragments(), Fragments(kept=True)
    for fragments, out in ((once, tmp_path / "a"), (kept, tmp_path / "b")):
        _extras(project, out, fragments)
        fragments.forget()
    assert not any(part.memo for part in once.offerings)
    assert {"history", "api.summary", "feeds"} <= {name for part in kept.offerings for name in part.memo}
