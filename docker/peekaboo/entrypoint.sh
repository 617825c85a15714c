#!/bin/sh
# Writes the container's settings from environment variables into a drop-in and, if Cortex
# is configured, into an analyzers.conf, checks the whole configuration, then runs peekaboo
# with the given arguments (default: serve). Unset variables leave the defaults of
# /etc/peekaboo/peekaboo.conf; mounted drop-ins (NN-name.conf, NN above 05) override these.
#
#   PEEKABOO_LISTEN            TCP listener, host:port (e.g. 0.0.0.0:8100; amavis in another container)
#   PEEKABOO_ALLOWED_CLIENTS   space-separated addresses or networks that may use a TCP listener
#                              beyond loopback (e.g. 172.30.80.0/24); setting it consents to one
#   PEEKABOO_SOCKET            Unix socket (default /run/peekaboo/peekaboo.sock)
#   PEEKABOO_ALLOWED_DIRS      colon-separated directories clients may name (replaces the list)
#   PEEKABOO_WORKER_COUNT      samples judged in parallel
#   PEEKABOO_LOG_LEVEL         ERROR, WARNING, INFO, DEBUG
#   PEEKABOO_DB_URL            JDBC URL of MariaDB (default: embedded H2 in /var/lib/peekaboo)
#   PEEKABOO_DB_USER           database user
#   PEEKABOO_DB_PASSWORD       read by peekaboo itself, never written to a file
#   PEEKABOO_CORTEX_URL        Cortex base URL; enables [analyzers]
#   PEEKABOO_CORTEX_API_TOKEN_FILE  file with the API key (or PEEKABOO_CORTEX_API_TOKEN, read by peekaboo)
#   PEEKABOO_ETC               configuration directory (default /etc/peekaboo; tests use another)
#   PEEKABOO_COMMAND           the launcher (default peekaboo)
set -eu

etc=${PEEKABOO_ETC:-/etc/peekaboo}
launcher=${PEEKABOO_COMMAND:-peekaboo}
dropin=$etc/peekaboo.conf.d/05-environment.conf
analyzers=$etc/generated/analyzers.conf

if ! { : > "$dropin"; } 2>/dev/null; then
    echo "peekaboo-entrypoint: cannot write $dropin; mount drop-ins as single files" \
         "(…/peekaboo.conf.d/50-site.conf), not the whole directory" >&2
    exit 3
fi

# A value is written only when its variable is set and not empty.
setting() {
    if [ -n "$2" ]; then
        printf '%s: %s\n' "$1" "$2"
    fi
}

{
    echo "# Written by peekaboo-entrypoint from the environment at every start; do not edit."
    echo "[global]"
    setting worker_count "${PEEKABOO_WORKER_COUNT:-}"
    echo "[server]"
    setting socket_file "${PEEKABOO_SOCKET:-}"
    setting listen "${PEEKABOO_LISTEN:-}"
    if [ -n "${PEEKABOO_ALLOWED_CLIENTS:-}" ]; then
        echo "listen_beyond_loopback: yes"
        n=0
        for client in $PEEKABOO_ALLOWED_CLIENTS; do
            printf 'allowed_client.%d: %s\n' "$n" "$client"
            n=$((n + 1))
        done
    fi
    if [ -n "${PEEKABOO_ALLOWED_DIRS:-}" ]; then
        echo "allowed_dir.-: -"
        n=0
        old_ifs=$IFS
        IFS=:
        for dir in $PEEKABOO_ALLOWED_DIRS; do
            [ -n "$dir" ] && printf 'allowed_dir.%d: %s\n' "$n" "$dir"
            n=$((n + 1))
        done
        IFS=$old_ifs
    fi
    echo "[db]"
    setting url "${PEEKABOO_DB_URL:-}"
    setting user "${PEEKABOO_DB_USER:-}"
    echo "[logging]"
    setting log_level "${PEEKABOO_LOG_LEVEL:-}"
    if [ -n "${PEEKABOO_CORTEX_URL:-}" ]; then
        echo "[analyzers]"
        echo "config: $analyzers"
    fi
} > "$dropin"

if [ -n "${PEEKABOO_CORTEX_URL:-}" ]; then
    {
        echo "# Written by peekaboo-entrypoint from the environment at every start; do not edit."
        echo "[cortex]"
        echo "url: $PEEKABOO_CORTEX_URL"
        setting api_token_file "${PEEKABOO_CORTEX_API_TOKEN_FILE:-}"
    } > "$analyzers"
fi

# A broken setting stops the container here, with peekaboo's message naming file and line.
"$launcher" config check "$etc/peekaboo.conf" >&2
exec "$launcher" "$@"
