"""The price cell's HTML, made in Python: templates need it thousands of times per build.

Markup belongs in templates, with one exception: a fragment so small and so
often used that calling a Jinja macro costs more than the rest of its page.
``price(cell)`` appears about fifteen times on every offering page and three
times in each row of every table of offerings (30,000 times on /offerings/ at
N = 10,000); a Jinja macro call costs several times what this function does.
Every value is escaped (``compiled.escape_text``: markupsafe's escaping), exactly as autoescaping would.
Templates call it as the global ``price``.
"""

from __future__ import annotations

from markupsafe import Markup

from .compiled import escape_text
from .views.types import PriceCell


def price(cell: PriceCell, with_source: bool = False) -> Markup:
    """A price as the reader sees it: the amount, "Not offered" or "Not yet sourced"; with
    ``with_source``, a link to where it was read (or to the file to add it to); then any
    dataset that disagrees."""
    if cell.state == "number":
        html = f'<span class="price">{escape_text(cell.text)}</span>'
        if with_source:
            dataset = f": {escape_text(cell.dataset)}" if cell.dataset else ""
            as_of = f", {escape_text(cell.as_of)}" if cell.as_of else ""
            html += f' <a class="src" href="{escape_text(cell.source)}" rel="nofollow noopener">source{dataset}{as_of}</a>'
    elif cell.state == "not_offered":
        html = '<span class="na">Not offered</span>'
    else:
        html = '<span class="unknown">Not yet sourced</span>'
        if with_source and cell.edit_url:
            html += f' <a class="src" href="{escape_text(cell.edit_url)}">add it</a>'
    for dispute in cell.disputes:
        html += f' <a class="dispute" href="/disagreements/">({escape_text(dispute)})</a>'
    return Markup(html)
