# A TCP listener for cors-doctor's port tests: binds ADDRESS:PORT, prints "READY", then accepts
# keeps connections open (as a server waiting for a request does) until killed. Options: --v6only / --dual (IPv6 mode), --reuseport,
# --hold N (N more open descriptors, /dev/null, opened after the listener: a busy process).
# Deliberately no SO_REUSEADDR, so binds behave as the kernel decides by default.
import socket
import sys

addr, port = sys.argv[1], int(sys.argv[2])
opts = sys.argv[3:]
family = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
if family == socket.AF_INET6 and ("--v6only" in opts or "--dual" in opts):
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if "--v6only" in opts else 0)
if "--reuseport" in opts:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.bind((addr, port))
s.listen(16)
held_files = []
if "--hold" in opts:
    import resource
    want = int(opts[opts.index("--hold") + 1])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want + 128:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want + 128 if hard < 0 else min(hard, want + 128), hard))
    for _ in range(want):
        held_files.append(open("/dev/null"))
print("READY", flush=True)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
    if len(held) > 64:
        held.pop(0).close()
