"""Plays macOS's AirPlay Receiver (ControlCenter) on [::1]:PORT: every request gets 403 with
`Server: AirTunes/620.8.2` and no CORS headers. Binds ::1 only.

Run: /usr/bin/python3 airtunes_squatter.py PORT
"""
import socket
import socketserver
import sys


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            line = self.rfile.readline(65537)
            if not line or line in (b"\r\n", b"\n"):
                break
        self.wfile.write(
            b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nServer: AirTunes/620.8.2\r\n\r\n"
        )


class Server(socketserver.ThreadingTCPServer):
    address_family = socket.AF_INET6
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    with Server(("::1", int(sys.argv[1])), Handler) as server:
        print("ready", flush=True)
        server.serve_forever()
