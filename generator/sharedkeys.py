"""Dictionaries that store only their values: the layout Python gives instance dictionaries.

Python keeps the attribute dictionaries of a class's instances small by
sharing one table of keys among them, so each stores only its values (8 bytes
a value, where a dictionary of its own keys costs about 36 bytes a key).
``key_sharing_dict(keys)`` makes such a dictionary; its ``copy()`` shares the
same keys, and stays that way while only those keys are set, in any order.
It is an ordinary ``dict`` in every other respect (equality, iteration order,
pickling). The build keeps hundreds of thousands of dictionaries with the same
keys (the fields of each record, the price facts of each offering), so this
halves what they cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def key_sharing_dict(keys: Iterable[str]) -> dict[str, Any]:
    """A dictionary of ``keys``, each set to None, whose copies share its table of keys.

    At most 29 keys share a table (CPython's limit, less the place the first
    instance takes); with more, copies are ordinary dictionaries: no smaller,
    but no less correct.
    """

    class Row:  # a class of its own, so that its instances' keys are exactly these
        pass

    row = Row()
    for key in keys:
        setattr(row, key, None)
    # Python leaves room in shared keys for attributes later instances might add, and takes one
    # place of that room back with each new instance: after these, copies hold only these keys.
    for _ in range(_ROOM):
        Row()
    return row.__dict__


_ROOM = 30  # CPython's most keys in a shared table
