"""How templates compile: the same output as Jinja2's own code, with less work per page.

Jinja2 compiles a template into a Python generator that yields every piece of
output on its own (``yield 'text'``, ``yield escape(value)``, ``yield 'text'``
…), and every piece travels up through the generators of the blocks and of the
templates it extends before ``"".join`` sees it. Each value goes through
``markupsafe.escape``, which wraps the escaped text in a new ``Markup`` object
that the join throws away at once. An offering page has some three hundred
such values, and at ten thousand pages that bookkeeping is a tenth of a build.

Two changes, both through Jinja2's documented extension points
(``Environment.code_generator_class`` and ``Environment.template_class``):

* an output statement (the text and values between two tags) is yielded as
  one string joined in place, so a piece crosses the generator chain once, not
  once per value;
* a value is escaped by :func:`escape_text`: the same characters replaced by
  the same entities as ``markupsafe.escape``, returned as plain ``str``. Output
  is only ever joined (into the page, or into a macro's or block's ``Markup``),
  so the wrapper was never needed there. Values that are already markup
  (``Markup``, or anything with ``__html__``) pass through as they are.

Everything else (filters, macros, ``|e``, concatenation with ``~``) is Jinja2's
own code. ``tests/test_compiled.py`` renders templates of every construct both
ways and compares the bytes.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from types import CodeType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import TemplateModule
from jinja2.runtime import Context
from markupsafe import Markup, escape

try:  # markupsafe's C escaping, without the Markup wrapper; the same replacements in Python otherwise
    from markupsafe._speedups import _escape_inner as _escape_str  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - markupsafe without its C extension

    def _escape_str(text: str, /) -> str:
        return (
            text.replace("&", "&amp;")
            .replace(">", "&gt;")
            .replace("<", "&lt;")
            .replace("'", "&#39;")
            .replace('"', "&#34;")
        )


def escape_text(value: Any) -> str:
    """``str(markupsafe.escape(value))``, without making a Markup object: a plain string escaped,
    safe text (a ``Markup``) as it is, a number's digits (which never need escaping)."""
    kind = type(value)
    if kind is str:
        escaped: str = _escape_str(value)
        return escaped
    if kind is Markup:
        safe: str = value
        return safe
    if kind is int:
        return str(value)
    return escape(value)


_ESCAPE = "_md_escape"
_JOIN = "_md_join"


class _Generator(CodeGenerator):
    """Jinja2's code generator with one yield per output statement and :func:`escape_text`."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write(f"{_ESCAPE}(")
        if finalize.src is not None:
            self.write(finalize.src)

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        """One ``yield`` of the statement's pieces joined, where Jinja2 would yield each piece.

        The pieces are gathered the way Jinja2 gathers them inside a macro (a
        list, then ``"".join``). Inside a buffer (a macro, a ``{% set %}`` block, a ``{% call %}``) or
        above an ``{% extends %}`` Jinja2's own code runs: it already gathers
        pieces into one list there.
        """
        if frame.buffer is not None or frame.require_output_check or len(node.nodes) < 2:
            super().visit_Output(node, frame)
            return
        frame.buffer = "_md_pieces"
        self.writeline("_md_pieces = []")
        super().visit_Output(node, frame)
        frame.buffer = None
        self.writeline(f"yield {_JOIN}(_md_pieces)")


class CompiledTemplate(jinja2.Template):
    """A template whose module also knows the names :class:`_Generator` writes.

    An imported template (``{% from "partials/x.html" import y %}``) is looked
    up on every render by :meth:`_get_default_module`, which subtracts the
    template's globals (a ``ChainMap``, subtracted key by key in Python) from
    the context's, about 5 µs per import and page. The difference only depends
    on the set of keys, so the answer is remembered for the last set seen.
    """

    _shared_keys: set[str] | None = None  # context keys for which the module is the shared one

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        if ctx is not None and self._module is not None and ctx.globals_keys == self._shared_keys:
            return self._module
        module = super()._get_default_module(ctx)
        if ctx is not None and module is self._module:
            self._shared_keys = set(ctx.globals_keys)
        return module

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__
        namespace[_ESCAPE] = escape_text
        namespace[_JOIN] = "".join
        return template


def use_compiled(env: jinja2.Environment) -> jinja2.Environment:
    """Make ``env`` compile its templates with :class:`_Generator`; returns it."""
    env.code_generator_class = _Generator
    env.template_class = CompiledTemplate
    return env
