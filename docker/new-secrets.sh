#!/bin/sh
# Replaces the passwords in compose.env with fresh random ones (before the first
# "docker compose up": MariaDB and Cortex keep the password they were first set up with;
# after that, also drop their volumes: docker compose down -v).
set -eu
env_file=${1:-$(dirname "$0")/../compose.env}
db=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
cortex=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
sed -i \
    -e "s/^MARIADB_PASSWORD=.*/MARIADB_PASSWORD=$db/" \
    -e "s/^PEEKABOO_DB_PASSWORD=.*/PEEKABOO_DB_PASSWORD=$db/" \
    -e "s/^CORTEX_ADMIN_PASSWORD=.*/CORTEX_ADMIN_PASSWORD=$cortex/" \
    "$env_file"
echo "New passwords written to $env_file"
