#!/usr/bin/env python3
"""Timing probes for scripts/core-bench.sh that a JVM client would distort.

  wait SOCKET SECONDS PID         until SOCKET greets (exit 1 if PID dies or time runs out)
  first SOCKET FILE LOG -- CMD..  starts CMD (a daemon), prints "<ms until SOCKET accepts>
                                  <ms from that connect to the final line of a request for
                                  FILE>", then stops CMD
  idle SOCKET N PID               opens N connections, waits for their greetings, prints
                                  "<VmRSS of PID in kB> <connections greeted>", closes them
  median LOG OFFSET               median of amavis' "AV-scan-1: <ms>" in LOG after byte
                                  OFFSET, and how many mails it is over

Only the Python standard library; Unix sockets, the line protocol as in docs/line-protocol.md.
"""
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time

FINAL = b"The file collection has been categorized "


def connect(path, timeout=5.0):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        raise
    return sock


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait(path, seconds, pid):
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        if not alive(pid):
            sys.exit(f"process {pid} exited before {path} answered")
        try:
            with connect(path) as sock:
                if sock.recv(64).startswith(b"Hello"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit(f"{path} did not answer within {seconds} s")


def first(path, sample, log, command):
    request = ('[{"full_name": "%s"}]\n' % sample.replace("\\", "\\\\").replace('"', '\\"')).encode()
    with open(log, "ab") as out:
        started = time.monotonic()
        daemon = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)

    def stop(*_):
        daemon.terminate()
        try:
            daemon.wait(30)
        except subprocess.TimeoutExpired:
            daemon.kill()
        sys.exit(1)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while True:
            if daemon.poll() is not None:
                sys.exit(f"the daemon exited with {daemon.returncode}; see {log}")
            if time.monotonic() - started > 120:
                sys.exit(f"{path} did not accept within 120 s")
            try:
                sock = connect(path, timeout=60)
                break
            except OSError:
                time.sleep(0.002)
        accepted = time.monotonic()
        with sock:
            sock.sendall(request)
            reply = b""
            while FINAL not in reply or not reply.endswith(b"\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                reply += chunk
        answered = time.monotonic()
        if FINAL not in reply:
            sys.exit("no final line in the first reply: %r" % reply[-300:])
        print("%.0f %.1f" % ((accepted - started) * 1000, (answered - accepted) * 1000))
    finally:
        daemon.terminate()
        try:
            daemon.wait(30)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def idle(path, count, pid):
    sockets, greeted = [], 0
    try:
        for _ in range(int(count)):
            try:
                sockets.append(connect(path, timeout=10))
            except OSError:
                break
        for sock in sockets:
            try:
                if sock.recv(64).startswith(b"Hello"):
                    greeted += 1
            except OSError:
                pass
        # the daemon has accepted them all; give it a moment to settle, as idle clients would
        time.sleep(2)
        print(rss_kb(pid), greeted)
    finally:
        for sock in sockets:
            sock.close()


def median(log, offset):
    with open(log, "rb") as text:
        text.seek(int(offset))
        values = [float(m) for m in re.findall(rb"AV-scan-1: ([0-9.]+)", text.read())]
    if not values:
        sys.exit(f"no AV-scan-1 timings in {log} after byte {offset}")
    print("%.1f %d" % (statistics.median(values), len(values)))


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    verb, args = argv[1], argv[2:]
    if verb == "wait" and len(args) == 3:
        wait(*args)
    elif verb == "first" and len(args) > 4 and args[3] == "--":
        first(args[0], args[1], args[2], args[4:])
    elif verb == "idle" and len(args) == 3:
        idle(*args)
    elif verb == "median" and len(args) == 2:
        median(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
