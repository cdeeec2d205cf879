#!/usr/bin/env python3
"""tus-js-client 4.3.1 (the tus project's own client, pinned in package-lock.json) against the
real manod through flakynet: a 20 MiB answer uploaded with the library's defaults (one PATCH
for the whole file, which manod stops at its 8 MiB per-PATCH limit) and with chunkSize 1 MiB,
over a link that cuts connections at random; then submitted with `u`, and the answer stored
with the result compared byte for byte with the file. And the library's abort(true) (tus
termination) after the first chunk of an upload: manod deletes it and its bytes, and the
upload URL is 404 from then on. Run by ctest as `tus_js_client_test`.

npm ci installs the pinned packages under $MANO_BUILD_DIR/tests-js (its cache beside it) the
first time; nothing is fetched at configure time. Without node or npm the test is skipped
(exit code 77, a message saying what is missing).

Environment (ctest sets both): MANO_SOURCE_DIR, MANO_BUILD_DIR (manod, flakynet in bin/).
"""
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
import manolib as m  # noqa: E402
from protocol_client_test import Server  # noqa: E402

SKIP = 77
FIELDS = 21  # of up to a million code points each: a 20 MiB answer


def install(build):
    """npm ci of the pinned tus-js-client into build/tests-js, once per package-lock.json."""
    target = os.path.join(build, "tests-js")
    lock = os.path.join(HERE, "package-lock.json")
    stamp = os.path.join(target, "node_modules", ".mano-lock")
    with open(lock, "rb") as f:
        want = hashlib.sha256(f.read()).hexdigest()
    os.makedirs(target, exist_ok=True)
    # The script is copied every time: it changes without the packages changing.
    shutil.copy(os.path.join(HERE, "tus_upload.cjs"), target)
    if os.path.exists(stamp) and open(stamp).read() == want:
        return target
    for name in ("package.json", "package-lock.json"):
        shutil.copy(os.path.join(HERE, name), target)
    env = dict(os.environ, npm_config_cache=os.path.join(build, "npm-cache"))
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=target, env=env, check=True,
                   timeout=600)
    with open(stamp, "w") as f:
        f.write(want)
    return target


def task_line():
    fields = [{"name": "part%02d" % i, "type": "text", "required": True, "max_length": 1000000}
              for i in range(FIELDS)]
    return json.dumps({"id": "big-%d", "kind": "big",
                       "form": {"title": "a long transcript in parts", "fields": fields},
                       "policy": {"late": "refuse", "lease_ms": 3600000}})


def big_answer(seed):
    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "ñandú", "x", "[unclear]", "\"quoted\"", "end."]
    v = {}
    for i in range(FIELDS):
        parts, n = [], 0
        while n < 999000:
            w = rng.choice(words)
            parts.append(w)
            n += len(w) + 1
        v["part%02d" % i] = " ".join(parts)
    return m.jcs(v).encode()


class Flakynet:
    def __init__(self, binary, port, seed, cuts):
        self.proc = subprocess.Popen(
            [binary, "--target", "127.0.0.1:%d" % port, "--seed", str(seed)] + cuts,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.port = 0
        for line in self.proc.stdout:
            if line.startswith("listening "):
                self.port = int(line.strip().rsplit(":", 1)[1])
                break
        if not self.port:
            raise RuntimeError("flakynet did not start")

    def close(self):
        self.proc.terminate()
        self.proc.wait(5)


def terminate_with_abort(node, target, s, tmp):
    """abort(true) after the first 1 MiB chunk of 3 MiB: the library sends DELETE (tus
    termination); manod answers 204, drops the bytes, and the URL is 404 afterwards."""
    path = os.path.join(tmp, "aborted.bin")
    with open(path, "wb") as f:
        f.write(os.urandom(3 << 20))
    out = subprocess.run(
        [node, os.path.join(target, "tus_upload.cjs"), "http://127.0.0.1:%d/v1/uploads" % s.port,
         path, str(1 << 20), "abort"],
        cwd=target, env=dict(os.environ, MANO_TOKEN=s.token), capture_output=True, text=True,
        timeout=120)
    if out.returncode != 0:
        return ["abort(true): tus-js-client failed: %s" % out.stderr[-2000:]]
    done = json.loads(out.stdout.strip().splitlines()[-1])
    upload_id = done["url"].rsplit("/", 1)[1]
    failures = []
    status, _, _ = s.tus("HEAD", "/v1/uploads/" + upload_id)
    if status != 404:
        failures.append("abort(true): HEAD after it answered %d, not 404" % status)
    db = sqlite3.connect(s.db, timeout=10)
    left = db.execute("SELECT (SELECT COUNT(*) FROM uploads WHERE id=?1) +"
                      " (SELECT COUNT(*) FROM upload_chunks WHERE upload_id=?1)",
                      (upload_id,)).fetchone()[0]
    db.close()
    if left != 0:
        failures.append("abort(true): %d rows of the upload are left" % left)
    print("abort(true) after %d chunk(s): upload %s deleted, HEAD %d, rows left %d"
          % (done["chunks"], upload_id, status, left))
    return failures


def main():
    build = os.environ.get("MANO_BUILD_DIR", "")
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        print("SKIP: tus_js_client_test needs node and npm (Debian packages nodejs and npm; "
              "tools/setup/install-deps.sh installs them): missing %s"
              % " and ".join(n for n, p in (("node", node), ("npm", npm)) if not p))
        return SKIP
    target = install(build)
    tmp = os.path.join(build, "tests-js", "work-%d" % os.getpid())
    os.makedirs(tmp, exist_ok=True)
    tasks = os.path.join(tmp, "big.jsonl")
    with open(tasks, "w") as f:
        for i in (1, 2, 3):
            f.write(task_line().replace("big-%d", "big-%d" % i) + "\n")
    s = Server(os.path.join(build, "bin", "manod"), tasks)
    failures = []
    try:
        failures += terminate_with_abort(node, target, s, tmp)
        status, claim = s.call("POST", "/v1/claim", {"key": "js-claim", "count": 3,
                                                     "kinds": ["big"]})
        assert status == 200 and len(claim["assignments"]) == 3, claim
        # With the defaults, random cuts on 60% of connections after 256 KiB to 12 MiB: a PATCH
        # is cut mid-body (manod keeps what arrived) or reaches the 8 MiB limit first (manod
        # stops reading there). With chunks of 1 MiB on kept-alive connections, every
        # connection is cut after 3 MiB up, so some chunk is always cut half-way.
        # Without cuts, the defaults take three PATCHes: manod stores 8 MiB of the first two and
        # closes, and the library resumes after each (HEAD) at once.
        runs = [(0, ["--cut-chance", "0.6", "--set", "cut_min=262144",
                     "--set", "cut_max=12582912"]),
                (1 << 20, ["--cut-after-up", str(3 << 20)]),
                (0, [])]
        for run, (chunk, cuts) in enumerate(runs):
            name = "chunkSize %d" % chunk if chunk else "defaults (one PATCH)"
            name += ", cuts: " + (" ".join(cuts) if cuts else "none")
            data = big_answer(run)
            assert len(data) >= 20 << 20, len(data)
            path = os.path.join(tmp, "answer-%d.json" % run)
            with open(path, "wb") as f:
                f.write(data)
            net = Flakynet(os.path.join(build, "bin", "flakynet"), s.port, 7 + run, cuts)
            try:
                out = subprocess.run(
                    [node, os.path.join(target, "tus_upload.cjs"),
                     "http://127.0.0.1:%d/v1/uploads" % net.port, path, str(chunk)],
                    cwd=target, env=dict(os.environ, MANO_TOKEN=s.token), capture_output=True,
                    text=True, timeout=600)
            finally:
                net.close()
            if out.returncode != 0:
                failures.append("%s: tus-js-client failed: %s" % (name, out.stderr[-2000:]))
                continue
            done = json.loads(out.stdout.strip().splitlines()[-1])
            upload_id = done["url"].rsplit("/", 1)[1]
            a = claim["assignments"][run]
            status, reply = s.call("POST", "/v1/submit", {"results": [
                {"a": a["id"], "k": a["id"] + ":js", "u": upload_id}]})
            r = reply["receipts"][0]
            if r["s"] != "accepted" or r["h"] != hashlib.sha256(data).hexdigest():
                failures.append("%s: receipt %r" % (name, r))
            db = sqlite3.connect(s.db, timeout=10)
            row = db.execute("SELECT answer FROM results WHERE upload_id=?", (upload_id,)).fetchone()
            db.close()
            stored = row[0].encode() if row and isinstance(row[0], str) else (row or [b""])[0]
            if cuts and done["resumes"] < 1:
                failures.append("%s: no cut happened; the test tested nothing" % name)
            if not cuts and done["resumes"] != 2:
                failures.append("%s: %d resumes, not 2 (8 MiB per PATCH)" % (name, done["resumes"]))
            if stored != data:
                failures.append("%s: the stored answer differs from the file (%d vs %d bytes)"
                                % (name, len(stored), len(data)))
            print("%s: %d bytes, %d chunks, %d resumes after cuts, stored byte-exact: %s"
                  % (name, len(data), done["chunks"], done["resumes"], stored == data))
    finally:
        s.close()
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAILED: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
