#!/usr/bin/python3
"""API writes a second against a floor, and reminders' lateness meanwhile.

make bench-api (or part of make bench).  In one run, on this machine:

  floor   bench/floor_api.c: libmicrohttpd and one prepared SQLite insert
          per POST (WAL, synchronous=FULL), driven by wrk
  api     nudged's POST /v1/deals (a bearer token, the body read against
          its fields, uc_deal_import's checks, the deal, its account and
          its event in one durable transaction), driven by the same wrk

Beside each: follow-ups due during the run (a webhook channel to a local
receiver), their lateness = arrival - remind_at, quiet and under the API's
load.  Target: the API at least half the floor.  Writes apiload.txt and
apiload.json to --out.
"""
import argparse, json, os, re, signal, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402  (the helpers: ports, waiting)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wrk(url, body, token, secs, conns, threads, tmp):
    lua = os.path.join(tmp, "post.lua")
    with open(lua, "w") as f:
        f.write('wrk.method = "POST"\nwrk.body = %s\n' % json.dumps(body))
        f.write('wrk.headers["Content-Type"] = "application/json"\n')
        if token:
            f.write('wrk.headers["Authorization"] = "Bearer %s"\n' % token)
    out = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % conns,
                          "-d%ds" % secs, "-s", lua, url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, int(m.group(1)) if m else 0


def p(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))] if v else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reminders", type=int, default=100,
                    help="follow-ups due in each phase")
    a = ap.parse_args()
    build = os.path.join(ROOT, a.build)
    tmp = tempfile.mkdtemp(prefix="nudge-apiload.")
    procs = []
    try:
        result = run(a, build, tmp, procs)
    finally:
        for pr in procs:
            if pr.poll() is None:
                pr.send_signal(signal.SIGTERM)
                pr.wait()
        subprocess.run(["rm", "-rf", tmp])
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "apiload.json"), "w") as f:
        json.dump(result, f, indent=1)
    text = table(result)
    with open(os.path.join(a.out, "apiload.txt"), "w") as f:
        f.write(text)
    print(text, end="")


def table(r):
    lines = ["run      writes/s   non-2xx   lateness p50 ms   p99 ms   max ms"]
    for name in ("floor", "quiet", "api"):
        x = r[name]
        lines.append("%-8s %8s %9s %17s %8s %8s" % (
            name, "%.0f" % x["rps"] if x.get("rps") else "-",
            x.get("errors", "-"),
            "%.0f" % x["p50"] if "p50" in x else "-",
            "%.0f" % x["p99"] if "p99" in x else "-",
            "%.0f" % x["max"] if "max" in x else "-"))
    share = r["api"]["rps"] / r["floor"]["rps"]
    lines.append("api / floor: %.2f (target >= 0.5: %s); %d API writes, "
                 "%d s each, %d connections" % (
                     share, "met" if share >= 0.5 else "NOT met",
                     r["api"]["deals"], r["seconds"], r["connections"]))
    return "\n".join(lines) + "\n"


def schedule(nudge, env, tmp, start, secs, n, tag):
    """n follow-ups due from start over secs seconds, imported at once."""
    csv = os.path.join(tmp, tag + ".csv")
    with open(csv, "w") as f:
        f.write("owner,account,text,at\n")
        for i in range(n):
            at = time.strftime("%Y-%m-%d %H:%M:%S",
                               time.gmtime(start + secs * i / n))
            f.write("anna,Acme,%s %d,%s\n" % (tag, i, at))
    subprocess.run([nudge, "import", "--followups", csv], env=env,
                   check=True, capture_output=True)


def lateness(recv_log, db, tag):
    import sqlite3
    due = dict(sqlite3.connect(db).execute(
        "SELECT text, remind_at FROM followups WHERE text LIKE ?",
        (tag + " %",)).fetchall())
    late = []
    for line in open(recv_log):
        rec = json.loads(line)
        text = json.loads(rec["body"])["data"]["text"]
        if text in due:
            late.append((rec["t"] - due.pop(text)) * 1000)
    return late, len(due)


def run(a, build, tmp, procs):
    nudge, nudged = os.path.join(build, "nudge"), os.path.join(build, "nudged")
    rport = os.path.join(tmp, "rport")
    recv_log = os.path.join(tmp, "recv.log")
    procs.append(subprocess.Popen(
        ["/usr/bin/python3", os.path.join(ROOT, "tests/integration/recv_http.py"),
         "--port-file", rport, "--log", recv_log]))
    bench.wait_until(lambda: os.path.exists(rport) and open(rport).read(),
                     10, "the receiver")
    hport = bench.free_port()
    conf = os.path.join(tmp, "nudge.conf")
    with open(conf, "w") as f:
        f.write('database = "nudge.db"; runtime_dir = "run"; timezone = "UTC";\n'
                'people = ( { handle = "anna"; hours = "00:00-24:00"; '
                'days = "mon-sun"; notify = [ "hook" ]; } );\n'
                'channels = ( { name = "hook"; type = "webhook"; '
                'url = "http://127.0.0.1:%s/ok"; } );\n'
                'http = { listen = "127.0.0.1:%d"; api_rate = 100000; };\n'
                % (open(rport).read().strip(), hport))
    os.makedirs(os.path.join(tmp, "run"))
    env = dict(os.environ, NUDGE_CONFIG=conf)
    subprocess.run([nudge, "db", "migrate"], env=env, check=True,
                   capture_output=True)
    token = subprocess.run([nudge, "token", "add", "bench", "--scope",
                            "write"], env=env, check=True,
                           capture_output=True, text=True).stdout.strip()
    body = {"title": "Bench deal", "account": "Acme", "owner": "anna",
            "value": 100, "currency": "EUR"}
    res = {"seconds": a.seconds, "connections": a.connections}

    fport = bench.free_port()
    floor = subprocess.Popen([os.path.join(build, "bench", "floor_api"),
                              str(fport), os.path.join(tmp, "floor.db")],
                             stdout=subprocess.PIPE, text=True)
    procs.append(floor)
    floor.stdout.readline()
    rps, err = wrk("http://127.0.0.1:%d/v1/deals" % fport, json.dumps(body),
                   None, a.seconds, a.connections, a.threads, tmp)
    res["floor"] = {"rps": rps, "errors": err}
    floor.send_signal(signal.SIGTERM)
    floor.wait()

    log = open(os.path.join(tmp, "nudged.log"), "w")
    procs.append(subprocess.Popen([nudged], env=env, stdout=log,
                                  stderr=subprocess.STDOUT, cwd=tmp))
    nlog = os.path.join(tmp, "nudged.log")
    bench.wait_until(lambda: "ready" in open(nlog).read(), 10,
                     "nudged's start")
    db = os.path.join(tmp, "nudge.db")
    # Quiet: the reminders alone.
    start = time.time() + 2
    schedule(nudge, env, tmp, start, a.seconds, a.reminders, "quiet")
    time.sleep(max(0, start + a.seconds + 2 - time.time()))
    # Loaded: the same while wrk posts deals.
    start = time.time() + 2
    schedule(nudge, env, tmp, start, a.seconds, a.reminders, "loaded")
    rps, err = wrk("http://127.0.0.1:%d/v1/deals" % hport, json.dumps(body),
                   token, a.seconds + 4, a.connections, a.threads, tmp)
    res["api"] = {"rps": rps, "errors": err}
    import sqlite3
    res["api"]["deals"] = sqlite3.connect(db).execute(
        "SELECT count(*) FROM deals").fetchone()[0]
    for tag, key in (("quiet", "quiet"), ("loaded", "api")):
        bench.wait_until(lambda: lateness(recv_log, db, tag)[1] == 0, 60,
                         "every %s reminder's arrival" % tag)
        late, _ = lateness(recv_log, db, tag)
        res.setdefault(key, {}).update(
            {"p50": p(late, 0.5), "p99": p(late, 0.99), "max": max(late),
             "n": len(late)})
    return res


if __name__ == "__main__":
    main()
