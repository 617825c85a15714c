# shellcheck shell=bash disable=SC2154 # the variables named below are the caller's
# Sourced by scripts/ansible-test and scripts/deb-test: messages and counted assertions on a
# Debian root. The caller sets test_name and root.
passed=0
failed=0
log() { printf '%s: %s\n' "$test_name" "$*"; }
die() { log "$*" >&2; exit 1; }
check() {
    # check DESCRIPTION COMMAND...: counts one assertion.
    local what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        log "FAILED: $what" >&2
    fi
}
in_root() { chroot "$root" "$@"; }
# owner:group mode of a path inside the root, by the names of the root's own users
perm() { [ "$(in_root stat -c "%U:%G %a" "$1")" = "$2" ] || { log "$1 is $(in_root stat -c "%U:%G %a" "$1"), not $2" >&2; return 1; }; }
has_line() { grep -qxF -- "$2" "$root$1" || { log "$1 lacks the line: $2" >&2; return 1; }; }
# The closing line the ITs look for; the exit code says whether every assertion held.
summary() {
    log "took $((SECONDS - started)) s in all"
    echo "$test_name: $passed passed, $failed failed"
    [ "$failed" = 0 ]
}
