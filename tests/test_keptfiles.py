"""A one-off build keeps the API files of unchanged records (generator/keptfiles.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import calls_of
from test_incremental import _edit, _files, assert_same, catalog_site

from generator import api, feeds
from generator.build import build_site
from generator.project import Project

NO_SEARCH = frozenset({"search_index"})


@pytest.fixture
def site(tmp_path: Path) -> Project:
    return catalog_site(tmp_path, 60, seed=5)


def by_key(offering: Any, *args: Any) -> str:
    return "/".join(offering.key)


def built_as_clean(site: Project, out: Path, made: list[str]) -> list[str]:
    """A one-off build in one process (where ``made`` counts what it makes: returned), checked
    against a clean build."""
    made.clear()
    build_site(site, out, jobs=1, skip_extras=NO_SEARCH)
    these = list(made)
    build_site(site, out.parent / "clean", incremental=False, jobs=1, skip_extras=NO_SEARCH)
    assert_same(out, out.parent / "clean")
    return these


def test_only_the_files_of_changed_records_are_made_again(
    site: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "public"
    made = calls_of(monkeypatch, api, "offering_record", by_key)

    def build() -> list[str]:
        """The offerings whose API file the build made."""
        return built_as_clean(site, out, made)

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


def test_only_the_feeds_of_changed_models_and_providers_are_made_again(
    site: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feed is made from its model's (provider's) offerings alone, and kept like their API files;
    the site's feed is made every time, from the newest changes of the changelog's index."""
    out = tmp_path / "public"
    made = calls_of(monkeypatch, feeds, "atom_feed", lambda catalog, url, *args: url)
    build_site(site, out, jobs=1, skip_extras=NO_SEARCH)
    assert len(made) > 20
    offering = _files(site, "offerings")[7]
    provider, model = offering.parent.name, offering.stem
    _edit(offering, r"^  input: .*$", "  input: 12.34")
    assert sorted(built_as_clean(site, out, made)) == sorted(
        [feeds.model_feed_url(model), feeds.provider_feed_url(provider), feeds.SITE_FEED_URL]
    )
