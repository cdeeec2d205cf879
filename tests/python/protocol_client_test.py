#!/usr/bin/env python3
"""A second client of the mano protocol, written from docs/PROTOCOL.md alone (Python 3
standard library; manolib.py holds its own RFC 8785 and Ed25519). Run by ctest as
`python_protocol_client_test`:

1. every published vector (docs/vectors/canonical-json.json) against this implementation;
2. against a real manod in a private temp directory: login (GET /v1/me, pin the receipt key),
   claim, anchor, submit a batch with keys and hashes under batch receipts and verify the batch
   signature with our own canonical JSON, resend and verify `duplicate` in the per-receipt
   form (each signature), a receipt carrying the server's h when ours differs, a result stored
   under version 1 sent again, a number beyond 2^53 - 1 judged invalid, return, events, and an
   upload (section 11): OPTIONS, create, PATCH in chunks with sha256 and sha1 checksums, a PATCH
   cut mid-body over a raw socket and resumed from HEAD, a bad checksum, submit with `u`, the
   receipt verified; and HTTP checks (ranges, If-None-Match, If-Range, HEAD, bearer, t in errors).

Environment (ctest sets both): MANO_SOURCE_DIR, MANO_BUILD_DIR (manod at bin/manod).
"""
import base64
import hashlib
import http.client
import json
import os
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import manolib as m  # noqa: E402

FAILURES = []


def check(ok, what):
    if not ok:
        FAILURES.append(what)
        print("FAILED:", what)


def check_vectors(path):
    with open(path, encoding="utf-8") as f:
        v = json.load(f)
    key = v["test_key"]
    seed = bytes.fromhex(key["seed_hex"])
    pub = m.public_key(seed)
    check(base64.b64encode(pub).decode() == key["public_key_base64"], "test key's public key")
    check(base64.b64decode(key["secret_key_base64"]) == seed + pub, "test key's libsodium form")
    check(hashlib.sha256(pub).hexdigest()[:8] == key["key_id"], "test key id")
    for n in v["numbers"]:
        x = struct.unpack(">d", bytes.fromhex(n["bits"]))[0]
        check(m.jcs_number(x) == n["jcs"], "number %s" % n["bits"])
    for bits in v["numbers_refused"]:
        try:
            m.jcs_number(struct.unpack(">d", bytes.fromhex(bits))[0])
            check(False, "non-finite %s refused" % bits)
        except ValueError:
            pass
    for j in v["json"]:
        check(m.jcs_text(j["input"]) == j["jcs"], "json: " + j["name"])
    for a in v["answers"]:
        check(m.jcs_text(a["input"]) == a["canonical"], "answer canonical: " + a["name"])
        check(m.answer_hash(a["input"]) == a["sha256"], "answer hash: " + a["name"])
    for a in v["answers_refused"]:
        check(not m.answer_exact(json.loads(a["input"])), "answer refused: " + a["name"])
    for r in v["receipts"]:
        msg = m.receipt_bytes(r["receipt"])
        check(msg.decode() == r["signed_bytes"], "receipt bytes: " + r["name"])
        sig = base64.b64decode(r["sig"])
        check(m.verify(pub, msg, sig), "receipt signature: " + r["name"])
        check(m.sign(seed, msg) == sig, "receipt signature is deterministic: " + r["name"])
    for b in v["batches"]:
        msg = m.batch_bytes(b["receipts"], b["cv"])
        check(msg.decode() == b["signed_bytes"], "batch bytes: " + b["name"])
        check(m.verify(pub, msg, base64.b64decode(b["sig"])), "batch signature: " + b["name"])
    print("vectors: %d numbers, %d texts, %d answers, %d receipts, %d batches" % (
        len(v["numbers"]), len(v["json"]), len(v["answers"]), len(v["receipts"]), len(v["batches"])))


class Server:
    """manod in a temp directory: init, one worker, the sample tasks, serve on a free port."""

    def __init__(self, manod, samples):
        self.dir = tempfile.mkdtemp(prefix="manod-py-")
        self.db = os.path.join(self.dir, "manod.db")
        self.manod = manod
        self._run("init", "--db", self.db)
        self.token = self._run("worker", "add", "--db", self.db, "alice").strip().splitlines()[-1]
        self._run("import", "--db", self.db, samples)
        port_file = os.path.join(self.dir, "port")
        self.log = open(os.path.join(self.dir, "manod.log"), "wb")
        self.proc = subprocess.Popen(
            [manod, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--port-file", port_file],
            stdout=self.log, stderr=self.log)
        deadline = time.time() + 10
        self.port = 0
        while time.time() < deadline and not self.port:
            try:
                with open(port_file) as f:
                    self.port = int(f.read().strip() or 0)
            except (OSError, ValueError):
                time.sleep(0.02)
        if not self.port:
            raise RuntimeError("manod did not start")

    def _run(self, *args):
        return subprocess.run([self.manod] + list(args), check=True, capture_output=True,
                              text=True).stdout

    def call(self, method, path, body=None, headers=None, auth=True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        h = dict(headers or {})
        if auth:
            h["Authorization"] = "Bearer " + self.token
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        if data is not None:
            h["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=h)
        reply = conn.getresponse()
        raw = reply.read()
        conn.close()
        return reply.status, (json.loads(raw) if raw else None)

    def tus(self, method, path, body=b"", headers=None, auth=True, version="1.0.0"):
        """A request on /v1/uploads: raw bytes, Tus-Resumable (unless version is None);
        (status, headers, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        h = {} if version is None else {"Tus-Resumable": version}
        h.update(headers or {})
        if auth:
            h["Authorization"] = "Bearer " + self.token
        conn.request(method, path, body=body, headers=h)
        reply = conn.getresponse()
        raw = reply.read()
        conn.close()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, raw

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def answer_for(form):
    """A valid answer for a form's required fields (section 7's table)."""
    v = {}
    for f in form["fields"]:
        t = f["type"]
        if t == "single":
            v[f["name"]] = f["options"][0]["value"]
        elif t == "multi":
            v[f["name"]] = [f["options"][0]["value"]]
        elif t == "scale":
            v[f["name"]] = f["max"]
        elif t == "number":
            v[f["name"]] = f.get("min", f.get("max", 0.5))
        elif t == "text":
            v[f["name"]] = "caf\u00e9\u001f \"ok\" \\ 0.0001"  # a control char: \u001f in JCS
        elif t == "boxes":
            v[f["name"]] = [{"x": 0, "y": 0, "w": 1, "h": 1}]
    return v


def checksum(name, data):
    return {"Upload-Checksum": "%s %s" % (name, base64.b64encode(
        hashlib.new(name, data).digest()).decode())}


def upload_flow(s, pub):
    """Section 11: an answer sent by upload, in chunks, through a cut, then submitted with u."""
    status, h, _ = s.tus("OPTIONS", "/v1/uploads", auth=False)
    check(status == 204 and h.get("tus-version") == "1.0.0"
          and h.get("tus-extension") == "creation,checksum,termination"
          and h.get("tus-max-size") == str(64 << 20)
          and "sha1" in h.get("tus-checksum-algorithm", "").split(","),
          "OPTIONS without a token: %r" % h)
    status, claim = s.call("POST", "/v1/claim", {"key": "py-claim-upload", "count": 1})
    a = claim["assignments"][0]
    v = answer_for(a["form"])
    # Any JSON text of the answer will do (the server keeps its canonical form): indented.
    data = json.dumps(v, indent=2, ensure_ascii=False).encode()
    status, h, body = s.tus("POST", "/v1/uploads", headers={"Upload-Length": str(len(data))})
    check(status == 201 and h.get("upload-offset") == "0", "create: %d %r" % (status, h))
    path = h["location"]
    check(json.loads(body)["id"] == path.rsplit("/", 1)[1], "the body names the upload's id")
    patch = {"Content-Type": "application/offset+octet-stream"}
    # Chunk 1 (a third) with sha256, chunk 2 (to two thirds) with sha1.
    third = len(data) // 3
    offset = 0
    for end, algo in ((third, "sha256"), (2 * third, "sha1")):
        status, h, _ = s.tus("PATCH", path, data[offset:end],
                             dict(patch, **{"Upload-Offset": str(offset)}, **checksum(algo, data[offset:end])))
        check(status == 204 and h.get("upload-offset") == str(end), "PATCH %s: %d %r" % (algo, status, h))
        offset = end
    # A bad checksum appends nothing (460); a wrong offset is 409 with the true one.
    status, h, _ = s.tus("PATCH", path, data[offset:], dict(patch, **{"Upload-Offset": str(offset),
                                                                       "Upload-Checksum": "sha1 AAAA"}))
    check(status == 460 and h.get("tus-resumable") == "1.0.0", "bad checksum: %d" % status)
    status, h, _ = s.tus("PATCH", path, b"x", dict(patch, **{"Upload-Offset": "0"}))
    check(status == 409 and h.get("upload-offset") == str(offset), "stale offset: %d %r" % (status, h))
    # The rest, cut half-way over a raw socket: the server keeps what arrived.
    rest = data[offset:]
    half = len(rest) // 2
    raw = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    raw.sendall(("PATCH %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                 "Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n"
                 "Upload-Offset: %d\r\nContent-Length: %d\r\n\r\n"
                 % (path, s.token, offset, len(rest))).encode() + rest[:half])
    raw.close()
    deadline = time.time() + 10
    while True:  # the server notices the hang-up after a moment
        status, h, _ = s.tus("HEAD", path)
        if int(h.get("upload-offset", offset)) != offset or time.time() > deadline:
            break
        time.sleep(0.1)  # the worker's request rate: 10 a second
    check(status == 200 and h.get("upload-length") == str(len(data))
          and h.get("upload-offset") == str(offset + half), "HEAD after the cut: %r" % h)
    offset = int(h["upload-offset"])
    status, h, _ = s.tus("PATCH", path, data[offset:], dict(patch, **{"Upload-Offset": str(offset)}))
    check(status == 204 and h.get("upload-offset") == str(len(data)), "resumed PATCH: %d" % status)
    # Submit by reference: h is the SHA-256 of the canonical form, not of the bytes sent.
    status, reply = s.call("POST", "/v1/submit", {"results": [
        {"a": a["id"], "k": a["id"] + ":up", "u": path.rsplit("/", 1)[1]}]})
    r = reply["receipts"][0]
    check(r["s"] == "accepted" and r["h"] == m.answer_hash(data.decode()), "upload receipt: %r" % r)
    check(m.verify(pub, m.receipt_bytes(r), base64.b64decode(r["sig"])),
          "the upload receipt's signature verifies")
    # Termination: an upload a result names stays (409); an open one is deleted (204), and
    # then it is unknown (404).
    status, h, _ = s.tus("DELETE", path)
    check(status == 409 and h.get("tus-resumable") == "1.0.0", "DELETE of a used upload: %d" % status)
    status, h, _ = s.tus("POST", "/v1/uploads", headers={"Upload-Length": "10"})
    spare = h["location"]
    status, h, _ = s.tus("PATCH", spare, b"01234", dict(patch, **{"Upload-Offset": "0"}))
    check(status == 204, "PATCH of the spare upload: %d" % status)
    # Every tus request but OPTIONS must say Tus-Resumable: without it, 412 with Tus-Version.
    for method, body, headers in (("HEAD", b"", {}), ("DELETE", b"", {}),
                                  ("PATCH", b"5", dict(patch, **{"Upload-Offset": "5"}))):
        status, h, _ = s.tus(method, spare, body, headers, version=None)
        check(status == 412 and h.get("tus-version") == "1.0.0",
              "%s without Tus-Resumable: %d %r" % (method, status, h))
    status, h, _ = s.tus("DELETE", spare)
    check(status == 204 and h.get("tus-resumable") == "1.0.0", "DELETE: %d %r" % (status, h))
    for method in ("HEAD", "DELETE"):
        status, _, _ = s.tus(method, spare)
        check(status == 404, "%s after DELETE: %d" % (method, status))


def run_against_manod(manod, samples):
    s = Server(manod, samples)
    try:
        # Login: the token works, then pin the receipt key (section 2, section 6).
        status, me = s.call("GET", "/v1/me")
        check(status == 200 and me.get("worker") == "alice", "GET /v1/me")
        status, key = s.call("GET", "/.well-known/mano/receipt-key", auth=False)
        pub = base64.b64decode(key["key"])
        check(key["alg"] == "ed25519" and hashlib.sha256(pub).hexdigest()[:8] == key["key_id"],
              "receipt key and key_id")

        status, claim = s.call("POST", "/v1/claim", {"key": "py-claim-1", "count": 4})
        check(status == 200 and len(claim["assignments"]) >= 3, "claim 3+ assignments")
        status, again = s.call("POST", "/v1/claim", {"key": "py-claim-1", "count": 4})
        check([a["id"] for a in again["assignments"]] == [a["id"] for a in claim["assignments"]],
              "claim repeated with the same key gives the same assignments")
        work = claim["assignments"][:3]
        results, hashes = [], []
        for i, a in enumerate(work):
            v = answer_for(a["form"])
            text = json.dumps(v)
            hashes.append(m.answer_hash(text))
            results.append({"a": a["id"], "k": a["id"] + ":py", "v": v, "h": hashes[-1]})

        # Anchor (section 10): the first 16 bytes of the checkpoint's SHA-256, in hex.
        status, anchor = s.call("POST", "/v1/anchor", {"a": work[0]["id"], "h": hashes[0][:32]})
        check(status == 200 and anchor["deadline"] >= work[0]["deadline"], "anchor: %r" % anchor)

        # Submit with batch receipts: fill what each receipt leaves out, verify one signature.
        status, reply = s.call("POST", "/v1/submit", {"results": results},
                               {"Mano-Receipts": "batch-v1"})
        check(status == 200 and "sig" in reply, "batch reply")
        check(reply.get("cv") == 2, "batch reply names canonicalization version 2")
        filled = []
        for r, res, h in zip(reply["receipts"], results, hashes):
            check("h" not in r, "h left out when it equals ours")
            filled.append({"k": r.get("k", res["k"]), "a": r.get("a", res["a"]), "s": r["s"],
                           "c": r.get("c", 200), "t": r.get("t", reply["t"]), "h": r.get("h", h)})
        check(all(r["s"] == "accepted" for r in filled), "all accepted: %r" % reply)
        check(m.verify(pub, m.batch_bytes(filled, reply.get("cv", 1)),
                       base64.b64decode(reply["sig"])), "batch signature verifies with our JCS")

        # Resend in the per-receipt form: duplicate, the original t, each signature verifies.
        status, dup = s.call("POST", "/v1/submit", {"results": results})
        check(status == 200 and "sig" not in dup, "per-receipt reply")
        for r, orig, h in zip(dup["receipts"], filled, hashes):
            check(r["s"] == "duplicate" and r["t"] == orig["t"] and r["h"] == h,
                  "duplicate with the original t and our h: %r" % r)
            check(r.get("cv") == 2, "receipt names version 2")
            check(m.verify(pub, m.receipt_bytes(r), base64.b64decode(r["sig"])),
                  "duplicate receipt signature verifies")

        # Resend under batch receipts: duplicates, one signature.
        status, dup2 = s.call("POST", "/v1/submit", {"results": results},
                              {"Mano-Receipts": "batch-v1"})
        filled2 = [{"k": res["k"], "a": res["a"], "s": r["s"], "c": r.get("c", 200),
                    "t": r.get("t", dup2["t"]), "h": r.get("h", h)}
                   for r, res, h in zip(dup2["receipts"], results, hashes)]
        check(all(r["s"] == "duplicate" for r in filled2), "batch duplicates")
        check(m.verify(pub, m.batch_bytes(filled2, dup2.get("cv", 1)),
                       base64.b64decode(dup2["sig"])), "duplicate batch signature verifies")

        # A client whose hash differs (here: deliberately wrong) gets the server's h.
        wrong = dict(results[0], h="0" * 64)
        status, diff = s.call("POST", "/v1/submit", {"results": [wrong]},
                              {"Mano-Receipts": "batch-v1"})
        r = diff["receipts"][0]
        check(r.get("h") == hashes[0], "the server's h is sent when ours differs: %r" % r)
        one = [{"k": wrong["k"], "a": wrong["a"], "s": r["s"], "c": r.get("c", 200),
                "t": r.get("t", diff["t"]), "h": r.get("h", "")}]
        check(m.verify(pub, m.batch_bytes(one, diff.get("cv", 1)), base64.b64decode(diff["sig"])),
              "that batch verifies with the server's h")

        # A result stored before RFC 8785 (version 1: its receipt has no cv, its hash the old
        # rules', here upper-case \u001F) is still recognised when sent again: a version-2
        # duplicate with the new hash, not a conflict.
        k0 = results[0]["k"]
        legacy_text = m.jcs(results[0]["v"]).replace("\\u001f", "\\u001F")
        check(legacy_text != m.jcs(results[0]["v"]), "the answer's v1 bytes differ from JCS")
        legacy_hash = hashlib.sha256(legacy_text.encode()).hexdigest()
        db = sqlite3.connect(s.db, timeout=10)
        stored = json.loads(db.execute("SELECT receipt FROM receipts WHERE key=?", (k0,)).fetchone()[0])
        stored.pop("cv", None)
        stored["h"] = legacy_hash
        db.execute("UPDATE receipts SET receipt=?, hash=? WHERE key=?",
                   (json.dumps(stored, separators=(",", ":")), legacy_hash, k0))
        db.commit()
        db.close()
        status, old = s.call("POST", "/v1/submit", {"results": [results[0]]})
        r = old["receipts"][0]
        check(r["s"] == "duplicate" and r["h"] == hashes[0] and r.get("cv") == 2,
              "a version-1 result sent again is a version-2 duplicate: %r" % r)
        check(m.verify(pub, m.receipt_bytes(r), base64.b64decode(r["sig"])),
              "that duplicate's signature verifies")

        # A number JCS could not keep exactly: an invalid receipt naming the field, unread (h "").
        if len(claim["assignments"]) > 3:
            a = claim["assignments"][3]
            field = a["form"]["fields"][0]["name"]
            status, err = s.call("POST", "/v1/submit", {"results": [
                {"a": a["id"], "v": {field: 12345678901234567890}}]})
            bad = err["receipts"][0] if status == 200 else err
            check(status == 200 and bad["s"] == "invalid" and bad["h"] == ""
                  and ("results[0].v.%s: " % field) in bad["e"] and "2^53" in bad["e"],
                  "big integer judged invalid: %r" % err)
            check(status == 200 and m.verify(pub, m.receipt_bytes(bad), base64.b64decode(bad["sig"])),
                  "the invalid receipt's signature verifies")
            # Return (then again: 200 again); an anchor after the return is 409.
            status, ret = s.call("POST", "/v1/return", {"a": a["id"]})
            check(status == 200 and ret.get("state") == "returned", "return: %r" % ret)
            status, ret = s.call("POST", "/v1/return", {"a": a["id"]})
            check(status == 200, "return again: %d" % status)
            status, _ = s.call("POST", "/v1/anchor", {"a": a["id"], "h": "0" * 32})
            check(status == 409, "anchor after return: %d" % status)

        upload_flow(s, pub)

        # Events (section 12): nothing decided yet, a cursor all the same.
        status, events = s.call("GET", "/v1/events?after=&limit=10")
        check(status == 200 and events.get("events", []) == [] and "t" in events,
              "events: %r" % events)
    finally:
        s.close()


def main():
    src = os.environ.get("MANO_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
    check_vectors(os.path.join(src, "docs", "vectors", "canonical-json.json"))
    build = os.environ.get("MANO_BUILD_DIR")
    manod = os.path.join(build, "bin", "manod") if build else ""
    if manod and os.path.exists(manod):
        run_against_manod(manod, os.path.join(src, "tools", "manod", "samples", "tasks.jsonl"))
        print("manod: login, claim, anchor, batch submit, duplicates, h on mismatch, v1 duplicate, "
              "refusal, return, upload, events: done")
        http_checks(manod, os.path.join(src, "tools", "manod", "samples", "tasks.jsonl"))
        print("manod: ranges, If-None-Match, If-Range, HEAD, bearer, t in errors: done")
    else:
        check(False, "manod not found (set MANO_BUILD_DIR)")
    if FAILURES:
        print("%d checks failed" % len(FAILURES))
        return 1
    print("all checks passed")
    return 0


def http_checks(manod, samples):
    """RFC 9110 as sections 2, 4 and 6 claim it: an asset's ranges, If-None-Match and If-Range;
    the Bearer scheme in any case; t in an error body."""
    s = Server(manod, samples)
    try:
        def raw(method, path, headers):
            conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
            conn.request(method, path, headers=headers)
            reply = conn.getresponse()
            body = reply.read()
            conn.close()
            return reply.status, {k.lower(): v for k, v in reply.getheaders()}, body

        auth = {"Authorization": "bearer " + s.token}  # the scheme is case-insensitive
        status, me = s.call("GET", "/v1/me", headers=auth, auth=False)
        check(status == 200 and me.get("worker") == "alice", "lower-case bearer: %d %r" % (status, me))
        status, err = s.call("GET", "/v1/me", headers={"Authorization": "Bearer nope"}, auth=False)
        check(status == 401 and err["error"]["code"] == "unauthorized" and err.get("t", 0) > 0,
              "an error body carries t: %r" % err)

        status, claim = s.call("POST", "/v1/claim", {"key": "py-http", "count": 20})
        assets = [x for a in claim.get("assignments", []) for x in a.get("assets", [])]
        check(status == 200 and assets, "a claim with assets: %d" % status)
        if not assets:
            return
        ref = assets[0]
        auth = {"Authorization": "Bearer " + s.token}
        path = "/v1/assets/" + ref["hash"]
        etag = '"%s"' % ref["hash"]
        status, head, whole = raw("GET", path, auth)
        check(status == 200 and hashlib.sha256(whole).hexdigest() == ref["hash"]
              and head.get("etag") == etag, "the whole asset, its hash as ETag")
        n = len(whole)
        status, head, part = raw("GET", path, dict(auth, Range="bytes=-10"))
        check(status == 206 and part == whole[-10:]
              and head.get("content-range") == "bytes %d-%d/%d" % (n - 10, n - 1, n),
              "suffix range: %d %r" % (status, head.get("content-range")))
        status, head, body = raw("GET", path, dict(auth, Range="bytes=500-100"))
        check(status == 200 and body == whole, "an invalid range is ignored: %d" % status)
        status, head, body = raw("GET", path, dict(auth, Range="bytes=%d-" % n))
        check(status == 416 and head.get("content-range") == "bytes */%d" % n,
              "a range past the end: %d %r" % (status, head.get("content-range")))
        status, head, body = raw("GET", path, dict(auth, **{"If-None-Match": '"x", ' + etag}))
        check(status == 304 and body == b"", "If-None-Match listing the hash: %d" % status)
        status, head, body = raw("GET", path, dict(auth, **{"Range": "bytes=0-9",
                                                            "If-Range": '"' + "0" * 64 + '"'}))
        check(status == 200 and body == whole, "If-Range with another tag: %d" % status)
        status, head, body = raw("HEAD", path, dict(auth, Range="bytes=0-9"))
        check(status == 206 and body == b"" and head.get("content-length") == "10",
              "HEAD with a range: %d %r" % (status, head.get("content-length")))
    finally:
        s.close()


if __name__ == "__main__":
    sys.exit(main())
