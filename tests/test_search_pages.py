"""What the search indexer is handed: the pages that mark their body, without their ignored parts."""

from __future__ import annotations

import pytest

from generator.search_pages import IndexInput, without_ignored


def test_an_element_marked_ignored_is_cut_with_everything_in_it() -> None:
    page = (
        b'<main data-pagefind-body><h1>Title</h1>\n<section id="prices" data-pagefind-ignore>'
        b"<section><p>nested</p></section><p>$1</p></section>\n<p>kept</p></main>"
    )
    assert without_ignored(page) == b"<main data-pagefind-body><h1>Title</h1>\n\n<p>kept</p></main>"


def test_every_marked_element_is_cut_whatever_its_name_or_value() -> None:
    page = (
        b'<div><a class="compare-link" href="/c" data-pagefind-ignore>Compare</a> '
        b'<div class="table-scroll" data-pagefind-ignore="all"><div><table></table></div></div>'
        b'<form data-pagefind-ignore aria-label="x"><input name="a" data-pagefind-ignore></form>'
        b"<input data-pagefind-ignore><br data-pagefind-ignore/>after</div>"
    )
    assert without_ignored(page) == b"<div> after</div>"


def test_a_tag_that_only_starts_like_the_element_does_not_nest() -> None:
    page = b"<p>a <a data-pagefind-ignore><abbr>x</abbr><article></article><a>in</a> y</a>b</p>"
    assert without_ignored(page) == b"<p>a b</p>"


@pytest.mark.parametrize(
    "page",
    [
        b"<p>write data-pagefind-ignore on an element to leave it out</p>",  # text, not an attribute
        b'<p title="see data-pagefind-ignore here">t</p>',  # in an attribute's value
        b"<p title='data-pagefind-ignore' data-pagefind-ignored=\"x\">t</p>",  # another attribute
        b'<script type="application/ld+json">{"a": " data-pagefind-ignore>"}</script>',
        b"<main>no mark at all</main>",
    ],
)
def test_words_that_are_not_the_attribute_cut_nothing(page: bytes) -> None:
    assert without_ignored(page) is page


@pytest.mark.parametrize(
    "page",
    [
        b"<main><section data-pagefind-ignore><p>never closed</p></main>",
        b"<main><section data-pagefind-ignore",
        b"<div><span data-pagefind-ignore/>in the span in HTML, not in SVG</div>",
    ],
)
def test_markup_that_does_not_balance_is_handed_over_as_it_is(page: bytes) -> None:
    assert without_ignored(page) is page


def test_only_pages_that_mark_their_body_are_handed_to_the_indexer() -> None:
    read = IndexInput()
    assert read(b"<main><p>no body here</p></main>") is None
    assert read(b"<main><p>the words data-pagefind-body are no attribute</p></main>") is None
    assert read(b'<main title="data-pagefind-body">t</main>') is None
    assert read.bodies == 0
    marked = b'<main data-pagefind-body><p>in</p><div data-pagefind-ignore="">out</div></main>'
    assert read(marked) == b"<main data-pagefind-body><p>in</p></main>"
    assert read.bodies == 1
