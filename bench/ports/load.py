#!/usr/bin/env python3
"""Load for bench/ports: PROCS processes, each holding one listener and PAIRS established
loopback connections to itself (2 sockets per pair), so the machine holds about
PROCS * (2 * PAIRS + 1) extra TCP sockets. Prints READY when all are up, then waits; `kill -- -PID` (its
process group) ends everything. Usage: load.py PROCS PAIRS"""
import os
import signal
import socket
import sys
import time

procs, pairs = int(sys.argv[1]), int(sys.argv[2])
os.setpgrp()  # a process group of its own: `kill -- -PID` ends the load and every child


def child():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(pairs + 8)
    held = [srv]
    for _ in range(pairs):
        c = socket.create_connection(srv.getsockname())
        a, _ = srv.accept()
        held += [c, a]
    os.write(w, b"x")
    signal.pause()


r, w = os.pipe()
kids = []
for _ in range(procs):
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            child()
        finally:
            os._exit(0)
    kids.append(pid)
os.close(w)
got = 0
while got < procs:
    chunk = os.read(r, procs)
    if not chunk:
        break
    got += len(chunk)
print("READY", got, "processes", flush=True)
signal.signal(signal.SIGTERM, lambda *_: (os.killpg(0, signal.SIGKILL)))
while True:
    time.sleep(3600)
