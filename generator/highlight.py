"""Code highlighting (Pygments), shared between snippets that differ only by a model ID.

Every offering page shows the same few snippets of its provider with its own
model ID filled in, so highlighting each snippet from scratch would lex the same
code ten thousand times. Instead the model ID is replaced by a placeholder (the
snippet's *skeleton*), the skeleton is highlighted once, and the ID is put back
into the highlighted HTML.

That gives the same bytes as highlighting the real snippet only when the lexer
would treat the ID exactly like the placeholder, so the shortcut is taken only
when both hold:

* the ID is made of characters that no lexer used here treats specially inside
  a string literal (letters, digits and ``. _ / : @ -``; its percent-encoded
  form, which adds ``%``, only in languages where ``%`` means nothing in a
  string: curl and JavaScript), and
* in the skeleton, every placeholder lies inside a single string token (not an
  escape or an interpolation), checked once per skeleton by lexing it.

Otherwise the snippet is highlighted in full. :func:`skeleton` is also what lets
:mod:`generator.recipes` check each snippet shape once instead of once per page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from markupsafe import Markup, escape
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import String

PLACEHOLDER = "MODELDIRxPLACEHOLDERx7"
ENCODED_PLACEHOLDER = "MODELDIRxENCODEDx7"  # the ID percent-encoded for a URL path
SAFE_LITERAL = re.compile(r"[A-Za-z0-9._/:@-]+")
PERCENT_INERT = ("curl", "bash", "javascript")  # languages whose string literals give "%" no meaning
_OPAQUE = (String.Escape, String.Interpol, String.Affix)

_FORMATTER = HtmlFormatter(nowrap=True, classprefix="")


@lru_cache(maxsize=8192)
def percent_encoded(value: str) -> str:
    """``value`` percent-encoded for one URL path segment; kept, as each page asks several times."""
    return quote(value, safe="")


@lru_cache(maxsize=16)
def lexer(language: str) -> Lexer:
    return get_lexer_by_name({"curl": "bash"}.get(language, language))


def _is_plain_string(kind: tuple[str, ...]) -> bool:
    """String or one of its subtypes, but not an escape, an interpolation or a prefix."""
    return kind[: len(String)] == String and not any(kind[: len(o)] == o for o in _OPAQUE)


@lru_cache(maxsize=4096)
def _placeholders_in_strings(language: str, skeleton: str) -> bool:
    spans = [(m.start(), m.end()) for m in re.finditer(f"{PLACEHOLDER}|{ENCODED_PLACEHOLDER}", skeleton)]
    covered = 0
    for index, kind, value in lexer(language).get_tokens_unprocessed(skeleton):
        end = index + len(value)
        for start, stop in spans:
            if index <= start and stop <= end and _is_plain_string(kind):
                covered += 1
    return covered == len(spans)


def skeleton(code: str, language: str, literal: str | None) -> str | None:
    """``code`` with ``literal`` replaced by the placeholder, or None when that is not exact."""
    if not literal or not SAFE_LITERAL.fullmatch(literal) or "MODELDIRx" in code:
        return None
    shape = code.replace(literal, PLACEHOLDER)
    encoded = percent_encoded(literal)
    if encoded != literal and encoded in shape:
        if language not in PERCENT_INERT:
            return None
        shape = shape.replace(encoded, ENCODED_PLACEHOLDER)
    if shape == code:
        return None
    return shape if _placeholders_in_strings(language, shape) else None


@lru_cache(maxsize=4096)
def _highlight(code: str, language: str) -> str:
    return str(highlight(code, lexer(language), _FORMATTER))


def highlight_code(code: str, language: str, literal: str | None = None) -> Markup:
    """Highlighted HTML of ``code``; ``literal`` is the part that varies from page to page."""
    shape = skeleton(code, language, literal)
    if shape is None:
        return Markup(highlight(code, lexer(language), _FORMATTER))
    assert literal is not None
    html = _highlight(shape, language).replace(PLACEHOLDER, str(escape(literal)))
    return Markup(html.replace(ENCODED_PLACEHOLDER, str(escape(percent_encoded(literal)))))
