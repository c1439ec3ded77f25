#!/usr/bin/python3
"""HTTP receiver for nudged's delivery tests, on 127.0.0.1 only.

Writes its ephemeral port to --port-file, logs every request as a JSON
line to --log (before answering), verifies Standard Webhooks signatures
when --secret is given, and plays faults chosen by the path:
  /ok...                      204
  /status/NNN                 NNN
  /retry-after/SECS/NNN       NNN with Retry-After: SECS
  /fail/N/...                 500 for the first N tries of a webhook-id, then 204
  /broken/NNN/...             NNN until the --fixed-file exists, then 204
  /hang                       never answers
  /close                      closes the connection without answering
  /delay/MS/...               204 after MS milliseconds
  /cut                        200 promising 100 bytes, sends 10, closes
  /slowbody/SECS              200 whose SECS-byte body trickles, 1 byte a second
  /garbage                    answers something that is not HTTP, closes
With --tls-cert and --tls-key it speaks HTTPS.
"""
import argparse, base64, hashlib, hmac, json, os, signal, socket, ssl, sys, threading, time
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
        elif parts[0] == "broken":
            fixed = args.fixed_file and os.path.exists(args.fixed_file)
            self.answer(204 if fixed else int(parts[1]))
        elif parts[0] == "hang":
            time.sleep(60)
        elif parts[0] == "close":
            self.close_connection = True
            self.connection.close()
        elif parts[0] == "delay":
            time.sleep(int(parts[1]) / 1000)
            self.answer(204)
        elif parts[0] == "cut":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"x" * 10)
            self.hangup()
        elif parts[0] == "slowbody":
            n = int(parts[1])
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            for _ in range(n):
                self.wfile.write(b"x")
                time.sleep(1)
        elif parts[0] == "garbage":
            self.wfile.write(b"HELLO THERE, NOT HTTP\r\n\r\n")
            self.hangup()
        else:
            self.answer(404)

    def hangup(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def handle(self):
        # A client that gave up (timeouts are part of the tests) is no
        # reason for a traceback.
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass

    do_GET = do_PUT = do_POST


ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--secret")
ap.add_argument("--fixed-file", help="/broken/NNN answers 204 once it exists")
ap.add_argument("--tls-cert")
ap.add_argument("--tls-key")
args = ap.parse_args()
log = open(args.log, "a", encoding="utf-8")
# A burst of connections must not overflow the listen queue (5 by
# default): dropped SYNs come back a second later and look like lateness.
ThreadingHTTPServer.request_queue_size = 128
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
if args.tls_cert:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.tls_cert, args.tls_key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
signal.signal(signal.SIGTERM, lambda *a: (server.server_close(), os._exit(0)))
tmp = args.port_file + ".tmp"
with open(tmp, "w") as f:
    f.write(str(server.server_address[1]))
os.rename(tmp, args.port_file)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
