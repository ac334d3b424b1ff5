"""Incremental builds write exactly what a clean build writes.

A catalog of a few hundred offerings (bench/make_catalog.py) goes through a
seeded series of random edits, additions and deletions of every kind of input
(offerings, models, providers, creators, templates, static files, site.yaml).
After each step the incremental build into one folder is compared, file by file
and byte by byte, with a clean build into another.
"""

from __future__ import annotations

import importlib.util
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest
from conftest import REPO, SITE_YAML, tree

from generator import api, incremental, workers
from generator import incremental as incremental_module
from generator import load as load_module
from generator import write as write_module
from generator.build import Preview, Warm, build_site, hand_over, prime
from generator.errors import BuildError, ContentError
from generator.load import load
from generator.project import Project

spec = importlib.util.spec_from_file_location("make_catalog", REPO / "bench" / "make_catalog.py")
assert spec and spec.loader
make_catalog = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_catalog)


def folders(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


def assert_same(incremental: Path, clean: Path) -> None:
    a, b = tree(incremental), tree(clean)
    assert sorted(a) == sorted(b), (set(a) ^ set(b)) and sorted(set(a) ^ set(b))[:10]
    differ = [path for path in a if a[path] != b[path]]
    assert not differ, differ[:10]
    assert folders(incremental) == folders(clean)


@pytest.fixture
def site(tmp_path: Path) -> Project:
    return catalog_site(tmp_path, 200, seed=7)


def catalog_site(tmp_path: Path, offerings: int, seed: int) -> Project:
    """A site of the repository's templates and a generated catalog of ``offerings`` offerings."""
    make_catalog.write_catalog(offerings, tmp_path / "content", seed=seed)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    shutil.copytree(REPO / "static", tmp_path / "static")
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    return Project(
        root=tmp_path,
        content=tmp_path / "content",
        templates=tmp_path / "templates",
        static=tmp_path / "static",
        site_file=tmp_path / "site.yaml",
    )


def _files(project: Project, kind: str) -> list[Path]:
    return sorted((project.content / kind).rglob("*.yaml"))


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert changed != text, (path, pattern)
    path.write_text(changed, encoding="utf-8")


def random_step(project: Project, rng: random.Random, step: int) -> str:
    """Apply one random change to the site's inputs; return what it was."""
    content = project.content
    offerings = _files(project, "offerings")
    action = rng.choice(
        [
            "price", "price", "status", "gotcha", "add_offering", "delete_offering", "model_name",
            "delete_model", "provider", "creator", "template", "static", "site", "nothing", "verified",
        ]
    )  # fmt: skip
    if action == "price":
        _edit(rng.choice(offerings), r"^  input: .*$", f"  input: {rng.randint(1, 90)}.{step:02d}")
    elif action == "verified":  # sometimes the newest date of the content: the build date moves
        _edit(
            rng.choice(offerings),
            r"^verified: .*$",
            f"verified: 2026-{rng.randint(1, 11):02d}-{step % 28 + 1:02d}",
        )
    elif action == "status":
        _edit(rng.choice(offerings), r"^status: .*$", "status: deprecated")
    elif action == "gotcha":
        path = rng.choice(offerings)
        path.write_text(
            path.read_text() + f'notes: "Step {step}: check the *limits*."\n'
            if "notes:" not in path.read_text()
            else path.read_text().replace("notes:", f'notes: "Step {step}"\n# was:', 1)
        )
    elif action == "add_offering":
        source = rng.choice(offerings)
        providers = sorted(p.name for p in (content / "offerings").iterdir())
        free = [p for p in providers if not (content / "offerings" / p / source.name).exists()]
        if not free:
            return "nothing"
        provider = rng.choice(free)
        text = re.sub(r"^model_id: [^/]*/", f"model_id: {provider}/", source.read_text(), flags=re.MULTILINE)
        (content / "offerings" / provider / source.name).write_text(text)
    elif action == "delete_offering":
        rng.choice(offerings).unlink()
    elif action == "model_name":
        path = rng.choice(_files(project, "models"))
        _edit(path, r'^name: "(.*)"$', rf'name: "\1 v{step}"')
    elif action == "delete_model":
        path = rng.choice(_files(project, "models"))
        for offering in (content / "offerings").glob(f"*/{path.name}"):
            offering.unlink()
        path.unlink()
    elif action == "provider":
        _edit(rng.choice(_files(project, "providers")), r'^name: "(.*)"$', rf'name: "\1 {step}"')
    elif action == "creator":
        _edit(rng.choice(_files(project, "creators")), r'^name: "(.*)"$', rf'name: "\1 {step}"')
    elif action == "template":
        name = rng.choice(["partials/offering_table.html", "offering.html", "base.html", "model.html"])
        path = project.templates / name
        path.write_text(path.read_text() + f"{{# step {step} #}}\n" if step % 2 else path.read_text() + "\n")
    elif action == "static":
        path = project.static / f"extra-{step % 3}.css"
        if path.exists() and rng.random() < 0.5:
            path.unlink()
        else:
            path.write_text(f"/* {step} */\n")
    elif action == "site":
        _edit(project.site_file, r"^title: .*$", f"title: modeldir {step}")
    return action


def stats(project: Project) -> dict[Path, tuple[int, int, int]]:
    """What a file watcher would see change: every input file's times, size and inode."""
    found: dict[Path, tuple[int, int, int]] = {}
    for folder in (project.content, project.templates, project.static):
        for path in folder.rglob("*"):
            st = path.stat()
            found[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return found


@pytest.mark.parametrize("process", ["cli", "server", "watched"])
def test_incremental_equals_clean_after_random_edits(
    site: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, process: str
) -> None:
    """``cli``: each build a new start from the saved state; ``server``: one process keeps what it
    learned, then ends, and the last steps are one-off builds from the state it saved as it ended
    (generator.build.hand_over); ``watched``: one process, and a file watcher names the files
    saved (so saved offerings are patched in, see generator.patch); its builds leave out the
    search index, which the development server does not remake after its first build either."""
    monkeypatch.setattr(workers, "PARALLEL_FROM", 40)  # exercise the worker processes too
    rng = random.Random({"cli": 20261125, "server": 4, "watched": 11}[process])
    warm = Warm() if process != "cli" else None
    skip = frozenset({"search_index"}) if process == "watched" else frozenset()
    incremental, clean = tmp_path / "inc" / "public", tmp_path / "clean" / "public"
    first = build_site(site, incremental, warm=warm, skip_extras=skip)
    assert first.rendered == first.pages
    if warm is not None:  # as the development server does after its first build
        warm.load.watching = process == "watched"
        prime(site, incremental, warm)
        assert warm.spare is not None
    actions, patched = [], 0
    for step in range(16 if process == "watched" else 10):
        if warm is not None and process == "server" and step == 7:
            hand_over(site, incremental, warm)
            warm = None
        before = stats(site)
        actions.append(random_step(site, rng, step))
        if rng.random() < 0.3:
            actions.append(random_step(site, rng, step + 100))  # two changes in one rebuild
        if warm is not None and process == "watched":
            after = stats(site)
            warm.load.changed({p for p in before.keys() | after.keys() if before.get(p) != after.get(p)})
        result = build_site(site, incremental, jobs=rng.choice([1, 2]), warm=warm, skip_extras=skip)
        patched += bool(warm and warm.patched)
        if warm is not None and warm.state is not None:  # what the server keeps up to date
            if warm.readers is not None:
                assert {k: v for k, v in warm.readers[1].items() if v} == incremental_module.readers_of(
                    warm.state
                )
            if warm.spare is not None and warm.spare.differ is not None:
                assert {
                    f for f, _ in warm.spare.files.items() ^ warm.state.files.items()
                } <= warm.spare.differ
        build_site(site, clean, incremental=False, skip_extras=skip)
        assert result.incremental
        assert_same(incremental, clean)
        if warm is not None and step == 5:  # a failed build in the middle: the next one must still be exact
            broken = _files(site, "offerings")[0]
            good = broken.read_text()
            broken.write_text(good + "pricing: [\n")
            warm.load.changed({broken})  # (what the watcher would say; unused when not watching)
            with pytest.raises(ContentError):
                build_site(site, incremental, warm=warm, skip_extras=skip)
            broken.write_text(good)
            warm.load.changed({broken})
    assert {"price", "add_offering", "delete_offering", "template"} & set(actions)
    assert (patched >= 3) == (process == "watched"), (patched, actions)


def test_one_offering_edit_renders_only_the_pages_that_show_it(site: Project, tmp_path: Path) -> None:
    out = tmp_path / "public"
    total = build_site(site, out).pages
    offering = _files(site, "offerings")[5]
    _edit(offering, r"^  input: .*$", "  input: 77.70")
    result = build_site(site, out)
    model = offering.stem
    siblings = len(list((site.content / "offerings").glob(f"*/{model}.yaml")))
    changes = len(re.findall(r"^  - date:", offering.read_text(), re.M)) + 1  # archive pages showing it
    # at least the offering itself and its siblings (their "every provider" table), the model
    # page, the provider page and the home page (they list it); then the creator page when the
    # order of the model's offerings changed, any page that lists every offering, and the pages of
    # the changelog's archive that show one of its changes
    assert siblings + 3 <= result.rendered <= siblings + 10 + changes, result.rendered
    assert result.rendered < total / 5
    assert "$77.70" in (out / "models" / model / offering.parent.name / "index.html").read_text()
    nothing = build_site(site, out)
    assert nothing.rendered == 0 and nothing.files == 0


def test_a_one_off_build_starts_from_the_site_the_last_one_kept(
    site: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site before the published one stays beside it, and the next build in another process
    re-links only the files that differ instead of linking the whole tree; a spare that is not
    the folder the state names (replaced, or gone) is not used."""
    out, spare = tmp_path / "public", tmp_path / ".public.spare"
    build_site(site, out)
    assert not spare.exists()  # a first build has no site before it
    offerings = _files(site, "offerings")
    _edit(offerings[0], r"^  input: .*$", "  input: 11.10")
    build_site(site, out)
    assert spare.is_dir()
    real_link_tree = write_module._link_tree

    def no_link_tree(*args: object) -> set[str]:
        raise AssertionError("the whole tree was linked again")

    monkeypatch.setattr(write_module, "_link_tree", no_link_tree)
    for step, price in enumerate(("22.20", "33.30", "44.40")):
        _edit(offerings[step + 1], r"^  input: .*$", f"  input: {price}")
        build_site(site, out)
    # the state names the files that differ between the spare and the published site, and no
    # others (the next build re-links those alone), the extras made in other processes included
    state = incremental.load_state(incremental.state_path(site.root, site.content, out), out)
    assert state is not None and state.spare is not None
    published, retired = tree(out), tree(spare)
    assert set(state.spare[1]) == {
        f for f in published.keys() | retired.keys() if published.get(f) != retired.get(f)
    }
    build_site(site, tmp_path / "clean", incremental=False)
    assert_same(out, tmp_path / "clean")

    shutil.rmtree(spare)  # replaced by a copy: another folder, whatever its files
    shutil.copytree(out, spare)
    _edit(offerings[5], r"^  input: .*$", "  input: 55.50")
    with pytest.raises(AssertionError, match="linked again"):
        build_site(site, out)
    monkeypatch.setattr(write_module, "_link_tree", real_link_tree)
    build_site(site, out)
    shutil.rmtree(tmp_path / "clean")
    build_site(site, tmp_path / "clean", incremental=False)
    assert_same(out, tmp_path / "clean")


def test_failed_build_keeps_the_site_and_the_next_build_is_still_exact(site: Project, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build_site(site, out)
    before = tree(out)
    offering = _files(site, "offerings")[3]
    _edit(offering, r"^  input: .*$", "  input: 12.34")
    template = site.templates / "offering.html"
    good = template.read_text()
    template.write_text(good.replace("{{ v.model_name }}", "{{ v.no_such_field }}", 1))
    with pytest.raises(BuildError):
        build_site(site, out)
    assert tree(out) == before
    template.write_text(good)
    build_site(site, out)
    build_site(site, tmp_path / "clean", incremental=False)
    assert_same(out, tmp_path / "clean")


def test_templates_are_parsed_again_only_when_one_changed(
    site: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "public"
    build_site(site, out, skip_extras=NO_SEARCH)
    parsed: list[str] = []
    template_digest = incremental.Fingerprints._template

    def counting(self: incremental.Fingerprints, name: str) -> str:
        parsed.append(name)
        return template_digest(self, name)

    monkeypatch.setattr(incremental.Fingerprints, "_template", counting)
    _edit(_files(site, "offerings")[3], r"^  input: .*$", "  input: 12.34")
    assert build_site(site, out, skip_extras=NO_SEARCH).incremental
    assert parsed == []  # the last build's fingerprints
    template = site.templates / "offering.html"
    text = template.read_text()
    assert "{{ v.model_name }}" in text
    template.write_text(text.replace("{{ v.model_name }}", "{{ v.model_name }}<i>edited</i>", 1))
    result = build_site(site, out, skip_extras=NO_SEARCH)
    assert "offering.html" in parsed and result.rendered >= len(_files(site, "offerings"))
    assert "<i>edited</i>" in next(out.glob("models/*/*/index.html")).read_text(encoding="utf-8")


def test_compiled_templates_are_kept_for_the_next_process(
    site: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new process (a build without the last one's state) finds the templates compiled; an
    edited template is compiled again, and only it."""
    build_site(site, tmp_path / "first", incremental=False, skip_extras=NO_SEARCH)
    compiled: list[str] = []
    compile_source = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: Any) -> Any:
        compiled.append(str(name))
        return compile_source(self, source, name, *args)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 10**9)  # every page here, where the count is
    build_site(site, tmp_path / "second", incremental=False, skip_extras=NO_SEARCH)
    assert compiled == []
    template = site.templates / "offering.html"
    template.write_text(
        template.read_text().replace("{{ v.model_name }}", "{{ v.model_name }}<i>edited</i>", 1)
    )
    build_site(site, tmp_path / "third", incremental=False, skip_extras=NO_SEARCH)
    assert compiled == ["offering.html"]
    assert "<i>edited</i>" in next((tmp_path / "third").glob("models/*/*/index.html")).read_text()


def test_the_generators_fingerprint_covers_the_code_of_its_subpackages(tmp_path: Path) -> None:
    """Code that shapes pages lives in subpackages too (generator/views): editing it must make the
    next build render everything again, as editing a module at the top does."""
    package = tmp_path / "generator"
    shutil.copytree(REPO / "generator", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = incremental.code_digest(package)
    assert incremental.code_digest(package) == before
    view = package / "views" / "offering.py"
    view.write_text(view.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = incremental.code_digest(package)
    assert edited != before
    (package / "views" / "notes.txt").write_text("not code", encoding="utf-8")
    assert incremental.code_digest(package) == edited
    (package / "views" / "offering.py").rename(package / "views" / "offering2.py")
    assert incremental.code_digest(package) != edited


def test_loading_in_two_processes_gives_what_one_process_gives(
    site: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = site.content / "offerings" / "anvil" / "broken.yaml"
    bad.write_text("model_id: [\n")
    serial = load(site.content, site.root)
    monkeypatch.setattr(load_module, "PARALLEL_FROM", 10)
    parallel = load(site.content, site.root)
    assert parallel.problems == serial.problems and parallel.problems
    assert parallel.digests == serial.digests
    assert [(s, d.data) for s, d in parallel.documents] == [(s, d.data) for s, d in serial.documents]
    some = parallel.documents[7][1]
    assert some.location(("pricing", "input")) == serial.documents[7][1].location(("pricing", "input"))


NO_SEARCH = frozenset({"search_index"})  # the extras below do not depend on it; it is slow


def test_warm_rebuild_serialises_only_what_changed_and_writes_what_a_clean_build_writes(
    site: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The development server keeps each record's pieces of the extras (generator.fragments)."""
    made: list[tuple[str, str]] = []
    offering_record = api.offering_record
    monkeypatch.setattr(api, "offering_record", lambda o, *a: made.append(o.key) or offering_record(o, *a))
    site.site_file.write_text(
        site.site_file.read_text() + "precompress: true\n"
    )  # an extra that reads the others'
    warm = Warm()
    out, clean = tmp_path / "warm" / "public", tmp_path / "clean" / "public"
    build_site(site, out, warm=warm, skip_extras=NO_SEARCH)
    offerings = _files(site, "offerings")
    edited, gone = offerings[11], offerings[3]
    model, provider = site.content / "models" / edited.name, _files(site, "providers")[0]
    text = gone.read_text()
    steps: dict[str, tuple[Callable[[], object], set[Path]]] = {
        "price": (lambda: _edit(edited, r"^  input: .*$", "  input: 66.60"), {edited}),
        "history": (lambda: _edit(edited, r"^  output: .*$", "  output: 0.50"), {edited}),
        "nothing": (lambda: None, set()),
        "model": (
            lambda: _edit(model, r'^name: "(.*)"$', r'name: "\1 II"'),
            set((site.content / "offerings").glob(f"*/{model.name}")),
        ),
        "provider": (
            lambda: _edit(provider, r'^name: "(.*)"$', r'name: "\1 Cloud"'),
            set((site.content / "offerings" / provider.stem).glob("*.yaml")),
        ),
        "delete": (gone.unlink, set()),
        "add": (lambda: gone.write_text(text), {gone}),
        "site": (lambda: _edit(site.site_file, r"^title: .*$", "title: modeldir II"), set(offerings)),
    }
    for name, (change, expected) in steps.items():
        change()
        made.clear()
        result = build_site(site, out, warm=warm, skip_extras=NO_SEARCH)
        assert sorted(made) == sorted((p.parent.name, p.stem) for p in expected), name
        build_site(site, clean, incremental=False, skip_extras=NO_SEARCH)
        assert_same(out, clean)
        assert name != "nothing" or result.files == 0


def test_an_extra_skipped_on_a_warm_rebuild_keeps_its_files(site: Project, tmp_path: Path) -> None:
    warm, out = Warm(), tmp_path / "public"
    build_site(site, out, warm=warm, skip_extras=NO_SEARCH)
    feeds = tree(out / "feeds")
    _edit(_files(site, "offerings")[0], r"^  input: .*$", "  input: 12.50")
    build_site(site, out, warm=warm, skip_extras=NO_SEARCH | {"write_feeds"})
    assert tree(out / "feeds") == feeds


def test_open_pages_are_handed_over_first_with_their_final_bytes(site: Project, tmp_path: Path) -> None:
    """The development server shows the pages open in a browser before the rest of the build,
    and only once the content passed every check."""
    out = tmp_path / "public"
    warm = Warm()
    build_site(site, out, warm=warm)
    offering = _files(site, "offerings")[5]
    url = f"/models/{offering.stem}/{offering.parent.name}/"
    page = out / url.strip("/") / "index.html"
    before = page.read_bytes()
    handed: list[dict[str, bytes]] = []

    def ready(pages: dict[str, bytes]) -> None:
        assert page.read_bytes() == before, "handed over before the build is published"
        handed.append(pages)

    _edit(offering, r"^  input: .*$", "  input: 77.70")
    preview = Preview(frozenset({url, "/no/such/page/"}), ready)
    result = build_site(site, out, warm=warm, preview=preview)
    assert len(handed) == 1 and set(handed[0]) == {url}
    assert b"$77.70" in handed[0][url] and handed[0][url] == page.read_bytes()
    assert result.rendered > 1  # the rest of the build went on after the open page
    unchanged = build_site(site, out, warm=warm, preview=preview)
    assert unchanged.rendered == 0 and len(handed) == 1  # nothing rendered: nothing handed over

    broken = _files(site, "offerings")[2]  # invalid content: nothing is handed over
    broken.write_text(broken.read_text() + "pricing: [\n")
    with pytest.raises(ContentError):
        build_site(site, out, warm=warm, preview=Preview(frozenset({url}), ready))
    assert len(handed) == 1
