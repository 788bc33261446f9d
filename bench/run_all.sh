#!/usr/bin/env bash
# Every benchmark, end to end: page weight, HTTP load, search latency, the admin, the
# newsroom load test, the edge micro-cache (scale_demo.py's edge phase), load_seed, the
# inbox end to end, readers' digests (100,000 readers; --quick: 10,000).
#
#   bench/run_all.sh [--quick]        (make bench, make bench-quick)
#
# Full: corpora of 1,000 and 100,000 articles (built once with bench/generate_corpus.py and
# cached in var/bench/), 10 s wrk runs, load_seed with 1k, 5k and 10k documents.
# --quick: 1,000 articles only, 3 s wrk runs, one search pass, 5 s newsroom stages,
# 1,000 documents.
# Needs PostgreSQL's server binaries: without TEST_POSTGRES_URL a
# throwaway server runs for the whole run (scripts/with-postgres), so each corpus
# is restored into it once. The output is also kept in var/bench/results/.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

quick=false
case ${1:-} in
    --quick) quick=true ;;
    "") ;;
    *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac

if [[ -z ${TEST_POSTGRES_URL:-} ]]; then
    exec scripts/with-postgres "$0" "$@"
fi

python=.venv/bin/python
mkdir -p var/bench/results
if $quick; then
    log=var/bench/results/bench-quick.log
    runs=(
        "bench/weight.py --articles 1000 --reuse"
        "bench/http_load.py --quick --reuse"
        "bench/search.py --quick --reuse"
        "bench/admin.py --quick --reuse"
        "bench/newsroom.py --quick --reuse"
        "bench/scale_demo.py --short --only edge --json var/bench/results/edge.json"
        "bench/load_seed.py --docs 1000"
        "bench/ingest.py --quick"
        "bench/digests.py --quick --reuse"
    )
else
    log=var/bench/results/bench.log
    runs=(
        "bench/weight.py --articles 1000,100000 --reuse"
        "bench/http_load.py --articles 1000,100000 --reuse"
        "bench/search.py --articles 100000 --reuse"
        "bench/admin.py --articles 100000 --reuse"
        "bench/newsroom.py --articles 100000 --reuse"
        "bench/scale_demo.py --only edge --json var/bench/results/edge.json"
        "bench/load_seed.py --docs 1000,5000,10000"
        "bench/ingest.py"
        "bench/digests.py --reuse"
    )
fi

started=$SECONDS
{
    for run in "${runs[@]}"; do
        echo
        echo "######## $run"
        # shellcheck disable=SC2086  # each run is a command line of plain words
        # A missed target is reported by the script and the run goes on to the next.
        $python $run || echo "######## $run: exit status $? (see its targets above)"
    done
    echo
    echo "######## all benchmarks done in $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s"
} 2>&1 | tee "$log"
echo "(output kept in $log)"
