"""Failure and reproducibility: builds killed mid-way, and builds in different environments.

* Kill test: ``modeldir build`` runs in a subprocess and is SIGKILLed at several
  points spread over a build's duration (seeded, so a failure can be
  replayed). After each kill the output folder is exactly the previous site,
  or, if the kill came after the atomic swap, exactly the new one; never a
  mixture, never missing. The next successful build leaves no staging or
  retired folder beside it.
* Determinism test: the same content, written to disk in different orders and
  built under different locales, time zones and hash seeds, gives byte-identical
  output.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.write import leftovers
from tests.conftest import REPO

pytestmark = pytest.mark.slow


# Providers whose offerings make the sample: hand-written providers of every API shape.
SAMPLE_PROVIDERS = (
    "amazon-bedrock",
    "anthropic",
    "cohere",
    "deepseek",
    "google",
    "google-vertex",
    "groq",
    "replicate",
)


def sample_files() -> list[Path]:
    """A slice of the repository's real content that builds on its own: the offerings of
    SAMPLE_PROVIDERS with the models, replacements and creators they reference, and all
    providers. Every page kind and API shape is in it, at a size a test can build often."""
    content = REPO / "content"
    offerings = sorted(p for name in SAMPLE_PROVIDERS for p in (content / "offerings" / name).glob("*.yaml"))
    models = {p.stem for p in offerings}
    for offering in offerings:
        for line in offering.read_text(encoding="utf-8").splitlines():
            if line.startswith("replacement:"):
                models.add(line.split(":", 1)[1].split("#")[0].strip())
    creators = set()
    for model in models:
        for line in (content / "models" / f"{model}.yaml").read_text(encoding="utf-8").splitlines():
            if line.startswith("creator:"):
                creators.add(line.split(":", 1)[1].split("#")[0].strip())
    return sorted(
        [*offerings, *(content / "models" / f"{m}.yaml" for m in models)]
        + [content / "creators" / f"{c}.yaml" for c in creators]
        + sorted((content / "providers").glob("*.yaml"))
    )


def copy_site(target: Path, order: str = "sorted") -> Path:
    """A sample of the repository's content and site.yaml, written file by file in ``order``; templates linked."""
    files = sample_files()
    if order == "reversed":
        files.reverse()
    elif order == "shuffled":
        random.Random(7).shuffle(files)
    target.mkdir(parents=True)
    for source in files:
        destination = target / source.relative_to(REPO)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    shutil.copyfile(REPO / "site.yaml", target / "site.yaml")
    for folder in ("templates", "static"):
        (target / folder).symlink_to(REPO / folder, target_is_directory=True)
    return target


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path -> SHA-256), or {} when it does not exist."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def still_building(out: Path, wait: float = 5.0) -> list[int]:
    """The processes whose command line names ``out`` or a folder beside it (a build's workers,
    the Pagefind it runs), after waiting up to ``wait`` seconds for them to end; none where there
    is no /proc to look in."""
    proc = Path("/proc")
    names = (os.fsencode(out), os.fsencode(out.parent / f".{out.name}."))
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in proc.iterdir() if proc.is_dir() else ():
            try:
                line = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
                if any(name in line for name in names):
                    found.append(int(entry.name))
            except OSError:  # (it ended meanwhile)
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def build_command(out: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--out", str(out)]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "PYTHONHASHSEED")}
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def build(site: Path, out: Path, **env: str) -> None:
    subprocess.run(build_command(out), cwd=site, env=clean_env(**env), check=True, capture_output=True)


def test_a_killed_build_never_damages_the_published_site(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    out = tmp_path / "public"
    started = time.perf_counter()
    build(site, out)
    duration = time.perf_counter() - started
    before = snapshot(out)
    assert "index.html" in before and len(before) > 10

    # The next build would change every page, so a half-published site cannot pass as either.
    site_yaml = site / "site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace("title:", "title: Renamed", 1), "utf-8"
    )

    rng = random.Random(20261125)
    moments = sorted(rng.uniform(0.05, 1.0) * duration for _ in range(6))
    outcomes = []
    temporary = tmp_path / "tmp"  # the killed builds' TMPDIR: nothing may be left there either
    temporary.mkdir()
    for moment in moments:
        process = subprocess.Popen(
            build_command(out),
            cwd=site,
            env=clean_env(TMPDIR=str(temporary)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert not still_building(out), "processes of the killed build outlived it"
        now = snapshot(out)
        if now != before:  # the kill came after the atomic swap: the new site, complete
            build(site, tmp_path / "reference")
            assert now == snapshot(tmp_path / "reference"), (
                f"a mixture of two sites after a kill at {moment:.2f} s"
            )
            shutil.rmtree(tmp_path / "reference")
        outcomes.append(now == before)
    assert any(outcomes), "no kill landed before the swap; the test did not test anything"

    build(site, out)
    # no staging or retired folder is left; an incremental build keeps the site before it as the
    # spare the next build starts from
    assert [p.name for p in leftovers(out)] in ([], [".public.spare"])
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".public")) in (
        [],
        [".public.spare"],
    )
    assert snapshot(out) and snapshot(out) != before
    assert not any(temporary.iterdir())


def test_output_does_not_depend_on_file_order_locale_time_zone_or_hash_seed(tmp_path: Path) -> None:
    variants = [
        ("sorted", {"LC_ALL": "C.UTF-8", "TZ": "UTC", "PYTHONHASHSEED": "0"}),
        ("reversed", {"LC_ALL": "C", "LANG": "C", "TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "4242"}),
        ("shuffled", {"LC_ALL": "tr_TR.UTF-8", "TZ": "America/Adak", "PYTHONHASHSEED": "random"}),
    ]
    trees = []
    for index, (order, env) in enumerate(variants):
        site = copy_site(tmp_path / f"site{index}", order)
        out = tmp_path / f"out{index}"
        build(site, out, **env)
        trees.append(snapshot(out))
    assert trees[0], "the build wrote nothing"
    for order_env, tree in zip(variants[1:], trees[1:], strict=True):
        differing = sorted(k for k in trees[0].keys() | tree.keys() if trees[0].get(k) != tree.get(k))
        assert not differing, f"{order_env}: {differing[:5]}"
