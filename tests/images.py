"""Images for the tests: real JPEG, PNG and WebP files made with Pillow, a phone's photo with
its metadata, files that only pretend to be images, pixel bombs; and what a test left in
MEDIA_ROOT (the `media_root` fixture of tests/conftest.py points it at a temporary folder)."""

import struct
import zlib
from io import BytesIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image


def encoded(
    fmt: str = "JPEG", size: tuple[int, int] = (640, 480), mode: str = "RGB", **params
) -> bytes:
    """A real image in that format and mode: a grey gradient, so every rendition differs."""
    buffer = BytesIO()
    Image.linear_gradient("L").resize(size).convert(mode).save(buffer, fmt, **params)
    return buffer.getvalue()


def upload(content: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    """The bytes as a browser uploads them (it trusts the name: the type says JPEG)."""
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def photo(name: str = "carpet.jpg", size: tuple[int, int] = (800, 600)) -> SimpleUploadedFile:
    """A real JPEG upload, as a phone sends it."""
    return upload(encoded("JPEG", size, quality=90), name)


def not_an_image(name: str = "carpet.jpg") -> SimpleUploadedFile:
    """HTML named like a photo."""
    return upload(b"<html><script>alert(1)</script></html>", name)


def phone_jpeg() -> bytes:
    """An 800 × 600 JPEG with what a phone writes in it: its make, where it was taken, and
    that it was held on its side (shown upright it is 600 × 800)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Souk test phone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 37.0, 48.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (8.0, 0.0, 36.0)
    return encoded("JPEG", (800, 600), exif=exif)


def oversized_png(width: int, height: int, *, rows: bool = True) -> bytes:
    """A 1-bit grey PNG claiming that size: a few KB on disk however many pixels it claims
    (without rows, its pixel data is cut short too)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    raw = bytes(height * (1 + (width + 7) // 8)) if rows else b"\0"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def files_under(root: Path) -> list[Path]:
    """The files below root (none when it does not exist)."""
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
