"""The loader's quick reader (generator.yamlquick) against the exact reader (generator.yamlsource).

Whatever a file holds, the two give the same values or the same problem; the
quick reader only leaves the unusual files to the exact one. These are the
files where the two could part: every rule the exact reader enforces, at and
just past its limit. tests/test_properties.py compares them on random text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import Problem
from generator.yamlquick import read_document
from generator.yamlsource import (
    MAX_DEPTH,
    MAX_KEY_CHARS,
    MAX_STRING_CHARS,
    MAX_VALUES,
    Document,
    parse_document,
)

HERE = Path("x.yaml")


def _nested(depth: int) -> str:
    return "a: " + "[" * depth + "]" * depth + "\n"


def _nested_scalar(depth: int) -> str:
    return "a: " + "[" * depth + "1" + "]" * depth + "\n"


FILES = {
    "plain": "name: Acme\nprice: 1.10\nwhen: 2026-01-02\nn: 12\nyes_no: yes\nnothing: ~\nempty:\n",
    "quoted": 'a: "1.10"\nb: \'2026-01-02\'\nc: "tab\\there"\n',
    "escaped control": 'a: "bad \\x00 byte"\n',
    "escaped direction mark": 'a: "\\u202e"\n',
    "carriage return in a quoted string": 'a: "line\\rfeed"\n',
    "carriage return line ends": "a: 1\r\nb: two\r\n",
    "lone carriage returns": "a: 1\rb: two\r",
    "block scalars": "a: |\n  one\n  two\nb: >\n  folded\n  text\n",
    "anchor": "a: &x 1\nb: 2\n",
    "alias": "a: &x 1\nb: *x\n",
    "anchored mapping": "a: &x {b: 1}\n",
    "merge key": "base: {a: 1}\nother:\n  <<: {a: 2}\n",
    "explicit tag": "a: !!str 12\n",
    "non-specific tag": "a: ! 12\n",
    "unknown tag": "a: !thing 12\n",
    "binary tag": "a: !!binary aGk=\n",
    "tagged mapping": "a: !!map {b: 1}\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "number key": "1: a\n",
    "bool key": "yes: a\n",
    "null key": "~: a\n",
    "empty key": ": a\n",
    "mapping key": "? {a: 1}\n: b\n",
    "list key": "? [a]\n: b\n",
    "long key": "k" * (MAX_KEY_CHARS + 1) + ": 1\n",
    "longest key": "k" * MAX_KEY_CHARS + ": 1\n",
    "long string": "a: " + "x" * (MAX_STRING_CHARS + 1) + "\n",
    "longest string": "a: " + "x" * MAX_STRING_CHARS + "\n",
    "deepest": _nested(MAX_DEPTH),
    "too deep": _nested(MAX_DEPTH + 1),
    "deepest scalar": _nested_scalar(MAX_DEPTH - 1),
    "scalar too deep": _nested_scalar(MAX_DEPTH),
    "most values": "a: [" + ",".join(["1"] * (MAX_VALUES - 4)) + "]\n",
    "too many values": "a: [" + ",".join(["1"] * (MAX_VALUES - 3)) + "]\n",
    "octal": "a: 0o17\n",
    "hex": "a: 0x1f\n",
    "sexagesimal": "a: 1:30\n",
    "exponent": "a: 1.5e3\n",
    "infinity": "a: .inf\n",
    "not a date": "a: 2026-02-30\n",
    "date and time": "a: 2026-01-02 10:00:00\n",
    "huge number": "a: 1234567890123456\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "two documents, the second broken": "a: 1\n---\nb: [\n",
    "syntax error": "a: [\n",
    "empty": "",
    "comment only": "# nothing\n",
    "document marker only": "---\n",
    "list at the top": "- a\n- b\n",
    "scalar at the top": "just text\n",
    "value marker": "a: =\n",
    "tab indentation": "a:\n\tb: 1\n",
    "byte-order mark": "\ufeffa: 1\n",
    "invisible character": "a: b\u200bc\n",
}


@pytest.mark.parametrize("text", FILES.values(), ids=FILES.keys())
def test_quick_reader_reads_as_the_exact_reader(text: str) -> None:
    raw = text.encode("utf-8")
    exact = parse_document(raw, HERE, "x.yaml")
    quick = read_document(raw, HERE, "x.yaml")
    if isinstance(exact, Problem):
        assert quick == exact
    else:
        assert isinstance(quick, Document)
        assert repr(quick.data) == repr(exact.data)


def test_a_quickly_read_document_finds_its_positions_in_its_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb:\n  c: [x, y]\n")
    doc = read_document(path.read_bytes(), path, "x.yaml")
    assert isinstance(doc, Document)
    assert str(doc.location(("b", "c", 1))) == "x.yaml:3:10"
    assert str(doc.location(("b", "missing"))) == "x.yaml:3:3"
    assert str(doc.location(("a",), key=True)) == "x.yaml:1:1"


def test_a_document_whose_file_is_gone_points_at_its_start(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n")
    doc = read_document(path.read_bytes(), path, "x.yaml")
    assert isinstance(doc, Document)
    path.unlink()
    assert str(doc.location(("a",))) == "x.yaml:1:1"


ORDINARY = ["plain", "quoted", "block scalars", "carriage return line ends", "longest key", "deepest scalar"]


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_files_need_no_second_reading(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def exact(*args: object) -> None:
        raise AssertionError("read twice")

    monkeypatch.setattr("generator.yamlquick.parse_document", exact)
    assert isinstance(read_document(FILES[name].encode("utf-8"), HERE, "x.yaml"), Document)
