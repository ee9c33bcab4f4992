"""HTTP/1.1 server for SocketFactoryInteropTest: GET serves files from a folder, POST answers the body it got.
Every answer carries X-Peer, the client's address as the server saw it. Usage: echo_http.py ADDR PORT DIR"""
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=sys.argv[3], **kwargs)

    def end_headers(self):
        self.send_header("X-Peer", self.client_address[0])
        super().end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()
