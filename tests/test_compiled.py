"""generator.compiled: templates compiled our way render the same bytes as Jinja2's own code."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup, escape

from generator.compiled import escape_text, use_compiled

TEMPLATES = {
    "base.html": (
        "<!doctype html><title>{{ title }}</title>{% block main %}base {{ value }}{% endblock %}"
        "<footer>{{ footer }} &amp; {{ 3 }}</footer>\n"
    ),
    "macros.html": (
        "{% macro cell(x, cls='c') %}<td class=\"{{ cls }}\">{{ x }}</td>{% endmacro %}"
        "{% macro wrap() %}<div>{{ caller() }}</div>{% endmacro %}"
    ),
    "page.html": (
        '{% extends "base.html" %}{% from "macros.html" import cell, wrap %}'
        "{% block main %}<h1>{{ title }} — {{ value }}</h1>"
        "{% for row in rows %}<tr>{{ cell(row) }}{{ cell(row ~ '<x>', cls=row) }}</tr>{% endfor %}"
        "{% set joined %}{{ title }}|{{ value }}{% endset %}<p>{{ joined }} {{ joined|length }}</p>"
        "{% call wrap() %}in <b>{{ title }}</b>{% endcall %}"
        "{{ safe }}{{ value|e }}{{ none }}{{ number }}{{ 1.5 }}{{ [title, safe] }}"
        "{% autoescape false %}<raw>{{ title }}</raw>{% endautoescape %}"
        "{% if rows %}{{ rows|join(', ') }}{% else %}none{% endif %}"
        '{% include "macros.html" %}{{ super() }}{% endblock %}'
    ),
}

CONTEXT = {
    "title": "A <b> & \"quoted\" 'single'",
    "value": "x > y",
    "footer": Markup("<i>kept</i>"),
    "rows": ["a&b", "<c>", "plain"],
    "safe": Markup("<em>safe</em>"),
    "none": None,
    "number": 42,
}


def _environment(compiled: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.DictLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return use_compiled(env) if compiled else env


def test_every_construct_renders_the_same_bytes() -> None:
    ours = _environment(compiled=True).get_template("page.html").render(**CONTEXT)
    theirs = _environment(compiled=False).get_template("page.html").render(**CONTEXT)
    assert ours == theirs
    assert "A &lt;b&gt; &amp; &#34;quoted&#34; &#39;single&#39;" in ours  # escaped once
    assert "<raw>A <b>" in ours  # autoescape false is honoured


def test_output_statements_are_yielded_whole() -> None:
    template = _environment(compiled=True).get_template("base.html")
    pieces = list(template.root_render_func(template.new_context(CONTEXT)))
    assert len(pieces) < 5  # Jinja2's own code yields each text and value apart: 7 pieces here


def test_a_missing_value_still_fails() -> None:
    template = _environment(compiled=True).from_string("{{ missing }} and {{ title }}")
    with pytest.raises(jinja2.UndefinedError):
        template.render(title="t")


@pytest.mark.parametrize(
    "value",
    ["", "plain", "&<>'\"", "a & b", "ünïcødé — ✓ <tag>", "x" * 500 + "<", Markup("<b>"), 3, 2.5, None, True],
)
def test_escape_text_is_markupsafe_escape(value: object) -> None:
    assert escape_text(value) == str(escape(value))


def test_an_imported_template_module_is_made_once_per_set_of_globals() -> None:
    env = _environment(compiled=True)
    page = env.get_template("page.html")
    assert page.render(**CONTEXT) == page.render(**CONTEXT)
    macros = env.get_template("macros.html")
    ctx = page.new_context(CONTEXT)
    first = macros._get_default_module(ctx)
    assert macros._get_default_module(page.new_context(CONTEXT)) is first
    with_more = env.get_template("page.html", globals={"extra": "x"})  # a global the import lacks
    other = macros._get_default_module(with_more.new_context(CONTEXT))
    assert other is not first and other.cell("a") == first.cell("a")
