#!/usr/bin/env python3
"""Writes docs/vectors/canonical-json.json: mano's published test vectors (PROTOCOL.md
section 7 and 8), computed by this independent Python implementation (manolib.py), never by
the C++ one that tests/sync/jcs_vectors_test.cpp checks against them.

    python3 tests/python/make_vectors.py > docs/vectors/canonical-json.json
"""
import base64
import hashlib
import json
import struct
import sys

import manolib as m

# TEST ONLY: a published key. Anyone can sign with it; never use it for a real server.
SEED = hashlib.sha256(b"mano test vectors: NOT A REAL KEY").digest()

# RFC 8785 Appendix B (finite values; the three non-finite ones must be refused).
RFC_NUMBERS = [
    ("0000000000000000", "0"), ("8000000000000000", "0"), ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"), ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"), ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"), ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"), ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"), ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"), ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"), ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"), ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"), ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"), ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]
RFC_REFUSED = ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"]

JSON = [
    ("RFC 8785 section 3.2.2 sample",
     '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n'
     '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n'
     '  "literals": [null, true, false]\n}'),
    ("RFC 8785 section 3.2.3 sorting sample",
     '{\n  "\\u20ac": "Euro Sign",\n  "\\r": "Carriage Return",\n'
     '  "\\ufb33": "Hebrew Letter Dalet With Dagesh",\n  "1": "One",\n'
     '  "\\ud83d\\ude00": "Emoji: Grinning Face",\n  "\\u0080": "Control",\n'
     '  "\\u00f6": "Latin Small Letter O With Diaeresis"\n}'),
    ("more numbers", '[1e16, 10000000000000000, 0.0001, 1e-7, 2.0, -0, 1e21, 1e300, 0.1]'),
]

ANSWERS = [
    ("a text and a scale", '{"score": 1, "comment": "login page"}'),
    ("control characters are \\u00xx in lower case, short forms where JSON has them",
     '{"note": "tab\\there\\u001fend\\u000b\\n\\"q\\" \\\\ / \\u007f"}'),
    ("non-ASCII stays raw UTF-8", '{"t": "Qu\\u00e9 d\\u00eda \\u0645\\u0631\\u062d\\u0628\\u0627 \\ud83d\\ude00"}'),
    ("integral numbers as integers however written",
     '{"a": 2.0, "b": -0, "c": 9007199254740991, "d": 1e3, "e": 4.50}'),
    ("decimals as ECMAScript writes them", '{"x": 0.0001, "y": 1e-7, "z": 333333333.33333329, "w": 0.1}'),
    ("lists and boxes",
     '{"tags": ["b", "a"], "boxes": [{"x": 1, "y": 2, "w": 3, "h": 4, "l": "cat"}, {"y": 0, "x": 0, "w": 1, "h": 1}]}'),
]

ANSWERS_REFUSED = [
    ("an integer beyond 2^53 - 1 would change", '{"n": 12345678901234567890}'),
    ("2^53 itself", '{"n": 9007199254740992}'),
    ("written with an exponent, the same", '{"n": 1e16}'),
    ("negative", '{"n": -9007199254740992}'),
    ("large doubles are integers beyond 2^53 too", '{"n": 1.5e300}'),
    ("a box coordinate", '{"b": [{"x": 9007199254740993, "y": 0, "w": 1, "h": 1}]}'),
]


def receipt(k, a, s, c, t, h, e="", cv=2):
    r = {"k": k, "a": a, "s": s, "c": c, "t": t, "h": h}
    if e:
        r["e"] = e
    if cv != 1:
        r["cv"] = cv
    return r


def main():
    pub = m.public_key(SEED)
    b64 = lambda b: base64.b64encode(b).decode()
    h1 = m.answer_hash(ANSWERS[0][1])
    h2 = m.answer_hash(ANSWERS[1][1])
    out = {
        "about": "mano protocol test vectors (docs/PROTOCOL.md sections 7 and 8). Canonical JSON "
                 "is RFC 8785 (JCS); strings hold the exact bytes as UTF-8.",
        "test_key": {
            "warning": "TEST ONLY. This key is public: anyone can sign with it. Never use it "
                       "for a server.",
            "seed_hex": SEED.hex(),
            "secret_key_base64": b64(SEED + pub),
            "public_key_base64": b64(pub),
            "key_id": hashlib.sha256(pub).hexdigest()[:8],
        },
        "numbers": [{"bits": b, "jcs": j} for b, j in RFC_NUMBERS],
        "numbers_refused": RFC_REFUSED,
        "json": [],
        "answers": [],
        "answers_refused": [{"name": n, "input": i} for n, i in ANSWERS_REFUSED],
        "receipts": [],
        "batches": [],
    }
    for bits, want in RFC_NUMBERS:
        x = struct.unpack(">d", bytes.fromhex(bits))[0]
        assert m.jcs_number(x) == want, (bits, m.jcs_number(x), want)
    for name, text in JSON:
        out["json"].append({"name": name, "input": text, "jcs": m.jcs_text(text)})
    for name, text in ANSWERS:
        canon = m.jcs_text(text)
        out["answers"].append({"name": name, "input": text, "canonical": canon,
                               "sha256": hashlib.sha256(canon.encode()).hexdigest()})
    for name, text in ANSWERS_REFUSED:
        value = json.loads(text)
        assert not m.answer_exact(value), name
    singles = [
        ("accepted, version 2", receipt("2s9", "2s9", "accepted", 200, 1795000200000, h1)),
        ("invalid with an advisory e (not signed)",
         receipt("2sa:2", "2sa", "invalid", 422, 1795000200001, h2, e="results[0].v.n: too big")),
        ("version 1 (receipts made before RFC 8785)",
         receipt("2s9", "2s9", "accepted", 200, 1795000000123,
                 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", cv=1)),
    ]
    for name, r in singles:
        msg = m.receipt_bytes(r)
        sig = m.sign(SEED, msg)
        assert m.verify(pub, msg, sig)
        out["receipts"].append({"name": name, "receipt": dict(r, sig=b64(sig)),
                                "signed_bytes": msg.decode(), "sig": b64(sig)})
    group = [
        receipt("2s9", "2s9", "accepted", 200, 1795000200000, h1),
        receipt("2sa", "2sa", "duplicate", 200, 1794000000000, h2),
        receipt("2sb", "2sb", "conflict", 422, 1795000200000, h2, e="this key was used for another answer"),
    ]
    for cv in (2, 1):
        rs = [dict(r, cv=cv) if cv != 1 else {k: v for k, v in r.items() if k != "cv"} for r in group]
        msg = m.batch_bytes(rs, cv)
        sig = m.sign(SEED, msg)
        assert m.verify(pub, msg, sig)
        out["batches"].append({"name": "three receipts, version %d" % cv, "cv": cv,
                               "receipts": [{k: v for k, v in r.items() if k != "cv"} for r in rs],
                               "signed_bytes": msg.decode(), "sig": b64(sig)})
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
