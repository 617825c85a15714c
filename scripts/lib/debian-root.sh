# shellcheck shell=bash disable=SC2154 # the variables named below are the caller's
# Sourced by scripts/ansible-test and scripts/deb-test: a throw-away Debian root made with
# debootstrap, cached as a tarball below $cache so that only the first run downloads.
# The caller sets: cache, suite, mirror, log() and die(); it calls debian_root_unpack ROOT
# and, on exit, debian_root_cleanup ROOT.

# Bump the version when the package list changes, so that an old cached root is not reused.
debian_root_packages=python3,systemd,systemd-sysv,ca-certificates

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

# Unpacks the cached root into $1 (which must not exist), blocks daemon starts by package
# scripts (systemd does not run there), mounts /proc and the shared apt archive.
debian_root_unpack() {
    local root=$1
    debian_root_base
    mkdir "$root"
    tar -C "$root" -xzf "$(debian_root_tarball)"
    # Its users must reach it (a root tarred from a mktemp directory would be 0700).
    chmod 0755 "$root"
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 0755 "$root/usr/sbin/policy-rc.d"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
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
