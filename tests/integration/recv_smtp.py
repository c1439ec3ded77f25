#!/usr/bin/python3
"""SMTP receiver (aiosmtpd) for nudged's delivery tests, on 127.0.0.1 only.

Writes its port to --port-file and logs each message it receives as a
JSON line to --log.  Recipients choose faults: reject550@... gets 550 at
RCPT, temp450@... gets 450, temp421@... gets 421, once450@... gets 450 the
first time only; dropdata@... has the connection dropped after DATA (the
message is logged with "dropped": true), droponce@... the first time only;
multi550@... gets a 550 reply of two lines.
With --auth USER:PASS it asks for SMTP AUTH (without TLS: loopback only).

Each message is also parsed under email.policy.strict and checked: its
"defects" (the parser's, every header's of every part, an exception under
the strict policy), encoded words longer than 75 characters, header lines
longer than 78, 8-bit bytes in a header; "conn" names the connection it came
on (the client's port), "raw" is its source.
"""
import argparse, json, logging, os, re, signal, socket, threading, time, warnings
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
        if local.startswith("multi550"):
            return ("550-5.7.1 Refused by local policy\r\n"
                    "550 5.7.1 See https://mail.example.invalid/why")
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
        html = msg.get_body(("html",))
        rec = {"t": time.time(), "mail_from": envelope.mail_from,
               "conn": session.peer[1], "defects": strict_defects(envelope.content),
               "checks": wire_checks(envelope.content),
               "content_type": msg.get_content_type(),
               "parts": [p.get_content_type() for p in msg.walk()],
               "from": str(msg.get("From")), "to": str(msg.get("To")),
               "to_addresses": [[a.display_name, a.addr_spec]
                                for a in msg["To"].addresses] if msg["To"] else [],
               "from_addresses": [[a.display_name, a.addr_spec]
                                  for a in msg["From"].addresses] if msg["From"] else [],
               "html": html.get_content() if html is not None else "",
               "raw": envelope.content.decode("utf-8", "replace"),
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


def strict_defects(raw):
    """Every defect Python's email package finds under policy.strict."""
    try:
        msg = message_from_bytes(raw, policy=policy.strict)
        found = []
        for part in msg.walk():
            found += [repr(d) for d in part.defects]
            for name, value in part.items():
                found += ["%s: %r" % (name, d) for d in value.defects]
            if not part.is_multipart():
                part.get_content()
        return found
    except Exception as e:
        return ["strict: %r" % e]


def wire_checks(raw):
    """What RFC 5322 and 2047 ask of the header lines themselves."""
    head = raw.split(b"\r\n\r\n", 1)[0]
    out = []
    for line in head.split(b"\r\n"):
        if len(line) > 78:
            out.append("line of %d: %r" % (len(line), line[:40]))
        if any(b >= 0x80 for b in line):
            out.append("8-bit header: %r" % line[:40])
        for w in re.findall(rb"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=", line):
            if len(w) > 75:
                out.append("encoded word of %d" % len(w))
    if b"\n" in raw.replace(b"\r\n", b""):
        out.append("bare LF")
    return out


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
log = open(args.log, "a", encoding="utf-8", errors="backslashreplace")
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
