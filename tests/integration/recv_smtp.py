#!/usr/bin/python3
"""SMTP receiver (aiosmtpd) for nudged's delivery tests, on 127.0.0.1 only.

Writes its port to --port-file and logs each message it receives as a
JSON line to --log.  Recipients choose faults: reject550@... gets 550 at
RCPT, temp450@... gets 450, temp421@... gets 421, once450@... gets 450 the
first time only; dropdata@... has the connection dropped after DATA (the
message is logged with "dropped": true), droponce@... the first time only.
With --auth USER:PASS it asks for SMTP AUTH (without TLS: loopback only).
"""
import argparse, json, logging, os, signal, socket, threading, time, warnings
from email import message_from_bytes, policy
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

seen = {}


def first_time(key):
    with lock:
        seen[key] = seen.get(key, 0) + 1
        return seen[key] == 1


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local.startswith("reject550"):
            return "550 5.1.1 No such user"
        if local.startswith("temp450"):
            return "450 4.2.1 Mailbox busy, try later"
        if local.startswith("temp421"):
            return "421 4.3.2 Service shutting down"
        if local.startswith("once450") and first_time("rcpt " + address):
            return "450 4.2.1 Mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        drop = any(r.startswith("dropdata") or
                   (r.startswith("droponce") and first_time("data " + r))
                   for r in envelope.rcpt_tos)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        body = msg.get_body(("plain",))
        rec = {"t": time.time(), "mail_from": envelope.mail_from,
               "rcpt_tos": envelope.rcpt_tos,
               "message_id": msg.get("Message-ID"),
               "subject": str(msg.get("Subject")),
               "date": msg.get("Date"),
               "mime_version": msg.get("MIME-Version"),
               "body": body.get_content() if body is not None else "",
               "auth": session.authenticated, "dropped": drop}
        with lock:
            log.write(json.dumps(rec, ensure_ascii=False) + "\n")
            log.flush()
        if drop:
            server.transport.close()
            return "421 closing"
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    user, _, password = args.auth.partition(":")
    ok = (auth_data.login.decode() == user and
          auth_data.password.decode() == password)
    return AuthResult(success=ok)


# aiosmtpd warns (rightly) about AUTH without TLS: loopback tests only.
warnings.simplefilter("ignore")
logging.getLogger("mail.log").setLevel(logging.ERROR)
ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--auth")
args = ap.parse_args()
lock = threading.Lock()
log = open(args.log, "a", encoding="utf-8")
for attempt in range(20):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    extra = {}
    if args.auth:
        extra = dict(authenticator=authenticator, auth_required=True,
                     auth_require_tls=False)
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, **extra)
    try:
        controller.start()
        break
    except Exception:
        time.sleep(0.05)
else:
    raise SystemExit("no free port")
tmp = args.port_file + ".tmp"
with open(tmp, "w") as f:
    f.write(str(port))
os.rename(tmp, args.port_file)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
signal.signal(signal.SIGINT, lambda *a: stop.set())
stop.wait()
controller.stop()
