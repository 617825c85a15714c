#!/usr/bin/env python3
"""Runs a service in a Debian root the way systemd runs a Type=notify unit, for scripts/deb-test.

systemd does not run in the test's root, so this stands in for the parts of it that the
daemon meets: a notify socket (a real datagram socket; every message received is appended to
a log file, one line per field, then a line "--"), the environment systemd gives
(NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID, RUNTIME_DIRECTORY), User=/Group= with the
supplementary groups, SystemCallFilter= (the system calls of the sets given, as
systemd-analyze lists them, allowed; any other one fails with EPERM, as with
SystemCallErrorNumber=EPERM) and RestrictAddressFamilies= (socket() for another family fails
with EAFNOSUPPORT, as systemd's filter makes it). When the service exits, a line
"EXIT <status>" ends the log.

usage: unit-run.py ROOT NOTIFY_PATH_IN_ROOT LOG PIDFILE UID GID GROUPS WATCHDOG_USEC FILTER FAMILIES -- COMMAND...
GROUPS is comma-separated gids; FILTER a comma-separated list of syscall sets, FAMILIES of
address families such as AF_UNIX ("" for no filter).
"""
import errno
import os
import select
import socket
import subprocess
import sys
import traceback

import seccomp  # python3-seccomp: imported before the chroot, where it is not installed


def syscalls(sets):
    """The system calls of systemd's sets, nested sets expanded, as systemd-analyze prints them."""
    names, seen, todo = set(), set(), [s for s in sets.split(",") if s]
    while todo:
        group = todo.pop()
        if group in seen:
            continue
        seen.add(group)
        out = subprocess.run(["systemd-analyze", "syscall-filter", group], check=True,
                             capture_output=True, text=True).stdout
        for line in out.splitlines()[1:]:
            entry = line.strip()
            if not entry or entry.startswith("#"):
                continue
            if entry.startswith("@"):
                todo.append(entry)
            else:
                names.add(entry)
    return names


def child(root, notify, uid, gid, groups, watchdog_usec, allowed, families, command):
    os.chroot(root)
    os.chdir("/")
    os.setgroups(groups)
    os.setgid(gid)
    os.setuid(uid)
    env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin",
        "LANG": "C.UTF-8",
        "HOME": "/var/lib/peekaboo",
        "NOTIFY_SOCKET": notify,
        "RUNTIME_DIRECTORY": "/run/peekaboo",
    }
    if watchdog_usec:
        env["WATCHDOG_USEC"] = watchdog_usec
        env["WATCHDOG_PID"] = str(os.getpid())
    if allowed or families:
        # libseccomp sets no_new_privs first, as NoNewPrivileges=yes does.
        seccomp_filter = seccomp.SyscallFilter(
            defaction=seccomp.ERRNO(errno.EPERM) if allowed else seccomp.ALLOW)
        for name in sorted(allowed - ({"socket"} if families else set())):
            try:
                seccomp_filter.add_rule(seccomp.ALLOW, name)
            except (RuntimeError, ValueError, OSError):
                pass  # not a system call of this architecture, as systemd skips it
        if families:
            codes = sorted(getattr(socket, name) for name in families)
            for code in codes:
                seccomp_filter.add_rule(seccomp.ALLOW, "socket", seccomp.Arg(0, seccomp.EQ, code))
            # Every other family Linux knows (AF_MAX is below 64).
            for code in sorted(set(range(64)) - set(codes)):
                seccomp_filter.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket",
                                        seccomp.Arg(0, seccomp.EQ, code))
        seccomp_filter.load()
    os.execve(command[0], command, env)


def main():
    args = sys.argv[1:]
    split = args.index("--")
    root, notify, log, pidfile, uid, gid, groups, watchdog_usec, filter_sets, family_names = args[:split]
    command = args[split + 1:]
    allowed = syscalls(filter_sets)
    families = [name for name in family_names.split(",") if name]
    path = root + notify
    if os.path.exists(path):
        os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    os.chmod(path, 0o666)
    group_ids = [int(g) for g in groups.split(",") if g]
    pid = os.fork()
    if pid == 0:
        try:
            child(root, notify, int(uid), int(gid), group_ids, watchdog_usec, allowed, families, command)
        except BaseException:
            traceback.print_exc()
        os._exit(127)
    with open(pidfile, "w") as f:
        f.write(f"{pid}\n")
    with open(log, "a") as out:
        status = None
        while True:
            ready, _, _ = select.select([sock], [], [], 0.2)
            if ready:
                message = sock.recv(65536).decode("utf-8", "replace")
                out.write(message.rstrip("\n") + "\n--\n")
                out.flush()
                continue
            if status is not None:
                break
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(raw)
        out.write(f"EXIT {status}\n")
    sock.close()
    os.unlink(path)


if __name__ == "__main__":
    main()
