#!/usr/bin/env bash
# The whole mail pipeline on one Debian host, without Docker, in one of two topologies
# (DEMO_TOPOLOGY), both delivering to Maildirs:
#   amavis  Postfix receives mail on port 25, hands it to amavis (10024) which asks Peekaboo
#           about every part, and amavis reinjects clean mail into Postfix (10025). This is
#           the topology of compose.yaml, proved natively.
#   rspamd  a sending Postfix (port 25) relays to a receiving Postfix (2525) whose milter is
#           rspamd's proxy worker (11332, self_scan); rspamd's antivirus module asks Peekaboo's
#           clamd front end (3310, profile rspamd) with the shipped config/rspamd/local.d files.
#           Rejected mail bounces to the sender at the sending Postfix. The topology of
#           compose.rspamd.yaml.
#
#   scripts/pipeline-demo.sh up       start Peekaboo, the filter and the private Postfix instances
#   scripts/pipeline-demo.sh send     send the demo mails with swaks and show their fate
#   scripts/pipeline-demo.sh status   show what was delivered, deferred and what Peekaboo logged
#   scripts/pipeline-demo.sh down     stop everything this script started
#   scripts/pipeline-demo.sh demo     up, send, status, down
#
# Everything lives in $DEMO_DIR (default /tmp/peekaboo-demo); the host's own Postfix, amavis,
# rspamd and clamd configuration is not touched. Needs root (the daemons drop privileges).
# Settings: DEMO_DIR, DEMO_TOPOLOGY (amavis), DEMO_SMTP_PORT (25, where swaks sends),
#   amavis: DEMO_AMAVIS_PORT (10024), DEMO_REINJECT_PORT (10025),
#           DEMO_SCANNER (peekaboo; "none" runs amavis without any virus scanner, the benchmark floor)
#   rspamd: DEMO_RX_PORT (2525), DEMO_RSPAMD_PORT (11332), DEMO_CLAMD_PORT (3310),
#           DEMO_SCANNER (peekaboo; "clamd" points rspamd at Debian's clamd instead, with a
#           one-signature database for the PeekabooYar marker: the benchmark's comparison)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
demo=${DEMO_DIR:-/tmp/peekaboo-demo}
smtp_port=${DEMO_SMTP_PORT:-25}
amavis_port=${DEMO_AMAVIS_PORT:-10024}
reinject_port=${DEMO_REINJECT_PORT:-10025}
scanner=${DEMO_SCANNER:-peekaboo}
topology=${DEMO_TOPOLOGY:-amavis}
rx_port=${DEMO_RX_PORT:-2525}
rspamd_port=${DEMO_RSPAMD_PORT:-11332}
clamd_port=${DEMO_CLAMD_PORT:-3310}
domain=demo.peekaboo.test
mailbox_uid=$(id -u nobody)
mailbox_gid=$(id -g nobody)
marker='X5O!P%@AP-/_(:)_/-X22x8cz2$PeekabooAV-STD-ANTIVIRUS-TEST-FILE!$H+H*'

say() { printf '\n== %s\n' "$*"; }
die() { echo "pipeline-demo: $*" >&2; exit 1; }

case "$topology/$scanner" in
    amavis/peekaboo | amavis/none | rspamd/peekaboo | rspamd/clamd) ;;
    *) die "DEMO_TOPOLOGY=$topology with DEMO_SCANNER=$scanner: choose amavis with peekaboo or none, rspamd with peekaboo or clamd" ;;
esac

need_packages() {
    local missing=()
    if [ "$topology" = amavis ]; then
        [ -x /usr/sbin/amavisd ] || missing+=(amavisd-new)
    else
        [ -x /usr/bin/rspamd ] || missing+=(rspamd)
        [ "$scanner" != clamd ] || [ -x /usr/sbin/clamd ] || missing+=(clamav-daemon)
    fi
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
    if [ "$topology" = amavis ]; then
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
    else
        # rspamd streams every attachment (INSTREAM), so no directory needs to be allowed.
        cat > "$demo/peekaboo/peekaboo.conf" <<CONF
[global]
data_dir: $demo/peekaboo/data

[server]
socket_file: $demo/run/peekaboo.sock

[clamd]
listen: 127.0.0.1:$clamd_port
profile: rspamd
CONF
    fi
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

# postfix_dirs NAME: an instance's configuration directory $demo/NAME, its queue and data.
postfix_dirs() {
    mkdir -p "$demo/$1" "$demo/$1-queue" "$demo/$1-data"
    chown postfix "$demo/$1-data"
}

# postfix_main NAME HOSTNAME: the main.cf lines every instance shares.
postfix_main() {
    local name=$1 hostname=$2
    cat <<CONF
compatibility_level = 3.6
queue_directory = $demo/$name-queue
data_directory = $demo/$name-data
myhostname = $hostname
mydomain = $domain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_banner = \$myhostname ESMTP Peekaboo demo
maillog_file = $demo/log/$name.log
maillog_file_prefixes = $demo/log
CONF
}

# The receiving instance, $demo/postfix, delivers to the Maildirs in both topologies: its
# directories, then (on stdout) the main.cf lines the topologies share.
postfix_receiver() {
    postfix_dirs postfix
    mkdir -p "$demo/mail"
    chown "$mailbox_uid:$mailbox_gid" "$demo/mail"
}

postfix_receiver_main() {
    postfix_main postfix "mx.$domain"
    cat <<CONF
virtual_mailbox_domains = $domain
virtual_mailbox_base = $demo/mail
virtual_mailbox_maps = inline:{ {alice@$domain=alice/} {bob@$domain=bob/} }
virtual_uid_maps = static:$mailbox_uid
virtual_gid_maps = static:$mailbox_gid
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
CONF
}

# Debian's master.cf services, without chroot, which every instance needs.
postfix_services() {
    cat <<'CONF'
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
CONF
}

write_postfix_config() {
    local conf=$demo/postfix
    postfix_receiver
    {
        postfix_receiver_main
        cat <<CONF
# Every mail goes through amavis; amavis reinjects on $reinject_port.
content_filter = smtp-amavis:[127.0.0.1]:$amavis_port
# Retry deferred (tempfailed) mail quickly, so the demo shows the stored verdict.
queue_run_delay = 30s
minimal_backoff_time = 30s
maximal_backoff_time = 60s
CONF
    } > "$conf/main.cf"
    {
        echo "127.0.0.1:$smtp_port inet n - n - - smtpd"
        postfix_services
        cat <<CONF
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
    } > "$conf/master.cf"
}

# rspamd topology: the sending instance relays everything to the receiving one and, like a
# real sender, retries what was tempfailed and bounces what was rejected.
write_postfix_tx_config() {
    local conf=$demo/postfix-tx
    postfix_dirs postfix-tx
    {
        postfix_main postfix-tx "tx.$domain"
        cat <<CONF
relayhost = [127.0.0.1]:$rx_port
smtpd_recipient_restrictions = permit_mynetworks, reject
# Retry tempfailed (451) mail quickly, so the demo shows the stored verdict answering it.
queue_run_delay = 20s
minimal_backoff_time = 20s
maximal_backoff_time = 60s
# A bounce carries only the headers of the rejected mail, not its attachment back through
# the filter.
bounce_size_limit = 1
CONF
    } > "$conf/main.cf"
    {
        echo "127.0.0.1:$smtp_port inet n - n - - smtpd"
        postfix_services
    } > "$conf/master.cf"
}

# rspamd topology: the receiving instance asks rspamd inside the SMTP dialogue, so its
# verdict is the reply the sending instance hears; no answer from rspamd is a tempfail.
write_postfix_rx_config() {
    local conf=$demo/postfix
    postfix_receiver
    {
        postfix_receiver_main
        cat <<CONF
smtpd_milters = inet:127.0.0.1:$rspamd_port
milter_protocol = 6
milter_default_action = tempfail
milter_mail_macros = i {mail_addr} {client_addr} {client_name} {auth_authen}
CONF
    } > "$conf/main.cf"
    {
        echo "127.0.0.1:$rx_port inet n - n - - smtpd"
        postfix_services
    } > "$conf/master.cf"
}

# rspamd 3.4 with Debian's stock rspamd.conf: only the directories it names are private,
# through --var. local.d holds the shipped antivirus.conf, force_actions.conf and options.inc
# with the scanner's address; override.d moves the workers to private ports.
write_rspamd_config() {
    local r=$demo/rspamd
    mkdir -p "$r/etc/local.d" "$r/etc/override.d" "$r/run" "$r/db"
    cp "$here/config/rspamd/local.d/antivirus.conf" "$here/config/rspamd/local.d/force_actions.conf" \
       "$here/config/rspamd/local.d/options.inc" "$r/etc/local.d/"
    sed -i "s/^\( *servers = \).*/\1\"127.0.0.1:$clamd_port\";/" "$r/etc/local.d/antivirus.conf"
    grep -q "servers = \"127.0.0.1:$clamd_port\";" "$r/etc/local.d/antivirus.conf" \
        || die "config/rspamd/local.d/antivirus.conf has no servers line to point at port $clamd_port"
    cat > "$r/etc/override.d/worker-proxy.inc" <<CONF
# The milter Postfix talks to; it scans itself (no normal worker behind it).
bind_socket = "127.0.0.1:$rspamd_port";
milter = yes;
timeout = 120s;
upstream "local" {
  default = yes;
  self_scan = yes;
}
count = 1;
CONF
    # self_scan makes the normal worker idle, and nothing here uses the web controller.
    printf 'enabled = false;\n' > "$r/etc/override.d/worker-normal.inc"
    printf 'enabled = false;\n' > "$r/etc/override.d/worker-controller.inc"
    # The demo's name server (start_dns): every lookup fails at once, as rspamd's DNS lists,
    # SPF and DKIM checks would otherwise wait for an internet the demo does not need.
    cat > "$r/etc/override.d/options.inc" <<CONF
dns {
  nameserver = ["127.0.0.1:$(cat "$demo/run/dns.port")"];
  timeout = 1s;
  retransmits = 1;
}
CONF
    touch "$demo/log/rspamd.log"
    chown _rspamd:_rspamd "$r/run" "$r/db" "$demo/log/rspamd.log"
}

# Debian's clamd on a private port with one signature, the PeekabooYar marker; freshclam never runs.
write_clamd_config() {
    local c=$demo/clamd
    mkdir -p "$c/db" "$c/tmp"
    printf 'Demo.PeekabooYar:0:*:%s\n' "$(printf '%s' "$marker" | od -An -v -tx1 | tr -d ' \n')" > "$c/db/peekaboo.ndb"
    cat > "$c/clamd.conf" <<CONF
TCPSocket $clamd_port
TCPAddr 127.0.0.1
DatabaseDirectory $c/db
TemporaryDirectory $c/tmp
LogFile $demo/log/clamd.log
User clamav
Foreground yes
CONF
    touch "$demo/log/clamd.log"
    chown -R clamav "$c/tmp" "$demo/log/clamd.log"
}

start_peekaboo() {
    say "Starting Peekaboo"
    "$here/peekaboo" config check "$demo/peekaboo/peekaboo.conf"
    nohup "$here/peekaboo" serve --config "$demo/peekaboo/peekaboo.conf" > "$demo/log/peekaboo.log" 2>&1 &
    echo $! > "$demo/run/peekaboo.pid"
    for _ in $(seq 1 120); do
        grep -q ' ready' "$demo/log/peekaboo.log" 2>/dev/null && break
        sleep 0.5
    done
    grep ' ready' "$demo/log/peekaboo.log" || die "Peekaboo did not start; see $demo/log/peekaboo.log"
}

# start_postfix NAME PORT WHAT
start_postfix() {
    say "Starting $3 on 127.0.0.1:$2"
    script -qec "postfix -c '$demo/$1' check" /dev/null
    postfix -c "$demo/$1" start
    wait_for_port "$2" "$3"
}

up_amavis() {
    write_peekaboo_config
    write_amavis_config
    write_postfix_config
    start_peekaboo

    say "Starting amavis on 127.0.0.1:$amavis_port"
    /usr/sbin/amavisd -c "$demo/etc/amavisd.conf" start
    wait_for_port "$amavis_port" amavis

    start_postfix postfix "$smtp_port" "Postfix (reinjection on $reinject_port)"
}

# A name server on a free loopback port that answers every query "no such domain" (NXDOMAIN)
# at once: the demo runs without internet, and a lookup that fails quickly is the offline
# internet's true answer where one that times out would only slow every mail down.
start_dns() {
    rm -f "$demo/run/dns.port"
    nohup python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
with open(sys.argv[1] + ".new", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".new", sys.argv[1])
while True:
    query, peer = s.recvfrom(4096)
    if len(query) < 17:
        continue
    end = 12
    while end < len(query) and query[end] != 0:
        end += query[end] + 1
    # Same id, opcode and RD; QR and RA set, rcode 3; the question, no records.
    flags = bytes([0x80 | (query[2] & 0x79), 0x83])
    s.sendto(query[:2] + flags + query[4:6] + bytes(6) + query[12:end + 5], peer)
' "$demo/run/dns.port" > "$demo/log/dns.log" 2>&1 &
    echo $! > "$demo/run/dns.pid"
    for _ in $(seq 1 40); do
        [ -s "$demo/run/dns.port" ] && return 0
        sleep 0.25
    done
    die "the demo name server did not start; see $demo/log/dns.log"
}

up_rspamd() {
    mkdir -p "$demo/run"
    start_dns
    write_rspamd_config
    write_postfix_rx_config
    write_postfix_tx_config
    if [ "$scanner" = clamd ]; then
        write_clamd_config
        say "Starting clamd on 127.0.0.1:$clamd_port"
        nohup /usr/sbin/clamd -c "$demo/clamd/clamd.conf" > "$demo/log/clamd.out" 2>&1 &
        echo $! > "$demo/run/clamd.pid"
        wait_for_port "$clamd_port" clamd
    else
        write_peekaboo_config
        start_peekaboo
        wait_for_port "$clamd_port" "Peekaboo's clamd front end"
    fi

    say "Starting rspamd (milter on 127.0.0.1:$rspamd_port)"
    # rspamadm takes --var only in this one-word form.
    local vars=("--var=LOCAL_CONFDIR=$demo/rspamd/etc" "--var=RUNDIR=$demo/rspamd/run"
        "--var=DBDIR=$demo/rspamd/db" "--var=LOGDIR=$demo/log")
    rspamadm "${vars[@]}" configtest -c /etc/rspamd/rspamd.conf > "$demo/log/rspamd-configtest.log" 2>&1 \
        || die "rspamd refuses its configuration; see $demo/log/rspamd-configtest.log"
    # Its own output to a file: the daemon would otherwise hold the caller's stdout open.
    rspamd -c /etc/rspamd/rspamd.conf -u _rspamd -g _rspamd "${vars[@]}" > "$demo/log/rspamd.out" 2>&1
    wait_for_port "$rspamd_port" rspamd

    start_postfix postfix "$rx_port" "the receiving Postfix"
    start_postfix postfix-tx "$smtp_port" "the sending Postfix"
}

up() {
    [ "$(id -u)" = 0 ] || die "run as root (Postfix, amavis and rspamd need it to drop privileges)"
    need_packages
    [ -f "$here/peekaboo-server/target/peekaboo.jar" ] || "$here/scripts/build"
    mkdir -p "$demo/log"
    echo "$topology" > "$demo/topology"
    "up_$topology"
    say "Pipeline up ($topology, scanner $scanner). Logs in $demo/log, mailboxes in $demo/mail."
}

send_mail() {
    local subject=$1; shift
    printf '%-34s ' "$subject:"
    local out
    # Bounces go to bob, so rejected mail shows up as a notice in his Maildir.
    out=$(swaks --server 127.0.0.1 --port "$smtp_port" --from "bob@$domain" \
        --to "alice@$domain" --header "Subject: $subject" "$@" 2>&1) || true
    echo "$out" | grep -E '^<[-~*]+ +[245][0-9][0-9] ' | tail -n 2 | head -n 1 | sed 's/^<[-~*]* *//'
    local id
    id=$(echo "$out" | sed -n 's/^<- *250 .*queued as \([0-9A-Za-z]*\).*/\1/p' | tail -n 1)
    [ -z "$id" ] || printf '%s\t%s\n' "$id" "$subject" >> "$demo/outgoing/queued"
}

# fate ID: the last word the sending Postfix logged about the mail; success once it is final.
fate() {
    local last
    last=$(grep -E "$1: to=<alice@" "$demo/log/postfix-tx.log" 2>/dev/null | tail -n 1 | sed 's/.*status=//')
    case $last in
        sent*) echo "delivered ${last#sent }" ;;
        bounced*) echo "rejected ${last#bounced }, bounced to bob" ;;
        deferred*) echo "deferred, will be retried: ${last#deferred }"; return 1 ;;
        '') echo "not yet handed on"; return 1 ;;
        *) echo "$last"; return 1 ;;
    esac
}

# rspamd topology: follows the mails at the sending Postfix until each is delivered or
# rejected (a tempfailed one is retried within a minute), at most DEMO_WAIT seconds (120).
follow() {
    local deadline=$(( $(date +%s) + ${DEMO_WAIT:-120} )) pending id subject
    echo "(The sending Postfix accepts every mail; the receiving one asks rspamd while it is handed on.)"
    while :; do
        pending=0
        while IFS=$'\t' read -r id subject; do
            fate "$id" > /dev/null || pending=$((pending + 1))
        done < "$demo/outgoing/queued"
        [ "$pending" -eq 0 ] && break
        [ "$(date +%s)" -ge "$deadline" ] && break
        sleep 2
    done
    say "Fate of the demo mails"
    while IFS=$'\t' read -r id subject; do
        printf '%-34s %s\n' "$subject:" "$(fate "$id" || true)"
    done < "$demo/outgoing/queued"
}

send() {
    local tmp=$demo/outgoing
    mkdir -p "$tmp"
    : > "$tmp/queued"
    printf 'Minutes of the meeting.\n' > "$tmp/minutes.txt"
    printf 'This file carries the test marker: %s\n' "$marker" > "$tmp/eicar-like.txt"
    (cd "$tmp" && rm -f marker.zip && python3 -c 'import sys,zipfile; z=zipfile.ZipFile("marker.zip","w"); z.write("eicar-like.txt"); z.close()')
    say "Sending demo mails to 127.0.0.1:$smtp_port"
    send_mail "clean text attachment" --attach "$tmp/minutes.txt"
    send_mail "PeekabooYar marker attachment" --attach "$tmp/eicar-like.txt"
    send_mail "marker inside a zip" --attach-type application/zip --attach "$tmp/marker.zip"
    send_mail "Grüße – non-ASCII subject" --attach "$tmp/minutes.txt" --attach-name "Überblick März.txt"
    if [ "$topology" = rspamd ]; then
        follow
    else
        echo "(Postfix accepts every mail first; amavis decides while Postfix hands it on.)"
        sleep 5
    fi
}

status() {
    say "Delivered (Maildirs: alice gets the mail, bob the bounces of rejected mail)"
    find "$demo/mail" -type f -path '*/new/*' -print0 2>/dev/null | while IFS= read -r -d '' mail; do
        printf '  %-6s %s  %s\n' "$(basename "$(dirname "$(dirname "$mail")")")" \
            "$(grep -m1 '^Subject:' "$mail")" "$(grep -m1 -i '^X-Virus-Scanned:' "$mail" || true)"
    done
    if [ "$topology" = rspamd ]; then
        say "Sending Postfix queue (deferred = tempfailed by rspamd, will be retried)"
        postqueue -c "$demo/postfix-tx" -p || true
        say "Bounced or deferred (from the sending Postfix' log)"
        grep -E 'status=(bounced|deferred)' "$demo/log/postfix-tx.log" | sed 's/^.*status=/  status=/' | tail -n 10 || true
        say "rspamd decisions"
        grep -E 'rspamd_task_write_log' "$demo/log/rspamd.log" | tail -n 10 | while IFS= read -r line; do
            printf '  %s %s\n' "$(echo "$line" | sed -E 's/^.*qid: <([^>]*)>.*\(default: [TF] \(([^)]*)\).*$/\1: \2/')" \
                "$(echo "$line" | grep -oE 'PEEKABOO[A-Z_]*\([^)]*\)\{[^}]*\}' | tr '\n' ' ')"
        done
    else
        say "Postfix queue (deferred = tempfailed by amavis, will be retried)"
        postqueue -c "$demo/postfix" -p || true
        say "Bounced or rejected (from the Postfix log)"
        grep -E 'status=(bounced|deferred)' "$demo/log/postfix.log" | sed 's/^.*status=/  status=/' | tail -n 10 || true
        say "amavis decisions"
        grep -E 'Passed|Blocked' "$demo/log/amavis.log" | sed 's/^.*) //' | tail -n 10 || true
    fi
    say "Peekaboo decisions"
    grep -E ' - Sample sha256=[0-9a-f]{64} ' "$demo/log/peekaboo.log" 2>/dev/null | sed 's/^.* - Sample sha256=[0-9a-f]* size=[0-9]* //' | tail -n 10 || true
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

# Stops whatever either topology started, so it needs no setting.
down() {
    [ -f "$demo/postfix-tx/main.cf" ] && postfix -c "$demo/postfix-tx" stop 2>/dev/null || true
    [ -f "$demo/postfix/main.cf" ] && postfix -c "$demo/postfix" stop 2>/dev/null || true
    [ -f "$demo/etc/amavisd.conf" ] && /usr/sbin/amavisd -c "$demo/etc/amavisd.conf" stop 2>/dev/null || true
    stop_pidfile "$demo/amavis/var/amavisd.pid"
    stop_pidfile "$demo/rspamd/run/rspamd.pid"
    stop_pidfile "$demo/run/dns.pid"
    stop_pidfile "$demo/run/clamd.pid"
    stop_pidfile "$demo/run/peekaboo.pid"
    say "Pipeline down (files kept in $demo)"
}

# After up, the other steps follow the topology it started.
if [ "${1:-}" != up ] && [ "${1:-}" != demo ] && [ -z "${DEMO_TOPOLOGY:-}" ] && [ -f "$demo/topology" ]; then
    topology=$(cat "$demo/topology")
fi

case "${1:-}" in
    up) up ;;
    send) send ;;
    status) status ;;
    down) down ;;
    demo) up; send; status; down ;;
    *) sed -n '2,26p' "$0"; exit 2 ;;
esac
