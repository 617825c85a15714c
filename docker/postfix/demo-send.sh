#!/bin/sh
# Sends the demo mails to the sending Postfix and follows each until its fate is known:
# delivered to alice's Maildir, rejected (bounced by the sending server) or, while Peekaboo
# has not decided yet, deferred and retried. Exits 0 when the clean mail was delivered and
# the marker and macro mails rejected. Run as:  docker compose run --rm demo-send
#   DEMO_SMTP      the sending server (default postfix-tx:25)
#   DEMO_WAIT      seconds to follow the mails (default 180; a retry comes within a minute)
set -eu

server=${DEMO_SMTP:-postfix-tx:25}
wait_seconds=${DEMO_WAIT:-180}
txlog=/var/log/postfix-tx/postfix.log
maildir=/var/mail/vhosts/alice
files=/usr/share/peekaboo-demo
domain=demo.peekaboo.test
run=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# PeekabooYar, Peekaboo's EICAR: harmless, and bad for the built-in ruleset in any file.
# shellcheck disable=SC2016 # its dollar signs are literal
printf 'This file carries the test marker: %s\n' \
    'X5O!P%@AP-/_(:)_/-X22x8cz2$PeekabooAV-STD-ANTIVIRUS-TEST-FILE!$H+H*' > "$work/marker.txt"
printf 'Minutes of the meeting.\n' > "$work/minutes.txt"

# send NAME SWAKS-ARGS...: prints the queue id the sending server gave the mail.
send() {
    name=$1
    shift
    swaks --server "$server" --from "bob@$domain" --to "alice@$domain" \
        --header "Subject: Peekaboo demo $run: $name" "$@" > "$work/$name.swaks" 2>&1 || true
    sed -n 's/^<- *250 .*queued as \([0-9A-Za-z]*\).*/\1/p' "$work/$name.swaks" | tail -n 1
}

echo "Sending the demo mails to $server (run $run) ..."
for name in clean marker macro; do
    case $name in
        clean) id=$(send clean --attach "$work/minutes.txt") ;;
        marker) id=$(send marker --attach "$work/marker.txt") ;;
        macro) id=$(send macro --attach-type application/msword --attach "$files/invoice.doc") ;;
    esac
    if [ -z "$id" ]; then
        echo "  $name: the sending server did not accept it:" >&2
        cat "$work/$name.swaks" >&2
        exit 1
    fi
    echo "$id" > "$work/$name.id"
    echo "  $name: queued as $id"
done

# fate NAME: one line, and success when it is final (delivered or rejected).
fate() {
    id=$(cat "$work/$1.id")
    last=$(grep -E "$id: to=<alice@" "$txlog" 2>/dev/null | tail -n 1 | sed 's/.*status=//')
    case $last in
        sent*)
            if grep -rqs "^Subject: Peekaboo demo $run: $1\$" "$maildir/new" "$maildir/cur"; then
                echo "delivered to alice (${last#sent })"
            else
                echo "sent, not yet in alice's Maildir"
                return 1
            fi ;;
        bounced*) echo "rejected: ${last#bounced }" ;;
        deferred*) echo "deferred, will be retried: ${last#deferred }"; return 1 ;;
        '') echo "not yet handed on"; return 1 ;;
        *) echo "$last"; return 1 ;;
    esac
}

echo "Following them for up to ${wait_seconds}s (tempfailed mail is retried within a minute) ..."
deadline=$(( $(date +%s) + wait_seconds ))
while :; do
    pending=0
    for name in clean marker macro; do
        fate "$name" > /dev/null || pending=$((pending + 1))
    done
    [ "$pending" -eq 0 ] && break
    [ "$(date +%s)" -ge "$deadline" ] && break
    sleep 5
done

echo
# The exit code says whether each mail met the fate the demo expects.
status=0
for expected in clean:delivered marker:rejected macro:rejected; do
    name=${expected%%:*}
    line=$(fate "$name" || true)
    printf '%-7s %s\n' "$name:" "$line"
    case $line in
        "${expected#*:}"*) ;;
        *) echo "        expected: ${expected#*:}" >&2; status=1 ;;
    esac
done
exit "$status"
