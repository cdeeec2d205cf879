"""Writes the suite's results: docs/benchmarks.csv and the sections of docs/BENCHMARKS.md
after the MARKER line (bench.py). Text before the marker is kept byte for byte."""
import csv
import os
import platform
import subprocess
import time

INTRO = {
    "wire": """## Bytes on the wire per result (bench suite)

What: N queued `relevance` results (a score 0-4, a short comment on one result in ten; ids from
manod, 3-4 characters), uploaded to a real `manod` through `flakynet --profile good`, counting
every byte flakynet delivered **in both directions, with HTTP headers**, between
`reset-stats` and the end of the upload. Only the upload phase is counted (the claims before it
are not).

- **mano**: one `mano sync` pass (a real `mano` process; its outbox filled by `bench_queue
  answer`, which calls `sync::QueueResult` as `mano submit` does). The pass also polls
  `GET /v1/events` once; those bytes are counted too.
- **baseline** (`bench_web post`, C++ and libcurl): one `POST /v1/submit` per result, keep-alive,
  body `{"results":[{"a":"<id>","v":{...}}]}` as plain JSON. Headers: `Host`, a Chrome 119
  `User-Agent` (105 characters), `Accept: application/json, text/plain, */*`,
  `Accept-Language: es-419,es;q=0.9,en;q=0.8`, `Content-Type: application/json`,
  `Content-Length`, and `Authorization: Bearer <43 characters>` in place of a session cookie; no
  cookies, no `Accept-Encoding`. The body is already the protocol's short form, so a real web
  form (longer names, CSRF token, cookies) would send more, not less. manod answers each with a
  signed receipt (200).
- **baseline+gzip**: the same with the body gzip-compressed and `Content-Encoding: gzip`.
  **manod refuses it**: `415 unsupported_encoding` (the protocol takes only zstd), so nothing was
  stored and the bytes down are those of the 415 error, not of a receipt.

Goal: at most 60 bytes per result, both ways, at 100 results.
""",
    "dict": """## zstd dictionary: bytes on the wire with and without (bench suite)

What: N queued `relevance` results (as above) uploaded by one `mano sync` through `flakynet
--profile good`, counting every byte flakynet delivered **in both directions, with HTTP
headers**, for N = 1, 2, 4, 8, 32. **no dict**: manod publishes no dictionary. **dict**: the
same manod after `manod dict train --kind relevance`; the client compresses each batch with and
without the dictionary and sends the smaller (docs/PROTOCOL.md section 13). Each measured sync
runs on a data folder that already did one warm-up sync of one result, in which the client
asked `GET /v1/dict/relevance` (a 404, or the dictionary it then keeps), so the measured sync
holds only the upload and the events poll; what the dictionary itself costs is given below
the table. Batches follow mano's BatchSizer (a byte window: 256 KiB for a link with no memory, so each sync here is one batch).
""",
    "drain": """## Time to drain 1,000 results on bad links (bench suite)

What: 1,000 queued relevance results, drained through flakynet's `damascus` (64 kbit/s each way,
300 ms each way, cuts in 30% of connections, a 10 s blackout from 50 s to 60 s of every
minute) and `caracas` (2 Mbit/s, 150 ms each way, blackouts of 5-60 s after quiet gaps of
120-300 s) profiles, seeded with the run number. The profile is switched on (`profile NAME`,
which restarts its blackout schedule) after the results are queued; the clock starts when
`mano sync --watch` starts and stops when `mano status --json` (polled every 0.5 s) shows an
empty outbox, so times are rounded up to about 0.5 s. Cuts and blackouts happen as scheduled.

The baseline (`bench_web post`, above) would take far too long through `damascus` for 1,000
results, so it drains **50 results on `damascus` and 100 on `caracas`, and the time is scaled
linearly to 1,000** (labelled extrapolated; the scaled run sees fewer blackouts than a real
1,000-result run would, which flatters the baseline); it retries a failed request after 1 s.
The ideal is mano's own bytes from the `good` run of 1,000 results divided by the profile's bandwidth each way, plus one round trip per
request of that run (`ideal = up/rate + down/rate + requests x RTT`).

Goal on `damascus`: within 1.25x of the ideal and at least 10x faster than the baseline.
""",
    "checkpoint": """## Durable checkpoint latency, bench suite run (storage's checkpoint_bench)

The storage section above describes the method; this is the same program run by
`tools/bench/run.sh` (`checkpoint_bench --runs N --dir <mkdtemp under /var/tmp>`), in the same
run as the other tables.
""",
    "footprint": """## mano's footprint (bench suite)

What: a data folder with one account and 10,000 cached relevance assignments (one claimed from
manod, then copied by `bench_queue clone` through `Store::UpsertAssignment`). Wall time and peak
RSS (`ru_maxrss` of the child from `wait4`) of each command, output to `/dev/null`, after one
warm-up run. The terminal UI is `mano` with no command, started in a detached tmux session
(100x30); the time runs from `tmux new-session` until `tmux capture-pane` (polled every 5 ms)
shows a row of the queue screen, so it includes tmux's own start; its peak RSS is `VmHWM` of the
mano process at that moment.
""",
    "manod": """## manod under load (bench suite)

What: a fresh `manod serve` (default `--threads 16`, SQLite in WAL mode, one transaction per
submit request, shared by concurrent requests, and one Ed25519-signed receipt per result: this
client does not ask for batch receipts) on this 2-core machine, with clients on the same machine.
Ingest: one client (`bench_web batch`) claims 1,000 assignments, then submits their results in
10 sequential batches of 100 (plain JSON, keep-alive) and counts the accepted receipts.
Latency: `bench_web latency` times 200 sequential `GET /v1/me` on one keep-alive connection,
alone and while 1,000 other connections each send the start of a request (`POST /v1/submit`,
then one endless header) at 100 B/s (10 bytes every 100 ms), opened 2 s before the timing.
""",
}


def write(suite, args, minutes, load_before, load_after, marker):
    docs = os.path.join(suite.source, "docs")
    if args.no_docs:  # into the work folder's parent, printed
        docs = os.path.dirname(suite.work)
    csv_path = os.path.join(docs, ("mano-bench-" if args.no_docs else "") + "benchmarks.csv")
    with open(csv_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["section", "subject", "n", "run", "metric", "value"])
        w.writerows(suite.rows)
    head = header(suite, args, minutes, load_before, load_after)
    body = [marker, "", head]
    for section in ("wire", "dict", "drain", "checkpoint", "footprint", "manod"):
        if section in suite.tables:
            body += [INTRO[section], suite.tables[section], ""]
    if getattr(suite, "shared_libs", None):
        body.append("Shared libraries of `mano` (not in the binary size): " +
                    ", ".join(suite.shared_libs) + ".\n")
    body.append("### Goals\n")
    body += ["- %s: **%s**" % (text, "met" if met else "MISSED") for text, met in suite.goals]
    body.append("")
    md_path = os.path.join(docs, "BENCHMARKS.md")
    if args.no_docs:
        md_path = os.path.join(docs, "mano-bench-BENCHMARKS.md")
        print("\n".join(body))
    old = open(md_path).read() if os.path.exists(md_path) else "# Benchmarks\n"
    keep = old.split(marker)[0].rstrip("\n") + "\n\n"
    notes_path = os.path.join(os.path.dirname(__file__), "FINDINGS.md")
    notes = open(notes_path).read() if os.path.exists(notes_path) else ""
    with open(md_path, "w") as f:
        f.write(keep + "\n".join(body) + ("\n" + notes if notes else ""))
    print("wrote %s and %s" % (md_path, csv_path))


def header(suite, args, minutes, load_before, load_after):
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "-C", suite.source, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return ("""# End-to-end benchmarks (bench suite)

Produced by one command, `bash tools/bench/run.sh` (builds `mano`, `manod`, `flakynet`,
`checkpoint_bench` and the suite's `bench_queue` and `bench_web` in `build-bench`, RelWithDebInfo,
then runs `tools/bench/suite/bench.py`); raw figures, one row per run and metric, in
`docs/benchmarks.csv`. Every row gives the number of runs and the median with min and max.
**%d runs per row** unless the row says otherwise (the footprint rows take 2N+1 runs of a
fraction of a second each); few, to keep the whole run short on a shared machine, so figures
are noisy.

Run of %s UTC at commit %s: %d CPUs (%s), %s, Python %s; took %.1f minutes. The machine
was shared with other jobs' builds: **load average %.1f before and %.1f after** the run, on 2
cores, so times and rates here are pessimistic; byte counts are unaffected. manod runs with its
per-worker request rate limit lifted (`--rate 100000 --burst 100000`) so that neither client is
throttled (with the default 10 requests/s the baseline would mostly be measuring 429s).
""" % (args.reps, time.strftime("%Y-%m-%d %H:%M", time.gmtime()), commit or "?",
       os.cpu_count(), cpu, platform.platform(terse=True), platform.python_version(), minutes,
       load_before, load_after))
