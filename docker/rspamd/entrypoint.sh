#!/bin/sh
# Points the shipped antivirus.conf at Peekaboo's clamd front end and runs rspamd in the
# foreground.
#   PEEKABOO_CLAMD   host:port of Peekaboo's [clamd] listen (profile rspamd), e.g. peekaboo:3310
set -eu

clamd=${PEEKABOO_CLAMD:?PEEKABOO_CLAMD must name the clamd listener of Peekaboo, e.g. peekaboo:3310}
conf=/etc/rspamd/local.d/antivirus.conf
sed -i "s/^\( *servers = \).*/\1\"$clamd\";/" "$conf"
# Without this line rspamd would ask whatever the shipped file names; refuse to start instead.
grep -q "^ *servers = \"$clamd\";" "$conf" || {
    echo "rspamd-entrypoint: no servers line in $conf to point at $clamd" >&2
    exit 3
}
exec rspamd -f -u _rspamd -g _rspamd -c /etc/rspamd/rspamd.conf "$@"
