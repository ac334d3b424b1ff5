"""Round-trip YAML editing: change values in place, keep comments, key order and style.

The build reads YAML with its own strict loader (:mod:`generator.yamlsource`);
the importer edits files with ruamel.yaml's round-trip mode, which keeps what
people wrote by hand (comments, key order, quoting, folded text) and changes
only the values it is told to. Money is written as plain decimals
(``0.075``), never through a binary float, and dates as ``YYYY-MM-DD``.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter

HEADER = "# yaml-language-server: $schema={schema}\n"


def _represent_decimal(representer: RoundTripRepresenter, value: Decimal) -> Any:
    text = format(value.normalize(), "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, text)


def yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.add_representer(Decimal, _represent_decimal)
    y.representer.ignore_aliases = lambda data: True  # the build refuses anchors and aliases
    return y


_YAML = yaml()


def load(path: Path) -> tuple[CommentedMap, str]:
    text = path.read_text(encoding="utf-8")
    data = _YAML.load(text)
    return (data if isinstance(data, CommentedMap) else CommentedMap()), text


def dump(data: CommentedMap, header_schema: str | None = None) -> str:
    buffer = io.StringIO()
    _YAML.dump(data, buffer)
    text = buffer.getvalue()
    return (HEADER.format(schema=header_schema) if header_schema else "") + text


def decimal_of(value: Any) -> Decimal | None:
    """A number read by ruamel as Decimal (floats through their shortest repr)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(float(value))).normalize()
    if isinstance(value, Decimal):
        return value.normalize()
    return None


def flow_map(**items: Any) -> CommentedMap:
    """A mapping written on one line: ``{name: …, value: …}``."""
    data = CommentedMap(items)
    data.fa.set_flow_style()
    return data


def seq(items: list[Any]) -> CommentedSeq:
    return CommentedSeq(items)


def flow_seq(items: list[Any]) -> CommentedSeq:
    data = CommentedSeq(items)
    data.fa.set_flow_style()
    return data


def set_key(data: CommentedMap, key: str, value: Any, after: tuple[str, ...] = ()) -> None:
    """Set ``key``; a new key goes right after the last of ``after`` present, else at the end."""
    if key in data:
        data[key] = value
        return
    position = len(data)
    keys = list(data.keys())
    for name in reversed(after):
        if name in data:
            position = keys.index(name) + 1
            break
    data.insert(position, key, value)
