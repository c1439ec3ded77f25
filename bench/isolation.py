#!/usr/bin/python3
"""Isolation benchmark: a healthy channel's lateness beside a receiver
that hangs (docs/PERFORMANCE.md, docs/RELIABILITY.md: isolation).

Run by `make bench-isolation` (and `make bench`).  Two runs with the same
configuration (a webhook channel to nginx on 127.0.0.1, a second to a
receiver in this script that accepts connections and never answers,
delivery timeout 3 s) and the same healthy load (follow-ups due one after
another over a window, to nginx):

  alone     nothing queued for the hanging receiver
  hanging   BACKLOG follow-ups for the hanging receiver, all due when the
            healthy ones start

Lateness = nginx's $msec - remind_at of each healthy follow-up; the
target is p99 with the hanging receiver within 2x of p99 alone.
"""
import os
import shutil
import socket
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the helpers: nginx, nudged, percentiles)

ROOT = run.ROOT


class Hang:
    """A receiver that accepts connections and never answers."""

    def __init__(self):
        self.s = socket.socket()
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.s.bind(("127.0.0.1", 0))
        self.s.listen(1024)
        self.port = self.s.getsockname()[1]
        self.held = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                c, _ = self.s.accept()
            except OSError:
                return
            self.held.append(c)

    def close(self):
        self.s.close()
        for c in self.held:
            c.close()


def write_config(d, well_url, hang_url):
    run.write_webhook_config(
        d, [("well", well_url), ("hang", hang_url)],
        'delivery = { attempts = 3; backoff = "1s"; '
        'max_backoff = "4s"; timeout = "3s"; };\n')


def one_run(args, name, backlog):
    d = os.path.join(args.tmp, name)
    os.makedirs(d)
    ng = run.Nginx(os.path.join(d, "nginx"))
    hang = Hang()
    write_config(d, ng.url, "http://127.0.0.1:%d/" % hang.port)
    n, window = args.healthy, args.window
    t0 = int(time.time()) + 5
    run.import_followups(args, d, [("hang", "Backlog %d" % i, t0)
                                   for i in range(backlog)]
                         + [("well", "Healthy %d" % i,
                             t0 + 1 + i * window // n) for i in range(n)])
    db = os.path.join(d, "nudge.db")
    p = run.start_nudged(args, d)
    if time.time() > t0 - 0.5:
        run.die("%s: the setup took longer than 4.5 s" % name)
    run.log("%s: %d healthy over %ds, %d for the hanging receiver" % (
        name, n, window, backlog))
    run.wait_until(lambda: p.poll() is not None or run.db_value(
        db, "SELECT count(*) FROM deliveries d JOIN followups f ON "
        "f.id = d.followup_id WHERE f.owner = 'well' AND "
        "d.state = 'delivered'") >= n, window + 120, "%d deliveries" % n,
        0.25)
    held = len(hang.held)
    run.stop(p)
    ng.close()
    hang.close()
    remind = dict(sqlite3.connect("file:%s?mode=ro" % db, uri=True)
                  .execute("SELECT id, remind_at FROM followups "
                           "WHERE owner = 'well'"))
    late = run.lateness(ng, remind)
    if not args.keep:
        shutil.rmtree(d)
    return dict(healthy=n, delivered=len(late), backlog=backlog,
                hang_connections=held, **run.late_figures(late))


def main():
    args = run.bench_args(__doc__, "isolation", "nudge-bench-iso.",
                          backlog=1000, healthy=200)
    res = run.compare_runs(args, "isolation", one_run, ("alone", 0),
                           ("hanging", args.backlog))
    alone, hanging, ratio = res["alone"], res["hanging"], res["p99_ratio"]
    rows = ["%-9s %8s %8s %8s %8s %10s" % ("run", "backlog", "p50 ms",
                                           "p99 ms", "max ms", "hang conns")]
    for name, r in (("alone", alone), ("hanging", hanging)):
        rows.append("%-9s %8d %8.0f %8.0f %8.0f %10d" % (
            name, r["backlog"], r["p50"] * 1000, r["p99"] * 1000,
            r["max"] * 1000, r["hang_connections"]))
    rows.append("p99 hanging / alone: %s (target <= 2x: %s)" % (
        "%.2fx" % ratio if ratio else "n/a", "met" if res["met"] else
        "MISSED"))
    return run.write_rows(args, "isolation", rows, res["met"])


if __name__ == "__main__":
    sys.exit(main())
