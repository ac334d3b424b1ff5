"""Key-sharing dictionaries (generator.sharedkeys): ordinary dictionaries that store only their values."""

from __future__ import annotations

import pickle
import sys

import pytest

from generator import schema
from generator.sharedkeys import key_sharing_dict


@pytest.mark.parametrize("size", [1, 14, 23])
def test_a_copy_is_an_ordinary_dictionary_of_a_fraction_of_the_size(size: int) -> None:
    keys = [f"key{i}" for i in range(size)]
    row = key_sharing_dict(keys).copy()
    for index, key in enumerate(reversed(keys)):
        row[key] = index
    ordinary = {key: row[key] for key in keys}
    assert row == ordinary and list(row) == keys and pickle.loads(pickle.dumps(row)) == ordinary
    # what it is for: no room kept for keys that never come (that would be two thirds of an ordinary one)
    assert sys.getsizeof(row) <= 0.6 * sys.getsizeof(ordinary)


def test_validated_records_keep_small_dictionaries() -> None:
    offering = schema.Offering.model_validate({"model_id": "a/b", "pricing": {"input": 1, "output": 2}})
    for record in (offering, offering.pricing):
        assert sys.getsizeof(record.__dict__) <= 0.6 * sys.getsizeof(dict(record.__dict__))
    assert offering.model_fields_set == {"model_id", "pricing"}
    assert offering == schema.Offering.model_validate(
        {"model_id": "a/b", "pricing": {"input": 1, "output": 2}}
    )
