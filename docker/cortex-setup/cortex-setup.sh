#!/bin/sh
# Sets up Cortex for Peekaboo through its REST API, once: a superadmin, an organisation, an
# org admin that enables the analyzers, and a user with the roles read and analyze whose API
# key is written to a file Peekaboo reads. Every step first asks whether it is done already,
# so later starts change nothing (and a lost key file is read back, not replaced).
#   CORTEX_URL             default http://cortex:9001
#   CORTEX_ADMIN_PASSWORD  password of the superadmin "admin" (required)
#   CORTEX_ORGANIZATION    default peekaboo
#   CORTEX_ANALYZERS       space-separated analyzer definition ids, default FileInfo_8_0
#   CORTEX_TOKEN_FILE      default /var/lib/peekaboo-cortex/api-token
set -eu

url=${CORTEX_URL:-http://cortex:9001}
password=${CORTEX_ADMIN_PASSWORD:?CORTEX_ADMIN_PASSWORD is required}
org=${CORTEX_ORGANIZATION:-peekaboo}
analyzers=${CORTEX_ANALYZERS:-FileInfo_8_0}
token_file=${CORTEX_TOKEN_FILE:-/var/lib/peekaboo-cortex/api-token}
org_admin=$org-admin
analyze_user=$org
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jar=$work/cookies

say() { echo "cortex-setup: $*"; }
die() { echo "cortex-setup: $*" >&2; exit 1; }

# call AUTH METHOD PATH [JSON]: the body lands in $work/body, the HTTP status is printed.
# AUTH is "none", "session" (the superadmin's login) or an API key. Play's CSRF filter wants
# the XSRF cookie echoed in a header on session POSTs; API-key requests carry no cookie.
call() {
    auth=$1 method=$2 path=$3 body=${4:-}
    set -- -sS -o "$work/body" -w '%{http_code}' -X "$method" -H 'Accept: application/json'
    case $auth in
        none) ;;
        session)
            set -- "$@" -b "$jar" -c "$jar"
            xsrf=$(awk '$6 == "CORTEX-XSRF-TOKEN" { print $7 }' "$jar" 2>/dev/null || true)
            [ -z "$xsrf" ] || set -- "$@" -H "X-CORTEX-XSRF-TOKEN: $xsrf" ;;
        *) set -- "$@" -H "Authorization: Bearer $auth" ;;
    esac
    if [ -n "$body" ]; then
        printf '%s' "$body" > "$work/request"
        set -- "$@" -H 'Content-Type: application/json' --data-binary "@$work/request"
    fi
    # on a connection failure curl prints 000 itself
    curl "$@" "$url$path" || true
}

expect() {
    status=$1 what=$2
    case $status in
        2??) ;;
        *) die "$what failed: HTTP $status $(head -c 500 "$work/body" 2>/dev/null)" ;;
    esac
}

say "waiting for $url"
tries=0
until [ "$(call none GET /api/status)" = 200 ]; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || die "Cortex does not answer /api/status at $url"
    sleep 5
done

# Done already? The saved key works and sees every analyzer.
if [ -s "$token_file" ]; then
    key=$(head -n 1 "$token_file")
    if [ "$(call "$key" GET '/api/analyzer?range=all')" = 200 ]; then
        missing=
        for name in $analyzers; do
            jq -e --arg n "$name" 'any(.[]; .name == $n)' "$work/body" > /dev/null || missing="$missing $name"
        done
        if [ -z "$missing" ]; then
            say "already set up: the key in $token_file works and sees $analyzers"
            exit 0
        fi
    fi
fi

# The superadmin: created through the "init" user while Cortex has no user yet.
login_body=$(jq -n --arg p "$password" '{user: "admin", password: $p}')
if [ "$(call session POST /api/login "$login_body")" != 200 ]; then
    say "first start: migrating the database and creating the superadmin"
    expect "$(call none POST /api/maintenance/migrate '{}')" "database migration"
    expect "$(call none POST /api/user "$(jq -n --arg p "$password" \
        '{login: "admin", name: "Cortex admin", roles: ["superadmin"], organization: "cortex", password: $p}')")" \
        "creating the superadmin"
    expect "$(call session POST /api/login "$login_body")" "logging in as admin"
fi
call session GET /api/user/current > /dev/null    # sets the XSRF cookie

if [ "$(call session GET "/api/organization/$org")" != 200 ]; then
    say "creating organisation $org"
    expect "$(call session POST /api/organization "$(jq -n --arg o "$org" \
        '{name: $o, description: "Peekaboo'"'"'s analyses", status: "Active"}')")" "creating organisation $org"
fi

# user LOGIN ROLES-JSON KEY-OR-session: creates the user if missing.
user() {
    if [ "$(call "$3" GET "/api/user/$1")" != 200 ]; then
        say "creating user $1"
        expect "$(call "$3" POST /api/user "$(jq -n --arg l "$1" --arg o "$org" --argjson r "$2" \
            '{login: $l, name: $l, roles: $r, organization: $o}')")" "creating user $1"
    fi
}

# key_of LOGIN AUTH: the user's API key, created only if it has none.
key_of() {
    if [ "$(call "$2" GET "/api/user/$1/key")" = 200 ] && [ -s "$work/body" ]; then
        cat "$work/body"
        return
    fi
    say "creating an API key for $1" >&2
    expect "$(call "$2" POST "/api/user/$1/key/renew")" "creating the key of $1"
    cat "$work/body"
}

user "$org_admin" '["read", "analyze", "orgadmin"]' session
admin_key=$(key_of "$org_admin" session)

expect "$(call "$admin_key" GET '/api/organization/analyzer?range=all')" "listing the enabled analyzers"
cp "$work/body" "$work/enabled"
for name in $analyzers; do
    if jq -e --arg n "$name" 'any(.[]; .name == $n)' "$work/enabled" > /dev/null; then
        continue
    fi
    expect "$(call "$admin_key" GET '/api/analyzerdefinition?range=all')" "listing the analyzer catalogue"
    # The definition's own defaults as configuration; Cortex refuses a missing required item.
    config=$(jq -e --arg n "$name" 'first(.[] | select(.id == $n))
        | [.configurationItems[]? | select(.defaultValue != null) | {(.name): .defaultValue}] | add // {}' "$work/body") \
        || die "analyzer $name is not in Cortex's catalogue (does Cortex reach its analyzer_urls?)"
    say "enabling analyzer $name"
    expect "$(call "$admin_key" POST "/api/organization/analyzer/$name" \
        "$(jq -n --arg n "$name" --argjson c "$config" '{name: $n, configuration: $c}')")" "enabling $name"
done

user "$analyze_user" '["read", "analyze"]' "$admin_key"
key=$(key_of "$analyze_user" "$admin_key")
umask 077
printf '%s\n' "$key" > "$token_file.new"
mv "$token_file.new" "$token_file"
say "done: user $analyze_user of organisation $org, key in $token_file"
