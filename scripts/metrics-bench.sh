#!/usr/bin/env bash
# Issue 15's cost of metrics: the line-protocol bench (`peekaboo bench`) against this checkout's
# daemon with metrics (the default) and without (`serve --no-metrics`: the engine's observer does
# nothing and there is no registry), in one invocation on this machine. The two kinds of daemon
# take turns, ROUNDS times each, so that other load on a shared machine falls on both alike; the
# report gives each figure's median per kind and the ratio with/without. As scripts/core-bench.sh
# found, on a small shared machine throughput and latency move by a factor from run to run while
# the daemon's CPU per sample is steady: read the CPU ratio first.
#
#   scripts/metrics-bench.sh
#
# Each daemon is fresh (own data directory and socket, embedded H2 store), warmed up with
# BENCH_WARMUP new files then the same again (known), then measured on BENCH_FILES new files of
# BENCH_SIZE bytes, one per request on BENCH_CONNECTIONS connections, and on the same files
# again (known samples). Settings (environment): ROUNDS (3), BENCH_DIR (/tmp/metrics-bench, wiped
# at start), BENCH_FILES (5000), BENCH_WARMUP (5000), BENCH_SIZE (256), BENCH_CONNECTIONS (8),
# SKIP_BUILD (1: use the existing build). Needs a JDK 21+ and Maven (scripts/build).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${BENCH_DIR:-/tmp/metrics-bench}
rounds=${ROUNDS:-3}
files=${BENCH_FILES:-5000}
warmup=${BENCH_WARMUP:-5000}
size=${BENCH_SIZE:-256}
connections=${BENCH_CONNECTIONS:-8}

say() { echo "metrics-bench: $*" >&2; }
die() { say "$*"; exit 1; }

daemon_pid=""
cleanup() {
    if [ -n "$daemon_pid" ]; then
        kill "$daemon_pid" 2>/dev/null || true
        wait "$daemon_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$work"
mkdir -p "$work/logs" "$work/samples"
if [ "${SKIP_BUILD:-}" != 1 ]; then
    say "building $here"
    "$here/scripts/build" -DstartupCache.skip=true >"$work/logs/build.log" 2>&1 || die "build failed; see $work/logs/build.log"
fi
[ -f "$here/peekaboo-server/target/peekaboo.jar" ] || die "no peekaboo.jar; build first"

# run KIND ROUND: one fresh daemon of KIND (on|off), warmed up, then new and known files
run() {
    local kind=$1 round=$2
    local dir=$work/$kind-$round
    mkdir -p "$dir"
    printf '[global]\ndata_dir: %s/data\n[server]\nsocket_file: %s/peekaboo.sock\nallowed_dir.0: %s/samples\n' \
        "$dir" "$dir" "$work" >"$dir/peekaboo.conf"
    local extra=()
    if [ "$kind" = off ]; then extra=(--no-metrics); fi
    "$here/peekaboo" serve -c "$dir/peekaboo.conf" "${extra[@]}" >"$dir/daemon.log" 2>&1 &
    daemon_pid=$!
    local waited=0
    until "$here/peekaboo" ping --socket "$dir/peekaboo.sock" --timeout 10 >/dev/null 2>&1; do
        kill -0 "$daemon_pid" 2>/dev/null && [ "$waited" -lt 1200 ] || die "daemon $kind-$round did not start; see $dir/daemon.log"
        sleep 0.1
        waited=$((waited + 1))
    done
    # The bench reads the daemon's CPU from /proc: the launcher must have become the JVM.
    [ "$(cat "/proc/$daemon_pid/comm")" = java ] || die "the launcher did not exec java; its CPU is not the daemon's"
    local common=(--socket "$dir/peekaboo.sock" --pid "$daemon_pid" --size "$size" --connections "$connections")
    "$here/peekaboo" bench "${common[@]}" --dir "$work/samples/warm-$kind-$round" --files "$warmup" \
        >"$work/logs/warm-$kind-$round.txt" 2>&1
    "$here/peekaboo" bench "${common[@]}" --dir "$work/samples/warm-$kind-$round" --files "$warmup" --reuse \
        >>"$work/logs/warm-$kind-$round.txt" 2>&1
    "$here/peekaboo" bench "${common[@]}" --dir "$work/samples/$kind-$round" --files "$files" \
        >"$work/logs/new-$kind-$round.txt" 2>&1 || say "failed requests in new-$kind-$round"
    "$here/peekaboo" bench "${common[@]}" --dir "$work/samples/$kind-$round" --files "$files" --reuse \
        >"$work/logs/known-$kind-$round.txt" 2>&1 || say "failed requests in known-$kind-$round"
    kill "$daemon_pid"
    wait "$daemon_pid" 2>/dev/null || true
    daemon_pid=""
    rm -rf "$work/samples/warm-$kind-$round" "$work/samples/$kind-$round" "$dir/data"
}

for round in $(seq 1 "$rounds"); do
    for kind in on off; do
        say "round $round/$rounds, metrics $kind"
        run "$kind" "$round"
    done
done

python3 - "$work" "$rounds" <<'PY' | tee "$work/report.txt"
import re, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
figures = [("attachments/s", r"attachments/s: ([0-9.]+)", "higher"),
           ("p99 latency ms", r"p99 ([0-9.]+) ms", "lower"),
           ("daemon CPU ms per sample", r"^daemon CPU: ([0-9.]+) ms per file", "lower")]
def value(path, pattern):
    with open(path) as f:
        m = re.search(pattern, f.read(), re.M)
    return float(m.group(1)) if m else None
print(f"{'figure':40} {'with metrics':>14} {'without':>10} {'ratio':>7}  better  (median of {rounds} rounds each)")
for phase in ("new", "known"):
    for label, pattern, better in figures:
        on = [v for r in range(1, rounds + 1) if (v := value(f"{work}/logs/{phase}-on-{r}.txt", pattern)) is not None]
        off = [v for r in range(1, rounds + 1) if (v := value(f"{work}/logs/{phase}-off-{r}.txt", pattern)) is not None]
        if not on or not off:
            print(f"{phase + ': ' + label:40} {'?':>14} {'?':>10}")
            continue
        m_on, m_off = statistics.median(on), statistics.median(off)
        ratio = m_on / m_off if m_off else float("nan")
        print(f"{phase + ': ' + label:40} {m_on:14.3f} {m_off:10.3f} {ratio:7.3f}  {better}")
PY
