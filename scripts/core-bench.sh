#!/usr/bin/env bash
# The side-by-side benchmark of issue 10: this checkout ("current") against a build of a
# reference commit ("reference", default 7bfd76d), measured in one invocation on this machine.
# On a small shared machine absolute figures mean little, so read the ratio column:
# ratio = current / reference, and the "better" column says which way is good.
# How much is noise: three runs of two identical builds (7bfd76d against itself, load average
# 8-18 from other work on the 2 cores) gave ratios of 0.69-1.67 for attachments/s, 0.38-2.03
# for p99 latency, 0.87-1.10 for the daemon's CPU per sample, 0.93-1.05 for RSS, 1.00-1.08 for
# amavis' AV-scan-1 (0.58 before the scanners were interleaved) and 0.46-2.39 for start-up and
# first request; the burst's unchecked counts were the same every time. So trust CPU per
# sample, RSS and counts; read throughput and latency as a factor, not a percentage.
#
#   scripts/core-bench.sh                    every part
#   scripts/core-bench.sh h2 amavis burst    only these parts (h2 h2warm mariadb amavis rss first burst)
#
# Parts (each daemon is started with its own checkout's launcher, `./peekaboo serve -c`, at
# the launcher's default heap, with a fresh data directory and socket; the load always comes
# from the CURRENT checkout's `peekaboo bench`, for both columns):
#   h2       fresh daemon on its embedded H2 store: BENCH_FILES new files of BENCH_SIZE bytes,
#            1 per request on BENCH_CONNECTIONS connections: attachments/s, p99 latency, and
#            the daemon's CPU ms per sample (utime+stime from /proc, steadier than
#            throughput); then the same files again (known samples). Also the bench client's
#            own CPU per request: if it nears the daemon's, the client limits the ratios.
#   h2warm   the h2 part on daemons that first judged BENCH_WARMUP (20000) new samples and then
#            the same again: a long-running daemon's steady state, after the JIT compiler's
#            work, which the h2 part (a freshly started daemon) includes.
#   mariadb  the same on MariaDB, one instance, on a private mariadbd (own datadir, port
#            BENCH_DB_PORT, started and stopped here; the shared server on 3306 is not used).
#   amavis   real amavisd-new (Debian's; installed if missing) on a private configuration and
#            port, the project's plugin and fail-closed policy included as a site includes
#            them, one amavisd per scanner, all running at once. Each line protocol scanner is
#            first warmed up as a gateway's would be, with AMAVIS_SCANNER_WARMUP files sent by
#            `peekaboo bench` (its JIT compiler then has done most of its work); then
#            AMAVIS_WARMUP mails, then AMAVIS_MAILS mails of AMAVIS_ATTACHMENTS new attachments,
#            one at a time, each mail to every amavisd in turn (so that the machine's other load
#            falls on all scanners alike). Median of the scanner's share of amavis' TIMING
#            line (AV-scan-1) and of the SMTP round trip (end of DATA to amavis' reply; amavis
#            writes accepted mail to BSMTP files, no MTA behind it), for the reference daemon,
#            the current daemon, the no-op scanner (org.peekaboo.bench.NoOpLineProtocolScanner
#            from the test classes: Peekaboo's line protocol answered at once) and, when
#            clamav-daemon is installed, clamd through amavis' ClamAV entry with a tiny private
#            signature database (not installed by this script: on a host with systemd the
#            package starts clamd and freshclam services of its own). Needs root (amavis and clamd drop to user amavis); skipped
#            otherwise. Issue 10's target: Peekaboo's AV-scan-1 <= 2x the no-op scanner's.
#   rss      VmRSS of the daemon after the h2 part (which then also runs) with IDLE_CONNECTIONS
#            idle connections open to it.
#   first    a freshly started daemon: launcher start until its socket accepts a connection,
#            then one request for one new file from that connect to the final line.
#   burst    fresh daemon, BURST_REQUESTS requests of BURST_PARTS new small parts sent at once:
#            how many files and mails were answered "unchecked" (overload).
#
# Settings (environment): REF (7bfd76d), BENCH_DIR (/tmp/core-bench, wiped at start),
# BENCH_CACHE (/var/tmp/peekaboo-core-bench: the reference's worktree, a detached `git worktree`
# of this repository, and its build, reused for the same commit), SKIP_BUILD (1: do not rebuild
# this checkout), BENCH_FILES (10000), BENCH_WARMUP (20000), BENCH_SIZE (256), BENCH_CONNECTIONS (8), BENCH_DB_PORT
# (33062), AMAVIS_MAILS (100), AMAVIS_ATTACHMENTS (2), AMAVIS_WARMUP (20),
# AMAVIS_SCANNER_WARMUP (2000), AMAVIS_PORT (10124, and the next 3), IDLE_CONNECTIONS (200),
# BURST_REQUESTS (8), BURST_PARTS (250).
# Needs: git, Maven and a JDK 21+ (scripts/build), python3, mariadbd (mariadb part), perl
# with Net::SMTP (amavis part). The report is also written to $BENCH_DIR/report.txt, each
# command's output to $BENCH_DIR/logs.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ref=${REF:-7bfd76d}
work=${BENCH_DIR:-/tmp/core-bench}
cache=${BENCH_CACHE:-/var/tmp/peekaboo-core-bench}
files=${BENCH_FILES:-10000}
size=${BENCH_SIZE:-256}
connections=${BENCH_CONNECTIONS:-8}
db_port=${BENCH_DB_PORT:-33062}
mails=${AMAVIS_MAILS:-100}
attachments=${AMAVIS_ATTACHMENTS:-2}
warmup=${AMAVIS_WARMUP:-20}
scanner_warmup=${AMAVIS_SCANNER_WARMUP:-2000}
amavis_port=${AMAVIS_PORT:-10124}
idle_connections=${IDLE_CONNECTIONS:-200}
burst_requests=${BURST_REQUESTS:-8}
burst_parts=${BURST_PARTS:-250}
all_parts=(h2 h2warm mariadb amavis rss first burst)
warm_up=${BENCH_WARMUP:-20000}
warm_files=0
probe=(python3 "$here/scripts/core-bench-probe.py")
# the launcher's default heap, not whatever the caller's shell set
unset PEEKABOO_JAVA_OPTS

pids=()          # daemons, scanners and amavisd this script started and has not stopped yet
mariadb_pid=""   # the private mariadbd, which outlives the daemons of its part
declare -A value # measure:side -> figure
rows=()          # "label|key|better" in the order measured; "#text" for a section line
references=()    # lines about the reference scanners of the amavis part

die() { echo "core-bench: $*" >&2; exit 1; }
say() { echo "core-bench: $*" >&2; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

# --- processes -------------------------------------------------------------------------

# stop PID: TERM, then KILL after 20 s; its direct children too (amavisd's are its workers)
stop() {
    local pid=$1 children
    children=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for child in $children; do
        kill "$child" 2>/dev/null || true
    done
    local left=()
    for p in "${pids[@]}"; do [ "$p" = "$pid" ] || left+=("$p"); done
    pids=("${left[@]+"${left[@]}"}")
}

stop_mariadb() {
    if [ -n "$mariadb_pid" ]; then
        kill "$mariadb_pid" 2>/dev/null || true
        for _ in $(seq 1 300); do kill -0 "$mariadb_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$mariadb_pid" 2>/dev/null || true
        wait "$mariadb_pid" 2>/dev/null || true
    fi
    mariadb_pid=""
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_daemons
    stop_mariadb
    if [ "$status" -ne 0 ] && [ ${#rows[@]} -gt 0 ]; then
        echo "core-bench: stopped early (exit $status); what was measured so far:" >&2
        print_table >&2
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The JVM's PID: the launcher execs java, but a later launcher might not.
java_pid() {
    local pid=$1 child
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = java ]; then echo "$pid"; return; fi
    for child in $(ps -o pid= --ppid "$pid"); do
        if [ "$(cat "/proc/$child/comm" 2>/dev/null)" = java ]; then echo "$child"; return; fi
    done
    echo "$pid"
}

# --- builds ----------------------------------------------------------------------------

ref_dir=""
build_reference() {
    local sha
    sha=$(git -C "$here" rev-parse --verify "${ref}^{commit}") || die "no commit $ref in $here"
    ref_dir=$cache/$sha
    if [ -f "$ref_dir/.core-bench-built" ] && [ -f "$ref_dir/peekaboo-server/target/peekaboo.jar" ]; then
        say "reference $ref ($sha): reusing the build in $ref_dir"
        return
    fi
    mkdir -p "$cache"
    git -C "$here" worktree prune
    if [ ! -e "$ref_dir/.git" ]; then
        rm -rf "$ref_dir"
        git -C "$here" worktree add --detach "$ref_dir" "$sha" >/dev/null 2>&1 \
            || die "git worktree add $ref_dir $sha failed"
    fi
    say "building reference $ref ($sha) in $ref_dir"
    (cd "$ref_dir" && if [ -x scripts/build ]; then scripts/build; else mvn -B -q -DskipTests package; fi) \
        >"$work/logs/build-reference.log" 2>&1 || die "reference build failed; see $work/logs/build-reference.log"
    touch "$ref_dir/.core-bench-built"
}

build_current() {
    if [ "${SKIP_BUILD:-}" = 1 ]; then
        say "SKIP_BUILD=1: using the current checkout's existing build"
    else
        say "building the current checkout ($here)"
        "$here/scripts/build" >"$work/logs/build-current.log" 2>&1 \
            || die "build failed; see $work/logs/build-current.log"
    fi
    [ -f "$here/peekaboo-server/target/peekaboo.jar" ] || die "no peekaboo.jar in $here; build first"
}

checkout_of() { if [ "$1" = ref ]; then echo "$ref_dir"; else echo "$here"; fi; }

# --- daemons ---------------------------------------------------------------------------

# start_daemon NAME SIDE [JDBC-URL] [ALLOWED-DIRS] [SOCKET-GROUP]: a fresh daemon of SIDE's
# checkout (ALLOWED-DIRS separated by spaces); sets daemon_pid (the JVM) and daemon_socket.
daemon_pid=""
daemon_socket=""
start_daemon() {
    local name=$1 side=$2 url=${3:-} allowed=${4:-$work/samples} group=${5:-}
    local dir=$work/$name
    rm -rf "$dir"
    mkdir -p "$dir"
    chmod 0755 "$dir"
    daemon_socket=$dir/peekaboo.sock
    write_daemon_config "$dir" "$url" "$allowed" "$group"
    "$(checkout_of "$side")/peekaboo" serve -c "$dir/peekaboo.conf" >"$dir/daemon.log" 2>&1 &
    local launched=$!
    pids+=("$launched")
    "${probe[@]}" wait "$daemon_socket" 120 "$launched" || die "daemon $name did not start; see $dir/daemon.log"
    daemon_pid=$(java_pid "$launched")
}

write_daemon_config() {
    local dir=$1 url=$2 allowed=$3 group=$4
    {
        echo "[global]"
        echo "data_dir: $dir/data"
        echo "[server]"
        echo "socket_file: $dir/peekaboo.sock"
        if [ -n "$group" ]; then echo "socket_group: $group"; fi
        local n=0 each
        for each in $allowed; do
            echo "allowed_dir.$n: $each"
            n=$((n + 1))
        done
        if [ -n "$url" ]; then
            echo "[db]"
            echo "url: $url"
        fi
    } >"$dir/peekaboo.conf"
}

stop_daemons() { for pid in "${pids[@]+"${pids[@]}"}"; do stop "$pid"; done; }

# --- measuring -------------------------------------------------------------------------

# bench NAME ARGS...: the current checkout's client; its output is kept in logs/NAME.txt
bench() {
    local name=$1; shift
    "$here/peekaboo" bench --socket "$daemon_socket" --pid "$daemon_pid" "$@" >"$work/logs/$name.txt" 2>&1 \
        || say "bench $name reported failed requests; see $work/logs/$name.txt"
    cat "$work/logs/$name.txt" >&2
}

# pick NAME SED-EXPRESSION: one figure from a bench output
pick() { sed -n "$2" "$work/logs/$1.txt" | head -n 1; }

record_bench() {
    local key=$1 side=$2 name=$3
    value[$key.rate:$side]=$(pick "$name" 's/.*attachments\/s: \([0-9.]*\).*/\1/p')
    value[$key.p99:$side]=$(pick "$name" 's/.*p99 \([0-9.]*\) ms.*/\1/p')
    value[$key.cpu:$side]=$(pick "$name" 's/^daemon CPU: \([0-9.]*\) ms per file.*/\1/p')
    value[$key.client:$side]=$(pick "$name" 's/^client CPU: \([0-9.]*\) ms per request.*/\1/p')
    value[$key.failed:$side]=$(pick "$name" 's/.*failed requests \([0-9]*\).*/\1/p')
}

bench_rows() {
    local key=$1 label=$2
    rows+=("$label: attachments/s|$key.rate|higher"
           "$label: p99 latency ms|$key.p99|lower"
           "$label: daemon CPU ms per sample|$key.cpu|lower"
           "$label: failed requests|$key.failed|lower"
           "$label: bench client CPU ms per request|$key.client|lower")
}

# store_part KEY LABEL URL-FOR-ref URL-FOR-cur [rss]: new and known samples on each side
store_part() {
    local key=$1 label=$2 with_rss=${5:-}
    local side url
    for side in ref cur; do
        if [ "$side" = ref ]; then url=$3; else url=$4; fi
        say "$label, $side: $files new samples, then known"
        rm -rf "$work/samples/$key-$side"
        start_daemon "$key-$side" "$side" "$url"
        if [ "$warm_files" -gt 0 ]; then
            # As a gateway's daemon after a while: its JIT compiler has seen the work.
            say "$label, $side: warming up with $warm_files new samples, then known"
            bench "$key-warmup-$side" --dir "$work/samples/$key-$side-warmup" --files "$warm_files" --size "$size" \
                --connections "$connections"
            bench "$key-warmup-$side" --dir "$work/samples/$key-$side-warmup" --files "$warm_files" --size "$size" \
                --connections "$connections" --reuse
        fi
        bench "$key-new-$side" --dir "$work/samples/$key-$side" --files "$files" --size "$size" \
            --connections "$connections"
        record_bench "$key.new" "$side" "$key-new-$side"
        bench "$key-known-$side" --dir "$work/samples/$key-$side" --files "$files" --size "$size" \
            --connections "$connections" --reuse
        record_bench "$key.known" "$side" "$key-known-$side"
        if [ -n "$with_rss" ]; then
            local rss
            read -r rss value[rss.greeted:$side] < <("${probe[@]}" idle "$daemon_socket" "$idle_connections" "$daemon_pid")
            value[rss.mb:$side]=$((rss / 1024))
            say "$label, $side: VmRSS $((rss / 1024)) MB with ${value[rss.greeted:$side]} idle connections"
        fi
        stop_daemons
    done
}

# part_h2warm: the h2 part after a warm-up, both sides alike
part_h2warm() {
    warm_files=$warm_up
    store_part h2warm "H2 warm" "" ""
    warm_files=0
    rows+=("#H2, one instance, after $warm_up new and $warm_up known samples of warm-up: $files new, then known")
    bench_rows h2warm.new "H2 warm new"
    bench_rows h2warm.known "H2 warm known"
}

part_h2() {
    local with_rss=""
    if want rss; then with_rss=1; fi
    store_part h2 "H2" "" "" "$with_rss"
    if want h2; then
        rows+=("#H2, one instance: $files new samples, then the same again (known), 1 per request, $connections connections")
        bench_rows h2.new "H2 new"
        bench_rows h2.known "H2 known"
    fi
    if want rss; then
        rows+=("#memory after the H2 run, launcher's default heap"
               "RSS MB with $idle_connections idle connections|rss.mb|lower"
               "idle connections greeted|rss.greeted|higher")
    fi
}

start_mariadb() {
    command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || die "mariadbd missing: apt-get install mariadb-server"
    local mariadbd dir=$work/mariadb
    mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)
    rm -rf "$dir"
    mkdir -p "$dir/data"
    mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$dir/data" \
        --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 \
        || die "mariadb-install-db failed; see $dir/install.log"
    "$mariadbd" --no-defaults --user="$(id -un)" --datadir="$dir/data" --port="$db_port" \
        --bind-address=127.0.0.1 --socket="$dir/mariadb.sock" --pid-file="$dir/mariadb.pid" \
        --skip-log-bin --innodb-buffer-pool-size=256M >"$dir/server.log" 2>&1 &
    mariadb_pid=$!
    for _ in $(seq 1 120); do
        if mariadb --no-defaults --socket="$dir/mariadb.sock" -uroot -e "SELECT 1" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.5
    done
    die "private mariadbd did not start; see $dir/server.log"
}

part_mariadb() {
    start_mariadb
    local sql=(mariadb --no-defaults --socket="$work/mariadb/mariadb.sock" -uroot -e)
    "${sql[@]}" "CREATE DATABASE core_ref CHARACTER SET utf8mb4; CREATE DATABASE core_cur CHARACTER SET utf8mb4"
    store_part maria "MariaDB" "jdbc:mariadb://127.0.0.1:$db_port/core_ref?user=root" \
        "jdbc:mariadb://127.0.0.1:$db_port/core_cur?user=root"
    stop_mariadb
    rows+=("#MariaDB, one instance (private mariadbd): $files new samples, then known")
    bench_rows maria.new "MariaDB new"
    bench_rows maria.known "MariaDB known"
}

part_first() {
    local side out
    for side in ref cur; do
        local dir=$work/first-$side
        rm -rf "$dir"
        mkdir -p "$dir" "$work/samples/first-$side"
        write_daemon_config "$dir" "" "$work/samples" ""
        printf 'First request of core-bench %s %s\n' "$side" "$(date +%s%N)" >"$work/samples/first-$side/first.txt"
        say "first request, $side"
        out=$("${probe[@]}" first "$dir/peekaboo.sock" "$work/samples/first-$side/first.txt" "$dir/daemon.log" \
            -- "$(checkout_of "$side")/peekaboo" serve -c "$dir/peekaboo.conf") \
            || die "first request failed on $side; see $dir/daemon.log"
        read -r value[first.start:$side] value[first.request:$side] <<<"$out"
    done
    rows+=("#a freshly started daemon"
           "start: launcher to socket accepting, ms|first.start|lower"
           "first request: connect to final line, ms|first.request|lower")
}

part_burst() {
    local side total=$((burst_requests * burst_parts))
    for side in ref cur; do
        say "burst, $side: $burst_requests requests of $burst_parts new parts at once"
        rm -rf "$work/samples/burst-$side"
        start_daemon "burst-$side" "$side"
        bench "burst-$side" --dir "$work/samples/burst-$side" --files "$total" --per-request "$burst_parts" \
            --connections "$burst_requests" --size "$size"
        value[burst.files:$side]=$(pick "burst-$side" 's/^verdicts: .* unchecked \([0-9]*\);.*/\1/p')
        value[burst.mails:$side]=$(pick "burst-$side" 's/^requests categorized: .* unchecked \([0-9]*\).*/\1/p')
        value[burst.seconds:$side]=$(pick "burst-$side" 's/^elapsed: \([0-9.]*\) s.*/\1/p')
        stop_daemons
    done
    rows+=("#burst: $burst_requests requests x $burst_parts new parts at once, fresh daemon"
           "files answered unchecked (of $total)|burst.files|lower"
           "mails answered unchecked (of $burst_requests)|burst.mails|lower"
           "elapsed s|burst.seconds|lower")
}

# --- amavis ----------------------------------------------------------------------------

wait_for_apt() {
    for _ in $(seq 1 900); do
        if ! pgrep -x apt-get >/dev/null && ! pgrep -x apt >/dev/null && ! pgrep -x dpkg >/dev/null; then
            return 0
        fi
        sleep 1
    done
    die "a package installation has been running for 15 minutes; try again later"
}

need_amavis() {
    if [ "$(id -u)" != 0 ]; then
        say "amavis part skipped: it needs root (amavisd and clamd drop to user amavis)"
        return 1
    fi
    if [ ! -x /usr/sbin/amavisd ]; then
        say "installing amavisd-new"
        wait_for_apt
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends amavisd-new >/dev/null
    fi
    perl -MNet::SMTP -e 1 2>/dev/null || die "perl's Net::SMTP is missing"
    return 0
}

# amavis_home NAME: a fresh private amavis home (owned by amavis, as amavis writes there)
amavis_home() {
    local home=$work/amavis/$1
    rm -rf "$home"
    mkdir -p "$home/tmp" "$home/db" "$home/var" "$home/out" "$home/virusmails"
    chown -R amavis:amavis "$home"
    chmod 0750 "$home" "$home/tmp"
    echo "$home"
}

# start_amavis NAME PORT SCANNER-SETTINGS: amavisd on its own home, configuration and port
# with SCANNER-SETTINGS (Perl); its log (level 2: a TIMING line per mail) is logs/amavis-NAME.log
start_amavis() {
    local name=$1 port=$2 scanner=$3
    local home=$work/amavis/$name conf=$work/amavis/etc/$name.conf log=$work/logs/amavis-$name.log
    cat >"$conf" <<CONF
use strict;
# Generated by scripts/core-bench.sh: a private amavisd on loopback.
\$MYHOME   = '$home';
\$TEMPBASE = "\$MYHOME/tmp";
\$ENV{TMPDIR} = \$TEMPBASE;
\$db_home   = "\$MYHOME/db";
\$pid_file  = "\$MYHOME/var/amavisd.pid";
\$lock_file = "\$MYHOME/var/amavisd.lock";
\$QUARANTINEDIR = "\$MYHOME/virusmails";
\$daemon_user  = 'amavis';
\$daemon_group = 'amavis';
\$myhostname = 'amavis-bench.peekaboo.test';
\$mydomain   = 'peekaboo.test';
\$ENV{PATH} = \$path = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin:/usr/bin:/bin';
\$DO_SYSLOG = 0;
\$LOGFILE = undef;
# level 2 logs the TIMING line of every mail
\$log_level = 2;
\$inet_socket_bind = '127.0.0.1';
\$inet_socket_port = $port;
@inet_acl = qw(127.0.0.1);
# accepted mail goes to files: no MTA behind amavis adds its time to the round trip
\$forward_method = "bsmtp:\$MYHOME/out/%m.bsmtp";
\$notify_method  = \$forward_method;
\$max_servers = 2;
\$enable_db = 0;
\$enable_global_cache = 0;
@bypass_spam_checks_maps = (1);
@local_domains_maps = (['.peekaboo.test']);
$scanner
1;
CONF
    # amavis refuses configuration files that others could change
    chmod 0644 "$conf"
    /usr/sbin/amavisd -c "$conf" foreground >"$log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    for _ in $(seq 1 120); do
        kill -0 "$pid" 2>/dev/null || break
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.5
    done
    die "amavisd ($name) did not start on port $port; see $log"
}

peekaboo_scanner_settings() {
    # set before the plugin, which keeps a value it finds, as a site would
    printf "use vars qw(\$peekaboo_socket);\n\$peekaboo_socket = '%s';\ninclude_config_files('%s', '%s');\n" \
        "$1" "$work/amavis/etc/50-peekaboo" "$work/amavis/etc/55-peekaboo-policy"
}

clamd_scanner_settings() {
    printf '%s\n' \
        "include_config_files('$work/amavis/etc/55-peekaboo-policy');" \
        "@av_scanners = (['ClamAV-clamd', \\&ask_daemon, [\"CONTSCAN {}\\n\", '$work/clamd/clamd.sock']," \
        "  qr/\\bOK\$/m, qr/\\bFOUND\$/m, qr/^.*?: (?!Infected Archive)(.*) FOUND\$/m ]);" \
        "@av_scanners_backup = ();"
}

start_clamd() {
    local dir=$work/clamd
    rm -rf "$dir"
    mkdir -p "$dir/db" "$dir/tmp"
    # a tiny private database: clamd loads no signatures from the internet here
    printf 'core-bench clamd test signature\n' >"$dir/sample.txt"
    echo "$(md5sum <"$dir/sample.txt" | cut -d' ' -f1):$(stat -c %s "$dir/sample.txt"):CoreBench.Test" \
        >"$dir/db/core-bench.hdb"
    echo "CoreBench.PeekabooYar:0:*:$(printf '%s' 'PeekabooAV-STD-ANTIVIRUS-TEST-FILE' | od -An -tx1 | tr -d ' \n')" \
        >"$dir/db/core-bench.ndb"
    cat >"$dir/clamd.conf" <<CONF
LocalSocket $dir/clamd.sock
LocalSocketMode 666
FixStaleSocket yes
User amavis
Foreground yes
DatabaseDirectory $dir/db
TemporaryDirectory $dir/tmp
LogFile $dir/clamd.log
PidFile $dir/clamd.pid
Bytecode no
SelfCheck 0
CONF
    # clamd reads amavis' part files as amavis
    chown -R amavis:amavis "$dir"
    clamd -c "$dir/clamd.conf" >"$work/logs/clamd.txt" 2>&1 &
    local pid=$!
    pids+=("$pid")
    for _ in $(seq 1 120); do
        [ -S "$dir/clamd.sock" ] && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    die "clamd did not start; see $work/logs/clamd.txt and $dir/clamd.log"
}

start_noop_scanner() {
    local java socket=$work/amavis/noop.sock
    # shellcheck source=scripts/jdk.sh
    . "$here/scripts/jdk.sh"
    peekaboo_find_jdk jre || die "no JDK 21+ for the no-op scanner"
    java=$JAVA_HOME/bin/java
    [ -f "$here/peekaboo-server/target/test-classes/org/peekaboo/bench/NoOpLineProtocolScanner.class" ] \
        || die "the no-op scanner is not compiled; run scripts/build"
    "$java" -cp "$here/peekaboo-server/target/test-classes" org.peekaboo.bench.NoOpLineProtocolScanner \
        "$socket" >"$work/logs/noop.txt" 2>&1 &
    daemon_pid=$!
    pids+=("$daemon_pid")
    daemon_socket=$socket
    "${probe[@]}" wait "$daemon_socket" 60 "$daemon_pid" || die "the no-op scanner did not start; see $work/logs/noop.txt"
}

# All scanners and their amavisd instances run at once and every mail goes to each amavis
# in turn, so that the load of a shared machine falls on all of them alike.
part_amavis() {
    need_amavis || return 0
    rm -rf "$work/amavis"
    mkdir -p "$work/amavis/etc"
    chmod 0755 "$work/amavis" "$work/amavis/etc"
    local conf=$here/peekaboo-amavis-plugin/src/main/amavis/conf.d
    # the current checkout's plugin and policy for every Peekaboo-speaking scanner
    install -m 0644 "$conf/50-peekaboo" "$conf/55-peekaboo-policy" "$work/amavis/etc/"
    local names=(ref cur noop) name side port n=0 ports=() home settings
    if command -v clamd >/dev/null; then names+=(clamd); fi

    for name in "${names[@]}"; do
        home=$(amavis_home "$name")
        port=$((amavis_port + n))
        n=$((n + 1))
        ports+=("$port")
        case $name in
            ref|cur)
                start_daemon "amavis-$name" "$name" "" "$home/tmp $work/samples" amavis
                settings=$(peekaboo_scanner_settings "$daemon_socket") ;;
            noop)
                start_noop_scanner
                settings=$(peekaboo_scanner_settings "$daemon_socket") ;;
            clamd)
                start_clamd
                settings=$(clamd_scanner_settings) ;;
        esac
        if [ "$name" != clamd ] && [ "$scanner_warmup" -gt 0 ]; then
            say "amavis, $name: warming the scanner up with $scanner_warmup files from peekaboo bench"
            bench "amavis-scanner-warmup-$name" --dir "$work/samples/amavis-warmup-$name" --files "$scanner_warmup" \
                --size "$size" --connections "$connections"
        fi
        start_amavis "$name" "$port" "$settings"
    done

    local port_list
    port_list=$(IFS=,; echo "${ports[*]}")
    say "amavis: $warmup warm-up mails, then $mails mails of $attachments new attachments, each to ${names[*]} in turn"
    perl "$here/scripts/amavis-bench.pl" --port "$port_list" --count "$warmup" --attachments "$attachments" \
        >"$work/logs/amavis-warmup.txt" 2>&1
    declare -A offset
    for name in "${names[@]}"; do offset[$name]=$(stat -c %s "$work/logs/amavis-$name.log"); done
    perl "$here/scripts/amavis-bench.pl" --port "$port_list" --count "$mails" --attachments "$attachments" \
        >"$work/logs/amavis-bench.txt" 2>&1
    cat "$work/logs/amavis-bench.txt" >&2
    stop_daemons

    n=0
    local scan line
    for name in "${names[@]}"; do
        port=${ports[$n]}
        n=$((n + 1))
        scan=$("${probe[@]}" median "$work/logs/amavis-$name.log" "${offset[$name]}") \
            || die "no TIMING lines for $name; see $work/logs/amavis-$name.log"
        value[amavis.scan:$name]=${scan%% *}
        line=$(grep "^port $port:" "$work/logs/amavis-bench.txt")
        value[amavis.smtp:$name]=$(sed -n 's/.*reply: median \([0-9.]*\) ms.*/\1/p' <<<"$line")
        value[amavis.ok:$name]=$(sed -n 's/.*replies: .*250 x\([0-9]*\).*/\1/p' <<<"$line")
        value[amavis.ok:$name]=${value[amavis.ok:$name]:-0}
    done

    local key
    for key in noop clamd; do
        if [ -n "${value[amavis.scan:$key]:-}" ]; then
            for side in ref cur; do
                value[amavis.vs$key:$side]=$(awk -v a="${value[amavis.scan:$side]}" -v b="${value[amavis.scan:$key]}" \
                    'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
            done
        fi
    done
    local clamd_note=""
    [[ " ${names[*]} " == *" clamd "* ]] || clamd_note=" (clamd: not installed; apt-get install clamav-daemon adds it)"
    rows+=("#through amavisd-new: $mails mails of $attachments new attachments each to every scanner in turn, medians$clamd_note"
           "AV-scan-1 ms (scanner's share of TIMING)|amavis.scan|lower"
           "SMTP round trip ms (end of DATA to reply)|amavis.smtp|lower"
           "mails answered 250 (of $mails)|amavis.ok|higher"
           "AV-scan-1 / no-op scanner's (target <= 2)|amavis.vsnoop|lower")
    if [ -n "${value[amavis.scan:clamd]:-}" ]; then
        rows+=("AV-scan-1 / clamd's|amavis.vsclamd|lower")
    fi
    references+=("no-op line protocol scanner: AV-scan-1 ${value[amavis.scan:noop]} ms, SMTP round trip ${value[amavis.smtp:noop]} ms, ${value[amavis.ok:noop]} of $mails answered 250")
    if [ -n "${value[amavis.scan:clamd]:-}" ]; then
        references+=("clamd (ClamAV $(clamd --version | sed 's/^ClamAV \([^/]*\).*/\1/'), tiny private database): AV-scan-1 ${value[amavis.scan:clamd]} ms, SMTP round trip ${value[amavis.smtp:clamd]} ms, ${value[amavis.ok:clamd]} of $mails answered 250")
    fi
}

# --- report ----------------------------------------------------------------------------

print_table() {
    local row label key better r c ratio
    printf '%-52s %11s %11s %8s  %s\n' "measure" "reference" "current" "ratio" "better"
    for row in "${rows[@]}"; do
        if [ "${row:0:1}" = "#" ]; then
            printf '\n%s\n' "${row:1}"
            continue
        fi
        IFS='|' read -r label key better <<<"$row"
        r=${value[$key:ref]:--}
        c=${value[$key:cur]:--}
        ratio=$(awk -v r="$r" -v c="$c" 'BEGIN {
            if (r ~ /^[0-9.]+$/ && c ~ /^[0-9.]+$/ && r + 0 > 0) printf "%.2f", c / r; else print "-" }')
        printf '  %-50s %11s %11s %8s  %s\n' "$label" "$r" "$c" "$ratio" "$better"
    done
    if [ ${#references[@]} -gt 0 ]; then
        printf '\nreference scanners through the same amavis, same run:\n'
        printf '  %s\n' "${references[@]}"
    fi
}

want() { [[ " ${selected[*]} " == *" $1 "* ]]; }

# --- main ------------------------------------------------------------------------------

selected=()
for arg in "$@"; do
    case $arg in
        -h|--help) usage; exit 0 ;;
        h2|h2warm|mariadb|amavis|rss|first|burst) selected+=("$arg") ;;
        *) die "unknown part '$arg' (parts: ${all_parts[*]}; --help)" ;;
    esac
done
[ ${#selected[@]} -gt 0 ] || selected=("${all_parts[@]}")
command -v python3 >/dev/null || die "python3 is missing"
command -v git >/dev/null || die "git is missing"

rm -rf "$work"
mkdir -p "$work/logs" "$work/samples"
chmod 0755 "$work"
build_reference
build_current
ref_sha=$(git -C "$ref_dir" rev-parse --short HEAD)
cur_desc=$(git -C "$here" describe --always --dirty 2>/dev/null || echo unknown)
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

if want h2 || want rss; then part_h2; fi
if want h2warm; then part_h2warm; fi
if want mariadb; then part_mariadb; fi
if want amavis; then part_amavis; fi
if want first; then part_first; fi
if want burst; then part_burst; fi

{
    echo
    echo "core-bench: reference $ref_sha ($ref_dir) vs current $cur_desc ($here)"
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo);" \
        "load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg); $(($(date +%s) - started)) s;" \
        "parts: ${selected[*]}"
    echo "ratio = current / reference; \"better\" says whether higher or lower is better"
    print_table
} | tee "$work/report.txt"
