#!/usr/bin/python3
"""HTTP load benchmark: reminders' lateness while nudged's action-link
listener is flooded with requests, against the same run quiet
(docs/PERFORMANCE.md: HTTP load).

Run by `make bench-httpload`.  Two runs with the same configuration (a
webhook channel to nginx on 127.0.0.1, the http group on a loopback port)
and the same load of reminders (follow-ups due one after another over a
window):

  quiet     nobody opens a link
  loaded    CLIENTS threads open a follow-up's action link (its page: the
            link verified, the follow-up, its history and the page
            rendered) as fast as nudged answers, for the whole window

Lateness = nginx's $msec - remind_at of each follow-up; the target is
p99 loaded within 2x of p99 quiet.
"""
import http.client
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the helpers: nginx, nudged, percentiles)

ROOT = run.ROOT


def write_config(d, url, port):
    run.write_webhook_config(d, [("well", url)],
                             'http = { listen = "127.0.0.1:%d"; };\n' % port)


class Load:
    """CLIENTS threads GETting one link over keep-alive connections."""

    def __init__(self, url, clients):
        self.u = urllib.parse.urlsplit(url)
        self.stop = False
        self.count = 0
        self.errors = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.client, daemon=True)
                        for _ in range(clients)]
        for t in self.threads:
            t.start()

    def client(self):
        c = None
        n = e = 0
        while not self.stop:
            try:
                if c is None:
                    c = http.client.HTTPConnection(self.u.hostname,
                                                   self.u.port, timeout=10)
                c.request("GET", self.u.path)
                r = c.getresponse()
                r.read()
                n += 1
                if r.status != 200:
                    e += 1
            except (OSError, http.client.HTTPException):
                e += 1
                c = None
        with self.lock:
            self.count += n
            self.errors += e

    def close(self):
        self.stop = True
        for t in self.threads:
            t.join()


def one_run(args, name, clients):
    d = os.path.join(args.tmp, name)
    os.makedirs(d)
    ng = run.Nginx(os.path.join(d, "nginx"))
    port = run.free_port()
    write_config(d, ng.url, port)
    n, window = args.reminders, args.window
    t0 = int(time.time()) + 6
    # Follow-up 1: the page the load opens, due long after the run.
    env = run.import_followups(args, d, [("well", "The page", t0 + 86400)]
                               + [("well", "Reminder %d" % i,
                                   t0 + 1 + i * window // n)
                                  for i in range(n)])
    db = os.path.join(d, "nudge.db")
    p = run.start_nudged(args, d)
    link = subprocess.run([args.nudge, "link", "make", "1"], env=env,
                          check=True, capture_output=True,
                          text=True).stdout.strip()
    load = Load(link, clients) if clients else None
    if time.time() > t0 - 0.5:
        run.die("%s: the setup took longer than 5.5 s" % name)
    run.log("%s: %d reminders over %ds, %d clients on the listener" % (
        name, n, window, clients))
    run.wait_until(lambda: p.poll() is not None or run.db_value(
        db, "SELECT count(*) FROM deliveries WHERE state = 'delivered'")
        >= n, window + 120, "%d deliveries" % n, 0.25)
    if load:
        load.close()
    run.stop(p)
    ng.close()

    remind = dict(sqlite3.connect("file:%s?mode=ro" % db, uri=True)
                  .execute("SELECT id, remind_at FROM followups"))
    late = run.lateness(ng, remind)
    if not args.keep:
        shutil.rmtree(d)
    secs = window + 1
    return dict(reminders=n, delivered=len(late), clients=clients,
                requests=load.count if load else 0,
                errors=load.errors if load else 0,
                rps=(load.count / secs) if load else 0,
                **run.late_figures(late))


def report(args, res):
    quiet, loaded, ratio = res["quiet"], res["loaded"], res["p99_ratio"]
    rows = ["%-7s %8s %9s %8s %8s %8s" % ("run", "clients", "pages/s",
                                          "p50 ms", "p99 ms", "max ms")]
    for name, r in (("quiet", quiet), ("loaded", loaded)):
        rows.append("%-7s %8d %9.0f %8.1f %8.1f %8.1f" % (
            name, r["clients"], r["rps"], r["p50"] * 1000,
            r["p99"] * 1000, r["max"] * 1000))
    rows.append("p99 loaded / quiet: %s (target <= 2x: %s); %d pages "
                "served, %d errors" % (
                    "%.2fx" % ratio if ratio else "n/a",
                    "met" if res["met"] else "MISSED", loaded["requests"],
                    loaded["errors"]))
    return run.write_rows(args, "httpload", rows, res["met"])


def main():
    args = run.bench_args(__doc__, "httpload", "nudge-bench-http.",
                          reminders=200, clients=16)
    return report(args, run.compare_runs(args, "httpload", one_run,
                                         ("quiet", 0),
                                         ("loaded", args.clients)))


if __name__ == "__main__":
    sys.exit(main())
