"""The repository's own content: it checks clean and the reference offering renders in full."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO
from test_golden import SECTIONS

from generator.build import check_content
from generator.project import Project

REFERENCE = "models/o1-mini-2024-09-12/replicate/index.html"


def test_repository_content_has_no_problems() -> None:
    checked = check_content(Project.find(REPO))
    assert [str(p) for p in checked.problems] == []


def test_reference_offering_page(built_site: Path) -> None:
    page = (built_site / REFERENCE).read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f'id="{section}"' in page, section
    text = re.sub(r"<[^>]+>", "", page)
    assert "openai/o1-mini" in text and "$1.10" in text and "$4.40" in text
