#!/usr/bin/python3
"""How late the healthy reminders arrived beside a fault or a backlog.

healthy_late.py DB HTTP_LOG [SMTP_LOG]
    The follow-ups whose text starts "Healthy" in DB, against their first
    arrival in the receivers' logs (recv_http.py's path /ok/well, the
    webhook body's text; recv_smtp.py's mail to ok@example.com, its
    subject).  Prints one line: how many are due, how many arrived, the
    worst lateness in seconds (-1: none arrived) and the three latest.
"""
import json
import sqlite3
import sys


def arrivals(http_log, smtp_log):
    got = {}
    for line in open(http_log):
        r = json.loads(line)
        if r["path"] == "/ok/well":
            got.setdefault(json.loads(r["body"])["data"]["text"], r["t"])
    for line in open(smtp_log) if smtp_log else ():
        r = json.loads(line)
        if r["rcpt_tos"] == ["ok@example.com"]:
            got.setdefault(r["subject"], r["t"])
    return got


def main(db_path, http_log, smtp_log=None):
    db = sqlite3.connect(db_path)
    due = dict(db.execute("SELECT text, remind_at FROM followups "
                          "WHERE text LIKE 'Healthy%'"))
    got = arrivals(http_log, smtp_log)
    late = sorted(((got[t] - due[t], t) for t in due if t in got),
                  reverse=True)
    print(len(due), len(got), late[0][0] if late else -1,
          "; ".join(f"{t}: {s:.2f}s" for s, t in late[:3]))


if __name__ == "__main__":
    main(*sys.argv[1:])
