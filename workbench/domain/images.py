"""Portrait and logo images: PNG or JPEG, validated, stored as the exact bytes given."""

from __future__ import annotations

import struct

from workbench.domain import errors

#: Largest image we store (portraits and logos). Phone photos are larger: the app scales them down.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_DIMENSION = 10_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def kind(data: bytes) -> str | None:
    """``"png"``, ``"jpeg"`` or None, from the magic bytes."""
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def dimensions(data: bytes) -> tuple[int, int]:
    """(width, height) read from the PNG IHDR or the JPEG SOF marker; raises ValidationError."""
    k = kind(data)
    if k == "png":
        if len(data) < 24 or data[12:16] != b"IHDR":
            raise errors.ValidationError("The PNG image is damaged.")
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if k == "jpeg":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                i += 1 if marker == 0xFF else 2
                continue
            length = struct.unpack(">H", data[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return width, height
            i += 2 + length
        raise errors.ValidationError("The JPEG image is damaged.")
    raise errors.ValidationError("Only PNG and JPEG images can be used.")


def validate(data: bytes) -> tuple[int, int]:
    """Accept a PNG or JPEG within the size cap; return its dimensions."""
    if not isinstance(data, (bytes, bytearray)):
        raise errors.ValidationError("An image must be bytes.")
    if len(data) > MAX_IMAGE_BYTES:
        raise errors.ValidationError(
            f"The image is {len(data) / 1048576:.1f} MB; images up to {MAX_IMAGE_BYTES // 1048576} MB "
            "are stored.")
    width, height = dimensions(bytes(data))
    if not (0 < width <= MAX_DIMENSION and 0 < height <= MAX_DIMENSION):
        raise errors.ValidationError(f"The image's size ({width}×{height}) is not usable.")
    return width, height
