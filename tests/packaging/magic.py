"""A small evaluator for shared-mime-info ``<magic>`` rules, so tests can check our MIME XML.

It follows the shared-mime-info spec: a ``<match>`` holds when its own test holds and, if it has
children, at least one child holds (nesting means AND, siblings mean OR). Supported types are the ones
a file-format rule realistically uses: string, byte, big16/big32, little16/little32, host16/host32.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

NS = "{http://www.freedesktop.org/standards/shared-mime-info}"

_INT_FORMATS = {
    "byte": ("B", 1),
    "big16": (">H", 2),
    "big32": (">I", 4),
    "little16": ("<H", 2),
    "little32": ("<I", 4),
    "host16": ("=H", 2),
    "host32": ("=I", 4),
}
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def unescape(value: str) -> bytes:
    """A magic ``string`` value as bytes: C-style escapes (``\\000`` octal, ``\\x41`` hex, ``\\n``)."""

    def repl(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] == "x":
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        return _SIMPLE.get(code, code)

    return _ESCAPE.sub(repl, value).encode("latin-1")


def _offsets(spec: str) -> range:
    start, _, end = spec.partition(":")
    return range(int(start), int(end or start) + 1)


def _test(match: ET.Element, data: bytes) -> bool:
    kind = match.get("type", "")
    value = match.get("value", "")
    mask = match.get("mask")
    for offset in _offsets(match.get("offset", "0")):
        if kind == "string":
            wanted = unescape(value)
            got = data[offset:offset + len(wanted)]
            if mask is not None:
                m = bytes.fromhex(mask[2:]) if mask.startswith("0x") else unescape(mask)
                if len(got) == len(wanted) and all((g & k) == (w & k) for g, w, k in zip(got, wanted, m,
                                                                                           strict=False)):
                    return True
            elif got == wanted:
                return True
        elif kind in _INT_FORMATS:
            fmt, size = _INT_FORMATS[kind]
            chunk = data[offset:offset + size]
            if len(chunk) < size:
                continue
            (got_int,) = struct.unpack(fmt, chunk)
            want = int(value, 0)
            k = int(mask, 0) if mask else (1 << (8 * size)) - 1
            if got_int & k == want & k:
                return True
        else:
            raise ValueError(f"magic type {kind!r} is not supported by this test helper")
    return False


def _holds(match: ET.Element, data: bytes) -> bool:
    if not _test(match, data):
        return False
    children = match.findall(f"{NS}match")
    return not children or any(_holds(child, data) for child in children)


def magic_matches(mime_type: ET.Element, data: bytes) -> bool:
    """Whether any of the ``<magic>`` blocks of ``mime_type`` matches the file content ``data``."""
    for magic in mime_type.findall(f"{NS}magic"):
        if any(_holds(match, data) for match in magic.findall(f"{NS}match")):
            return True
    return False
