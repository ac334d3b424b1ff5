"""The rules that keep contributor text inert, checked on the code itself.

The corpus and the browser test show that today's pages are safe; these keep
the rules that make them safe from being undone quietly: autoescape stays on,
no template marks a value ``|safe`` (a string literal written in the template
may be), and the generator never compiles a string
as a template.
"""

from __future__ import annotations

import re

from generator.render import environment
from tests.conftest import REPO


def test_autoescape_is_on_for_every_template() -> None:
    env = environment(REPO / "templates")
    assert env.list_templates()
    assert env.autoescape is True  # not a per-name function that could leave some templates out


def _unsafe(line: str) -> bool:
    """``|safe`` on anything but a string literal written in the template, or autoescape off."""
    if re.search(r"autoescape\s+false", line):
        return True
    return any(not m.group(1).endswith(("'", '"')) for m in re.finditer(r"(\S+)\s*\|\s*safe\b", line))


def test_no_template_marks_a_value_safe() -> None:
    assert _unsafe("{{ v.name|safe }}") and _unsafe("{{ x | safe }}") and not _unsafe("{{ 'a b'|safe }}")
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _unsafe(line)
    ]
    assert not offenders, "values are escaped; build Markup in views.py from escaped parts instead"


def test_the_generator_never_compiles_a_string_as_a_template() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "generator").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\.from_string\(|jinja2\.Template\(|Markup\(f[\"']", line)
    ]
    assert not offenders, "contributor text must never become template source or unescaped markup"
