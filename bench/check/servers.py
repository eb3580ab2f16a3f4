"""Loopback servers for the check benchmark.

  servers.py two PORT        a CORS-correct API on 127.0.0.1:PORT and on [::1]:PORT
  servers.py blackhole PORT  the API on 127.0.0.1:PORT; [::1]:PORT listens but never accepts,
                             its backlog filled, so connection attempts hang (a black hole
                             made on loopback without a firewall)
Prints "ready" when listening; runs until killed.
"""
import socket
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler


class Api(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _cors(self):
        self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin", "*"))
        self.send_header("Vary", "Origin")

    def do_OPTIONS(self):
        self.send_response(204)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT")
        self.send_header("Access-Control-Allow-Headers", "content-type")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        body = b'{"message": "sample"}'
        self.send_response(200)
        self._cors()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_POST
    do_GET = do_POST


class V4(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class V6(V4):
    address_family = socket.AF_INET6


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    servers = [V4(("127.0.0.1", port), Api)]
    keep = []
    if mode == "two":
        servers.append(V6(("::1", port), Api))
    else:
        hole = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        hole.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        hole.bind(("::1", port))
        hole.listen(0)
        for _ in range(8):
            s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s.settimeout(0.2)
            try:
                s.connect(("::1", port))
                keep.append(s)
            except OSError:
                s.close()
                break
        keep.append(hole)
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
