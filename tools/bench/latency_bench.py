#!/usr/bin/env python3
"""Issue 20: how close one `mano sync` comes to the round-trip limit on high-latency links.

For N queued results (N = 100 and 1,000), one `mano sync` process drains the outbox through
flakynet at 8,000 B/s each way (64 kbit/s, damascus's line without cuts or blackouts) with a
one-way delay of 0, 300 and 1,000 ms (profiles `latency300`, `latency1000`; the 0 ms row is
`latency300` with `set delay 0`). The time runs from the process's start to its exit. The
limit is what the bytes that run moved need at that rate, plus the connection set-up and one
exchange: limit = up/rate + down/rate + 2 x RTT (RTT = 2 x delay; plain HTTP on loopback, so
the set-up is the TCP handshake). Reported: median (min-max) of --reps runs of the time and of
time/limit; the goal of issue 20 is <= 1.3x at 300 ms and at 1 s, for both sizes.

Each run uses a new worker and a new data folder (claims and queueing go over a good link,
then the link becomes the profile and flakynet's counters are reset), so every run starts
like a first sync: no remembered batch window, no open connection.

usage: latency_bench.py --bin BUILD/bin [--reps 3] [--sizes 100,1000] [--delays 0,300,1000]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "suite"))
from bench import Flakynet, Manod, Suite, log, write_tasks  # noqa: E402

RATE = 8000  # bytes/s each way: flakynet's latency300/latency1000 (64 kbit/s)


def fmt(values, digits):
    return "%.*f (%.*f-%.*f)" % (digits, statistics.median(values), digits, min(values),
                                 digits, max(values))


def one_run(suite, manod, n, delay, rep):
    fn = Flakynet(suite.bin, suite.work, manod.port, "good", rep)
    try:
        data = suite.new_mano(fn.url, manod.new_worker())
        suite.claim(data, n)
        queued = suite.queue(data)
        if queued != n:
            raise RuntimeError("queued %d of %d" % (queued, n))
        fn.command("profile " + ("latency1000" if delay == 1000 else "latency300"))
        fn.command("set delay %d" % delay)
        fn.command("reset-stats")
        start = time.monotonic()
        suite.mano(data, "sync")
        seconds = time.monotonic() - start
        s = fn.stats()
        left = suite.outbox_items(data)
        if left:
            raise RuntimeError("%d results left after mano sync" % left)
        shutil.rmtree(data, ignore_errors=True)
    finally:
        fn.stop()
    rtt = 2 * delay / 1000.0
    limit = s["bytes_up"] / RATE + s["bytes_down"] / RATE + 2 * rtt
    return {"seconds": seconds, "limit": limit, "up": s["bytes_up"], "down": s["bytes_down"],
            "requests": s["requests"], "connections": s["connections"], "paths": s["paths"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--delays", default="0,300,1000")
    ap.add_argument("--tmp", default=None)
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    delays = [int(x) for x in args.delays.split(",")]
    suite = Suite(argparse.Namespace(bin=args.bin, source=".", reps=args.reps, tmp=args.tmp))
    tasks = os.path.join(suite.work, "tasks.jsonl")
    write_tasks(tasks, max(sizes), "lat")
    manod = Manod(suite.bin, suite.work, tasks)
    rows = []
    started = time.time()
    try:
        for n in sizes:
            for delay in delays:
                runs = []
                for rep in range(1, args.reps + 1):
                    r = one_run(suite, manod, n, delay, rep)
                    log("n=%d delay=%d run %d: %.2f s, limit %.2f s, %d requests %s, %d B up, "
                        "%d B down" % (n, delay, rep, r["seconds"], r["limit"], r["requests"],
                                       r["paths"], r["up"], r["down"]))
                    runs.append(r)
                rows.append((n, delay, runs))
    finally:
        manod.stop()
        shutil.rmtree(suite.work, ignore_errors=True)
    load = os.getloadavg()[0]
    print("%d runs per row; %s; took %.1f min; load average %.1f at the end.\n" % (
        args.reps, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        (time.time() - started) / 60, load))
    print("| results | one-way delay | seconds (median, min-max) | limit s | time / limit |"
          " requests | connections | B up | B down |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, delay, runs in rows:
        ratio = [r["seconds"] / r["limit"] for r in runs]
        print("| %d | %d ms | %s | %s | %s | %s | %s | %s | %s |" % (
            n, delay, fmt([r["seconds"] for r in runs], 2), fmt([r["limit"] for r in runs], 2),
            "**%s**" % fmt(ratio, 2) if delay else fmt(ratio, 2),
            fmt([r["requests"] for r in runs], 0), fmt([r["connections"] for r in runs], 0),
            fmt([r["up"] for r in runs], 0), fmt([r["down"] for r in runs], 0)))


if __name__ == "__main__":
    main()
