"""``modeldir import``: read a dataset, apply it, print what changed and what was left out."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

from ..errors import UsageError
from ..project import Project
from . import READERS, read_snapshot
from . import yamledit as y
from .apply import run_import


def recorded_version(project: Project, dataset: str) -> str | None:
    data, _ = y.load(project.site_file)
    entry = (data.get("datasets") or {}).get(dataset)
    return str(entry["version"]) if entry and entry.get("version") is not None else None


def import_command(
    project: Project,
    kind: str,
    path: Path,
    version: str | None,
    read: dt.date | None,
    dry_run: bool,
    verbose: bool,
) -> int:
    dataset = READERS[kind]
    version = version or recorded_version(project, dataset)
    if not version:
        raise UsageError(f"say which version of {kind} this is: --version COMMIT-OR-RELEASE")
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    start = time.perf_counter()
    try:
        snapshot = read_snapshot(kind, path, version, dt.datetime.now(dt.UTC).date())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not a {kind} JSON file ({exc})") from None
    except (AttributeError, TypeError, KeyError) as exc:
        raise UsageError(f"{path}: not in the shape of a {kind} snapshot ({exc!r})") from None
    result = run_import(project, snapshot, version, read, dry_run)
    elapsed = time.perf_counter() - start
    for change in result.changes:
        if dry_run or verbose or not change.created:
            print(("would " if dry_run else "") + str(change))
    for conflict in result.conflicts:
        print(f"conflict: {conflict}", file=sys.stderr)
    if verbose:
        for line in result.report:
            print(f"left out: {line}", file=sys.stderr)
    created = sum(c.created for c in result.changes)
    print(
        f"modeldir import {kind}: {'would change' if dry_run else 'changed'} {len(result.changes)} file(s) "
        f"({created} new), {result.history_entries} price change(s) kept in history, "
        f"{result.withheld} value(s) withheld, {result.disagreements} disagreement(s) recorded, "
        f"{len(result.conflicts)} conflict(s) with verified offerings, {len(result.report)} report line(s) "
        f"(--verbose lists them), in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0
