"""Every page links to the content files it is made from, and unknown values to where they would go."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build_site
from generator.project import Project

EDIT = "https://github.com/example/modeldir/edit/main/"
OFFERING = "content/offerings/replicate/o1-mini-2024-09-12.yaml"
MODEL = "content/models/o1-mini-2024-09-12.yaml"
PROVIDER = "content/providers/replicate.yaml"
CREATOR = "content/creators/openai.yaml"


class Anchors(HTMLParser):
    """(href, text, enclosing <dt> label) of every link on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []
        self._href: str | None = None
        self._text = ""
        self._in_dt = False
        self.label = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", ""
        elif tag == "dt":
            self._in_dt, self.label = True, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._text.split()), self.label))
            self._href = None
        elif tag == "dt":
            self._in_dt = False

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data
        if self._in_dt:
            self.label += data


def links(out: Path, url: str) -> list[tuple[str, str, str]]:
    parser = Anchors()
    parser.feed((out / url.lstrip("/") / "index.html").read_text(encoding="utf-8"))
    return parser.links


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import write_site

    root = tmp_path_factory.mktemp("edit")
    project: Project = write_site(root / "site", {})
    build_site(project, root / "out")
    return root / "out"


def edits(page: list[tuple[str, str, str]]) -> list[str]:
    return [
        href.removeprefix(EDIT)
        for href, text, _ in page
        if href.startswith(EDIT) and text == "Edit this page"
    ]


def made_from(page: list[tuple[str, str, str]]) -> list[str]:
    return [text for href, text, _ in page if href.startswith(EDIT) and href == EDIT + text]


@pytest.mark.parametrize(
    ("url", "primary", "files"),
    [
        ("/models/o1-mini-2024-09-12/replicate/", OFFERING, [OFFERING, MODEL, PROVIDER]),
        ("/models/o1-mini-2024-09-12/", MODEL, [MODEL, CREATOR]),
        ("/providers/replicate/", PROVIDER, [PROVIDER]),
        ("/creators/openai/", CREATOR, [CREATOR]),
    ],
)
def test_every_record_page_edits_the_files_it_is_made_from(
    out: Path, url: str, primary: str, files: list[str]
) -> None:
    page = links(out, url)
    assert edits(page) == [primary]
    assert made_from(page) == files


def test_the_home_page_links_to_the_contributing_guide(out: Path) -> None:
    page = links(out, "/")
    assert edits(page) == []
    assert ("https://github.com/example/modeldir/blob/main/CONTRIBUTING.md", "How to contribute", "") in page


@pytest.mark.parametrize("url", ["/models/o1-mini-2024-09-12/replicate/", "/models/o1-mini-2024-09-12/"])
def test_unknown_specs_link_to_the_model_file(out: Path, url: str) -> None:
    add = {label.strip(): href for href, text, label in links(out, url) if text == "add it" and label}
    # the test model documents neither its knowledge cutoff nor its license
    assert add["Knowledge cutoff"] == EDIT + MODEL
    assert add["License"] == EDIT + MODEL
    assert "Context window" not in add  # 128000 is documented


def test_unsourced_prices_link_to_the_offering_file(out: Path) -> None:
    page = links(out, "/models/o1-mini-2024-09-12/replicate/")
    assert {href for href, text, _ in page if text == "Add it"} == {EDIT + OFFERING}


def test_missing_model_text_links_to_the_model_file(out: Path) -> None:
    html = (out / "models/o1-mini-2024-09-12/replicate/index.html").read_text(encoding="utf-8")
    # the test model has no description: the About section asks for one, in the model's file
    assert re.search(
        rf'Not yet documented\. <a class="add" href="{re.escape(EDIT + MODEL)}">Describe it</a>', html
    )
