# shellcheck shell=bash disable=SC2154 # the variables named below are the caller's
# Sourced by scripts/ansible-test and scripts/deb-test: a throw-away Debian root made with
# debootstrap, cached as a tarball below $cache so that only the first run downloads.
# The caller sets: cache, suite, mirror, log() and die(); it calls debian_root_unpack ROOT
# and, on exit, debian_root_cleanup ROOT.

# Bump the version when the package list changes, so that an old cached root is not reused.
debian_root_packages=python3,systemd,systemd-sysv,ca-certificates

# Installs on the host what the tests need and lacks: debootstrap, systemd-analyze, libseccomp's
# Python binding for the host's own /usr/bin/python3 (lib/unit-run.py), and the commands
# given as COMMAND:PACKAGE.
debian_root_tools() {
    local missing=() pair
    for pair in debootstrap:debootstrap systemd-analyze:systemd "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    /usr/bin/python3 -c 'import seccomp' 2>/dev/null || missing+=(python3-seccomp)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

debian_root_tarball() {
    printf '%s/debian-%s-base-v1.tar.gz\n' "$cache" "$suite"
}

# Makes the cached tarball of the suite's root unless it exists. A directory of its own per
# run: two tests may build the same suite at once, and the last rename wins.
debian_root_base() {
    local base build
    base=$(debian_root_tarball)
    mkdir -p "$cache/apt-archives/partial"
    [ -f "$base" ] && return 0
    log "building the Debian $suite root with debootstrap (cached as $base)"
    build=$(mktemp -d "$cache/build-root.XXXXXX")
    chmod 0755 "$build"
    debootstrap --variant=minbase --include="$debian_root_packages" "$suite" "$build" "$mirror" \
        >"$build.log" 2>&1 \
        || { rm -rf "$build"; die "debootstrap failed, see $build.log"; }
    tar -C "$build" -czf "$build.tar.gz" .
    mv "$build.tar.gz" "$base"
    rm -rf "$build" "$build.log"
}

# Unpacks the cached root into $1 (which must not exist), as it is: scripts/deb-boot-test
# boots it this way.
debian_root_extract() {
    local root=$1
    debian_root_base
    mkdir "$root"
    tar -C "$root" -xzf "$(debian_root_tarball)"
    # Its users must reach it (a root tarred from a mktemp directory would be 0700).
    chmod 0755 "$root"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
}

# Unpacks the cached root into $1 (which must not exist) for chroot, blocks daemon starts by
# package scripts (systemd does not run there), mounts /proc and the shared apt archive.
debian_root_unpack() {
    local root=$1
    debian_root_extract "$root"
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 0755 "$root/usr/sbin/policy-rc.d"
    mount -t proc proc "$root/proc"
    mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
}

# Whatever still runs inside the root (a daemon, a hung command) would outlive the test.
debian_root_kill() {
    local root=$1 proc pid
    for proc in /proc/[0-9]*; do
        pid=${proc#/proc/}
        if [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ]; then
            kill "$pid" 2>/dev/null || true
        fi
    done
}

debian_root_cleanup() {
    local root=$1 mount
    debian_root_kill "$root"
    for mount in "$root/var/cache/apt/archives" "$root/proc"; do
        mountpoint -q "$mount" && umount "$mount"
    done
    return 0
}

# Runs a command in the root as a user with the groups of the root's /etc/group (as
# systemd's initgroups does for User=).
debian_root_as_user() {
    local root=$1 user=$2
    shift 2
    chroot --userspec="$(chroot "$root" id -u "$user"):$(chroot "$root" id -g "$user")" \
        --groups="$(chroot "$root" id -G "$user" | tr ' ' ,)" "$root" "$@"
}

# The value of KEY= in the root's unit file $1 (that file alone, no drop-ins).
unit_value() { sed -n "s/^$2=//p" "$root$1"; }

# Starts the unit $1's ExecStart= in the root in the background as systemd would run it
# (lib/unit-run.py): as its User= and Group= with the user's groups of the root's /etc/group,
# in the directory RuntimeDirectory= makes, under its SystemCallFilter= and
# RestrictAddressFamilies=, with a real notify socket and WATCHDOG_USEC=$2. The notify
# messages go to $work/notify.log, the output to $work/daemon.log; unit_runner is unit-run.py's pid, $work/daemon.pid names the daemon's.
start_unit() {
    local unit=$1 watchdog_usec=$2 user exec_start
    user=$(unit_value "$unit" User)
    read -r -a exec_start <<<"$(unit_value "$unit" ExecStart)"
    install -d -m "$(unit_value "$unit" RuntimeDirectoryMode)" "$root/run/$(unit_value "$unit" RuntimeDirectory)"
    chroot "$root" chown "$user:$(unit_value "$unit" Group)" "/run/$(unit_value "$unit" RuntimeDirectory)"
    /usr/bin/python3 "$here/scripts/lib/unit-run.py" "$root" /run/test-notify.sock "$work/notify.log" "$work/daemon.pid" \
        "$(chroot "$root" id -u "$user")" "$(chroot "$root" id -g "$user")" "$(chroot "$root" id -G "$user" | tr ' ' ,)" \
        "$watchdog_usec" "$(unit_value "$unit" SystemCallFilter | tr ' ' ,)" \
        "$(unit_value "$unit" RestrictAddressFamilies | tr ' ' ,)" -- "${exec_start[@]}" \
        >"$work/daemon.log" 2>&1 &
    unit_runner=$!
}

# Waits for the notify message line $1 while the daemon runs (a bound against a hang, not a
# timing assertion: two minutes).
wait_notify() {
    local tries=600
    while [ "$tries" -gt 0 ]; do
        tries=$((tries - 1))
        grep -qx -- "$1" "$work/notify.log" 2>/dev/null && return 0
        kill -0 "$unit_runner" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

# Stops the daemon as systemctl stop does (SIGTERM) and waits until it has gone.
stop_unit() {
    [ -n "${unit_runner:-}" ] || return 0
    kill -TERM "$(cat "$work/daemon.pid" 2>/dev/null)" 2>/dev/null || true
    wait "$unit_runner" || true
    unit_runner=
}

# amavis' user writes a text file and the PeekabooYar marker into $amavis_parts, below amavis'
# temp directory, as amavis writes the parts of a mail, and has the daemon judge them: good,
# then bad (exit 1). as_amavis runs a command as amavis' user in the chroot; a caller whose
# root runs otherwise (scripts/deb-boot-test: a booted container) defines its own.
amavis_parts=/var/lib/amavis/tmp/amavis-$test_name
as_amavis() { debian_root_as_user "$root" amavis "$@"; }
check_amavis_scans() {
    local marker
    as_amavis sh -c "umask 0027 && mkdir $amavis_parts && echo 'Just a text file.' > $amavis_parts/p001 && printf '%s\n' 'X5O!P%@AP-/_(:)_/-X22x8cz2\$PeekabooAV-STD-ANTIVIRUS-TEST-FILE!\$H+H*' > $amavis_parts/p002"
    check "amavis' user gets good for a text file amavis wrote" amavis_scan "$amavis_parts/p001"
    amavis_scan "$amavis_parts/p002" && marker=0 || marker=$?
    check "amavis' user gets bad (exit 1) for the PeekabooYar marker, got exit $marker" test "$marker" = 1
}
amavis_scan() {
    as_amavis peekaboo scan --socket /run/peekaboo/peekaboo.sock "$@" >>"$work/scan.log" 2>&1
}

# peekaboo config check as the service's user, who reads the configuration in the root; its
# output in $work/config-check.log.
config_check() {
    in_root runuser -u peekaboo -- peekaboo config check /etc/peekaboo/peekaboo.conf >"$work/config-check.log" 2>&1 \
        || log "config check output: $(cat "$work/config-check.log")" >&2
    grep -q '^OK: ' "$work/config-check.log"
}

# amavis' group, user and temp directory as amavisd-new's package makes them, without amavis:
# the package's postinst must add its user to the group, and amavis' user writes the parts.
debian_root_amavis_user() {
    local root=$1
    chroot "$root" groupadd --system amavis
    chroot "$root" useradd --system --gid amavis --home-dir /var/lib/amavis --shell /usr/sbin/nologin amavis
    install -d -m 0750 "$root/var/lib/amavis" "$root/var/lib/amavis/tmp"
    chroot "$root" chown amavis:amavis /var/lib/amavis /var/lib/amavis/tmp
}

# debian_lower_version DEB VERSION OUT: the package repacked with a lower Version field, to
# upgrade from (faster than a second jlink and jdeb run, and the upgrade changes nothing else).
debian_lower_version() {
    local deb=$1 version=$2 out=$3 tree
    dpkg --compare-versions "$version" lt "$(dpkg-deb -f "$deb" Version)" \
        || die "the package's version $(dpkg-deb -f "$deb" Version) is not above the test's lower version $version"
    tree=$(mktemp -d)
    dpkg-deb -R "$deb" "$tree/p"
    sed -i "s/^Version: .*/Version: $version/" "$tree/p/DEBIAN/control"
    dpkg-deb --root-owner-group -Zgzip -z1 -b "$tree/p" "$out" >/dev/null
    rm -rf "$tree"
}
