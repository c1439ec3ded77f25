#!/usr/bin/python3
"""SMTP receiver (aiosmtpd) for nudged's delivery tests, on 127.0.0.1 only.

Writes its port to --port-file and logs each accepted message as a JSON
line to --log.  Recipients choose faults: reject550@... gets 550 at RCPT,
temp450@... gets 450, dropdata@... has the connection dropped after DATA.
"""
import argparse, json, os, signal, socket, threading, time
from email import message_from_bytes, policy
from aiosmtpd.controller import Controller


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local.startswith("reject550"):
            return "550 5.1.1 No such user"
        if local.startswith("temp450"):
            return "450 4.2.1 Mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(r.startswith("dropdata") for r in envelope.rcpt_tos):
            session.transport.close()
            return "421 closing"
        msg = message_from_bytes(envelope.content, policy=policy.default)
        body = msg.get_body(("plain",))
        rec = {"t": time.time(), "mail_from": envelope.mail_from,
               "rcpt_tos": envelope.rcpt_tos,
               "message_id": msg.get("Message-ID"),
               "subject": str(msg.get("Subject")),
               "date": msg.get("Date"),
               "mime_version": msg.get("MIME-Version"),
               "body": body.get_content() if body is not None else ""}
        with lock:
            log.write(json.dumps(rec, ensure_ascii=False) + "\n")
            log.flush()
        return "250 OK"


ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--log", required=True)
args = ap.parse_args()
lock = threading.Lock()
log = open(args.log, "a", encoding="utf-8")
for attempt in range(20):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
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
