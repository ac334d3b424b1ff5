from pathlib import Path

from generator.build import build_site


def test_base_site_builds(make_site, tmp_path: Path) -> None:
    project = make_site()
    result = build_site(project, tmp_path / "out")
    # 4 record pages; home, 404, all offerings, compare, search, audit, credits; changelog, deprecations, API
    assert result.pages == 14
    page = (tmp_path / "out/models/o1-mini-2024-09-12/replicate/index.html").read_text()
    assert "openai/o1-mini" in page and "$1.10" in page and "$4.40" in page
