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
import json
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
    with open(os.path.join(d, "nudge.conf"), "w") as f:
        f.write('database = "nudge.db";\nruntime_dir = "run";\n'
                'timezone = "UTC";\npeople = (\n'
                '  { handle = "well"; hours = "00:00-24:00"; '
                'days = "mon-sun"; notify = [ "well" ]; capacity = 100000; },\n'
                '  { handle = "hang"; hours = "00:00-24:00"; '
                'days = "mon-sun"; notify = [ "hang" ]; capacity = 100000; }\n'
                ');\nchannels = (\n'
                '  { name = "well"; type = "webhook"; url = "%s"; },\n'
                '  { name = "hang"; type = "webhook"; url = "%s"; }\n);\n'
                'delivery = { attempts = 3; backoff = "1s"; '
                'max_backoff = "4s"; timeout = "3s"; };\n'
                % (well_url, hang_url))
    os.makedirs(os.path.join(d, "run"), exist_ok=True)


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
                hang_connections=held, p50=run.pct(late, 50),
                p99=run.pct(late, 99), max=max(late) if late else None)


def main():
    ap = run.bench_parser(__doc__, "isolation")
    ap.add_argument("--backlog", type=int, default=1000)
    ap.add_argument("--healthy", type=int, default=200)
    args = ap.parse_args()
    run.bench_setup(args, "bench-isolation", "nudge-bench-iso.")
    alone, hanging = run.two_runs(args, one_run, ("alone", 0),
                                  ("hanging", args.backlog))
    ratio = hanging["p99"] / alone["p99"] if alone["p99"] > 0 else None
    res = dict(alone=alone, hanging=hanging, p99_ratio=ratio,
               target=2.0, met=ratio is not None and ratio <= 2.0)
    with open(os.path.join(args.out, "isolation.json"), "w") as f:
        json.dump(res, f, indent=1)
    rows = ["%-9s %8s %8s %8s %8s %10s" % ("run", "backlog", "p50 ms",
                                           "p99 ms", "max ms", "hang conns")]
    for name, r in (("alone", alone), ("hanging", hanging)):
        rows.append("%-9s %8d %8.0f %8.0f %8.0f %10d" % (
            name, r["backlog"], r["p50"] * 1000, r["p99"] * 1000,
            r["max"] * 1000, r["hang_connections"]))
    rows.append("p99 hanging / alone: %s (target <= 2x: %s)" % (
        "%.2fx" % ratio if ratio else "n/a", "met" if res["met"] else
        "MISSED"))
    text = "\n".join(rows) + "\n"
    with open(os.path.join(args.out, "isolation.txt"), "w") as f:
        f.write(text)
    print(text, end="")
    return 0 if res["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
