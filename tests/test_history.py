"""Price history: periods and changes from the content, and a recorded change everywhere it must show."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import BASE_FILES

from generator import history
from generator.build import build_site, check_content
from generator.history import all_changes, changes, periods

ATOM = "{http://www.w3.org/2005/Atom}"

OFFERING = "content/offerings/replicate/o1-mini-2024-09-12.yaml"
CHANGED = {
    OFFERING: BASE_FILES[OFFERING].rstrip(" ")
    + """\
          cache_read: not_offered
        history:
          - {date: 2024-09-20, input: 3.00, output: 12.00, cache_read: 1.50}
          - {date: 2025-01-10, input: 3.00, output: 6.00, note: Output price halved.}
        """
}


def test_changes_compare_only_dimensions_both_periods_state(make_site) -> None:
    catalog = check_content(make_site(CHANGED)).catalog
    assert catalog is not None
    offering = catalog.offerings[("replicate", "o1-mini-2024-09-12")]
    timeline = periods(offering)
    assert [p.date.isoformat() for p in timeline] == ["2024-09-20", "2025-01-10", "2026-04-15"]
    assert timeline[-1].current and timeline[-1].anchor == "prices-current"
    found = changes(offering)
    assert [(c.date.isoformat(), c.summary) for c in found] == [
        ("2025-01-10", "Output tokens: $12 → $6"),
        ("2026-04-15", "Input tokens: $3 → $1.10; Output tokens: $6 → $4.40"),
    ]
    assert found[0].note == "Output price halved."
    assert [c.date.isoformat() for c in all_changes(catalog)] == ["2026-04-15", "2025-01-10"]


def test_a_change_to_not_offered_is_a_change(make_site) -> None:
    files = {
        OFFERING: CHANGED[OFFERING].replace(
            "{date: 2025-01-10, input: 3.00, output: 6.00,",
            "{date: 2025-01-10, input: 3.00, output: 6.00, cache_read: 1.50,",
        )
    }
    catalog = check_content(make_site(files)).catalog
    assert catalog is not None
    last = changes(catalog.offerings[("replicate", "o1-mini-2024-09-12")])[-1]
    assert "Cached input (read): $1.50 → not offered" in last.summary


def test_no_history_means_no_change_and_no_chart(make_site, tmp_path: Path) -> None:
    project = make_site()
    catalog = check_content(project).catalog
    assert catalog is not None and all_changes(catalog) == []
    build_site(project, tmp_path / "out")
    page = (tmp_path / "out/models/o1-mini-2024-09-12/replicate/index.html").read_text()
    assert "history-chart" not in page and 'id="history"' not in page
    assert "No price change has been recorded yet." in (tmp_path / "out/changelog/index.html").read_text()


def _feed_entries(path: Path) -> list[tuple[str, str, str]]:
    root = ET.parse(path).getroot()
    return [
        (
            e.findtext(f"{ATOM}title") or "",
            e.findtext(f"{ATOM}updated") or "",
            (e.find(f"{ATOM}link") if e.find(f"{ATOM}link") is not None else ET.Element("x")).get("href", ""),
        )
        for e in root.iter(f"{ATOM}entry")
    ]


def test_a_recorded_price_change_shows_in_table_chart_changelog_and_feeds(make_site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(make_site(CHANGED), out)
    page = (out / "models/o1-mini-2024-09-12/replicate/index.html").read_text()

    # the history table: one row per period, newest first, each with its anchor
    table = page.split('<table class="pricing history">', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tr id=")[1:]
    assert [r.split('"')[1] for r in rows] == ["prices-current", "prices-2025-01-10", "prices-2024-09-20"]
    assert "Output tokens $6" in rows[1] and "Output price halved." in rows[1]
    assert "Input tokens $3; Output tokens $12; Cached input (read) $1.50" in rows[2]

    # the chart: server-rendered SVG, described in words, with a point per period
    svg = page.split('<svg class="history-chart"', 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and "<title" in svg
    assert (
        "Output per 1M tokens: $12 from 2024-09-20, then $6 from 2025-01-10, then $4.40 from 2026-04-15"
        in svg
    )
    assert svg.count('class="chart-dot chart-output"') == 3
    ET.fromstring("<svg" + svg + "</svg>")  # well-formed XML

    # the changelog: newest first, each change linking to its row
    changelog = (out / "changelog/index.html").read_text()
    assert changelog.index("2026-04-15") < changelog.index("2025-01-10")
    assert "Output tokens: $12 → $6" in changelog
    assert 'href="/models/o1-mini-2024-09-12/replicate/#prices-2025-01-10"' in changelog

    # the site, provider and model feeds, with dates from the content
    for feed in ("feeds/changes.xml", "feeds/providers/replicate.xml", "feeds/models/o1-mini-2024-09-12.xml"):
        entries = _feed_entries(out / feed)
        assert [(t.split(": ", 1)[1], u) for t, u, _ in entries] == [
            ("Input tokens: $3 → $1.10; Output tokens: $6 → $4.40", "2026-04-15T00:00:00Z"),
            ("Output tokens: $12 → $6", "2025-01-10T00:00:00Z"),
        ], feed
        assert entries[1][2] == "https://example.org/models/o1-mini-2024-09-12/replicate/#prices-2025-01-10"


def test_a_large_catalog_makes_timelines_where_they_are_read(make_site, tmp_path: Path, monkeypatch) -> None:
    """Past history.KEEP_TIMELINES offerings a one-off build does not keep the timelines the
    changelog's index made, nor an offering's feed entries for its provider's feed; the workers
    make them again, and the site is the same."""
    project = make_site(CHANGED)
    build_site(project, tmp_path / "kept", incremental=False, jobs=2)
    monkeypatch.setattr(history, "KEEP_TIMELINES", 0)
    build_site(project, tmp_path / "made", incremental=False, jobs=2)
    kept, made = (
        sorted(p.relative_to(tmp_path / n) for p in (tmp_path / n).rglob("*")) for n in ("kept", "made")
    )
    assert kept == made
    assert all(
        (tmp_path / "kept" / p).read_bytes() == (tmp_path / "made" / p).read_bytes()
        for p in kept
        if (tmp_path / "kept" / p).is_file()
    )
