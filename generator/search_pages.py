"""What the search indexer reads: the pages that mark their body, without their ignored parts.

Pagefind leaves an element marked ``data-pagefind-ignore`` out of its index,
but it still parses the element and everything in it. On an offering page
that is most of the body: the price cards, the setup tabs, the pricing tables
and the chart, the calculator and the table of every provider. Handed the
pages with those elements already cut out, it builds the same index, byte for
byte (``tests/test_extras.py`` compares the two bundles), in less time: on the
real site's 7,099 pages the indexer alone took 10.8 and 11.3 s instead of 14.4
and 16.4 s, and a full build 22.1 s instead of 26.9 s (medians of 5 pairs,
0.84 x), cutting included (about 70 microseconds a page); a cold build of the
10,000-offering benchmark catalog with its index, 0.91 x (3 pairs).

Pages that do not mark their body (lists, the changelog, the home page) are
not indexed once any page does, but Pagefind parses them all the same; they
are a tenth of its input at 10,000 offerings. Leaving them out
(:class:`IndexInput`) made that cold build 0.95 x again (58.3 -> 55.7 s, 3
pairs), and the real site's, with 21 such pages, 1.00 x. Cutting each page
further, down to its body element, would not pay: on 1,731 real pages the
indexer took 3.31 s instead of 3.37 s, with the same memory and the same
bundle. What is left of its time is indexing, not parsing.

The pages are the generator's own output, so an element can be cut without
an HTML parser: a tag runs from ``<`` to the next ``>`` (attribute values are
escaped, so they never hold ``>``), and an element ends at the close tag that
balances the tags of its own name opened inside it (a void element, like
``<input>``, at its tag). Text that merely reads
``data-pagefind-ignore`` (in a contributor's words, in an attribute's value,
in a script) is not an attribute and cuts nothing. A page whose markup does
not balance is handed over as it is: the index is then the slower one, never
a different one.

Pagefind still reads ``data-pagefind-filter``, ``-meta`` and ``-sort`` inside an
element ignored this way (only ``data-pagefind-ignore="all"`` hides those), and
cutting would lose them: the templates put none there, and the bundle test in
``tests/test_extras.py``, which indexes pages of the real templates both ways,
fails if one ever does.
"""

from __future__ import annotations

import re

MARK = b"data-pagefind-ignore"
BODY = b"data-pagefind-body"
# an attribute of that name, once the tag's quoted values are blanked out
_ATTRIBUTE = {name: re.compile(rb"\s" + name + rb"(?=[\s=/>])") for name in (MARK, BODY)}
_QUOTED = re.compile(rb'"[^"]*"|\'[^\']*\'')
_NAME = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)")
_AFTER_NAME = (b" ", b"\t", b"\n", b">", b"/")  # what may follow a tag's name
# elements that have no end tag
VOID = frozenset(b"area base br col embed hr img input link meta source track wbr".split())


class IndexInput:
    """What the indexer reads of each page: the page without its ignored elements, or nothing.

    Once any page of a site marks its body, Pagefind indexes only pages that do,
    so the others are left out (a tenth of its input at 10,000 offerings, which
    it would parse for nothing). ``bodies`` counts the pages that mark theirs:
    while it is 0, the pages left out would all have been indexed whole, and the
    caller must hand them over after all (with :func:`without_ignored` alone).
    """

    def __init__(self) -> None:
        self.bodies = 0

    def __call__(self, html: bytes) -> bytes | None:
        page = index_input(html)
        if page is not None:
            self.bodies += 1
        return page


def index_input(html: bytes) -> bytes | None:
    """What the indexer is handed of a page (:class:`IndexInput`) once any page marks its body:
    the page without its ignored elements, or None when it does not mark its body."""
    page = without_ignored(html)
    return None if _tag_with(page, BODY, 0, 0) is None else page


def without_ignored(html: bytes) -> bytes:
    """``html`` with every element that carries ``data-pagefind-ignore`` cut out, tags and all."""
    kept: list[bytes] = []
    done = 0  # html[:done] is decided: copied into kept or cut
    look = 0  # where to look for the next mark
    while (found := _tag_with(html, MARK, look, done)) is not None:
        start, inside, name = found
        end = _element_end(html, name, inside)
        if end is None:
            return html
        kept.append(html[done:start])
        done = look = end
    if not kept:
        return html  # (the same object: nothing was cut)
    kept.append(html[done:])
    return b"".join(kept)


def _tag_with(html: bytes, attribute: bytes, look: int, floor: int) -> tuple[int, int, bytes] | None:
    """The first tag after ``look`` (and starting after ``floor``) that carries ``attribute``:
    where it starts, where its content starts, and its element's name."""
    while (mark := html.find(attribute, look)) != -1:
        look = mark + len(attribute)
        start = html.rfind(b"<", floor, mark)
        if start == -1 or html.rfind(b">", start, mark) != -1:
            continue  # not inside a tag: text
        close = html.find(b">", mark)
        if close == -1:
            return None  # a tag that never ends: the rest of the page is left as it is
        tag = html[start : close + 1]
        name = _NAME.match(tag)
        if name is None or not _ATTRIBUTE[attribute].search(_QUOTED.sub(b'""', tag)):
            continue  # a closing tag, or the words inside an attribute's value
        return start, close + 1, name.group(1).lower()
    return None


def _element_end(html: bytes, name: bytes, inside: int) -> int | None:
    """Where the element named ``name`` whose content starts at ``inside`` ends (past its end tag)."""
    if name in VOID:
        return inside
    if html[inside - 2 : inside - 1] == b"/":
        return None  # "<x/>" ends an element of SVG, not of HTML: not worth telling which
    opening, closing = b"<" + name, b"</" + name + b">"
    depth, at = 1, inside
    while depth:
        end = html.find(closing, at)
        if end == -1:
            return None
        # tags of the same name opened before that end tag nest inside this element
        nested = at
        while (nested := html.find(opening, nested, end)) != -1:
            nested += len(opening)
            if html[nested : nested + 1] in _AFTER_NAME:
                depth += 1
        depth -= 1
        at = end + len(closing)
    return at
