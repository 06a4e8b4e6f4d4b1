"""Portrait and logo images: PNG or JPEG, validated, stored as the exact bytes given.

The format is decided from the bytes, never from a file name: only PNG and JPEG pass (an SVG named
``.png`` — which an SVG renderer would let read local files — is refused). The picture's size is read
from the header before anything decodes it, and refused above :data:`MAX_PIXELS` (a 4 MB file can
claim 8000 × 8000 pixels: 256 MB once decoded). The file's structure is walked too — PNG chunks with
their checksums up to ``IEND``, JPEG segments up to the scan and its end marker — so a truncated or
header-only file is refused here rather than shown as a broken picture later.
"""

from __future__ import annotations

import struct
import zlib

from workbench.domain import errors

#: Largest image we store (portraits and logos). Phone photos are larger: the app scales them down.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_DIMENSION = 10_000
#: Most pixels a stored image may have (4096 × 4096, ≈ 67 MB decoded): the app scales anything
#: bigger down before storing it, so only hostile or foreign files come near it.
MAX_PIXELS = 4096 * 4096
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: Bit depths each PNG colour type allows.
_PNG_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
#: JPEG frames the usual decoders read: baseline, extended sequential, progressive (Huffman).
_JPEG_FRAMES = (0xC0, 0xC1, 0xC2)
#: Every other start-of-frame marker (lossless, hierarchical, arithmetic-coded).
_JPEG_OTHER_FRAMES = (0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF)


def kind(data: bytes) -> str | None:
    """``"png"``, ``"jpeg"`` or None, from the magic bytes."""
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def _png(data: bytes) -> tuple[int, int]:
    damaged = errors.ValidationError("The PNG image is damaged or incomplete.")
    pos, size, seen_data, ended = len(PNG_MAGIC), None, False, False
    while pos + 12 <= len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        chunk = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if length > 0x7FFFFFFF or end > len(data):
            raise damaged
        body = data[pos + 8:pos + 8 + length]
        if struct.unpack(">I", data[end - 4:end])[0] != zlib.crc32(chunk + body) & 0xFFFFFFFF:
            raise damaged
        if size is None:
            if chunk != b"IHDR" or length != 13:
                raise damaged
            width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", body)
            if depth not in _PNG_DEPTHS.get(colour, ()) or compression or filtering or interlace > 1:
                raise damaged
            size = (width, height)
        elif chunk == b"IDAT":
            seen_data = True
        elif chunk == b"IEND":
            ended = True
            break
        pos = end
    if size is None or not seen_data or not ended:
        raise damaged
    return size


def _jpeg(data: bytes) -> tuple[int, int]:
    damaged = errors.ValidationError("The JPEG image is damaged or incomplete.")
    i, size = 2, None
    while i + 4 <= len(data):
        if data[i] != 0xFF:  # stray bytes between segments (some cameras write them): skip, as decoders do
            i += 1
            continue
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if length < 2 or i + 2 + length > len(data):
            raise damaged
        if marker in _JPEG_OTHER_FRAMES:
            raise errors.ValidationError("The JPEG image uses a kind of JPEG that cannot be shown; save it "
                                         "again as an ordinary JPEG or PNG.")
        if marker in _JPEG_FRAMES:
            if length < 8:
                raise damaged
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            size = (width, height)
        elif marker == 0xDA:  # start of scan: the picture data follows, then (at last) the end marker
            if size is None or data.find(b"\xff\xd9", i + 2 + length) < 0:
                raise damaged
            return size
        elif marker == 0xD9:
            break
        i += 2 + length
    raise damaged


def dimensions(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG or JPEG whose structure is whole; raises ValidationError."""
    k = kind(data)
    if k == "png":
        return _png(data)
    if k == "jpeg":
        return _jpeg(data)
    raise errors.ValidationError("Only PNG and JPEG images can be used.")


def validate(data: bytes) -> tuple[int, int]:
    """Accept a whole PNG or JPEG within the size caps; return its dimensions (read from the header —
    nothing is decoded)."""
    if not isinstance(data, (bytes, bytearray)):
        raise errors.ValidationError("An image must be bytes.")
    if len(data) > MAX_IMAGE_BYTES:
        raise errors.ValidationError(
            f"The image is {len(data) / 1048576:.1f} MB; images up to {MAX_IMAGE_BYTES // 1048576} MB "
            "are stored.")
    width, height = dimensions(bytes(data))
    if not (0 < width <= MAX_DIMENSION and 0 < height <= MAX_DIMENSION):
        raise errors.ValidationError(f"The image's size ({width}×{height}) is not usable.")
    if width * height > MAX_PIXELS:
        raise errors.ValidationError(
            f"The image is {width}×{height} pixels; images up to {MAX_PIXELS // 1_000_000} million pixels "
            "are stored. Scale it down first.")
    return width, height
