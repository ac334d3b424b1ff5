"""Whole-site outputs written after the pages: the catalog data file and the search index."""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SITE_YAML, calls_of, search_entries, tree

from generator import extras, search_parts
from generator.build import build_site
from generator.errors import BuildError
from generator.extras import index_pages
from generator.project import Project
from generator.search_pages import IndexInput, without_ignored
from generator.search_parts import CutPages, PageInputs, PagesInParts, part_count
from generator.write import SiteWriter


def test_search_index_covers_record_pages(make_site: Callable[..., Project], tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(make_site(), out)
    assert (out / "pagefind/pagefind.js").is_file()
    assert any((out / "pagefind/fragment").iterdir())
    assert (out / "catalog.json").is_file() and (out / "favicon.ico").is_file()


def test_a_page_is_found_by_what_it_is_about(make_site: Callable[..., Project], tmp_path: Path) -> None:
    """A page's entry holds its own subject (names, model ID, gotchas, FAQ), not the code of its
    recipe, its price tables or the rows of other records, which have pages of their own."""
    out = tmp_path / "out"
    build_site(make_site(), out)
    entries = search_entries(out / "pagefind")
    offering = entries["/models/o1-mini-2024-09-12/replicate/"]["content"]
    assert "o1-mini (2024-09-12) on Replicate" in offering and "Model ID. openai/o1-mini" in offering
    assert "What does o1-mini (2024-09-12) cost on Replicate?" in offering
    page = (out / "models/o1-mini-2024-09-12/replicate/index.html").read_text()
    assert "pip install" in page and "pip install" not in offering  # the recipe's code
    assert "per 1M tokens" in page and "Every billed dimension" not in offering  # the price table
    model = entries["/models/o1-mini-2024-09-12/"]["content"]
    assert "o1-mini" in model and "Replicate" not in model  # the table of its providers


def _change_a_page(project: Project) -> None:
    offering = project.content / "offerings/replicate/o1-mini-2024-09-12.yaml"
    offering.write_text(re.sub(r"input: [0-9.]+", "input: 9.99", offering.read_text(), count=1))


def test_a_failing_indexer_fails_the_build_and_keeps_the_old_site(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    project = make_site()
    build_site(project, out)
    before = (out / "index.html").read_bytes()
    _change_a_page(project)  # (the same pages would keep the index they made)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(BuildError, match="search index could not be built"):
        build_site(project, out)
    assert (out / "index.html").read_bytes() == before
    assert (out / "pagefind/pagefind.js").is_file()


def test_the_search_index_does_not_depend_on_the_order_pages_were_written(
    make_site: Callable[..., Project], tmp_path: Path
) -> None:
    """Workers write pages in no fixed order, and a folder on tmpfs lists its files in the order
    they were made: the indexer reads copies made in sorted order, so the index is the same."""
    out = tmp_path / "out"
    build_site(make_site(), out)
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if "pagefind" not in p.parts)
    shm = Path("/dev/shm")  # a tmpfs, where the order files were made is the order they are listed
    base = Path(tempfile.mkdtemp(dir=shm if shm.is_dir() else tmp_path))
    indexes = []
    try:
        # ("cut": each page is cut for the indexer as it is written, as a build does while the
        # other pages render, and the copies are moved into their sorted places)
        for name, order in (("sorted", pages), ("reversed", pages[::-1]), ("cut", pages[::-1])):
            writer = SiteWriter(base / name)
            inputs: PageInputs = {}
            with writer.scratch("cut") as folder:
                cuts = CutPages(folder, inputs) if name == "cut" else None
                for relative in order:
                    writer.write(relative, (out / relative).read_bytes())
                    if cuts is not None:
                        cuts.add(writer, relative, writer.produced[relative])
                index_pages(writer, 2000, inputs, cuts)
                assert cuts is None or (cuts.bodies and not cuts.made)  # every copy was taken
            indexes.append({p: d for p, d in writer.produced.items() if p.startswith("pagefind/")})
            assert not list(base.glob(f".{name}.sorted-*"))  # the folder of copies is gone
            assert not list(base.glob(f".{name}.cut-*"))
            writer.abandon()
    finally:
        shutil.rmtree(base)
    assert indexes[0] and indexes[0] == indexes[1] == indexes[2]


def test_a_build_cuts_each_page_for_the_indexer_as_it_comes_in(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-off build cuts each page for the indexer when it is written (CutPages), so no page
    is read again once the last is in. The index is the one made by cutting every page then,
    and the folder of cut pages is gone after the build."""
    project = make_site({"site.yaml": SITE_YAML + "search_part_pages: 2\n"})
    cut_after = calls_of(monkeypatch, IndexInput, "__call__", lambda marked, html: "page")
    build_site(project, tmp_path / "out")
    assert cut_after == []
    monkeypatch.setattr(CutPages, "add", lambda *args: None)
    build_site(project, tmp_path / "after")
    assert len(cut_after) > 3
    assert tree(tmp_path / "out/pagefind") == tree(tmp_path / "after/pagefind")
    assert not [p.name for p in tmp_path.iterdir() if ".cut-" in p.name or ".sorted-" in p.name]


class _EveryPageWhole:
    """Stands in for IndexInput: the indexer reads every page as it is."""

    bodies = 1

    def __call__(self, html: bytes) -> bytes:
        return html


PARTS = f"{search_parts.FOLDER}/{search_parts.PARTS_FILE}"


def _bundles(pages: dict[str, bytes], base: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    """The search index made from ``pages`` (path: bytes) as a build makes it (each page cut
    as it is written), then from the pages as they are: the fingerprint of every file of each
    bundle."""
    bundles = []
    for name in ("build", "whole"):
        if name == "whole":
            monkeypatch.setattr(extras, "IndexInput", _EveryPageWhole)
            monkeypatch.setattr(extras, "without_ignored", lambda page: page)
        writer = SiteWriter(base / name)
        inputs: PageInputs = {}
        with writer.scratch("cut") as folder:
            cuts = CutPages(folder, inputs) if name == "build" else None
            for relative, page in pages.items():
                writer.write(relative, page)
                if cuts is not None:
                    cuts.add(writer, relative, writer.produced[relative])
            index_pages(writer, 2000, inputs, cuts)
        # (parts.json records what each part was made from: the pages handed over, which differ)
        bundles.append({p: d for p, d in writer.produced.items() if p.startswith("pagefind/") and p != PARTS})
        writer.abandon()
    return bundles


def test_the_indexer_makes_the_same_index_from_only_what_it_indexes(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind is handed only the pages that mark their body, without their data-pagefind-ignore
    elements, which it would leave out anyway: every file of its bundle is the same as from
    every page as it is."""
    out = tmp_path / "out"
    build_site(make_site(), out, skip_extras=frozenset({"search_index"}))
    pages = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.html"))}
    read = IndexInput()
    left_out = [path for path, page in pages.items() if read(page) is None]
    cut = [path for path, page in pages.items() if without_ignored(page) != page]
    assert "index.html" in left_out and "404.html" in left_out  # (pages that do not mark a body)
    assert "models/o1-mini-2024-09-12/replicate/index.html" in cut  # (an offering page: most of it)
    build, whole = _bundles(pages, tmp_path, monkeypatch)
    assert len(build) > 10 and build == whole


def test_a_site_where_no_page_marks_its_body_has_every_page_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no data-pagefind-body anywhere, Pagefind indexes each page whole: so does a build."""
    page = '<!doctype html><html lang="en"><head><title>{0}</title></head><body><h1>{0}</h1><p>{1}</p></body></html>'
    pages = {
        "index.html": page.format("Home", "Welcome").encode(),
        "about/index.html": page.format("About", "Quokkas <span data-pagefind-ignore>hidden</span>").encode(),
    }
    build, whole = _bundles(pages, tmp_path, monkeypatch)
    assert build == whole
    assert sum(p.startswith("pagefind/fragment/") for p in build) == 2


def test_the_same_pages_keep_their_search_index_without_indexing_again(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    project = make_site()
    build_site(project, out)
    index = {p: p.read_bytes() for p in sorted((out / "pagefind").rglob("*")) if p.is_file()}

    def no_indexer(*args: object, **kwargs: object) -> None:
        raise AssertionError("the indexer ran")

    monkeypatch.setattr(search_parts, "_start", no_indexer)
    build_site(project, out)  # no page changed: the index is kept as it is
    assert {p: p.read_bytes() for p in sorted((out / "pagefind").rglob("*")) if p.is_file()} == index

    # a page changed in a build that skipped the index: the next build indexes the pages again
    _change_a_page(project)
    build_site(project, out, skip_extras=frozenset({"search_index"}))
    with pytest.raises(AssertionError, match="the indexer ran"):
        build_site(project, out)


def _indexed(pages: dict[str, bytes], base: Path, part_pages: int) -> Path:
    """A site of ``pages`` (path: bytes) indexed in parts of ``part_pages``; its folder."""
    writer = SiteWriter(base / "out")
    for relative, page in pages.items():
        writer.write(relative, page)
    index_pages(writer, part_pages)
    writer.publish()
    return base / "out"


def test_a_large_site_is_indexed_in_parts_that_the_search_page_merges(
    make_site: Callable[..., Project], tmp_path: Path
) -> None:
    """Past ``search_part_pages`` pages, each part of the site is indexed by its own run of the
    indexer: the first part's bundle is Pagefind's whole one, each other is its index alone,
    listed in parts.json; together they hold every page the index of the whole site holds."""
    site = tmp_path / "site"
    build_site(make_site(), site, skip_extras=frozenset({"search_index"}))
    pages = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}
    whole = _indexed(pages, tmp_path / "whole", 2000) / "pagefind"
    assert json.loads((whole / "parts.json").read_text())["merge"] == []
    assert not list(whole.glob("part-*"))

    split = _indexed(pages, tmp_path / "split", 2) / "pagefind"
    merged = json.loads((split / "parts.json").read_text())["merge"]
    assert len(merged) >= 2 and merged == [f"/pagefind/part-{n}/" for n in range(1, len(merged) + 1)]
    bundles = [split] + [split / url.removeprefix("/pagefind/") for url in merged]
    for part in bundles[1:]:  # the index alone: the search page runs the first part's scripts
        names = {p.name for p in part.iterdir()}
        assert {"pagefind-entry.json", "index", "fragment"} <= names
        assert not [n for n in names if n.endswith((".js", ".css")) or n.startswith("wasm")]
    assert (split / "pagefind.js").is_file()
    urls = [url for part in bundles for url in search_entries(part)]
    assert len(urls) == len(set(urls))  # each page in one part
    assert sorted(urls) == sorted(search_entries(whole))


def test_a_page_keeps_its_part_while_the_site_needs_as_many() -> None:
    part = PagesInParts(part_count(7000, 2000))
    assert part_count(7000, 2000) == 4 and part_count(2000, 2000) == 1 and part_count(0, 2000) == 1
    assert {part(f"models/m{n}/index.html") for n in range(400)} == {"0", "1", "2", "3"}
    assert part("models/m1/index.html") == PagesInParts(4)("models/m1/index.html")
    # a model's offerings go with its page: an edit of one offering changes them together
    assert {part(f"models/m1/p{n}/index.html") for n in range(40)} == {part("models/m1/index.html")}
    assert len({part(f"providers/p{n}/index.html") for n in range(40)}) == 4


def test_a_build_after_one_without_the_index_reads_no_page_to_find_the_parts_to_keep(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_site()
    out = tmp_path / "out"
    build_site(project, out, skip_extras=frozenset({"search_index"}))
    read = calls_of(monkeypatch, SiteWriter, "read", lambda writer, relative: relative)
    build_site(project, out)
    assert read == [] and (out / PARTS).is_file()


def test_a_part_whose_published_files_are_gone_is_indexed_again(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part whose pages did not change keeps its published index only while every file of it
    is there; else the build indexes every part again, as a clean build does."""
    project = make_site({"site.yaml": SITE_YAML + "search_part_pages: 2\n"})
    out = tmp_path / "out"
    build_site(project, out)
    parts = len(json.loads((out / "pagefind/parts.json").read_text())["inputs"])
    runs = calls_of(monkeypatch, search_parts, "_start", lambda command, log: command[-3])
    _change_a_page(project)
    entries = sorted(out.glob("pagefind/part-*/pagefind-entry.json"))
    assert len(entries) == parts - 1
    for entry in entries:
        entry.unlink()
    build_site(project, out)
    assert len(runs) >= parts - 1  # (every part but the first: its files are all there)
    clean = tmp_path / "clean"
    build_site(project, clean, incremental=False)
    assert tree(out / "pagefind") == tree(clean / "pagefind")


def test_the_parts_runs_are_handed_over_in_order_as_they_end(tmp_path: Path) -> None:
    """Each run of the indexer is handed over (its part's files written) in the order of the
    runs, the site's file order, even when a later one ends first; a failed one never is."""

    def run(seconds: float, status: int = 0) -> tuple[list[str], Path]:
        code = f"import sys, time; time.sleep({seconds}); sys.exit({status})"
        return [sys.executable, "-c", code], tmp_path / f"{seconds}-{status}.log"

    ended: list[int] = []
    search_parts._run_all([run(0.5), run(0), run(0)], lambda: None, ended.append)
    assert ended == [0, 1, 2]
    ended.clear()
    with pytest.raises(BuildError, match="search index could not be built"):
        search_parts._run_all([run(0), run(0.3, 1), run(0)], lambda: None, ended.append)
    assert 1 not in ended and 2 not in ended


def test_a_failing_part_fails_the_search_index(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    build_site(make_site(), site, skip_extras=frozenset({"search_index"}))
    pages = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}
    writer = SiteWriter(tmp_path / "split" / "out")
    for relative, page in pages.items():
        writer.write(relative, page)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(BuildError, match="search index could not be built"):
        index_pages(writer, 3)
    writer.abandon()
    assert not list((tmp_path / "split").iterdir())  # no scratch folder left behind


def test_an_incremental_build_indexes_again_only_the_parts_whose_pages_changed(
    make_site: Callable[..., Project], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each part's input is recorded in parts.json: a part whose pages are the same as the
    published part's is kept as it is, and its pages are not even copied for the indexer.
    The pages an edit of one offering changes (its own, its model's, the model's other
    offerings') are in one part. The index is then the one a clean build makes."""
    project = make_site({"site.yaml": SITE_YAML + "search_part_pages: 2\n"})
    out = tmp_path / "out"
    build_site(project, out)
    parts = len(json.loads((out / "pagefind/parts.json").read_text())["inputs"])
    assert parts >= 3
    runs = calls_of(monkeypatch, search_parts, "_start", lambda command, log: command[-3])
    copied = calls_of(monkeypatch, SiteWriter, "sorted_copies", lambda *args, **options: args[-1])
    read = calls_of(monkeypatch, SiteWriter, "read", lambda writer, relative: relative)
    _change_a_page(project)
    build_site(project, out)
    changed = len(runs)
    assert changed == 1
    # what the indexer was handed of each page is in the build state: only the pages written are read
    assert "models/o1-mini-2024-09-12/replicate/index.html" in read and len(read) <= 5
    only = copied[0]  # (the pages of the other parts are not copied)
    pages = [p.relative_to(out).as_posix() for p in out.rglob("*.html") if "pagefind" not in p.parts]
    assert 0 < sum(map(only, pages)) < len(pages) / 2
    assert only("models/o1-mini-2024-09-12/replicate/index.html")
    clean = tmp_path / "clean"
    build_site(project, clean, incremental=False)
    assert len(runs) - changed == parts  # a clean build indexes every part
    assert tree(out / "pagefind") == tree(clean / "pagefind")
