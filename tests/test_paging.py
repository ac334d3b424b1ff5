"""The pages of /offerings/ and of the changelog's archive: bounded, complete, linked, and rebuilt exactly.

Page sizes are made small so that a catalog of a few dozen offerings takes
several pages of each kind.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from test_incremental import assert_same, catalog_site

from generator import changelog, history, paging, render, workers
from generator.build import Warm, build_site, check_content
from generator.incremental import load_state, state_path
from generator.project import Project
from generator.routes import Route

OFFERINGS, CHANGES, FRONT = 7, 5, 4


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setattr(paging, "OFFERINGS_PER_PAGE", OFFERINGS)
    monkeypatch.setattr(paging, "CHANGES_PER_PAGE", CHANGES)
    monkeypatch.setattr(paging, "CHANGELOG_FRONT_ROWS", FRONT)
    return catalog_site(tmp_path, 60, seed=3)


def pages(out: Path, folder: str) -> dict[str, str]:
    """URL -> HTML of every page under ``folder``."""
    return {
        "/" + p.parent.relative_to(out).as_posix() + "/": p.read_text(encoding="utf-8")
        for p in sorted((out / folder).rglob("index.html"))
    }


def title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html)
    assert found
    return found.group(1)


def change_rows(html: str) -> list[str]:
    return re.findall(r'<tr><td class="date">.*?</tr>', html)


def test_offerings_are_paged_with_a_pager_and_each_offering_once(site: Project, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build_site(site, out, jobs=1)
    found = pages(out, "offerings")
    total = 60
    count = -(-total // OFFERINGS)
    assert sorted(found) == sorted(["/offerings/"] + [f"/offerings/{n}/" for n in range(2, count + 1)])
    rows = []
    for url, html in found.items():
        shown = re.findall(r'<td class="c-model"><a href="([^"]+)"', html)
        assert 0 < len(shown) <= OFFERINGS
        rows += shown
        number = 1 if url == "/offerings/" else int(url.split("/")[2])
        assert title(html).startswith(f"Every LLM API offering (page {number} of {count})")
        pager = re.search(
            r'<nav class="bar pager" aria-label="Pages" data-more-fallback>(.*?)</nav>', html, re.S
        )
        assert pager, url
        assert f'<a href="{url}" aria-current="page">{number}</a>' in pager.group(1)
        assert ('rel="prev"' in pager.group(1)) == (number > 1)
        assert ('rel="next"' in pager.group(1)) == (number < count)
    assert len(rows) == len(set(rows)) == total
    assert len({title(h) for h in found.values()}) == len(found)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="Pages"' not in home  # the home page shows its first rows, unpaged


def test_every_change_is_on_exactly_one_archive_page(site: Project, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build_site(site, out, jobs=1)
    found = pages(out, "changelog")
    catalog = check_content(site).catalog
    assert catalog is not None
    every = history.all_changes(catalog)
    front = found.pop("/changelog/")
    total = len(every)  # (a failed assertion would print every change, at great length)
    assert len(change_rows(front)) == min(FRONT, total)
    months = {c.date.isoformat()[:7] for c in every}
    assert len(months) > 3
    seen: list[str] = []
    newest_first = sorted(
        found, key=lambda url: (url.split("/")[2], -int(url.split("/")[3] or 1)), reverse=True
    )
    for url in newest_first:
        html = found[url]
        rows = change_rows(html)
        assert 0 < len(rows) <= CHANGES, url
        month = url.split("/")[2]
        dates = re.findall(r'<td class="date">([0-9-]+)</td>', html)
        assert dates == sorted(dates, reverse=True) and {d[:7] for d in dates} == {month}
        assert f'<a href="/changelog/{month}/">' in front  # listed on the front page
        seen += rows
    assert len(seen) == len(set(seen)) == total
    assert change_rows(front) == seen[: len(change_rows(front))]  # the newest, in the same order
    titles = [title(h) for h in [front, *found.values()]]
    assert len(set(titles)) == len(titles)
    descriptions = re.findall(
        r'<meta name="description" content="([^"]*)"', "".join([front, *found.values()])
    )
    assert len(set(descriptions)) == len(descriptions) == len(titles)


def test_links_of_the_paged_pages_resolve(site: Project, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build_site(site, out, jobs=1)
    for url, html in {**pages(out, "changelog"), **pages(out, "offerings")}.items():
        for link in set(re.findall(r'href="(/[^"]*)"', html)):
            path, _, fragment = link.partition("#")
            target = out / path.lstrip("/") / ("index.html" if path.endswith("/") else "")
            assert target.is_file(), (url, link)
            if fragment and path in ("/changelog/", url):
                assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), (url, link)


def _single_change_month(site: Project) -> tuple[Path, dt.date, dt.date]:
    """An offering file whose history entry is the only change of its month, that date, and a date
    of an earlier month the entry can move to (still after the entry before it)."""
    catalog = check_content(site).catalog
    assert catalog is not None
    found = changelog.index(catalog)
    for entries in found.months.values():
        if len(entries) != 1:
            continue
        offering = catalog.offerings[entries[0][1]]
        change = history.changes(offering)[entries[0][2]]
        dates = [h.date for h in offering.record.history]
        if change.date not in dates or dates.index(change.date) == 0:
            continue
        earlier = dates[dates.index(change.date) - 1] + dt.timedelta(days=1)
        if earlier.isoformat()[:7] != change.date.isoformat()[:7]:
            return site.content / offering.file.split("content/", 1)[1], change.date, earlier
    raise AssertionError("no month with a single change in the sample catalog")


@pytest.mark.parametrize("server", [False, True], ids=["new process", "development server"])
def test_moving_a_change_rebuilds_its_months_and_removes_an_emptied_month(
    site: Project, tmp_path: Path, server: bool
) -> None:
    incremental, clean = tmp_path / "inc", tmp_path / "clean"
    warm = Warm() if server else None  # the server keeps its routes while the months are the same
    build_site(site, incremental, warm=warm)
    file, old, new = _single_change_month(site)
    gone = incremental / "changelog" / old.isoformat()[:7] / "index.html"
    assert gone.is_file()
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace(f"date: {old.isoformat()}", f"date: {new.isoformat()}"), encoding="utf-8")
    result = build_site(site, incremental, warm=warm)
    build_site(site, clean, incremental=False)
    assert result.incremental and result.rendered < result.pages / 3
    assert not gone.exists()
    moved = (incremental / "changelog" / new.isoformat()[:7] / "index.html").read_text(encoding="utf-8")
    assert f'<td class="date">{new.isoformat()}</td>' in moved
    assert_same(incremental, clean)


def test_a_page_of_offerings_reads_its_rows_not_the_whole_catalog(
    site: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, clean = tmp_path / "inc", tmp_path / "clean"
    build_site(site, out, jobs=1)
    state = load_state(state_path(site.root, site.content, out), out)
    assert state is not None
    lists = {path: keys for path, keys in state.pages.items() if path.startswith("offerings/")}
    assert len(lists) == -(-60 // OFFERINGS)
    for path, keys in lists.items():
        assert ("listing", "filters") in keys
        assert any(key[0] == "listing" and key[1].startswith("rows ") for key in keys), path
        offerings = [key for key in keys if key[0] == "file" and "/offerings/" in key[1]]
        assert 0 < len(offerings) <= OFFERINGS, path  # its rows' files, not every offering's
    # a new price on one row renders that row's pages again, not every page of the table
    page = next(p for p in sorted(lists) if p != "offerings/index.html")
    shown = re.findall(r'<td class="c-model"><a href="/models/([^/]+)/([^/]+)/"', (out / page).read_text())
    model, provider = shown[0]
    file = site.content / "offerings" / provider / f"{model}.yaml"
    text = file.read_text(encoding="utf-8")
    changed = re.sub(r"^  input: .*$", "  input: 123.45", text, count=1, flags=re.M)
    assert changed != text
    file.write_text(changed, encoding="utf-8")
    rendered: list[str] = []

    def render_page(catalog: Any, route: Route, *args: Any) -> Any:
        rendered.append(route.output_path)
        return render.render_page(catalog, route, *args)

    monkeypatch.setattr(workers, "render_page", render_page)
    result = build_site(site, out, jobs=1)
    assert result.incremental and [p for p in rendered if p in lists] == [page]
    build_site(site, clean, incremental=False)
    assert "$123.45" in (out / page).read_text(encoding="utf-8")
    assert_same(out, clean)


def test_a_one_off_build_keeps_timelines_only_for_a_small_catalog(
    site: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = check_content(site).catalog
    assert catalog is not None
    assert changelog.index(catalog).total > 0
    assert all(o._timeline is not None for o in catalog.offerings.values())  # the workers share them
    monkeypatch.setattr(history, "KEEP_TIMELINES", len(catalog.offerings) - 1)
    catalog = check_content(site).catalog
    assert catalog is not None
    assert changelog.index(catalog).total > 0
    assert all(o._timeline is None for o in catalog.offerings.values())  # the workers make their own
    offering = next(iter(catalog.offerings.values()))
    assert history.timeline(offering) is history.timeline(offering)  # made once where a page asks
