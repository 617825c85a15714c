#!/bin/sh
# Points the shipped antivirus.conf at Peekaboo's clamd front end and runs rspamd in the
# foreground.
#   PEEKABOO_CLAMD   host:port of Peekaboo's [clamd] listen (profile rspamd), e.g. peekaboo:3310
#   RSPAMD_WAIT      seconds to wait for that host name to resolve (default 60)
#   RSPAMD_ETC       configuration directory (default /etc/rspamd; tests use another)
#   RSPAMD_COMMAND   the daemon (default rspamd; tests use another)
set -eu

clamd=${PEEKABOO_CLAMD:?PEEKABOO_CLAMD must name the clamd listener of Peekaboo, e.g. peekaboo:3310}
wait_seconds=${RSPAMD_WAIT:-60}
etc=${RSPAMD_ETC:-/etc/rspamd}
command=${RSPAMD_COMMAND:-rspamd}
conf=$etc/local.d/antivirus.conf

sed -i "s/^\( *servers = \).*/\1\"$clamd\";/" "$conf"
# Without this line rspamd would ask whatever the shipped file names; refuse to start instead.
if ! grep -q "^ *servers = \"$clamd\";" "$conf"; then
    echo "rspamd-entrypoint: no servers line in $conf to point at $clamd" >&2
    exit 3
fi

# rspamd resolves the scanner's name once, at start, and drops a scanner whose name does not
# resolve, then delivers mail unscanned. Peekaboo's container has a name only while it runs:
# wait for it, and fail (Postfix then tempfails every mail) rather than start without it.
host=${clamd%:*}
waited=0
until getent hosts "$host" > /dev/null; do
    if [ "$waited" -ge "$wait_seconds" ]; then
        echo "rspamd-entrypoint: $host does not resolve after ${wait_seconds}s; not starting without the scanner" >&2
        exit 4
    fi
    sleep 1
    waited=$((waited + 1))
done
exec "$command" -f -u _rspamd -g _rspamd -c "$etc/rspamd.conf" "$@"
