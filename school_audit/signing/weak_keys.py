"""Refusing weak Ed25519 public keys: points of small order, and encodings that are not canonical.

A public key whose point has order 1, 2, 4 or 8 (the eight small-order points of edwards25519)
lets a trivial signature verify for any message: with the neutral point as the key, R = neutral
and S = 0 satisfy the check [S]B = R + [k]A whatever k is. Such a key proves nothing about who
signed, so enrolment refuses it. So are encodings of a point that are not the canonical one (a y
coordinate of p or more, or a negative zero x): each names a point that has a canonical encoding,
and accepting both would give one key two ids. The curve arithmetic is RFC 8032 §5.1; it is done
in plain integers because it runs once per enrolment, and the library offers no such check.
"""

from __future__ import annotations

from school_audit.signing.errors import SignatureInvalid
from school_audit.signing.keys import public_key_bytes

P = 2**255 - 19
D = -121665 * pow(121666, P - 2, P) % P
SQRT_MINUS_ONE = pow(2, (P - 1) // 4, P)
NEUTRAL = (0, 1)

Point = tuple[int, int]


class WeakPublicKey(SignatureInvalid):
    """A public key that is not a point, a small-order point, or a point written non-canonically."""


def check_public_key(public_key_b64: str) -> bytes:
    """The 32 raw bytes of a public key fit to verify signatures; WeakPublicKey if not."""
    raw = public_key_bytes(public_key_b64)
    point = decode_point(raw)
    if _times_eight(point) == NEUTRAL:
        raise WeakPublicKey(
            "this is a weak Ed25519 key (a point of small order), with which anyone could make a "
            "signature that checks out: make a new key pair"
        )
    return raw


def decode_point(raw: bytes) -> Point:
    """RFC 8032 §5.1.3, refusing what is not canonical (WeakPublicKey for every failure)."""
    number = int.from_bytes(raw, "little")
    y, x_is_odd = number & ((1 << 255) - 1), number >> 255
    if y >= P:
        raise WeakPublicKey("this is not a canonical Ed25519 public key (y is not below p)")
    u, v = (y * y - 1) % P, (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    if (v * x * x - u) % P != 0:
        x = x * SQRT_MINUS_ONE % P
    if (v * x * x - u) % P != 0:
        raise WeakPublicKey("this is not an Ed25519 public key (the point is not on the curve)")
    if x == 0 and x_is_odd:
        raise WeakPublicKey("this is not a canonical Ed25519 public key (negative zero)")
    return (P - x if x & 1 != x_is_odd else x), y


def _add(a: Point, b: Point) -> Point:
    """Twisted Edwards addition (a = -1); complete, since d is not a square."""
    (x1, y1), (x2, y2) = a, b
    t = D * x1 * x2 * y1 * y2 % P
    x3 = (x1 * y2 + y1 * x2) * pow(1 + t, P - 2, P) % P
    y3 = (y1 * y2 + x1 * x2) * pow(1 - t, P - 2, P) % P
    return x3, y3


def _times_eight(point: Point) -> Point:
    for _ in range(3):
        point = _add(point, point)
    return point
