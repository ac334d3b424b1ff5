"""What the search indexer reads: each page without the parts marked ``data-pagefind-ignore``.

Pagefind leaves an element marked ``data-pagefind-ignore`` out of its index,
but it still parses the element and everything in it. On an offering page
that is most of the body: the price cards, the setup tabs, the pricing tables
and the chart, the calculator and the table of every provider. Handed the
pages with those elements already cut out, it builds the same index, byte for
byte (``tests/test_extras.py`` compares the two bundles), in less time: on the
real site's 7,099 pages the indexer alone took 10.8 and 11.3 s instead of 14.4
and 16.4 s, and a full build 22.1 s instead of 26.9 s (medians of 5 pairs,
0.84 x), cutting included (about 70 microseconds a page).

The pages are the generator's own output, so an element can be cut without
an HTML parser: a tag runs from ``<`` to the next ``>`` (attribute values are
escaped, so they never hold ``>``), and an element ends at the close tag that
balances the tags of its own name opened inside it (a void element, like
``<input>``, at its tag). Text that merely reads
``data-pagefind-ignore`` (in a contributor's words, in an attribute's value,
in a script) is not an attribute and cuts nothing. A page whose markup does
not balance is handed over as it is: the index is then the slower one, never
a different one.
"""

from __future__ import annotations

import re

MARK = b"data-pagefind-ignore"
# an attribute of that name, once the tag's quoted values are blanked out
_ATTRIBUTE = re.compile(rb"\s" + MARK + rb"(?=[\s=/>])")
_QUOTED = re.compile(rb'"[^"]*"|\'[^\']*\'')
_NAME = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)")
_AFTER_NAME = (b" ", b"\t", b"\n", b">", b"/")  # what may follow a tag's name
# elements that have no end tag
VOID = frozenset(b"area base br col embed hr img input link meta source track wbr".split())


def without_ignored(html: bytes) -> bytes:
    """``html`` with every element that carries ``data-pagefind-ignore`` cut out, tags and all."""
    kept: list[bytes] = []
    done = 0  # html[:done] is decided: copied into kept or cut
    look = 0  # where to look for the next mark
    while (mark := html.find(MARK, look)) != -1:
        look = mark + len(MARK)
        start = html.rfind(b"<", done, mark)
        if start == -1 or html.rfind(b">", start, mark) != -1:
            continue  # not inside a tag: text
        close = html.find(b">", mark)
        if close == -1:
            return html
        tag = html[start : close + 1]
        name = _NAME.match(tag)
        if name is None or not _ATTRIBUTE.search(_QUOTED.sub(b'""', tag)):
            continue  # a closing tag, or the words inside an attribute's value
        end = _element_end(html, name.group(1).lower(), close + 1)
        if end is None:
            return html
        kept.append(html[done:start])
        done = look = end
    if not kept:
        return html  # (the same object: nothing was cut)
    kept.append(html[done:])
    return b"".join(kept)


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
