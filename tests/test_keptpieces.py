"""A one-off build takes the offerings' pieces of the extras the last one saved (generator/keptpieces.py)."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import calls_of
from test_incremental import _edit, _files, catalog_site
from test_keptfiles import NO_SEARCH, built_as_clean, by_key

from generator import api, build, deps
from generator.build import build_site
from generator.catalog import Catalog, Offering
from generator.errors import BuildError
from generator.fragments import Fragments
from generator.keptpieces import KeptPieces
from generator.project import Project
from generator.write import SiteWriter


@pytest.fixture
def site(tmp_path: Path) -> Project:
    return catalog_site(tmp_path, 60, seed=7)


@pytest.fixture
def summaries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The offerings whose API summary (a piece of catalog.json) each build makes, in this process."""
    return calls_of(monkeypatch, api, "summary", by_key)


def test_only_the_pieces_of_changed_offerings_are_made_again(
    site: Project, tmp_path: Path, summaries: list[str]
) -> None:
    out = tmp_path / "public"
    everything = len(built_as_clean(site, out, summaries))
    offering = _files(site, "offerings")[3]
    provider, model = offering.parent.name, offering.stem
    _edit(offering, r"^  input: .*$", "  input: 43.21")
    # (a model's and a provider's API file show the summary too: made again, from the piece)
    assert built_as_clean(site, out, summaries) == [f"{provider}/{model}"]
    offerings = json.loads((out / "api/v1/catalog.json").read_text())["offerings"]
    assert any(o["model"] == model and o["provider"] == provider and o["input"] == "43.21" for o in offerings)

    _edit(site.content / "models" / f"{model}.yaml", r"^name: .*$", "name: Renamed Model")
    siblings = {f"{p.parent.name}/{model}" for p in _files(site, "offerings") if p.stem == model}
    assert set(built_as_clean(site, out, summaries)) == siblings and len(siblings) > 1

    assert built_as_clean(site, out, summaries) == []
    (site.root / "site.yaml").write_text((site.root / "site.yaml").read_text() + "\n# edited\n")
    assert len(built_as_clean(site, out, summaries)) == everything  # the configuration: every piece again


def test_the_pieces_of_a_build_that_failed_are_not_taken(
    site: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, summaries: list[str]
) -> None:
    """A build that fails after its extras saved their pieces leaves the last state: its pieces,
    made from content the state does not describe, must not be taken by the next build."""
    out = tmp_path / "public"
    everything = len(built_as_clean(site, out, summaries))
    offering = _files(site, "offerings")[2]
    before = offering.read_text()
    _edit(offering, r"^  input: .*$", "  input: 98.76")

    def failing(catalog: Catalog, project: Project, writer: SiteWriter, fragments: Fragments) -> None:
        raise BuildError("the CDN rules could not be made")

    with monkeypatch.context() as patched:
        patched.setattr(build, "SITE_EXTRAS", [failing])
        with pytest.raises(BuildError, match="CDN rules"):
            build_site(site, out, jobs=1, skip_extras=NO_SEARCH)
    offering.write_text(before)  # back to what the state describes, but with the same size
    assert len(built_as_clean(site, out, summaries)) == everything
    assert "98.76" not in (out / "api/v1/catalog.json").read_text()


class _Offering(Offering):
    """Just enough of an offering for KeptPieces: its key and its files."""

    def __init__(self) -> None:
        pass

    key = ("anvil", "atlas")


def _kept(folder: Path, last: str | None, known: dict[Any, Any], changed: dict[Any, Any]) -> KeptPieces:
    return KeptPieces(folder, "next", last, known, changed)


def _saved(folder: Path, keys: tuple[Any, ...], build: str = "last") -> None:
    (folder / "api.pickle").write_bytes(
        pickle.dumps(build) + pickle.dumps({("api.summary", _Offering.key): (keys, "saved")})
    )


KEYS = (("file", "offerings/anvil/atlas.yaml"), ("site",))


@pytest.mark.parametrize(
    ("last", "known", "changed", "taken"),
    [
        ("last", {k: 1 for k in KEYS}, {}, True),  # nothing it read changed
        ("last", {k: 1 for k in KEYS}, {("site",): 2}, False),  # the configuration changed
        ("last", {KEYS[0]: 1}, {}, False),  # the state cannot say whether ("site",) changed
        ("other", {k: 1 for k in KEYS}, {}, False),  # saved by a build the state is not from
        (None, {k: 1 for k in KEYS}, {}, False),  # no state: every piece is made
    ],
)
def test_a_saved_piece_is_taken_only_when_nothing_it_read_may_have_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, last: str | None, known: Any, changed: Any, taken: bool
) -> None:
    monkeypatch.setattr("generator.keptpieces.record_keys", lambda offering: {KEYS[0]})
    _saved(tmp_path, KEYS)
    kept = _kept(tmp_path, last, known, changed)
    kept.open("api")
    made: Callable[[], str] = lambda: "made"  # noqa: E731
    with deps.recording() as read:
        found = kept.get("api.summary", _Offering(), made)
    assert found == ("saved" if taken else "made")
    assert read == (set(KEYS) if taken else set())  # a taken piece notes what making it read
    kept.close()
    with open(tmp_path / "api.pickle", "rb") as handle:
        assert pickle.load(handle) == "next"
        assert pickle.load(handle)[("api.summary", _Offering.key)][1] == found


def test_a_damaged_or_missing_file_of_pieces_only_means_making_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("generator.keptpieces.record_keys", lambda offering: {KEYS[0]})
    (tmp_path / "api.pickle").write_bytes(pickle.dumps("last") + b"not a pickle")
    kept = _kept(tmp_path, "last", {}, {})
    kept.open("api")
    assert kept.get("api.summary", _Offering(), lambda: "made") == "made"
    kept.close()
    kept = _kept(tmp_path / "missing", "last", {}, {})
    kept.open("api")
    assert kept.get("api.summary", _Offering(), lambda: "made") == "made"
    kept.close()  # (the folder is made)
    assert (tmp_path / "missing" / "api.pickle").exists()
