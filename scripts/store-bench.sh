#!/usr/bin/env bash
# Measures the store on the hot path: attachments/s and request latency over the line
# protocol for N distinct and then the same N known samples, with
#   1. the embedded H2 store, one instance,
#   2. MariaDB, one instance,
#   3. MariaDB, two instances sharing the load (connections spread round-robin),
# and, for MariaDB, the statements the daemons sent per sample (the server's Questions and
# Com_* counters). MariaDB runs as a private mariadbd on its own port and data directory,
# so nothing else on the machine adds to the counts and the shared server is not touched.
#
#   scripts/store-bench.sh              (after scripts/build)
# Settings: BENCH_FILES (10000), BENCH_CONNECTIONS (16), BENCH_DIR (/tmp/peekaboo-store-bench),
# BENCH_DB_PORT (33061).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
files=${BENCH_FILES:-10000}
connections=${BENCH_CONNECTIONS:-16}
work=${BENCH_DIR:-/tmp/peekaboo-store-bench}
port=${BENCH_DB_PORT:-33061}
db_socket=$work/mariadb/mariadb.sock
daemon_pids=()

die() { echo "store-bench: $*" >&2; exit 1; }

[ -f "$here/peekaboo-server/target/peekaboo.jar" ] || die "build first: scripts/build"
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || die "mariadbd missing: apt-get install mariadb-server"
mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)

stop_all() {
    for pid in "${daemon_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    daemon_pids=()
}

cleanup() {
    stop_all
    if [ -f "$work/mariadb/mariadb.pid" ]; then
        kill "$(cat "$work/mariadb/mariadb.pid")" 2>/dev/null || true
        sleep 2
    fi
}
trap cleanup EXIT

sql() { mariadb --no-defaults --socket="$db_socket" -uroot -N -B -e "$1"; }

start_mariadb() {
    rm -rf "$work/mariadb"
    mkdir -p "$work/mariadb/data"
    mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$work/mariadb/data" \
        --auth-root-authentication-method=normal --skip-test-db >"$work/mariadb/install.log" 2>&1 \
        || die "mariadb-install-db failed; see $work/mariadb/install.log"
    "$mariadbd" --no-defaults --user="$(id -un)" --datadir="$work/mariadb/data" --port="$port" \
        --bind-address=127.0.0.1 --socket="$db_socket" --pid-file="$work/mariadb/mariadb.pid" \
        --skip-log-bin --innodb-buffer-pool-size=256M >"$work/mariadb/server.log" 2>&1 &
    for _ in $(seq 1 60); do
        sql "SELECT 1" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    die "private mariadbd did not start; see $work/mariadb/server.log"
}

# start_daemon NAME [JDBC-URL]: a daemon with its own socket; H2 when no URL is given.
start_daemon() {
    local name=$1 url=${2:-}
    mkdir -p "$work/$name"
    {
        echo "[global]"
        echo "data_dir: $work/$name/data"
        echo "[server]"
        echo "socket_file: $work/$name/peekaboo.sock"
        echo "allowed_dir.0: $work/samples"
        echo "[db]"
        if [ -n "$url" ]; then echo "url: $url"; fi
    } >"$work/$name/peekaboo.conf"
    "$here/peekaboo" serve -c "$work/$name/peekaboo.conf" >"$work/$name/daemon.log" 2>&1 &
    daemon_pids+=($!)
    for _ in $(seq 1 120); do
        grep -q "ready" "$work/$name/daemon.log" 2>/dev/null && return 0
        sleep 0.5
    done
    die "daemon $name did not start; see $work/$name/daemon.log"
}

counters() {
    sql "SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions','Com_select','Com_insert','Com_update','Com_delete')" \
        | awk '{printf "%s=%s ", $1, $2}'
}

per_sample() {
    # per_sample "BEFORE" "AFTER": counter deltas divided by the number of samples
    python3 - "$1" "$2" "$files" <<'PY'
import sys
before = dict(kv.split("=") for kv in sys.argv[1].split())
after = dict(kv.split("=") for kv in sys.argv[2].split())
n = int(sys.argv[3])
print("  statements per sample: " + ", ".join(
    f"{k} {(int(after[k]) - int(before[k])) / n:.2f}" for k in ["Questions", "Com_select", "Com_insert", "Com_update", "Com_delete"]))
PY
}

# run_case LABEL SOCKET... : distinct samples, then the same samples again (known)
run_case() {
    local label=$1; shift
    local first=$1; shift
    local also=()
    for s in "$@"; do also+=(--also-socket "$s"); done
    local samples="$work/samples/$label"
    rm -rf "$samples"
    for phase in distinct known; do
        local reuse=()
        [ "$phase" = known ] && reuse=(--reuse)
        local before=""
        if [ -n "${measure_db:-}" ]; then before=$(counters); fi
        echo "== $label, $files $phase samples"
        "$here/peekaboo" bench --socket "$first" "${also[@]}" --dir "$samples" --files "$files" \
            --connections "$connections" "${reuse[@]}" | sed 's/^/  /'
        if [ -n "${measure_db:-}" ]; then per_sample "$before" "$(counters)"; fi
    done
}

rm -rf "$work"
mkdir -p "$work/samples"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $files files of 256 bytes, $connections connections"

measure_db=
start_daemon h2
run_case h2 "$work/h2/peekaboo.sock"
stop_all

start_mariadb
measure_db=1
sql "CREATE DATABASE bench1 CHARACTER SET utf8mb4"
start_daemon maria1 "jdbc:mariadb://127.0.0.1:$port/bench1?user=root"
run_case mariadb-1 "$work/maria1/peekaboo.sock"
stop_all

sql "CREATE DATABASE bench2 CHARACTER SET utf8mb4"
start_daemon maria2a "jdbc:mariadb://127.0.0.1:$port/bench2?user=root"
start_daemon maria2b "jdbc:mariadb://127.0.0.1:$port/bench2?user=root"
run_case mariadb-2 "$work/maria2a/peekaboo.sock" "$work/maria2b/peekaboo.sock"
stop_all
