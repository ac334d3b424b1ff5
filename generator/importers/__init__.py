"""Importers: refresh the catalog from public datasets (models.dev, LiteLLM).

Each dataset has a reader that produces a normalised :class:`~.snapshot.Snapshot`
(:mod:`.modelsdev`, :mod:`.litellm`); :mod:`.apply` writes a snapshot into the
content folder without losing what people wrote; :mod:`.gates` keeps broken
upstream values off the site; :mod:`.naming` maps the datasets' names onto the
catalog's slugs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import litellm, modelsdev
from .snapshot import Snapshot

READERS = {"models.dev": modelsdev.DATASET, "litellm": litellm.DATASET}


def read_snapshot(kind: str, path: Path, version: str, today: dt.date) -> Snapshot:
    if kind == "models.dev":
        return modelsdev.read(path, version, today)
    if kind == "litellm":
        return litellm.read(path, version, today)
    raise ValueError(f"unknown dataset {kind!r}")
