"""Pages of bounded size for the pages that list the whole catalog, and their pager.

The table of every offering and the price changelog grow with the catalog (at
10,000 offerings they were 5 and 10 MB pages, at 100,000 ten times that): too
long to read, and the largest piece of serial work of a build. They are split
into pages of at most a fixed number of rows; a pager links them.

The pager shows the first and last page, the current one and its neighbours,
and a gap where pages are left out, so it stays a short line at any size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# rows of /offerings/ and its following pages, as many as the home page shows. A phone parses and lays
# out 100 rows (1,800 elements) with a total blocking time of 52-270 ms, against 546-1,080 ms for the
# 7,400 elements of 500 rows (Lighthouse 12.2.3, its mobile settings, the real site, 2 runs of 2 pages)
OFFERINGS_PER_PAGE = 100
CHANGELOG_FRONT_ROWS = 200  # the newest changes, on /changelog/
CHANGES_PER_PAGE = 500  # rows of a page of a month of the changelog
NEIGHBOURS = 1  # pages linked on each side of the current one


@dataclass(frozen=True)
class PageLink:
    text: str
    url: str | None  # None: a gap of pages left out
    current: bool = False


@dataclass(frozen=True)
class Pager:
    links: list[PageLink]
    previous: str | None
    next: str | None


def count(rows: int, per_page: int) -> int:
    """How many pages ``rows`` rows take (an empty table still has its one page)."""
    return max(1, -(-rows // per_page))


def pager(number: int, pages: int, url: Callable[[int], str]) -> Pager | None:
    """The pager of page ``number`` (from 1) of ``pages``; None when there is one page."""
    if pages < 2:
        return None
    shown = sorted({1, pages, *range(max(1, number - NEIGHBOURS), min(pages, number + NEIGHBOURS) + 1)})
    links: list[PageLink] = []
    for n in shown:
        if links and links[-1].url is not None and n > int(links[-1].text) + 1:
            links.append(PageLink("…", None))
        links.append(PageLink(str(n), url(n), n == number))
    return Pager(
        links,
        url(number - 1) if number > 1 else None,
        url(number + 1) if number < pages else None,
    )
