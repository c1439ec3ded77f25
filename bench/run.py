#!/usr/bin/python3
"""nudge benchmarks: nudge side by side with its floors and with taskwarrior.

Run by `make bench` (--mode full) and `make bench-quick` (--mode quick);
docs/PERFORMANCE.md says what each figure means.  Everything runs in a
temporary directory on this machine; the only network traffic is HTTP to
an nginx this script starts on 127.0.0.1 and stops again.

  CLI       for each size N: N open promises and N pending follow-ups
            loaded with `nudge import`, N tasks loaded with `task import`
            (same texts and due dates); then, interleaved round by round
            (bench/timeit): floor (a) write / `nudge promise add` /
            `task add`, and floor (a) read / `nudge agenda` / `task next`.
  idle      nudged on the largest CLI database (N pending follow-ups, none
            due soon), with the watchdog interval of systemd/nudged.service:
            voluntary context switches over a window, and VmHWM.
  spread    follow-ups due one after another over a window, delivered by
            webhook to nginx; lateness = nginx's $msec - remind_at.
  burst     follow-ups all due at one second; lateness and delivery rate,
            and floor (b) (bench/floor_send) against the same nginx.

To profile nudged in one of these runs, NUDGED_WRAPPER names a program to
run it under, split on spaces (NUDGED_WRAPPER="valgrind --tool=callgrind").
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MODES = {
    # sizes: CLI data sizes; task_max: largest size taskwarrior runs at;
    # runs/warmup: timeit rounds; idle: seconds of idle window;
    # spread: (follow-ups, seconds); burst: follow-ups.
    "quick": dict(sizes=[0, 10000, 100000], task_max=100000, runs=5,
                  warmup=1, idle=15, spread=(1000, 10), burst=10000),
    "full": dict(sizes=[0, 10000, 100000, 1000000], task_max=100000,
                 runs=15, warmup=2, idle=60, spread=(10000, 200),
                 burst=100000),
}

PEOPLE = 10             # owners p0..p9
ACCOUNTS = 5000         # accounts "Account 0".."Account 4999"
VISIBLE = 20            # rows of each kind inside the agenda's 7 days
OVERDUE = 20            # promises already overdue (sizes above 0), extra
WRITE_DUE = "2028-01-15"
WRITE_TEXT = "Send the revised offer with the photos"

CHILDREN = []           # Popen objects this script started


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def die(msg):
    log("error: " + msg)
    sys.exit(1)


# ---- statistics -------------------------------------------------------

def pct(values, p):
    """Percentile with linear interpolation (numpy's default)."""
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def summary(values):
    return dict(n=len(values), median=pct(values, 50), p10=pct(values, 10),
                p90=pct(values, 90), min=min(values) if values else None,
                max=max(values) if values else None)


# ---- processes --------------------------------------------------------

def start(argv, logpath, env=None):
    f = open(logpath, "ab")
    p = subprocess.Popen(argv, stdout=f, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, env=env)
    f.close()
    CHILDREN.append(p)
    return p


def stop(p, sig=signal.SIGTERM, timeout=30):
    if p.poll() is None:
        p.send_signal(sig)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if p in CHILDREN:
        CHILDREN.remove(p)


def stop_all():
    for p in list(CHILDREN):
        stop(p, signal.SIGKILL, 5)


def wait_until(cond, timeout, what, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(step)
    die("timed out after %ds waiting for %s" % (timeout, what))


def file_has(path, text):
    try:
        with open(path, "r", errors="replace") as f:
            return text in f.read()
    except FileNotFoundError:
        return False


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def followup_of(wid):
    """The follow-up of a delivery id, nudge-<database id>-<follow-up>-
    <round>-<hex(channel)> (lib/outbox.c), or None for another id."""
    m = re.match(r"nudge-[0-9a-f]+-(\d+)-", wid)
    return int(m.group(1)) if m is not None else None


def lateness(ng, remind):
    """Seconds late of each follow-up in remind ({id: remind_at}, emptied
    of those that arrived) that nginx ng answered with 204."""
    late = []
    for msec, wid, status, _ in ng.arrivals():
        fid = followup_of(wid)
        if status == "204" and fid in remind:
            late.append(msec - remind.pop(fid))
    return late


def bench_args(doc, name, prefix, **counts):
    """The options every two-run benchmark takes (name.json, name.txt)
    and --COUNT for each of counts (its default), read; then
    bench_setup() for `make bench-NAME`, args.tmp named after prefix."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--out", help="where %s.json and .txt go" % name)
    ap.add_argument("--window", type=int, default=20)
    ap.add_argument("--keep", action="store_true")
    for opt, default in counts.items():
        ap.add_argument("--" + opt, type=int, default=default)
    args = ap.parse_args()
    bench_setup(args, "bench-" + name, prefix)
    return args


def two_runs(args, one_run, first, second):
    """one_run(args, *first) then one_run(args, *second); whatever
    happens, what they started is stopped and args.tmp removed."""
    try:
        return one_run(args, *first), one_run(args, *second)
    finally:
        stop_all()
        shutil.rmtree(args.tmp, ignore_errors=True)


def write_webhook_config(d, hooks, extra=""):
    """d's nudge.conf in UTC: for each (name, url) of hooks a person name,
    around the clock and with room for any load, reminded on a webhook
    channel name to url; then the lines extra."""
    people = ",\n".join(
        '  { handle = "%s"; hours = "00:00-24:00"; days = "mon-sun"; '
        'notify = [ "%s" ]; capacity = 100000; }' % (n, n) for n, _ in hooks)
    channels = ",\n".join('  { name = "%s"; type = "webhook"; url = "%s"; }'
                          % h for h in hooks)
    with open(os.path.join(d, "nudge.conf"), "w") as f:
        f.write('database = "nudge.db";\nruntime_dir = "run";\n'
                'timezone = "UTC";\npeople = (\n%s\n);\nchannels = (\n'
                '%s\n);\n%s' % (people, channels, extra))
    os.makedirs(os.path.join(d, "run"), exist_ok=True)


def late_figures(late):
    """The p50, p99 and max of lateness values (max None: none came)."""
    return dict(p50=pct(late, 50), p99=pct(late, 99),
                max=max(late) if late else None)


def compare_runs(args, name, one_run, first, second):
    """two_runs() of first and second, (label, its argument); the second's
    p99 over the first's against the target of 2x, all written to
    name.json; the dict, each run's result under its label."""
    a, b = two_runs(args, one_run, first, second)
    ratio = b["p99"] / a["p99"] if a["p99"] > 0 else None
    res = {first[0]: a, second[0]: b, "p99_ratio": ratio,
           "target": 2.0, "met": ratio is not None and ratio <= 2.0}
    with open(os.path.join(args.out, name + ".json"), "w") as f:
        json.dump(res, f, indent=1)
    return res


def write_rows(args, name, rows, met):
    """rows as name.txt and on stdout; the exit status of met."""
    text = "\n".join(rows) + "\n"
    with open(os.path.join(args.out, name + ".txt"), "w") as f:
        f.write(text)
    print(text, end="")
    return 0 if met else 1


def import_followups(args, d, rows):
    """rows, (owner, text, at), imported as follow-ups of Acme into d's
    database; the environment naming d's configuration."""
    csv = os.path.join(d, "followups.csv")
    with open(csv, "w") as f:
        f.write("owner,account,text,at\n")
        for owner, text, at in rows:
            f.write("%s,Acme,%s,%s\n" % (owner, text, iso(at)))
    env = dict(os.environ, NUDGE_CONFIG=os.path.join(d, "nudge.conf"))
    subprocess.run([args.nudge, "import", "--followups", csv], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return env


def bench_setup(args, target, prefix):
    """The binaries of args.build (checked, else `make TARGET` is said),
    args.out made, args.tmp a new directory named after prefix."""
    b = os.path.join(ROOT, args.build)
    args.nudge, args.nudged = b + "/nudge", b + "/nudged"
    args.out = os.path.abspath(args.out or os.path.join(b, "bench"))
    for path in (args.nudge, args.nudged, "/usr/sbin/nginx"):
        if not os.access(path, os.X_OK):
            die("%s is missing: run `make %s`" % (path, target))
    os.makedirs(args.out, exist_ok=True)
    args.tmp = tempfile.mkdtemp(prefix=prefix)


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        return True
    except OSError:
        return False


class Nginx:
    """nginx on 127.0.0.1:<free port> answering 204 to everything, in its
    own prefix; logs $msec and the webhook-id header of each request."""

    CONF = """worker_processes 1;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    log_format bench '$msec $http_webhook_id $status $content_length $connection';
    access_log {d}/access.log bench buffer=256k flush=1s;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    client_body_buffer_size 64k;
    server {{
        listen 127.0.0.1:{port};
        location / {{ return 204; }}
    }}
}}
"""

    def __init__(self, d):
        self.d = d
        os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
        for attempt in range(5):
            self.port = free_port()
            conf = os.path.join(d, "nginx.conf")
            with open(conf, "w") as f:
                f.write(self.CONF.format(d=d, port=self.port))
            self.p = start(["/usr/sbin/nginx", "-p", d + "/", "-c", conf,
                            "-e", os.path.join(d, "error.log")],
                           os.path.join(d, "nginx.out"))
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.p.poll() is None:
                if port_open(self.port):
                    return
                time.sleep(0.05)
            stop(self.p)
        die("nginx did not start; see %s/error.log" % d)

    @property
    def url(self):
        return "http://127.0.0.1:%d/hook" % self.port

    def close(self):
        stop(self.p, signal.SIGQUIT)    # graceful: flushes the access log

    def arrivals(self):
        """[(msec, webhook-id, status, content_length)] from the log."""
        out = []
        with open(os.path.join(self.d, "access.log")) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 4:
                    cl = int(parts[3]) if parts[3].isdigit() else 0
                    out.append((float(parts[0]), parts[1], parts[2], cl))
        return out


# ---- data -------------------------------------------------------------

def iso(t):
    return datetime.datetime.fromtimestamp(
        t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def tw_date(t):
    return datetime.datetime.fromtimestamp(
        t, datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def row_time(i, n, now):
    """Due moment of row i of n: the first VISIBLE rows inside the next
    7 days (from an hour ahead), the rest spread over ten years starting
    a month ahead, so the agenda shows the same rows at every size."""
    if i < VISIBLE:
        return now + 3600 + i * (6 * 86400 // VISIBLE)
    return now + 30 * 86400 + (i - VISIBLE) * (3650 * 86400) // max(n, 1)


def write_config(d, channel):
    with open(os.path.join(d, "nudge.conf"), "w") as f:
        f.write('database = "nudge.db";\nruntime_dir = "run";\n'
                'timezone = "UTC";\npeople = (\n')
        f.write(",\n".join(
            '  { handle = "p%d"; name = "Person %d"; hours = "00:00-24:00"; '
            'days = "mon-sun"; notify = [ "%s" ]; capacity = 100000; }'
            % (k, k, channel["name"]) for k in range(PEOPLE)))
        f.write("\n);\nchannels = (\n  { %s }\n);\n" % " ".join(
            '%s = "%s";' % kv for kv in channel.items()))
    os.makedirs(os.path.join(d, "run"), exist_ok=True)
    return os.path.join(d, "nudge.conf")


def load_cli_data(args, d, n, with_task):
    """N promises + N follow-ups into nudge, N tasks into taskwarrior."""
    now = int(time.time())
    pcsv = os.path.join(d, "promises.csv")
    fcsv = os.path.join(d, "followups.csv")
    with open(pcsv, "w") as p, open(fcsv, "w") as f:
        p.write("owner,account,text,due\n")
        f.write("owner,account,text,at\n")
        for i in range(n):
            t = iso(row_time(i, n, now))
            p.write("p%d,Account %d,Promise %d: send the revised offer,%s\n"
                    % (i % PEOPLE, i % ACCOUNTS, i, t))
            f.write("p%d,Account %d,Follow-up %d: call about the photos,%s\n"
                    % (i % PEOPLE, i % ACCOUNTS, i, t))
        # What `promise list --overdue` finds, and the agenda and floor
        # (a)'s read too: the same at every size.
        for i in range(OVERDUE if n > 0 else 0):
            p.write("p%d,Account %d,Overdue %d: send the photos,%s\n"
                    % (i % PEOPLE, i % ACCOUNTS, i,
                       iso(now - (i + 1) * 86400)))
    env = dict(os.environ, NUDGE_CONFIG=os.path.join(d, "nudge.conf"))
    info = {}
    # The database exists (migrated, WAL) even at size 0.
    t0 = time.monotonic()
    subprocess.run([args.nudge, "db", "migrate"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    if n > 0:
        # Half the promises are due in the past, as in a ledger kept for
        # a while: --force, as promise add takes it.
        for kind, path in (("--promises", pcsv), ("--followups", fcsv)):
            subprocess.run([args.nudge, "import", kind, path, "--force"],
                           env=env, check=True, stdout=subprocess.DEVNULL)
    info["nudge_import_s"] = time.monotonic() - t0
    os.unlink(pcsv)
    os.unlink(fcsv)
    if with_task:
        tdir = os.path.join(d, "task")
        os.makedirs(tdir, exist_ok=True)
        with open(os.path.join(d, "taskrc"), "w") as f:
            f.write("data.location=%s\nconfirmation=off\nhooks=off\n"
                    "news.version=2.6.2\ncolor=off\n" % tdir)
        tjson = os.path.join(d, "tasks.json")
        with open(tjson, "w") as f:
            for i in range(n):
                f.write(json.dumps({
                    "description": "Promise %d: send the revised offer" % i,
                    "status": "pending", "entry": tw_date(now),
                    "due": tw_date(row_time(i, n, now)),
                    "project": "Account%d" % (i % ACCOUNTS)}) + "\n")
        t0 = time.monotonic()
        if n > 0:
            subprocess.run(["/usr/bin/task", "import", tjson],
                           env=task_env(d), check=True,
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        info["task_import_s"] = time.monotonic() - t0
        os.unlink(tjson)
    return info


def task_env(d):
    return dict(os.environ, TASKRC=os.path.join(d, "taskrc"),
                TASKDATA=os.path.join(d, "task"))


# ---- CLI --------------------------------------------------------------

def timeit(args, d, name, cmds, env):
    spec = os.path.join(d, name + ".spec")
    with open(spec, "w") as f:
        for c in cmds:
            f.write("\t".join(c) + "\n")
    out = subprocess.run([args.timeit, str(args.runs), str(args.warmup),
                          spec], env=env, stdout=subprocess.PIPE, text=True)
    if out.returncode != 0:
        die("%s: a command exited with an unexpected status (see above)"
            % spec)
    times = {}
    for line in out.stdout.splitlines():
        cname, _, ns, _, _ = line.split("\t")
        times.setdefault(cname, []).append(int(ns) / 1e6)
    return {k: summary(v) for k, v in times.items()}


def bench_cli(args, mode):
    results = []
    for n in mode["sizes"]:
        d = os.path.join(args.tmp, "cli-%d" % n)
        os.makedirs(d)
        write_config(d, {"name": "log", "type": "log"})
        with_task = n <= mode["task_max"]
        log("CLI: loading %d promises + %d follow-ups%s" % (
            n, n, " and %d tasks" % n if with_task else ""))
        info = load_cli_data(args, d, n, with_task)
        db = os.path.join(d, "nudge.db")
        env = dict(os.environ, NUDGE_CONFIG=os.path.join(d, "nudge.conf"))
        if with_task:
            env.update(task_env(d))
        writes = [["floor", "0", args.floor_db, "write", db],
                  ["nudge", "0", args.nudge, "promise", "add", WRITE_TEXT,
                   "--owner", "p3", "--account", "Account 17", "--due",
                   WRITE_DUE]]
        reads = [["floor", "0", args.floor_db, "read", db],
                 ["nudge", "0", args.nudge, "agenda"],
                 ["overdue", "0", args.nudge, "promise", "list",
                  "--overdue"]]
        if with_task:
            writes.append(["task", "0", "/usr/bin/task", "add", WRITE_TEXT,
                           "due:" + WRITE_DUE, "project:Account17"])
            # `task next` exits 1 when nothing matches (size 0).
            reads.append(["task", "*", "/usr/bin/task", "next"])
        log("CLI: %d rows: timing writes (%d rounds)" % (n, args.runs))
        w = timeit(args, d, "write", writes, env)
        log("CLI: %d rows: timing reads (%d rounds)" % (n, args.runs))
        r = timeit(args, d, "read", reads, env)
        results.append(dict(rows=n, write=w, read=r, **info))
        # Keep the largest database for the idle and RSS measurement.
        if n != mode["sizes"][-1] and not args.keep:
            shutil.rmtree(d)
    return results


# ---- daemon -----------------------------------------------------------

def nudged_concurrency():
    """Connections per host and transfers in flight, from the daemon's
    sources, so that floor (b) keeps matching them."""
    with open(os.path.join(ROOT, "daemon", "deliver.h")) as f:
        inflight = int(re.search(r"#define\s+DELIVER_MAX_INFLIGHT\s+(\d+)",
                                 f.read()).group(1))
    with open(os.path.join(ROOT, "daemon", "loop.c")) as f:
        m = re.search(r"#define\s+LOOP_MAX_HOST_CONNECTIONS\s+(\w+)",
                      f.read())
    # A number, or DELIVER_MAX_INFLIGHT itself (one connection per slot).
    conns = inflight if m.group(1) == "DELIVER_MAX_INFLIGHT" else int(m.group(1))
    return conns, inflight


def watchdog_usec():
    """WatchdogSec of the shipped unit, as systemd would pass it."""
    with open(os.path.join(ROOT, "systemd", "nudged.service.in")) as f:
        m = re.search(r"^WatchdogSec=(\d+)(s|min)?\s*$", f.read(), re.M)
    if m is None:
        return None
    sec = int(m.group(1)) * (60 if m.group(2) == "min" else 1)
    return sec * 1000000


def db_value(db, sql):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=30)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def proc_cpu(pid):
    """User + system CPU seconds the process has used so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_thread_cpu(pid):
    """User + system CPU seconds so far of each thread, by thread name."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                head, tail = f.read().rsplit(")", 1)
        except FileNotFoundError:
            continue
        name = head.split("(", 1)[1]
        fields = tail.split()
        out[name] = out.get(name, 0) + (int(fields[11]) + int(fields[12])) \
            / os.sysconf("SC_CLK_TCK")
    return out


def proc_status(pid):
    """VmHWM/VmRSS (kB) of the process, context switches summed over its
    threads."""
    out = {"voluntary": 0, "nonvoluntary": 0}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem"):
                out[k] = int(v.split()[0])
    for tid in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k == "voluntary_ctxt_switches":
                    out["voluntary"] += int(v)
                elif k == "nonvoluntary_ctxt_switches":
                    out["nonvoluntary"] += int(v)
    return out


def start_nudged(args, d, env_extra=None):
    env = dict(os.environ)
    env.pop("NOTIFY_SOCKET", None)
    env.pop("WATCHDOG_PID", None)
    env.pop("WATCHDOG_USEC", None)
    env.update(env_extra or {})
    logpath = os.path.join(d, "nudged.log")
    wrapper = os.environ.get("NUDGED_WRAPPER", "").split()
    p = start(wrapper + [args.nudged, "-c", os.path.join(d, "nudge.conf")],
              logpath, env)
    wait_until(lambda: file_has(logpath, "ready") or p.poll() is not None,
               120, "nudged to start")
    if p.poll() is not None:
        die("nudged exited %d; see %s" % (p.returncode, logpath))
    return p


def wait_caught_up(db, p, timeout):
    """Until the scheduler's cursor has reached the last event."""
    last = db_value(db, "SELECT coalesce(max(id), 0) FROM events")
    wait_until(lambda: p.poll() is not None or db_value(
        db, "SELECT event_cursor FROM daemon") >= last, timeout,
        "nudged to read %d events" % last, 0.25)
    if p.poll() is not None:
        die("nudged exited %d" % p.returncode)


def bench_idle(args, mode, rows):
    d = os.path.join(args.tmp, "cli-%d" % rows)
    db = os.path.join(d, "nudge.db")
    wd = watchdog_usec()
    pending = db_value(db, "SELECT count(*) FROM followups "
                           "WHERE state = 'pending'")
    log("idle: nudged on %d pending follow-ups, WATCHDOG_USEC=%s" % (
        pending, wd))
    t0 = time.monotonic()
    p = start_nudged(args, d, {"WATCHDOG_USEC": str(wd)} if wd else None)
    wait_caught_up(db, p, 1800)
    settle = time.monotonic() - t0
    time.sleep(2)
    a = proc_status(p.pid)
    time.sleep(mode["idle"])
    b = proc_status(p.pid)
    stop(p)
    beat = wd / 2e6 if wd else 60.0     # loop.c: half the watchdog
    window = mode["idle"]
    switches = b["voluntary"] - a["voluntary"]
    return dict(pending=pending, startup_s=settle, window_s=window,
                voluntary=switches,
                nonvoluntary=b["nonvoluntary"] - a["nonvoluntary"],
                per_min=switches * 60.0 / window,
                watchdog_per_min=60.0 / beat,
                watchdog_in_window=math.ceil(window / beat),
                hwm_kb=b["VmHWM"], rss_kb=b["VmRSS"],
                rss_anon_kb=b.get("RssAnon"), rss_file_kb=b.get("RssFile"),
                rss_shmem_kb=b.get("RssShmem"))


def lateness_run(args, name, times, floor_after=False):
    """Import follow-ups due at `times` (offsets in seconds from a start
    moment chosen far enough ahead for the setup), run nudged until every
    one has arrived at nginx, and measure."""
    n = len(times)
    margin = 4.0 + n * 0.0002
    for attempt in range(3):
        d = os.path.join(args.tmp, "%s-%d" % (name, attempt))
        os.makedirs(d)
        ng = Nginx(os.path.join(d, "nginx"))
        with open(os.path.join(d, "hook.secret"), "w") as f:
            f.write("whsec_" + "YmVuY2htYXJrLXNlY3JldC0wMTIzNDU2Nzg5YWJj"
                    "\n")
        os.chmod(os.path.join(d, "hook.secret"), 0o600)
        write_config(d, {"name": "hook", "type": "webhook",
                         "format": "json", "url": ng.url,
                         "secret_file": "hook.secret"})
        t0 = int(time.time() + margin) + 1
        csv = os.path.join(d, "followups.csv")
        with open(csv, "w") as f:
            f.write("owner,account,text,at\n")
            for i, off in enumerate(times):
                f.write("p%d,Account %d,Follow-up %d: call about the "
                        "photos,%s\n" % (i % PEOPLE, i % ACCOUNTS, i,
                                         iso(t0 + off)))
        env = dict(os.environ, NUDGE_CONFIG=os.path.join(d, "nudge.conf"))
        subprocess.run([args.nudge, "import", "--followups", csv], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        db = os.path.join(d, "nudge.db")
        p = start_nudged(args, d)
        wait_caught_up(db, p, 600)
        if time.time() < t0 - 0.5:
            break
        log("%s: setup took longer than %.0fs; again with more time"
            % (name, margin))
        stop(p)
        ng.close()
        margin *= 3
    else:
        die("%s: could not set up before the due moment" % name)
    cpu0 = proc_cpu(p.pid)
    tcpu0 = proc_thread_cpu(p.pid)
    log("%s: %d follow-ups due from %s over %ds" % (
        name, n, iso(t0), max(times) + 1))
    deadline = t0 + max(times) + 120 + n / 500.0
    wait_until(lambda: p.poll() is not None or db_value(
        db, "SELECT count(*) FROM deliveries WHERE state = 'delivered'")
        >= n, deadline - time.time(), "%d deliveries" % n, 0.25)
    hwm = proc_status(p.pid)["VmHWM"]
    cpu = proc_cpu(p.pid) - cpu0
    tcpu = {k: v - tcpu0.get(k, 0) for k, v in proc_thread_cpu(p.pid).items()}
    stop(p)
    floor = []
    if floor_after:
        # The same receiver, bodies of nudged's median size, nudged's
        # concurrency; twice, to see the noise.
        body = sorted(a[3] for a in ng.arrivals())[n // 2]
        conns, inflight = nudged_concurrency()
        for k in (1, 2):
            out = subprocess.run([args.floor_send, ng.url, str(n),
                                  str(body), str(conns), str(inflight),
                                  "floor%d-" % k], stdout=subprocess.PIPE,
                                 text=True)
            if out.returncode != 0:
                die("floor_send: " + out.stdout)
            floor.append(dict(kv.split("=") for kv in out.stdout.split()))
            floor[-1].update(body_bytes=body, connections=conns,
                             inflight=inflight)
    ng.close()
    remind = dict(sqlite3.connect("file:%s?mode=ro" % db, uri=True)
                  .execute("SELECT id, remind_at FROM followups"))
    late, seen, bad, worst = [], set(), 0, []
    first = last = None
    fspan = {}          # floor run -> [count, first, last]
    for msec, wid, status, _ in ng.arrivals():
        m = re.match(r"(floor\d+)-", wid)
        if m is not None:
            c = fspan.setdefault(m.group(1), [0, msec, msec])
            c[0] += 1
            c[1], c[2] = min(c[1], msec), max(c[2], msec)
            continue
        fid = followup_of(wid)
        if fid is None or status != "204":
            bad += 1
            continue
        if fid in seen:
            bad += 1            # a duplicate
            continue
        seen.add(fid)
        late.append(msec - remind[fid])
        worst.append((msec - remind[fid], fid, remind[fid]))
        first = msec if first is None else min(first, msec)
        last = msec if last is None else max(last, msec)
    res = dict(count=n, delivered=len(seen), bad=bad, due_from=t0,
               window_s=max(times) + 1, hwm_kb=hwm, cpu_s=cpu,
               cpu_us_per_delivery=cpu * 1e6 / max(len(seen), 1),
               cpu_us_per_delivery_by_thread={
                   k: v * 1e6 / max(len(seen), 1) for k, v in tcpu.items()},
               p50=pct(late, 50), p99=pct(late, 99), max=max(late),
               min=min(late), over_1s=sum(1 for v in late if v >= 1.0),
               worst=[dict(lateness=w, followup=f, remind_at=r) for w, f, r
                      in sorted(worst, reverse=True)[:5]])
    # Delivery rate at the receiver, first to last arrival, for nudged
    # and for each floor run alike.
    if first is not None and last > first:
        res["rate"] = (len(seen) - 1) / (last - first)
        res["span_s"] = last - first
        res["rate_from_due"] = len(seen) / (last - t0)
    if floor:
        res["floor_runs"] = floor
        rates = [(c - 1) / (b - a) for c, a, b in fspan.values() if b > a]
        res["floor_rates"] = rates
        res["floor_rate"] = sum(rates) / len(rates)
        res["floor_cpu_us_per_request"] = sum(
            float(f["cpu"]) for f in floor) * 1e6 / (n * len(floor))
    if not args.keep:
        shutil.rmtree(d)
    return res


def bench_spread(args, mode):
    n, window = mode["spread"]
    return lateness_run(args, "spread", [i * window // n for i in range(n)])


def bench_burst(args, mode):
    return lateness_run(args, "burst", [0] * mode["burst"], floor_after=True)


# ---- report -----------------------------------------------------------

def human_rows(n):
    if n >= 1000000 and n % 1000000 == 0:
        return "%dM" % (n // 1000000)
    if n >= 1000 and n % 1000 == 0:
        return "%dk" % (n // 1000)
    return str(n)


def ms(s):
    if s is None:
        return "-"
    f = lambda v: ("%.1f" % v) if v < 100 else ("%.0f" % v)
    return "%s [%s-%s]" % (f(s["median"]), f(s["p10"]), f(s["p90"]))


def ratio(a, b):
    if a is None or b is None or b["median"] == 0:
        return None
    return a["median"] / b["median"]


def fmt_ratio(r):
    return "-" if r is None else "%.2fx" % r if r < 10 else "%.0fx" % r


def verdict(ok, miss):
    return "met" if ok else "MISSED " + miss


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/etc/os-release") as f:
            osr = dict(l.rstrip("\n").split("=", 1) for l in f if "=" in l)
        distro = osr.get("PRETTY_NAME", "?").strip('"')
    except OSError:
        distro = "?"
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return "%d cores (%s), %.0f GiB, %s, Linux %s" % (
        os.cpu_count(), model, mem, distro, platform.release())


def versions():
    def first_line(argv):
        try:
            out = subprocess.run(argv, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
            return out.stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    return "SQLite %s, %s, %s, taskwarrior %s" % (
        sqlite3.sqlite_version,
        first_line(["/usr/sbin/nginx", "-v"]).replace("nginx version: ", ""),
        first_line(["curl-config", "--version"]),
        first_line(["/usr/bin/task", "--version"]))


def report(args, mode, cli, idle, spread, burst, stamp):
    rows = []           # (figure, rows, nudge, floor, n/f, task, t/n)
    targets = []        # (target, measured, verdict)
    for c in cli:
        for kind, label in (("write", "write: promise add / task add"),
                            ("read", "read: agenda / task next")):
            f, n, t = (c[kind].get(k) for k in ("floor", "nudge", "task"))
            rows.append((label + " (ms)", human_rows(c["rows"]), ms(n),
                         ms(f), fmt_ratio(ratio(n, f)), ms(t),
                         fmt_ratio(ratio(t, n))))
        o = c["read"].get("overdue")
        if o is not None:
            f = c["read"].get("floor")
            rows.append(("read: promise list --overdue (ms)",
                         human_rows(c["rows"]), ms(o), ms(f),
                         fmt_ratio(ratio(o, f)), "", ""))
    spread_n, spread_w = (spread["count"], spread["window_s"]) if spread \
        else mode["spread"]
    late_fmt = "%.3f / %.3f / %.3f / %.3f"
    if spread:
        rows.append(("lateness min/p50/p99/max (s), %d over %ds" % (
                     spread_n, spread_w), "",
                     late_fmt % (spread["min"], spread["p50"],
                                 spread["p99"], spread["max"]),
                     "", "", "", ""))
    if burst:
        rows.append(("lateness min/p50/p99/max (s), burst of %d" %
                     burst["count"], "",
                     late_fmt % (burst["min"], burst["p50"], burst["p99"],
                                 burst["max"]), "", "", "", ""))
        rows.append(("burst delivery rate (/s)", "",
                     "%.0f" % burst.get("rate", 0),
                     "%.0f (runs %s)" % (burst["floor_rate"], "/".join(
                         "%.0f" % r for r in burst["floor_rates"])),
                     fmt_ratio(burst.get("rate", 0) / burst["floor_rate"]),
                     "", ""))
        rows.append(("burst CPU per delivery (us)", "",
                     "%.0f" % burst["cpu_us_per_delivery"],
                     "%.0f" % burst["floor_cpu_us_per_request"],
                     fmt_ratio(burst["cpu_us_per_delivery"] /
                               burst["floor_cpu_us_per_request"]), "", ""))
    if idle:
        rows.append(("idle wake-ups (/min)", human_rows(idle["pending"]),
                     "%.1f" % idle["per_min"],
                     "watchdog %.1f" % idle["watchdog_per_min"], "", "", ""))
        rows.append(("nudged peak RSS, VmHWM (MB)",
                     human_rows(idle["pending"]),
                     "%.1f (anon %.1f, files %.1f)" % (
                         idle["hwm_kb"] / 1024.0,
                         (idle.get("rss_anon_kb") or 0) / 1024.0,
                         (idle.get("rss_file_kb") or 0) / 1024.0),
                     "", "", "", ""))

    # Targets (docs/PERFORMANCE.md, issue 8).
    for c in cli:
        r = ratio(c["write"]["nudge"], c["write"]["floor"])
        targets.append(("write <= 2x floor (a) at %s" % human_rows(c["rows"]),
                        "%.2fx" % r, verdict(r <= 2.0, "by %.2fx" %
                                             (r - 2.0))))
    # Flat: what nudge adds to the floor does not grow with the rows.  The
    # floor's own growth (bigger files, a busier machine late in the run)
    # is divided out: nudge cannot be flatter than one SQLite insert.
    w0, wn = cli[0]["write"], cli[-1]["write"]
    growth = wn["nudge"]["median"] / w0["nudge"]["median"]
    fgrowth = wn["floor"]["median"] / w0["floor"]["median"]
    rel = growth / fgrowth
    targets.append(("write flat to %s (growth / floor's <= 1.25)" %
                    human_rows(cli[-1]["rows"]),
                    "%.2fx (%.2fx / %.2fx)" % (rel, growth, fgrowth),
                    verdict(rel <= 1.25, "by %.0f%%" % ((rel - 1.25) * 100))))
    top = cli[-1]
    a = top["read"]["nudge"]["median"]
    targets.append(("agenda < 20 ms at %s" % human_rows(top["rows"]),
                    "%.1f ms" % a, verdict(a < 20, "by %.0f ms (%.0fx)" %
                                           (a - 20, a / 20))))
    if "overdue" in top["read"]:
        a = top["read"]["overdue"]["median"]
        targets.append(("promise list --overdue < 20 ms at %s" %
                        human_rows(top["rows"]), "%.1f ms" % a,
                        verdict(a < 20, "by %.0f ms" % (a - 20))))
    for c in cli:
        if c["rows"] != 100000 or "task" not in c["write"]:
            continue
        for kind, what in (("write", "add"), ("read", "report")):
            r = ratio(c[kind]["task"], c[kind]["nudge"])
            targets.append(("taskwarrior/nudge >= 20x at 100k (%s)" % what,
                            "%.1fx" % r, verdict(r >= 20, "by %.1fx" %
                                                 (20 - r))))
    if spread:
        targets.append(("lateness p99 < 1 s (%d spread)" % spread_n,
                        "%.3f s" % spread["p99"],
                        verdict(spread["p99"] < 1.0, "by %.3f s" %
                                (spread["p99"] - 1.0))))
        if spread["delivered"] != spread["count"] or spread["bad"]:
            targets.append(("every spread follow-up delivered once",
                            "%d/%d, %d bad" % (spread["delivered"],
                                               spread["count"],
                                               spread["bad"]), "MISSED"))
    if burst:
        r = burst.get("rate", 0) / burst["floor_rate"]
        targets.append(("burst rate >= 0.5x floor (b)", "%.2fx" % r,
                        verdict(r >= 0.5, "by %.2fx" % (0.5 - r))))
        if burst["delivered"] != burst["count"] or burst["bad"]:
            targets.append(("every burst follow-up delivered once",
                            "%d/%d, %d bad" % (burst["delivered"],
                                               burst["count"], burst["bad"]),
                            "MISSED"))
    if idle:
        extra = idle["voluntary"] - idle["watchdog_in_window"]
        targets.append(("no idle wake-ups beyond the watchdog's",
                        "%d in %ds (watchdog <= %d)" % (
                            idle["voluntary"], idle["window_s"],
                            idle["watchdog_in_window"]),
                        verdict(extra <= 0, "by %d" % extra)))
        mb = idle["hwm_kb"] / 1024.0
        targets.append(("nudged RSS <= 16 MB at %s pending" %
                        human_rows(idle["pending"]), "%.1f MB" % mb,
                        verdict(mb <= 16, "by %.1f MB" % (mb - 16))))

    head = ("figure", "rows", "nudge", "floor", "nudge/floor",
            "taskwarrior", "task/nudge")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in
              range(len(head))]
    twidths = [max(len(t[i]) for t in targets + [("target", "measured",
                                                  "result")])
               for i in range(3)]
    lines = []
    lines.append("nudge benchmark (%s mode), %s" % (args.mode, stamp))
    lines.append("machine: " + (getattr(args, "machine", None) or machine()))
    lines.append("versions: " + (getattr(args, "versions", None) or
                                 versions()))
    lines.append("times: whole-process wall time, median [p10-p90] of %d "
                 "interleaved rounds; ratios of medians" % args.runs)
    if cli and cli[-1]["rows"] > mode["task_max"]:
        lines.append("taskwarrior: up to %s rows only (larger is "
                     "impractical: docs/PERFORMANCE.md)" %
                     human_rows(mode["task_max"]))
    lines.append("")
    fmt = "  ".join("%%-%ds" % w for w in widths)
    lines.append(fmt % head)
    lines.append(fmt % tuple("-" * w for w in widths))
    for r in rows:
        lines.append(fmt % r)
    lines.append("")
    tfmt = "  ".join("%%-%ds" % w for w in twidths)
    lines.append(tfmt % ("target", "measured", "result"))
    lines.append(tfmt % tuple("-" * w for w in twidths))
    for t in targets:
        lines.append(tfmt % t)
    return "\n".join(l.rstrip() for l in lines) + "\n"


def plot(args, cli, out):
    dat = os.path.join(args.out, "latency.dat")
    with open(dat, "w") as f:
        f.write("# rows  then median p10 p90 (ms) for: write floor, nudge, "
                "task; read floor, nudge, task\n")
        for c in cli:
            cols = [human_rows(c["rows"])]
            for kind in ("write", "read"):
                for who in ("floor", "nudge", "task"):
                    s = c[kind].get(who)
                    cols += (["%.3f" % s[k] for k in ("median", "p10",
                                                     "p90")]
                             if s else ["NaN"] * 3)
            f.write(" ".join(cols) + "\n")
    r = subprocess.run(["gnuplot", "-c", os.path.join(ROOT, "bench",
                                                      "plot.gp"), dat, out],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if r.returncode != 0:
        log("gnuplot failed: " + r.stdout)


def write_table(args, mode, r):
    table = report(args, mode, r["cli"] or [], r["idle"], r["spread"],
                   r["burst"], r["date"]) if r["cli"] else \
        json.dumps(dict(idle=r["idle"], spread=r["spread"],
                        burst=r["burst"]), indent=1) + "\n"
    table += "\n(%s mode took %.0f s; results in %s)\n" % (
        r["mode"], r["elapsed_s"], os.path.relpath(args.out, ROOT))
    with open(os.path.join(args.out, "table.txt"), "w") as f:
        f.write(table)
    print()
    print(table, end="")


def report_again(args, mode):
    """The table from a saved results.json (after a change to the report
    or the targets): the measurements are not redone."""
    with open(os.path.join(args.out, "results.json")) as f:
        r = json.load(f)
    args.mode, args.runs = r["mode"], r["runs"]
    args.machine, args.versions = r.get("machine"), r.get("versions")
    write_table(args, dict(MODES[r["mode"]]), r)


# ---- main -------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=sorted(MODES), default="quick")
    ap.add_argument("--build", default="build",
                    help="build directory with nudge, nudged, bench/")
    ap.add_argument("--out", help="where the table, JSON and plot go")
    ap.add_argument("--sizes", help="comma-separated CLI sizes")
    ap.add_argument("--runs", type=int, help="timed rounds per size")
    ap.add_argument("--spread", help="N,SECONDS: follow-ups for the "
                    "spread lateness run")
    ap.add_argument("--burst", type=int, help="follow-ups in the burst")
    ap.add_argument("--idle", type=int, help="seconds of idle window")
    ap.add_argument("--only", default="cli,idle,spread,burst",
                    help="comma-separated parts: cli, idle, spread, burst")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary directory")
    ap.add_argument("--report-only", action="store_true",
                    help="print the table again from OUT/results.json")
    args = ap.parse_args()
    mode = dict(MODES[args.mode])
    if args.sizes:
        mode["sizes"] = [int(s) for s in args.sizes.split(",")]
    if args.spread:
        mode["spread"] = tuple(int(v) for v in args.spread.split(","))
    if args.burst:
        mode["burst"] = args.burst
    if args.idle:
        mode["idle"] = args.idle
    args.runs = args.runs or mode["runs"]
    args.warmup = mode["warmup"]
    only = set(args.only.split(","))
    b = os.path.join(ROOT, args.build)
    args.nudge, args.nudged = b + "/nudge", b + "/nudged"
    args.floor_db = b + "/bench/floor_db"
    args.floor_send = b + "/bench/floor_send"
    args.timeit = b + "/bench/timeit"
    args.out = os.path.abspath(args.out or os.path.join(b, "bench",
                                                         args.mode))
    for path in (args.nudge, args.nudged, args.floor_db, args.floor_send,
                 args.timeit, "/usr/sbin/nginx", "/usr/bin/task",
                 "/usr/bin/gnuplot"):
        if not os.access(path, os.X_OK):
            die("%s is missing: run `make bench` (it installs and builds "
                "what is needed)" % path)
    if args.report_only:
        return report_again(args, mode)
    os.makedirs(args.out, exist_ok=True)
    args.tmp = tempfile.mkdtemp(prefix="nudge-bench.")
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    cli = idle = spread = burst = None
    try:
        if "cli" in only or "idle" in only:
            cli = bench_cli(args, mode)
        if "idle" in only:
            idle = bench_idle(args, mode, mode["sizes"][-1])
        if "spread" in only:
            spread = bench_spread(args, mode)
        if "burst" in only:
            burst = bench_burst(args, mode)
    finally:
        stop_all()
        if args.keep:
            log("kept " + args.tmp)
        else:
            shutil.rmtree(args.tmp, ignore_errors=True)
    elapsed = time.monotonic() - started
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%d %H:%M UTC")
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(dict(mode=args.mode, date=stamp, machine=machine(),
                       versions=versions(), runs=args.runs,
                       elapsed_s=elapsed, cli=cli, idle=idle, spread=spread,
                       burst=burst), f, indent=1)
    if cli:
        plot(args, cli, os.path.join(args.out, "latency.png"))
    write_table(args, mode, dict(mode=args.mode, date=stamp,
                                 elapsed_s=elapsed, cli=cli, idle=idle,
                                 spread=spread, burst=burst))


if __name__ == "__main__":
    main()
