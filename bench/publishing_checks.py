"""Time the build and every publishing check on a catalog of any size.

    .venv/bin/python bench/publishing_checks.py [--offerings 4000] [--work /tmp/modeldir-bench]

The catalog is the repository's own content, repeated: copy k of a model gets
the slug ``<model>-c<k>`` and the name ``<name> (copy k)`` and keeps every
offering, so pages, feeds and API files scale like a real catalog of that size.
It then builds the site and runs each check of tests/test_published_site.py on
every page, and on the sample MODELDIR_SAMPLE_CHECKS=1 selects, printing one line of figures per step.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import site_checks  # noqa: E402

from generator.build import build_site  # noqa: E402
from generator.project import Project, load_site  # noqa: E402


def make_catalog(work: Path, offerings: int) -> Project:
    root = work / "site"
    shutil.rmtree(root, ignore_errors=True)
    (root / "content").mkdir(parents=True)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    for folder in ("creators", "providers"):
        shutil.copytree(REPO / "content" / folder, root / "content" / folder)
    source = REPO / "content"
    base = sorted((source / "offerings").rglob("*.yaml"))
    copies = max(1, math.ceil(offerings / len(base)))
    written = 0
    for k in range(copies):
        suffix = "" if k == 0 else f"-c{k}"
        for model in sorted((source / "models").glob("*.yaml")):
            text = model.read_text()
            if k:
                text = re.sub(r"^name: (.*)$", rf"name: \1 (copy {k})", text, count=1, flags=re.M)
                text = re.sub(r"^old_slugs:.*$", "", text, flags=re.M)
            target = root / "content/models" / f"{model.stem}{suffix}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        for offering in base:
            if written >= offerings:
                break
            target = root / "content/offerings" / offering.parent.name / f"{offering.stem}{suffix}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(offering.read_text())
            written += 1
    return Project(root, root / "content", REPO / "templates", REPO / "static", root / "site.yaml")


def timed(label: str, action):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = action()
    print(f"{label:<34} {time.perf_counter() - start:7.1f} s  {result}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offerings", type=int, default=4000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/modeldir-bench"))
    args = parser.parse_args()
    project = make_catalog(args.work, args.offerings)
    base_url = load_site(project).base_url
    out = args.work / "public"
    built = timed("build", lambda: build_site(project, out))
    print(f"  {built.pages} pages, {built.files} files, {built.bytes / 1e6:.1f} MB")
    pages = site_checks.html_pages(out)
    java, lychee = shutil.which("java"), str(Path(sys.executable).parent / "lychee")
    jar = site_checks.vnu_jar()
    if java and jar:
        timed(f"vnu, all {len(pages)} pages", lambda: len(site_checks.run_vnu(java, jar, [out])))
        sample = site_checks.sample_pages(out, 60)
        timed(f"vnu, sample of {len(sample)} pages", lambda: len(site_checks.run_vnu(java, jar, sample)))
    targets = [out, out / "sitemap.xml"]
    timed("lychee offline, fragments", lambda: len(site_checks.run_lychee(lychee, out, base_url, targets)))
    offering_pages = [p for p in pages if site_checks.page_kind(out, p) == "offering"]
    timed(
        f"extruct JSON-LD, {len(offering_pages)} pages",
        lambda: sum(len(site_checks.json_ld_problems(p, base_url)) for p in offering_pages),
    )
    timed("feeds + sitemap XML and URLs", lambda: site_checks.xml_url_problems(out, base_url)[0][:3])
    timed("JSON Schema, every API file", lambda: site_checks.json_schema_problems(out, base_url)[0][:3])
    timed("JSON Schema, sample", lambda: site_checks.json_schema_problems(out, base_url, 400)[1])


if __name__ == "__main__":
    main()
