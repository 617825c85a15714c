#!/bin/sh
# Runs amavisd in the foreground with the demo configuration (in the foreground amavis also
# logs to stderr, i.e. the container's output). The temp directory is a volume shared with Peekaboo, which may have
# created it first: it must belong to amavis, with the group-readable modes Peekaboo needs.
set -eu

: "${DEMO_SUBNET:?DEMO_SUBNET must name the demo network, e.g. 172.30.80.0/24}"
chown amavis:amavis /var/lib/amavis/tmp /var/log/amavis
chmod 0750 /var/lib/amavis/tmp
touch /var/log/amavis/amavis.log
chown amavis:amavis /var/log/amavis/amavis.log
exec /usr/sbin/amavisd -c /etc/amavis/compose/amavisd.conf foreground
