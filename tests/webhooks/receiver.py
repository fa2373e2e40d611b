"""A webhook receiver that checks every request with the Standard Webhooks
reference library (PyPI `standardwebhooks`), independent of the Rust code
that signs.

Usage: receiver.py <whsec_ secret, or - to read it from stdin's first line
at the first request> <status,status,...>
Prints `listening <port>`, then one JSON line per request received:
{"id": webhook-id, "verified": bool, "status": what it answered, "body": ...}.
Answers the listed statuses in turn, then 200.
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks.webhooks import Webhook

secret, statuses = sys.argv[1], [int(s) for s in sys.argv[2].split(",") if s]
verifier = None


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        global verifier
        if verifier is None:
            verifier = Webhook(sys.stdin.readline().strip() if secret == "-" else secret)
        try:
            verifier.verify(body, headers)
            verified = True
        except Exception:
            verified = False
        status = statuses.pop(0) if statuses else 200
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()
        line = {
            "id": headers.get("webhook-id"),
            "verified": verified,
            "status": status,
            "body": json.loads(body or b"null"),
        }
        print(json.dumps(line), flush=True)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
print(f"listening {server.server_address[1]}", flush=True)
server.serve_forever()
