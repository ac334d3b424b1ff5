"""The reader's experience in a real browser (Debian's chromium through Playwright).

One small but varied site (tests/uisite.py) is built and served once for the
whole module. Screenshots at 1,280 and 375 px go to test-artifacts/screenshots/
(git-ignored) for review.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SITE_YAML, QuietHandler, search_entries, write_site
from uisite import UI_FILES

from generator.build import build_site
from generator.money import to_micro_dollars
from generator.pricing_math import Rates, Usage, format_cost, request_cost_pico

pytestmark = pytest.mark.browser
SHOTS = REPO / "test-artifacts" / "screenshots"

PAGES = {
    "home": "/",
    "offerings": "/offerings/",
    "offering": "/models/claude-sonnet-4-5/anthropic/",
    "model": "/models/llama-3-1-8b/",
    "provider": "/providers/anthropic/",
    "creator": "/creators/meta/",
    "compare": "/compare/?o=anthropic/claude-sonnet-4-5&o=openai/gpt-4o&m=llama-3-1-8b",
    "search": "/search/?q=llama",
    "not_found": "/404.html",
}


@pytest.fixture(scope="module")
def ui_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("ui")
    out = root / "public"
    # indexed in parts, so that searching merges them (generator/search_parts.py): the pages the
    # search test looks for are in parts other than the first
    build_site(
        write_site(root / "site", {**UI_FILES, "site.yaml": SITE_YAML + "search_part_pages: 4\n"}), out
    )
    first = search_entries(out / "pagefind")
    assert "/models/llama-3-1-8b/" not in first and "/providers/anthropic/" not in first
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser: Any, ui_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=ui_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=ui_url)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield tab
    context.close()
    assert not errors, errors


def rows(page: Any) -> list[str]:
    return page.locator("table[data-catalog-table] tbody tr").all_inner_texts()  # type: ignore[no-any-return]


def count_text(page: Any) -> str:
    return page.locator("[data-count]").inner_text()  # type: ignore[no-any-return]


def test_text_filter_counts_and_keeps_state_in_the_url(page: Any) -> None:
    page.goto("/")
    assert len(rows(page)) == 6
    page.fill("form[data-catalog] input[name=q]", "llama")
    page.wait_for_function("document.querySelectorAll('[data-catalog-table] tbody tr').length === 2")
    assert count_text(page) == "2 offerings match."
    assert "q=llama" in page.url
    page.reload()
    page.wait_for_function("document.querySelectorAll('[data-catalog-table] tbody tr').length === 2")
    assert page.input_value("form[data-catalog] input[name=q]") == "llama"


def test_facets_and_price_range(page: Any) -> None:
    page.goto("/?provider=openai")
    page.wait_for_function("document.querySelector('[data-count]').textContent.startsWith('2 ')")
    page.goto("/")
    page.select_option("select[name=open]", "yes")
    page.wait_for_function("document.querySelector('[data-count]').textContent.startsWith('2 ')")
    page.select_option("select[name=open]", "")
    page.select_option("select[name=cap]", "prompt_caching")
    page.wait_for_function("document.querySelector('[data-count]').textContent.startsWith('1 ')")
    assert "Claude Sonnet 4.5" in rows(page)[0]
    page.goto("/?min=1&max=3")
    page.wait_for_function("document.querySelector('[data-count]').textContent.startsWith('4 ')")
    page.goto("/?in=image&status=ga")
    page.wait_for_function("document.querySelector('[data-count]').textContent.startsWith('2 ')")


def test_sorting_by_price_both_ways_with_unknowns_last(page: Any) -> None:
    page.goto("/")
    page.click("th[data-sort=input] button")
    page.wait_for_function(
        "document.querySelector('th[data-sort=input]').getAttribute('aria-sort') === 'ascending'"
    )
    assert rows(page)[0].startswith("Llama 3.1 8B Instruct\tReplicate")
    assert "sort=input" in page.url
    page.click("th[data-sort=input] button")
    page.wait_for_function(
        "document.querySelector('th[data-sort=input]').getAttribute('aria-sort') === 'descending'"
    )
    assert rows(page)[0].startswith("Claude Sonnet 4.5")
    page.click("th[data-sort=cache] button")
    page.wait_for_function(
        "document.querySelector('th[data-sort=cache]').getAttribute('aria-sort') === 'ascending'"
    )
    assert "Not yet sourced" in rows(page)[-1]


def test_search_finds_model_pages(page: Any) -> None:
    page.goto("/search/?q=llama")
    page.wait_for_selector("[data-search-results] li")
    links = page.eval_on_selector_all(
        "[data-search-results] a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert "/models/llama-3-1-8b/" in links
    page.goto("/providers/openai/")
    page.fill("#site-search", "anthropic")
    page.wait_for_selector(".search-pop li")  # the header box shows the first results as you type
    quick = page.eval_on_selector_all(".search-pop a", "els => els.map(e => e.getAttribute('href'))")
    assert "/providers/anthropic/" in quick
    from axe_playwright_python.sync_playwright import Axe

    assert not Axe().run(page).response["violations"]
    page.keyboard.press("Escape")
    assert page.locator(".search-pop").is_hidden()
    page.fill("#site-search", "anthropic")  # Escape also cleared the search field
    page.press("#site-search", "Enter")
    page.wait_for_selector("[data-search-results] li")
    assert page.url.endswith("/search/?q=anthropic")


def _claude() -> Rates:
    def m(text: str) -> int:
        return to_micro_dollars(Decimal(text))

    return Rates(
        {
            "input": m("3"),
            "output": m("15"),
            "cache_read": m("0.30"),
            "batch_input": m("1.50"),
            "batch_output": m("7.50"),
        },
        [(200_000, {"input": m("6"), "output": m("22.50"), "cache_read": m("0.60")})],
    )


@pytest.mark.parametrize(
    ("fields", "batch"),
    [
        ({"input": "2000", "cached": "0", "output": "500", "requests": "1000"}, False),
        ({"input": "150000", "cached": "60000", "output": "1234", "requests": "7"}, False),
        ({"input": "999", "cached": "1", "output": "3", "requests": "100000"}, True),
    ],
)
def test_calculator_matches_the_python_arithmetic(page: Any, fields: dict[str, str], batch: bool) -> None:
    page.goto(PAGES["offering"])
    for name, value in fields.items():
        page.fill(f"form[data-calc] input[name={name}]", value)
    if batch:
        page.check("form[data-calc] input[name=batch]")
    usage = Usage(
        int(fields["input"]),
        int(fields["cached"]),
        int(fields["output"]),
        int(fields["requests"]) * 30,
        batch,
    )
    one = request_cost_pico(_claude(), usage)
    assert one is not None
    assert page.inner_text("[data-per-request]") == format_cost(one)
    assert page.inner_text("[data-per-period]") == format_cost(one * usage.requests)


def test_model_calculator_orders_every_provider_cheapest_first(page: Any) -> None:
    page.goto(PAGES["model"])
    providers = page.locator("[data-calc-rows] th").all_inner_texts()
    assert providers == ["Replicate", "Together AI"]  # 2,000 in + 500 out: $0.000225 vs $0.00045
    page.fill("form[data-calc] input[name=input]", "0")
    page.fill("form[data-calc] input[name=output]", "1000000")
    assert page.locator("[data-calc-rows] th").all_inner_texts() == ["Together AI", "Replicate"]


def test_compare_side_by_side_with_a_shareable_url(page: Any) -> None:
    page.goto(PAGES["compare"])
    page.wait_for_selector("table.compare")
    headers = page.locator("table.compare thead th").all_inner_texts()
    assert len(headers) == 3 and "Claude Sonnet 4.5 on Anthropic" in headers[0]
    assert "$2.50" in page.inner_text("table.compare")
    options = page.locator("#compare-options option")
    assert options.count() == 0  # suggestions follow what is typed: none made as the page loads
    page.fill("input[name=add]", "O1-MINI")
    page.wait_for_function("document.querySelectorAll('#compare-options option').length > 0")
    suggested = [options.nth(i).get_attribute("value") or "" for i in range(options.count())]
    assert "o1-mini (2024-09-12) on Replicate" in suggested
    assert all("o1-mini" in label.lower() for label in suggested)
    page.fill("input[name=add]", "")
    page.wait_for_function("document.querySelectorAll('#compare-options option').length === 0")
    page.fill("input[name=add]", "o1-mini (2024-09-12) on Replicate")
    page.click("form[data-compare] button[type=submit]")
    page.wait_for_function("document.querySelectorAll('table.compare thead th').length === 4")
    assert "o=replicate%2Fo1-mini-2024-09-12" in page.url or "o=replicate/o1-mini-2024-09-12" in page.url
    page.click("table.compare thead th:first-of-type button.remove")
    page.wait_for_function("document.querySelectorAll('table.compare thead th').length === 3")
    assert "claude" not in page.url


def test_copy_buttons_copy_the_model_id_and_code(page: Any) -> None:
    page.goto(PAGES["offering"])
    page.click(".model-id button.copy")
    assert page.evaluate("navigator.clipboard.readText()") == "claude-sonnet-4-5"
    assert page.inner_text(".model-id button.copy") == "Copied"
    page.click("[role=tabpanel]:not([hidden]) pre.hl button.copy")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("import anthropic") and "Copy" not in copied
    assert page.locator("pre.code button.copy").count() == page.locator("pre.code").count()


def test_recipe_tabs_follow_the_aria_pattern(page: Any) -> None:
    page.goto(PAGES["offering"])
    tabs = page.locator("[role=tablist] [role=tab]")
    assert tabs.all_inner_texts() == ["Python", "curl", "JavaScript"]
    assert page.locator("[role=tabpanel]:not([hidden])").count() == 1
    tabs.nth(1).click()
    assert tabs.nth(1).get_attribute("aria-selected") == "true"
    assert "curl " in page.inner_text("[role=tabpanel]:not([hidden])")
    page.keyboard.press("ArrowRight")
    assert tabs.nth(2).get_attribute("aria-selected") == "true"
    page.reload()  # the chosen language is remembered
    assert page.locator("[role=tab][aria-selected=true]").inner_text() == "JavaScript"


def test_theme_toggle_overrides_the_system_and_is_remembered(page: Any) -> None:
    page.emulate_media(color_scheme="light")
    page.goto("/")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.click("[data-theme-toggle]")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light != dark
    page.reload()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dark
    assert page.get_attribute("[data-theme-toggle]", "aria-pressed") == "true"


def test_prices_and_code_are_there_without_javascript(browser: Any, ui_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=ui_url)
    tab = context.new_page()
    tab.goto(PAGES["offering"])
    text = tab.inner_text("main")
    assert "$3" in text and "$22.50" in text and "import anthropic" in text and "$0.0135" in text
    tab.goto("/")
    assert len(rows(tab)) == 6
    context.close()


def test_no_request_leaves_the_site(browser: Any, ui_url: str) -> None:
    context = browser.new_context(base_url=ui_url)
    tab = context.new_page()
    seen: list[str] = []
    tab.on("request", lambda request: seen.append(request.url))
    for url in PAGES.values():
        tab.goto(url)
        tab.wait_for_load_state("networkidle")
    context.close()
    outside = [u for u in seen if not u.startswith(ui_url) and not u.startswith("data:")]
    assert not outside, outside


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violation(browser: Any, ui_url: str, name: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(base_url=ui_url, color_scheme=scheme)
    tab = context.new_page()
    tab.goto(PAGES[name])
    tab.wait_for_load_state("networkidle")
    results = Axe().run(
        tab,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
            }
        },
    )
    context.close()
    violations = results.response["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_without_horizontal_scroll(browser: Any, ui_url: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=ui_url, viewport={"width": width, "height": 900})
    tab = context.new_page()
    wide: dict[str, int] = {}
    for name, url in PAGES.items():
        tab.goto(url)
        tab.wait_for_load_state("networkidle")
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[name] = scroll
        tab.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    context.close()
    assert not wide, f"pages wider than {width} px: {wide}"


def test_screenshot_folder_is_ignored_by_git() -> None:
    assert "/test-artifacts/" in (REPO / ".gitignore").read_text().splitlines()
    assert Path(SHOTS).is_relative_to(REPO / "test-artifacts")


# --- the repository's own catalog: the pages readers actually get ---


def real_pages(built_site: Path) -> dict[str, str]:
    """One page of each kind from the built catalog: the model with the most providers, and so on."""
    models = sorted(
        (p for p in (built_site / "models").iterdir() if p.is_dir()),
        key=lambda p: (-sum(1 for c in p.iterdir() if c.is_dir()), p.name),
    )
    model = models[0]
    offering = sorted(c for c in model.iterdir() if c.is_dir())[0]
    providers = sorted(
        (p for p in (built_site / "providers").iterdir() if p.is_dir()),
        key=lambda p: (-(p / "index.html").stat().st_size, p.name),
    )
    return {
        "home": "/",
        "model": f"/models/{model.name}/",
        "offering": f"/models/{model.name}/{offering.name}/",
        "provider": f"/providers/{providers[0].name}/",
    }


def test_real_catalog_pages_pass_axe_and_fit_phones(browser: Any, built_site: Path, site_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, object] = {}
    for width in (1280, 375):
        context = browser.new_context(base_url=site_url, viewport={"width": width, "height": 900})
        tab = context.new_page()
        for name, url in real_pages(built_site).items():
            tab.goto(url)
            tab.wait_for_load_state("networkidle")
            scroll = tab.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                problems[f"{name} at {width} px is {scroll} px wide"] = url
            tab.screenshot(path=str(SHOTS / f"catalog-{name}-{width}.png"), full_page=True)
            if width == 375:
                violations = Axe().run(tab).response["violations"]
                if violations:
                    problems[f"axe on {name}"] = [
                        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
                    ]
        context.close()
    assert not problems, problems
