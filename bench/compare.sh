#!/usr/bin/env bash
# Side-by-side benchmark: Debian's Prometheus 2.42 and Vigil on 127.0.0.1, one after the other, same workloads,
# same machine, one run. Prints one markdown table: each figure for both and the ratio Vigil/Prometheus, with
# PASS/MISS against the goals of the "Side-by-side benchmarks" issue.
#
#   bench/compare.sh [--quick] [--no-assert] [--no-build] [--work DIR]
#
#   --quick      small workloads, under 3 minutes (after the build); for checking the harness, not for figures
#   --no-assert  exit 0 even when a goal is missed (a stage that fails still makes the exit status 2)
#   --no-build   reuse the build in $VIGIL_BENCH_ARTIFACTS (default /tmp/art-compare)
#   --work DIR   keep data dirs, logs and results.tsv in DIR (default: a temp dir, removed at the end)
#
# Stages (each a program under bench/ with its own deadline, plus a hard `timeout` around it):
#   scrape-compare       scrape ingestion CPU s per million samples, RSS, RSS per active series (100k and 1M series)
#   query-compare        query latency over the fixed query set (median, p90, agreement); bytes per sample on disk
#                        of the same data backfilled by promtool tsdb create-blocks-from openmetrics and vigil tsdb import
#   remote-write-compare maximum sustained remote-write ingest and receiver CPU s per million samples; start-up
#                        time with a full WAL
set -u
cd "$(dirname "$0")/.."

quick=0 assert=1 build=1 work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-assert) assert=0 ;;
    --no-build) build=0 ;;
    --work) shift; work="$1" ;;
    -h|--help) sed -n 2,20p "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
  shift
done

art="${VIGIL_BENCH_ARTIFACTS:-/tmp/art-compare}"
own_work=0
if [ -z "$work" ]; then work="$(mktemp -d /tmp/vigil-compare.XXXXXX)"; own_work=1; fi
mkdir -p "$work"
results="$work/results.tsv"
: > "$results"
started=$(date +%s)
stamp() { printf '[%4ds] %s\n' $(( $(date +%s) - started )) "$*"; }

if [ "$build" -eq 1 ]; then
  for p in bench/scrape-compare/ScrapeCompare.csproj bench/query-compare/QueryCompare.csproj bench/remote-write-compare/RemoteWriteCompare.csproj; do
    stamp "build $p"
    dotnet build "$p" -c Release --nologo -v quiet --artifacts-path "$art" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 2; }
  done
fi
bin="$art/bin"
started=$(date +%s) # the time bounds below exclude the build

stage_failed=0
# run NAME HARD_TIMEOUT_S DLL ARGS...: the program's own --deadline ends its loops; timeout is a last resort (well
# above the deadline: a harness killed by it cannot stop the server it started).
run() {
  local name="$1" limit="$2" dll="$3"; shift 3
  stamp "$name: dotnet $(basename "$dll") $*"
  timeout -k 10 "$limit" dotnet "$dll" "$@" --results "$results" > "$work/$name.log" 2>&1
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    stamp "$name: FAILED (exit $rc$( [ "$rc" -eq 124 ] && echo ', hard timeout')), log $work/$name.log:"
    tail -n 30 "$work/$name.log"
    stage_failed=1
  fi
}

scrape="$bin/ScrapeCompare/release/ScrapeCompare.dll"
query="$bin/QueryCompare/release/QueryCompare.dll"
rw="$bin/RemoteWriteCompare/release/RemoteWriteCompare.dll"
if [ "$quick" -eq 1 ]; then
  # ~2.5 min in all: 20k scraped series, 2 h of 900 series, 10k remote-written series.
  run scrape-100k 150 "$scrape" --targets 20 --series 1000 --interval 5 --warmup 10 --window 15 --deadline 1.5 --results-prefix scrape100k --work "$work/scrape"
  run query 150 "$query" --quick --instances 10 --hours 2 --repeat 3 --warmup 1 --deadline 0.9 --work "$work/query"
  run remote-write 120 "$rw" --quick --warmup 3 --window 8 --wal-series 10000 --wal-rounds 5 --deadline 1.3 --work "$work/rw"
  scale="quick: 20k series scraped (not 100k), no 1M run, 900 series x 2 h queried, 10k series remote-written"
else
  # ~24 min in all.
  run scrape-100k 480 "$scrape" --targets 50 --series 2000 --interval 10 --warmup 30 --window 90 --deadline 5 --results-prefix scrape100k --work "$work/scrape"
  run scrape-1m 600 "$scrape" --targets 100 --series 10000 --interval 15 --warmup 60 --window 60 --deadline 6.5 --results-prefix scrape1m --work "$work/scrape"
  run query 900 "$query" --settle 30 --repeat 5 --deadline 10 --work "$work/query"
  run remote-write 480 "$rw" --deadline 5 --work "$work/rw"
  scale="full: 100k and 1M scraped series, 10k series x 24 h at 15 s queried, 50k series remote-written, 100k x 40 samples of WAL"
fi

get() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$results"; }
misses=0
# row FIGURE PROM_KEY VIGIL_KEY FORMAT [GOAL_OP GOAL] [EXTRA_CONDITION_KEY EXTRA_MIN]
row() {
  local figure="$1" p v fmt="$4" op="${5:-}" goal="${6:-}" extra="${7:-}" extra_min="${8:-}"
  p="$(get "$2")"; v="$(get "$3")"
  local line
  line=$(awk -v p="$p" -v v="$v" -v f="$fmt" -v op="$op" -v g="$goal" -v x="$( [ -n "$extra" ] && get "$extra")" -v xm="$extra_min" -v figure="$figure" '
    function ok(s) { return s != "" && s != "NaN" && s !~ /Infinity/ }
    function cell(s) { return ok(s) ? sprintf(f, s) : "–" }
    BEGIN {
      ratio = (ok(p) && ok(v) && p + 0 != 0) ? v / p : "";
      r = ratio == "" ? "–" : sprintf("%.2f", ratio);
      verdict = ""; goaltext = "";
      if (op != "") {
        goaltext = op " " g (xm != "" ? ", agreement " xm "%" : "");
        pass = ratio != "" && ((op == "≤" && ratio <= g + 0) || (op == "≥" && ratio >= g + 0));
        if (xm != "") pass = pass && ok(x) && x + 0 >= xm + 0;
        verdict = pass ? "PASS" : "MISS";
      }
      printf "| %s | %s | %s | %s | %s | %s |\n", figure, cell(p), cell(v), r, goaltext, verdict;
    }')
  echo "$line"
  case "$line" in *"| MISS |") misses=$((misses + 1)) ;; esac
}

table() {
  echo "| figure | Prometheus 2.42 | Vigil | Vigil/Prometheus | goal | result |"
  echo "|---|---:|---:|---:|---|---|"
  for s in 100k 1m; do
    [ -n "$(get scrape$s.prometheus.head_series)$(get scrape$s.vigil.head_series)" ] || continue
    row "scrape ($s): active series" "scrape$s.prometheus.head_series" "scrape$s.vigil.head_series" "%.0f"
    row "scrape ($s): **CPU s per million samples**" "scrape$s.prometheus.cpu_per_msample" "scrape$s.vigil.cpu_per_msample" "%.2f" "≤" 0.5
    row "scrape ($s): RSS at steady state, MiB" "scrape$s.prometheus.rss_mib" "scrape$s.vigil.rss_mib" "%.0f"
    row "scrape ($s): **memory per active series, bytes** (RSS / series)" "scrape$s.prometheus.rss_per_series" "scrape$s.vigil.rss_per_series" "%.0f" "≤" 0.5
  done
  row "on disk: chunk bytes per sample" disk.prometheus.chunk_bytes_per_sample disk.vigil.chunk_bytes_per_sample "%.3f"
  row "on disk: **chunk + index bytes per sample**" disk.prometheus.bytes_per_sample disk.vigil.bytes_per_sample "%.3f" "≤" 0.8
  row "remote write: **max sustained ingest, samples/s**" rw.prometheus.samples_per_second rw.vigil.samples_per_second "%.0f" "≥" 2.0
  row "remote write: receiver CPU s per million samples" rw.prometheus.cpu_per_msample rw.vigil.cpu_per_msample "%.2f"
  row "query: median latency, ms (all timed runs)" query.prometheus.median_ms query.vigil.median_ms "%.1f"
  row "query: p90 latency, ms (all timed runs)" query.prometheus.p90_ms query.vigil.p90_ms "%.1f"
  local qr agree n
  qr="$(get query.median_ratio)"; agree="$(get query.agree_percent)"; n="$(get query.queries)"
  local line
  line=$(awk -v r="$qr" -v a="$agree" -v n="$n" 'BEGIN {
    ok = r != "" && r != "NaN"; pass = ok && r <= 0.5 && a + 0 >= 100;
    printf "| query: **median of the per-query median ratios** (%s queries), answers agreeing %s%% | | | %s | ≤ 0.5, agreement 100%% | %s |\n", n == "" ? "?" : n, a == "" ? "?" : sprintf("%.0f", a), ok ? sprintf("%.2f", r) : "–", pass ? "PASS" : "MISS" }')
  echo "$line"
  case "$line" in *"| MISS |") misses=$((misses + 1)) ;; esac
  row "start-up, empty data dir, s" rw.prometheus.empty_ready_seconds rw.vigil.empty_ready_seconds "%.2f"
  row "start-up with a full WAL (until /-/ready), s" rw.prometheus.wal_ready_seconds rw.vigil.wal_ready_seconds "%.2f"
  row "WAL size, MB" rw.prometheus.wal_mb rw.vigil.wal_mb "%.1f"
}

# Derived figures the programs do not write themselves.
awk -F'\t' -v OFS='\t' '{ print } $2 !~ /^[-+0-9.eE]+$/ { next } $1 ~ /\.rss_bytes$/ { k = $1; sub(/rss_bytes$/, "rss_mib", k); print k, $2 / 1048576 } $1 ~ /\.wal_bytes$/ { k = $1; sub(/wal_bytes$/, "wal_mb", k); print k, $2 / 1e6 }' "$results" > "$results.tmp" && mv "$results.tmp" "$results"

took=$(( $(date +%s) - started ))
echo
echo "Side by side, $(date -u '+%Y-%m-%d %H:%M') UTC; $(nproc) cores; load average at the end $(cut -d' ' -f1-3 /proc/loadavg); $scale; ${took} s (build excluded)."
echo "Prometheus: $(prometheus --version 2>&1 | head -n 1); Vigil at $(git rev-parse --short HEAD 2>/dev/null || echo '?'). Logs: $work"
echo
table
echo
if [ "$stage_failed" -ne 0 ]; then echo "At least one stage FAILED: its rows are incomplete (see the logs above)."; fi
if [ "$own_work" -eq 1 ] && [ "$stage_failed" -eq 0 ]; then rm -rf "$work"; fi
[ "$stage_failed" -eq 0 ] || exit 2
if [ "$assert" -eq 1 ] && [ "$misses" -gt 0 ]; then echo "$misses goal(s) missed."; exit 1; fi
exit 0
