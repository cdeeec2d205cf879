"""A second implementation of mano's protocol pieces, written from docs/PROTOCOL.md only.

Python 3 standard library only: RFC 8785 canonical JSON (JCS), the answer hash, receipt and
batch signed bytes (canonicalization versions 1 and 2) and Ed25519 (RFC 8032, pure Python:
slow but exact; used for verifying, and for signing the published test vectors).
"""
import hashlib
import json
import math

# --- RFC 8785 --------------------------------------------------------------------------------

MAX_EXACT_INTEGER = 2**53 - 1


def jcs_number(x):
    """ECMAScript Number.prototype.toString of a finite float (RFC 8785 section 3.2.2.3)."""
    if isinstance(x, bool):
        raise TypeError("not a number")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError("NaN and infinities are not JSON numbers")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    # repr gives the shortest digits that read back to the same double: '123.456', '1e-07'.
    mantissa, _, exp = repr(abs(x)).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = whole + frac
    n = len(whole) + int(exp or 0)  # value = 0.<digits> * 10^n
    stripped = digits.lstrip("0")
    n -= len(digits) - len(stripped)  # '0.0001' -> '1' with n = -3
    digits = stripped.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        out = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + out


def jcs_string(s):
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif c < 0x20:
            out.append({8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r"}.get(c, "\\u%04x" % c))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _utf16_key(name):
    return name.encode("utf-16-be")


def jcs(value):
    """The RFC 8785 text of a Python JSON value (dict, list, str, int, float, bool, None)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return jcs_string(value)
    if isinstance(value, (int, float)):
        return jcs_number(value)
    if isinstance(value, list):
        return "[" + ",".join(jcs(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=_utf16_key)
        return "{" + ",".join(jcs_string(k) + ":" + jcs(value[k]) for k in keys) + "}"
    raise TypeError("not a JSON value: %r" % (value,))


def jcs_text(text):
    """RFC 8785 of JSON text: every number read as the nearest double."""
    return jcs(json.loads(text, parse_int=float, parse_constant=_refuse))


def _refuse(name):
    raise ValueError("%s is not JSON" % name)


def answer_exact(value):
    """True when every number in an answer is within +-(2^53 - 1) (section 7)."""
    if isinstance(value, bool):
        return True
    if isinstance(value, (int, float)):
        return math.isfinite(value) and abs(value) <= MAX_EXACT_INTEGER
    if isinstance(value, list):
        return all(answer_exact(v) for v in value)
    if isinstance(value, dict):
        return all(answer_exact(v) for v in value.values())
    return True


def answer_hash(answer_text):
    """Lower-case hex SHA-256 of an answer's canonical JSON (version 2)."""
    value = json.loads(answer_text, parse_constant=_refuse)
    if not answer_exact(value):
        raise ValueError("number beyond +-(2^53 - 1)")
    return hashlib.sha256(jcs_text(answer_text).encode()).hexdigest()


# --- receipts (section 8) --------------------------------------------------------------------

SIGNED = ("k", "a", "s", "c", "t", "h")


def receipt_bytes(r):
    """The signed bytes of one receipt (a dict with k, a, s, c, t, h and maybe cv)."""
    cv = r.get("cv", 1)
    if cv == 1:
        return "".join(["mano-receipt-v1\n"] + ["%s=%s\n" % (n, r.get(n, "")) for n in SIGNED]).encode()
    body = {n: r.get(n, "") for n in SIGNED}
    body.update(cv=cv, m="mano-receipt")
    return jcs(body).encode()


def batch_bytes(receipts, cv):
    if cv == 1:
        return ("mano-receipts-v1\n".encode() +
                b"".join(receipt_bytes(dict(r, cv=1)) for r in receipts))
    return jcs({"cv": cv, "m": "mano-receipts",
                "r": [{n: r.get(n, "") for n in SIGNED} for r in receipts]}).encode()


# --- Ed25519 (RFC 8032 section 5.1, after its section 6 reference code) -----------------------

_p = 2**255 - 19
_q = 2**252 + 27742317777372353535851937790883648493


def _inv(x):
    return pow(x, _p - 2, _p)


_d = -121665 * _inv(121666) % _p
_sqrt_m1 = pow(2, (_p - 1) // 4, _p)


def _add(P, Q):
    A = (P[1] - P[0]) * (Q[1] - Q[0]) % _p
    B = (P[1] + P[0]) * (Q[1] + Q[0]) % _p
    C = 2 * P[3] * Q[3] * _d % _p
    D = 2 * P[2] * Q[2] % _p
    E, F, G, H = B - A, D - C, D + C, B + A
    return (E * F, G * H, F * G, E * H)


def _mul(s, P):
    Q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            Q = _add(Q, P)
        P = _add(P, P)
        s >>= 1
    return Q


def _equal(P, Q):
    return (P[0] * Q[2] - Q[0] * P[2]) % _p == 0 and (P[1] * Q[2] - Q[1] * P[2]) % _p == 0


def _recover_x(y, sign):
    if y >= _p:
        return None
    x2 = (y * y - 1) * _inv(_d * y * y + 1)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_p + 3) // 8, _p)
    if (x * x - x2) % _p != 0:
        x = x * _sqrt_m1 % _p
    if (x * x - x2) % _p != 0:
        return None
    if (x & 1) != sign:
        x = _p - x
    return x


_gy = 4 * _inv(5) % _p
_gx = _recover_x(_gy, 0)
_G = (_gx, _gy, 1, _gx * _gy % _p)


def _compress(P):
    zi = _inv(P[2])
    x, y = P[0] * zi % _p, P[1] * zi % _p
    return int.to_bytes(y | ((x & 1) << 255), 32, "little")


def _decompress(s):
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _p)


def _expand(seed):
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    return a, h[32:]


def _hq(b):
    return int.from_bytes(hashlib.sha512(b).digest(), "little") % _q


def public_key(seed):
    return _compress(_mul(_expand(seed)[0], _G))


def sign(seed, msg):
    a, prefix = _expand(seed)
    A = _compress(_mul(a, _G))
    r = _hq(prefix + msg)
    R = _compress(_mul(r, _G))
    s = (r + _hq(R + A + msg) * a) % _q
    return R + int.to_bytes(s, 32, "little")


def verify(public, msg, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    A = _decompress(public)
    R = _decompress(signature[:32])
    if A is None or R is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _q:
        return False
    h = _hq(signature[:32] + public + msg)
    return _equal(_mul(s, _G), _add(R, _mul(h, A)))
