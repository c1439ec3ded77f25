#!/usr/bin/python3
"""HTTP receiver for nudged's delivery tests, on 127.0.0.1 only.

Writes its ephemeral port to --port-file, logs every request as a JSON
line to --log (before answering), verifies Standard Webhooks signatures
when --secret is given, and plays faults chosen by the path:
  /ok...                      204
  /status/NNN                 NNN
  /retry-after/SECS/NNN       NNN with Retry-After: SECS
  /fail/N/...                 500 for the first N tries of a webhook-id, then 204
  /hang                       never answers
  /close                      closes the connection without answering
"""
import argparse, base64, hashlib, hmac, json, os, signal, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
tries = {}


def verify(secret, headers, body):
    if not secret or "webhook-signature" not in headers:
        return None
    key = base64.b64decode(secret[len("whsec_"):])
    msg = f"{headers.get('webhook-id')}.{headers.get('webhook-timestamp')}.".encode() + body
    want = base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()
    for part in headers["webhook-signature"].split():
        version, _, sig = part.partition(",")
        if version == "v1" and hmac.compare_digest(sig, want):
            return True
    return False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, code, extra=None):
        self.send_response(code)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n)
        headers = {k.lower(): v for k, v in self.headers.items()}
        rec = {"t": time.time(), "method": self.command, "path": self.path,
               "headers": headers, "body": body.decode("utf-8", "replace"),
               "sig_ok": verify(args.secret, headers, body)}
        with lock:
            log.write(json.dumps(rec, ensure_ascii=False) + "\n")
            log.flush()
        parts = self.path.strip("/").split("/")
        if parts[0] == "ok":
            self.answer(204)
        elif parts[0] == "status":
            self.answer(int(parts[1]))
        elif parts[0] == "retry-after":
            key = headers.get("webhook-id", self.path)
            with lock:
                tries[key] = tries.get(key, 0) + 1
                first = tries[key] == 1
            self.answer(int(parts[2]), {"Retry-After": parts[1]}) if first else self.answer(204)
        elif parts[0] == "fail":
            key = headers.get("webhook-id", self.path)
            with lock:
                tries[key] = tries.get(key, 0) + 1
                k = tries[key]
            self.answer(500 if k <= int(parts[1]) else 204)
        elif parts[0] == "hang":
            time.sleep(60)
        elif parts[0] == "close":
            self.close_connection = True
            self.connection.close()
        else:
            self.answer(404)

    do_GET = do_PUT = do_POST


ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--secret")
args = ap.parse_args()
log = open(args.log, "a", encoding="utf-8")
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
signal.signal(signal.SIGTERM, lambda *a: (server.server_close(), os._exit(0)))
tmp = args.port_file + ".tmp"
with open(tmp, "w") as f:
    f.write(str(server.server_address[1]))
os.rename(tmp, args.port_file)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
