#!/usr/bin/env bash
# The whole mail pipeline on one Debian host, without Docker: Postfix receives mail on
# port 25, hands it to amavis (10024) which asks Peekaboo about every part, and amavis
# reinjects clean mail into Postfix (10025), which delivers it to a Maildir.
# This is the topology of the compose demo, proved natively.
#
#   scripts/pipeline-demo.sh up       start Peekaboo, amavis and a private Postfix instance
#   scripts/pipeline-demo.sh send     send the demo mails with swaks and show their fate
#   scripts/pipeline-demo.sh status   show what was delivered, deferred and what Peekaboo logged
#   scripts/pipeline-demo.sh down     stop everything this script started
#   scripts/pipeline-demo.sh demo     up, send, status, down
#
# Everything lives in $DEMO_DIR (default /tmp/peekaboo-demo); the host's own Postfix and
# amavis configuration is not touched. Needs root (Postfix and amavis drop privileges).
# Settings: DEMO_DIR, DEMO_SMTP_PORT (25), DEMO_AMAVIS_PORT (10024), DEMO_REINJECT_PORT (10025),
# DEMO_SCANNER (peekaboo; "none" runs amavis without any virus scanner, the benchmark floor).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
demo=${DEMO_DIR:-/tmp/peekaboo-demo}
smtp_port=${DEMO_SMTP_PORT:-25}
amavis_port=${DEMO_AMAVIS_PORT:-10024}
reinject_port=${DEMO_REINJECT_PORT:-10025}
scanner=${DEMO_SCANNER:-peekaboo}
domain=demo.peekaboo.test
mailbox_uid=$(id -u nobody)
mailbox_gid=$(id -g nobody)
marker='X5O!P%@AP-/_(:)_/-X22x8cz2$PeekabooAV-STD-ANTIVIRUS-TEST-FILE!$H+H*'

say() { printf '\n== %s\n' "$*"; }
die() { echo "pipeline-demo: $*" >&2; exit 1; }

need_packages() {
    local missing=()
    [ -x /usr/sbin/amavisd ] || missing+=(amavisd-new)
    [ -x /usr/sbin/postfix ] || missing+=(postfix)
    command -v swaks >/dev/null || missing+=(swaks)
    command -v file >/dev/null || missing+=(file)
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

wait_for_port() {
    local port=$1 what=$2
    for _ in $(seq 1 120); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.5
    done
    die "$what did not start listening on port $port; see $demo/log"
}

write_peekaboo_config() {
    mkdir -p "$demo/peekaboo" "$demo/run"
    cat > "$demo/peekaboo/peekaboo.conf" <<CONF
[global]
data_dir: $demo/peekaboo/data

[server]
socket_file: $demo/run/peekaboo.sock
socket_mode: 0660
socket_group: amavis
allowed_dir.0: $demo/amavis/tmp
request_deadline: 60s
CONF
}

write_amavis_config() {
    mkdir -p "$demo/amavis/tmp" "$demo/amavis/db" "$demo/amavis/var"
    touch "$demo/log/amavis.log"
    chown amavis:amavis "$demo/log/amavis.log"
    chown -R amavis:amavis "$demo/amavis"
    chmod 0750 "$demo/amavis" "$demo/amavis/tmp"
    mkdir -p "$demo/etc/conf.d"
    cat > "$demo/etc/amavisd.conf" <<CONF
use strict;
\$myhostname = 'mx.$domain';
\$mydomain = '$domain';
\$daemon_user = 'amavis';
\$daemon_group = 'amavis';
\$MYHOME = '$demo/amavis';
\$TEMPBASE = '$demo/amavis/tmp';
\$db_home = '$demo/amavis/db';
\$pid_file = '$demo/amavis/var/amavisd.pid';
\$lock_file = '$demo/amavis/var/amavisd.lock';
\$path = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin:/usr/bin:/bin';
\$inet_socket_bind = '127.0.0.1';
\$inet_socket_port = $amavis_port;
@inet_acl = qw(127.0.0.1 [::1]);
\$forward_method = 'smtp:[127.0.0.1]:$reinject_port';
\$notify_method = \$forward_method;
\$max_servers = 2;
\$enable_db = 0;
\$do_syslog = 0;
\$LOGFILE = '$demo/log/amavis.log';
\$log_level = 2;
@local_domains_maps = (['.$domain']);
@bypass_spam_checks_maps = (1);
CONF
    if [ "$scanner" = none ]; then
        echo '@bypass_virus_checks_maps = (1);' >> "$demo/etc/amavisd.conf"
    else
        cat >> "$demo/etc/amavisd.conf" <<CONF
our \$peekaboo_socket = '$demo/run/peekaboo.sock';
include_config_files('$demo/etc/conf.d/50-peekaboo', '$demo/etc/conf.d/55-peekaboo-policy');
CONF
    fi
    echo '1;' >> "$demo/etc/amavisd.conf"
    # amavis refuses configuration that its own user could change.
    cp "$here/peekaboo-amavis-plugin/src/main/amavis/conf.d/50-peekaboo" \
       "$here/peekaboo-amavis-plugin/src/main/amavis/conf.d/55-peekaboo-policy" "$demo/etc/conf.d/"
    chown -R root:root "$demo/etc"
    chmod 0755 "$demo/etc" "$demo/etc/conf.d"
    chmod 0644 "$demo/etc/amavisd.conf" "$demo/etc/conf.d"/*
}

write_postfix_config() {
    local conf=$demo/postfix
    mkdir -p "$conf" "$demo/postfix-queue" "$demo/postfix-data" "$demo/mail"
    chown "$mailbox_uid:$mailbox_gid" "$demo/mail"
    chown postfix "$demo/postfix-data"
    cat > "$conf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $demo/postfix-queue
data_directory = $demo/postfix-data
myhostname = mx.$domain
mydomain = $domain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_banner = \$myhostname ESMTP Peekaboo demo
maillog_file = $demo/log/postfix.log
maillog_file_prefixes = $demo/log
virtual_mailbox_domains = $domain
virtual_mailbox_base = $demo/mail
virtual_mailbox_maps = inline:{ {alice@$domain=alice/} {bob@$domain=bob/} }
virtual_uid_maps = static:$mailbox_uid
virtual_gid_maps = static:$mailbox_gid
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
# Every mail goes through amavis; amavis reinjects on $reinject_port.
content_filter = smtp-amavis:[127.0.0.1]:$amavis_port
# Retry deferred (tempfailed) mail quickly, so the demo shows the stored verdict.
queue_run_delay = 30s
minimal_backoff_time = 30s
maximal_backoff_time = 60s
CONF
    cat > "$conf/master.cf" <<CONF
127.0.0.1:$smtp_port inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
smtp-amavis unix -      -       n       -       2       smtp
  -o smtp_data_done_timeout=1200
  -o smtp_send_xforward_command=yes
  -o disable_dns_lookups=yes
  -o max_use=20
127.0.0.1:$reinject_port inet n - n - - smtpd
  -o content_filter=
  -o local_recipient_maps=
  -o smtpd_restriction_classes=
  -o smtpd_client_restrictions=
  -o smtpd_helo_restrictions=
  -o smtpd_sender_restrictions=
  -o smtpd_recipient_restrictions=permit_mynetworks,reject
  -o mynetworks=127.0.0.0/8
  -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters
CONF
}

up() {
    [ "$(id -u)" = 0 ] || die "run as root (Postfix and amavis need it to drop privileges)"
    need_packages
    [ -f "$here/peekaboo-server/target/peekaboo.jar" ] || "$here/scripts/build"
    mkdir -p "$demo/log"
    write_peekaboo_config
    write_amavis_config
    write_postfix_config

    say "Starting Peekaboo"
    "$here/peekaboo" config check "$demo/peekaboo/peekaboo.conf"
    nohup "$here/peekaboo" serve --config "$demo/peekaboo/peekaboo.conf" > "$demo/log/peekaboo.log" 2>&1 &
    echo $! > "$demo/run/peekaboo.pid"
    for _ in $(seq 1 120); do
        grep -q ' ready' "$demo/log/peekaboo.log" 2>/dev/null && break
        sleep 0.5
    done
    grep ' ready' "$demo/log/peekaboo.log" || die "Peekaboo did not start; see $demo/log/peekaboo.log"

    say "Starting amavis on 127.0.0.1:$amavis_port"
    /usr/sbin/amavisd -c "$demo/etc/amavisd.conf" start
    wait_for_port "$amavis_port" amavis

    say "Starting Postfix on 127.0.0.1:$smtp_port (reinjection on $reinject_port)"
    script -qec "postfix -c '$demo/postfix' check" /dev/null
    postfix -c "$demo/postfix" start
    wait_for_port "$smtp_port" Postfix
    say "Pipeline up. Logs in $demo/log, mailboxes in $demo/mail."
}

send_mail() {
    local subject=$1; shift
    printf '%-34s ' "$subject:"
    local out
    # Bounces go to bob, so rejected mail shows up as a notice in his Maildir.
    out=$(swaks --server 127.0.0.1 --port "$smtp_port" --from "bob@$domain" \
        --to "alice@$domain" --header "Subject: $subject" "$@" 2>&1) || true
    echo "$out" | grep -E '^<[-~*]+ +[245][0-9][0-9] ' | tail -n 2 | head -n 1 | sed 's/^<[-~*]* *//'
}

send() {
    local tmp=$demo/outgoing
    mkdir -p "$tmp"
    printf 'Minutes of the meeting.\n' > "$tmp/minutes.txt"
    printf 'This file carries the test marker: %s\n' "$marker" > "$tmp/eicar-like.txt"
    (cd "$tmp" && rm -f marker.zip && python3 -c 'import sys,zipfile; z=zipfile.ZipFile("marker.zip","w"); z.write("eicar-like.txt"); z.close()')
    say "Sending demo mails to 127.0.0.1:$smtp_port"
    send_mail "clean text attachment" --attach "$tmp/minutes.txt"
    send_mail "PeekabooYar marker attachment" --attach "$tmp/eicar-like.txt"
    send_mail "marker inside a zip" --attach-type application/zip --attach "$tmp/marker.zip"
    send_mail "Grüße – non-ASCII subject" --attach "$tmp/minutes.txt" --attach-name "Überblick März.txt"
    echo "(Postfix accepts every mail first; amavis decides while Postfix hands it on.)"
    sleep 5
}

status() {
    say "Delivered (Maildirs: alice gets the mail, bob the bounces of rejected mail)"
    find "$demo/mail" -type f -path '*/new/*' -print0 2>/dev/null | while IFS= read -r -d '' mail; do
        printf '  %-6s %s  %s\n' "$(basename "$(dirname "$(dirname "$mail")")")" \
            "$(grep -m1 '^Subject:' "$mail")" "$(grep -m1 -i '^X-Virus-Scanned:' "$mail" || true)"
    done
    say "Postfix queue (deferred = tempfailed by amavis, will be retried)"
    postqueue -c "$demo/postfix" -p || true
    say "Bounced or rejected (from the Postfix log)"
    grep -E 'status=(bounced|deferred)' "$demo/log/postfix.log" | sed 's/^.*status=/  status=/' | tail -n 10 || true
    say "amavis decisions"
    grep -E 'Passed|Blocked' "$demo/log/amavis.log" | sed 's/^.*) //' | tail -n 10 || true
    say "Peekaboo decisions"
    grep -E 'o.p.a.AnalysisEngine - Sample' "$demo/log/peekaboo.log" | sed 's/^.*Sample [0-9a-f]* //' | tail -n 10 || true
}

stop_pidfile() {
    local file=$1
    if [ -f "$file" ]; then
        local pid
        pid=$(cat "$file")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        rm -f "$file"
    fi
}

down() {
    postfix -c "$demo/postfix" stop 2>/dev/null || true
    [ -f "$demo/etc/amavisd.conf" ] && /usr/sbin/amavisd -c "$demo/etc/amavisd.conf" stop 2>/dev/null || true
    stop_pidfile "$demo/amavis/var/amavisd.pid"
    stop_pidfile "$demo/run/peekaboo.pid"
    say "Pipeline down (files kept in $demo)"
}

case "${1:-}" in
    up) up ;;
    send) send ;;
    status) status ;;
    down) down ;;
    demo) up; send; status; down ;;
    *) sed -n '2,18p' "$0"; exit 2 ;;
esac
