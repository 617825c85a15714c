#!/bin/sh
# Configures Postfix for its role in the compose demos and runs it in the foreground.
#   POSTFIX_ROLE   tx (sending server), rx (receiving server with amavis), send (demo-send)
#   DEMO_SUBNET    the demo network; its hosts may relay (tx) and reinject (rx)
#   POSTFIX_MILTER rx only: a milter instead of amavis, e.g. inet:rspamd:11332 (compose.rspamd.yaml)
# The log is a file (tx: on a volume demo-send reads to show each mail's fate) that is also
# copied to the container's output.
set -eu

role=${POSTFIX_ROLE:?POSTFIX_ROLE must be tx, rx or send}
domain=demo.peekaboo.test

if [ "$role" = send ]; then
    exec demo-send "$@"
fi
: "${DEMO_SUBNET:?DEMO_SUBNET must name the demo network, e.g. 172.30.80.0/24}"

postconf -e \
    "compatibility_level = 3.6" \
    "inet_interfaces = all" \
    "inet_protocols = ipv4" \
    "mynetworks = 127.0.0.0/8 $DEMO_SUBNET" \
    "mydestination =" \
    "maillog_file = /var/log/postfix/postfix.log" \
    "smtp_host_lookup = native" \
    "smtp_tls_security_level = none" \
    "smtpd_tls_security_level = none" \
    "smtpd_banner = \$myhostname ESMTP Peekaboo demo ($role)"

# Services of every role (Debian's master.cf, without chroot: the container is the jail).
cat > /etc/postfix/master.cf <<MASTER
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
MASTER

case "$role" in
tx)
    postconf -e \
        "myhostname = tx.$domain" \
        "relayhost = [postfix-rx]:25" \
        "smtpd_recipient_restrictions = permit_mynetworks, reject" \
        "queue_run_delay = 20s" \
        "minimal_backoff_time = 20s" \
        "maximal_backoff_time = 60s" \
        "bounce_size_limit = 1"
    # Retry tempfailed (451) mail within a minute, so the demo shows the stored verdict
    # answering the retry. bounce_size_limit: a notice about rejected mail carries only its
    # headers, not the rejected attachment back through the filter.
    echo "25        inet  n       -       n       -       -       smtpd" >> /etc/postfix/master.cf
    ;;
rx)
    postconf -e \
        "myhostname = mx.$domain" \
        "virtual_mailbox_domains = $domain" \
        "virtual_mailbox_base = /var/mail/vhosts" \
        "virtual_mailbox_maps = inline:{ {alice@$domain=alice/} {bob@$domain=bob/} }" \
        "virtual_uid_maps = static:5000" \
        "virtual_gid_maps = static:5000" \
        "smtpd_recipient_restrictions = reject_unauth_destination"
    if [ -n "${POSTFIX_MILTER:-}" ]; then
        # The milter (rspamd) answers inside the SMTP dialogue as amavis does below; a milter
        # that does not answer tempfails the mail instead of letting it through unscanned.
        postconf -e \
            "smtpd_milters = $POSTFIX_MILTER" \
            "milter_protocol = 6" \
            "milter_default_action = tempfail" \
            "milter_mail_macros = i {mail_addr} {client_addr} {client_name} {auth_authen}"
        echo "25        inet  n       -       n       -       10      smtpd" >> /etc/postfix/master.cf
    else
        # Before-queue filtering: amavis answers inside the SMTP dialogue of port 25, so the
        # sending server sees 451 (retry) or 554 (rejected) itself. amavis reinjects on 10025.
        cat >> /etc/postfix/master.cf <<MASTER
25        inet  n       -       n       -       10      smtpd
  -o smtpd_proxy_filter=amavis:10024
  -o smtpd_proxy_timeout=300s
  -o smtpd_proxy_options=speed_adjust
10025     inet  n       -       n       -       -       smtpd
  -o smtpd_proxy_filter=
  -o content_filter=
  -o smtpd_client_restrictions=
  -o smtpd_helo_restrictions=
  -o smtpd_sender_restrictions=
  -o smtpd_recipient_restrictions=permit_mynetworks,reject
  -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters,no_address_mappings
MASTER
    fi
    chown vmail:vmail /var/mail/vhosts
    ;;
*)
    echo "postfix-entrypoint: unknown POSTFIX_ROLE $role (tx, rx or send)" >&2
    exit 2
    ;;
esac

postfix check
touch /var/log/postfix/postfix.log
tail -n 0 -F /var/log/postfix/postfix.log &
exec postfix start-fg
