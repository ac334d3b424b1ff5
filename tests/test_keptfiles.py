"""A one-off build keeps the API files of unchanged records (generator/keptfiles.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_incremental import _edit, _files, assert_same, catalog_site

from generator import api
from generator.build import build_site
from generator.project import Project

NO_SEARCH = frozenset({"search_index"})


@pytest.fixture
def site(tmp_path: Path) -> Project:
    return catalog_site(tmp_path, 60, seed=5)


def test_only_the_files_of_changed_records_are_made_again(
    site: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, clean = tmp_path / "public", tmp_path / "clean"
    made: list[str] = []
    offering_record = api.offering_record

    def counting(offering: Any, *args: Any) -> Any:
        made.append("/".join(offering.key))
        return offering_record(offering, *args)

    monkeypatch.setattr(api, "offering_record", counting)

    def build() -> list[str]:
        """The offerings whose API file the build made (in one process: where the count is)."""
        made.clear()
        build_site(site, out, jobs=1, skip_extras=NO_SEARCH)
        these = list(made)
        build_site(site, clean, incremental=False, jobs=1, skip_extras=NO_SEARCH)
        assert_same(out, clean)
        return these

    everything = len(build())
    offering = _files(site, "offerings")[4]
    provider, model = offering.parent.name, offering.stem
    _edit(offering, r"^  input: .*$", "  input: 43.21")
    assert build() == [f"{provider}/{model}"]
    summary = json.loads((out / "api/v1/models" / f"{model}.json").read_text())
    assert any(o["input"] == "43.21" for o in summary["offerings"])

    _edit(site.content / "models" / f"{model}.yaml", r"^name: .*$", "name: Renamed Model")
    siblings = {f"{p.parent.name}/{model}" for p in _files(site, "offerings") if p.stem == model}
    assert set(build()) == siblings and len(siblings) > 1

    (site.content / "offerings" / provider / f"{model}.yaml").unlink()
    assert build() == []
    assert not (out / "api/v1/offerings" / provider / f"{model}.json").exists()
    members = json.loads((out / "api/v1/providers" / f"{provider}.json").read_text())["offerings"]
    assert model not in {o["model"] for o in members}

    (site.root / "site.yaml").write_text((site.root / "site.yaml").read_text() + "\n# edited\n")
    assert len(build()) == everything - 1  # the configuration: every file again
