"""Where a site's inputs live, and its configuration (site.yaml).

A project is a folder with ``site.yaml``, ``content/``, ``templates/`` and
``static/``. Commands find it from the working directory upwards, the way git
finds its repository, so ``modeldir check`` works from any sub-folder.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .errors import ContentError, Problem, UsageError
from .validate import validate_record
from .yamlsource import load_document


@dataclass(frozen=True)
class Project:
    root: Path
    content: Path
    templates: Path
    static: Path
    site_file: Path

    @classmethod
    def find(cls, start: Path | None = None, content: Path | None = None) -> Project:
        here = (start or Path.cwd()).absolute()
        for folder in (here, *here.parents):
            if (folder / "site.yaml").is_file():
                return cls(
                    root=folder,
                    content=(content.absolute() if content else folder / "content"),
                    templates=folder / "templates",
                    static=folder / "static",
                    site_file=folder / "site.yaml",
                )
        raise UsageError(f"no site.yaml in {here} or any folder above it; run modeldir inside a site")

    def display(self, path: Path) -> str:
        try:
            return path.absolute().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def load_site(project: Project) -> schema.Site:
    """Read and validate site.yaml; raise ContentError with its problems."""
    parsed = load_document(project.site_file, project.display(project.site_file))
    if isinstance(parsed, Problem):
        raise ContentError([parsed])
    site, problems = validate_record(schema.Site, parsed)
    if site is None:
        raise ContentError(problems)
    return site


def today() -> dt.date:
    """Today in UTC: the horizon for "not in the future" checks."""
    return dt.datetime.now(dt.UTC).date()


def source_date() -> dt.date | None:
    """The build date from SOURCE_DATE_EPOCH, if set (reproducible builds)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a Unix timestamp") from None
