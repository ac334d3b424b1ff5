"""Problems as text for people, as GitHub annotations, or as JSON for programs.

``text``
    ``path:line:col: severity: message``, one per line (editors and terminals
    jump to the place).
``github``
    GitHub Actions workflow commands, ``::error file=…,line=…,col=…::message``:
    in a pull request each problem shows on the line of the file it is about.
``json``
    One object: ``{"problems": [{"file", "line", "column", "severity",
    "message"}, …], "errors": n, "warnings": n}``; line and column are 1-based,
    0 when unknown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .errors import Problem

FORMATS = ("text", "github", "json")


def summary(problems: Sequence[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    return f"{errors} error(s), {len(problems) - errors} warning(s)"


def as_text(problems: Sequence[Problem]) -> str:
    return "".join(f"{problem}\n" for problem in problems)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """One GitHub Actions workflow command for ``problem``."""
    where = problem.location
    properties = [f"file={_escape_property(where.path)}"]
    if where.line:
        properties += [f"line={where.line}", f"col={where.column or 1}"]
    properties.append(f"title={_escape_property('modeldir check')}")
    return f"::{problem.severity.value} {','.join(properties)}::{_escape_data(problem.message)}"


def as_github(problems: Sequence[Problem]) -> str:
    return "".join(f"{annotation(problem)}\n" for problem in problems)


def as_json(problems: Sequence[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    document = {
        "problems": [
            {
                "file": p.location.path,
                "line": p.location.line,
                "column": p.location.column or (1 if p.location.line else 0),
                "severity": p.severity.value,
                "message": p.message,
            }
            for p in problems
        ],
        "errors": errors,
        "warnings": len(problems) - errors,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render(problems: Sequence[Problem], format: str) -> str:
    if format == "github":
        return as_github(problems)
    if format == "json":
        return as_json(problems)
    return as_text(problems)
