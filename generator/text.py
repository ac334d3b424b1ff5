"""Contributor text to HTML: Markdown with raw HTML off and only safe links.

Contributor text is data. It is never compiled as a Jinja template and never
passed through as HTML: markdown-it renders it with ``html`` disabled (a
``<script>`` tag shows as text), and links are kept only when they point at
http(s) or mailto, so ``javascript:`` and ``data:`` URLs render as plain text.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.disable("image")  # contributor text never pulls third-party images into a page
    return md


@lru_cache(maxsize=65536)  # the same descriptions and gotchas appear on many pages
def markdown_block(text: str | None) -> Markup:
    """Render a Markdown paragraph or more; safe to insert into a page as is."""
    if not text:
        return Markup("")
    return Markup(_parser().render(text))


@lru_cache(maxsize=65536)
def markdown_inline(text: str | None) -> Markup:
    """Render one line of Markdown (a gotcha, an FAQ answer) without a wrapping <p>."""
    if not text:
        return Markup("")
    return Markup(_parser().renderInline(text))
