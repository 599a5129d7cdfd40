"""Uploaded images, checked by content and re-encoded: Pillow's only home in Souk.

An upload is checked from its header before anything is decoded (format, byte size, pixel
count), then decoded once, turned upright, flattened to RGB and re-encoded: the stored bytes
are ours, not the uploader's, so EXIF (GPS included), colour profiles, comments and anything
appended after the image data (a PNG followed by HTML, say) are dropped.

It lives in artisans, the app every other one may import (imports point catalog → artisans):
cooperative logos and workshop photos are re-encoded here, and catalog/images.py stores
product photos and their renditions with what this module returns. Both write files through
NewFiles, which removes them again when the rows that were to point at them are not saved,
and remove files they no longer need with delete_files().
"""

import logging
import uuid
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Only these decoders ever see an upload: fewer parsers, smaller attack surface
# (no EPS, which would start Ghostscript, no TIFF, no ICO...).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# What a file input offers to pick: the same three formats.
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp"
# The stored original: big enough for a zoomed product page on a large screen.
MAX_LONG_SIDE = 2000
LOGO_LONG_SIDE = 512
JPEG_QUALITY = 85
# The code of every refusal below, for a form to show it beside its file field.
IMAGE_ERROR_CODES = frozenset(
    {
        "empty_file",
        "file_too_large",
        "corrupt_image",
        "too_many_pixels",
        "invalid_image_format",
        "empty_image",
    }
)


@dataclass(frozen=True)
class Renditions:
    """A photo re-encoded as JPEG, with its size, and each named crop of it."""

    original: bytes
    width: int
    height: int
    crops: dict[str, bytes]


def clean_image_upload(upload: IO[bytes]) -> None:
    """Raise ValidationError unless the file is a readable JPEG, PNG or WebP within limits."""
    decode_upload(upload).close()


def decode_upload(upload: IO[bytes]) -> Image.Image:
    """Check the upload from its header, then decode it; raise ValidationError if refused."""
    size = _upload_size(upload)
    if size == 0:
        raise ValidationError(gettext("The file is empty."), code="empty_file")
    limit = settings.SOUK_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            gettext("This file is %(size)s; a photo can be at most %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    image = _open_header(upload)
    _check_pixels(image.size)
    try:
        if image.format == "JPEG":
            # Let libjpeg decode at a reduced scale: a 40 MP photo never needs full size.
            image.draft("RGB", (MAX_LONG_SIDE, MAX_LONG_SIDE))
        image.load()
    # Pillow reports damaged data with many types (OSError, SyntaxError, ValueError,
    # struct.error, EOFError...); to the seller they all mean the same thing.
    except Exception as error:
        logger.info("Refused an unreadable image upload: %s", error)
        raise ValidationError(
            gettext(
                "This image is damaged or incomplete and cannot be read. "
                "Export it again from your phone or computer and retry."
            ),
            code="corrupt_image",
        ) from error
    return image


def reencode_logo(upload: IO[bytes]) -> ContentFile:
    """Check a cooperative logo and return it re-encoded, at most 512 px, PNG if transparent."""
    with decode_upload(upload) as decoded:
        logo = _bounded(ImageOps.exif_transpose(decoded), LOGO_LONG_SIDE)
    if logo.mode in ("RGBA", "LA", "PA") or "transparency" in logo.info:
        buffer = BytesIO()
        logo.convert("RGBA").save(buffer, "PNG", optimize=True)
        return ContentFile(buffer.getvalue(), name="logo.png")
    return ContentFile(_encode_jpeg(_flatten(logo)), name="logo.jpg")


def reencode_photo(upload: IO[bytes]) -> ContentFile:
    """Check any photo (a cooperative's workshop, say) and return it re-encoded as JPEG."""
    with decode_upload(upload) as decoded:
        photo = _bounded(_flatten(ImageOps.exif_transpose(decoded)), MAX_LONG_SIDE)
    return ContentFile(_encode_jpeg(photo), name="photo.jpg")


def reencode_with_crops(upload: IO[bytes], *, crops: Mapping[str, tuple[int, int]]) -> Renditions:
    """Check a photo; return it re-encoded as JPEG with a centred crop of each (width, height)."""
    with decode_upload(upload) as decoded:
        original = _bounded(_flatten(ImageOps.exif_transpose(decoded)), MAX_LONG_SIDE)
    return Renditions(
        original=_encode_jpeg(original),
        width=original.width,
        height=original.height,
        crops={
            name: _encode_jpeg(ImageOps.fit(original, size, Image.Resampling.LANCZOS))
            for name, size in crops.items()
        },
    )


def delete_files(names: Iterable[str]) -> None:
    """Delete the stored files, logging (not raising) those that cannot be deleted."""
    # The image fields of cooperatives and products all keep their files in default_storage.
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # cleanup must not hide the error that triggered it
            logger.warning("Could not delete %s", name, exc_info=True)


class NewFiles:
    """Files written for rows not saved yet: deleted again if the block writing them fails.

        with NewFiles() as files:
            names = files.write(CooperativePhoto, {"image": photo})
            with transaction.atomic(durable=True):
                CooperativePhoto.objects.create(cooperative=cooperative, **names)

    Whatever raises inside the block (a refused file, a failed write, a transaction rolled
    back) leaves none of the files behind. Files written before the block are passed in.
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names = list(names)

    def __enter__(self) -> "NewFiles":
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        if error_type is not None:  # BaseException too: an interrupted request leaves no file
            delete_files(self.names)

    def write(self, model: type[Model], contents: Mapping[str, bytes | File]) -> dict[str, str]:
        """Store each content in the model's file field of that name; return the names stored.

        The files share one random stem (the renditions of one photo), so names can neither
        be guessed nor collide; each keeps the extension of its content's name, else .jpg.
        """
        stem = uuid.uuid4().hex
        stored = {}
        for field_name, content in contents.items():
            field = model._meta.get_field(field_name)
            file = ContentFile(content) if isinstance(content, bytes) else content
            extension = PurePath(file.name or "").suffix or ".jpg"
            name = field.generate_filename(None, stem + extension)
            stored[field_name] = field.storage.save(name, file)
            self.names.append(stored[field_name])
        return stored


def _upload_size(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    upload.seek(0)
    return size


def _open_header(upload: IO[bytes]) -> Image.Image:
    """Identify the file from its first bytes, restricted to the accepted formats."""
    upload.seek(0)
    try:
        # Above Pillow's own limit it only warns; our pixel check follows right after.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as error:
        # Pillow refuses before telling us the size: name its threshold instead.
        raise ValidationError(
            gettext(
                "This image has more than %(megapixels)s megapixels; "
                "the limit is %(limit)s megapixels. Resize it and upload it again."
            ),
            code="too_many_pixels",
            params={
                "megapixels": 2 * Image.MAX_IMAGE_PIXELS // 1_000_000,
                "limit": settings.SOUK_MAX_UPLOAD_PIXELS // 1_000_000,
            },
        ) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            gettext(
                "This file is not a JPEG, PNG or WebP image. "
                "Save the photo in one of these formats and upload it again."
            ),
            code="invalid_image_format",
        ) from error
    if image.format not in ACCEPTED_FORMATS:  # Pillow honours `formats`; belt and braces
        raise ValidationError(
            gettext("This file is not a JPEG, PNG or WebP image."), code="invalid_image_format"
        )
    return image


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    limit = settings.SOUK_MAX_UPLOAD_PIXELS
    if width * height > limit:
        raise ValidationError(
            gettext(
                "This image is %(width)s × %(height)s pixels (%(megapixels)s megapixels); "
                "the limit is %(limit)s megapixels. Resize it and upload it again."
            ),
            code="too_many_pixels",
            params={
                "width": width,
                "height": height,
                "megapixels": round(width * height / 1_000_000, 1),
                "limit": round(limit / 1_000_000, 1),
            },
        )
    if width < 1 or height < 1:
        raise ValidationError(gettext("This image is empty."), code="empty_image")


def _flatten(image: Image.Image) -> Image.Image:
    """Return an RGB image; transparency becomes white, 16-bit grey is scaled to 8 bits."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _bounded(image: Image.Image, long_side: int) -> Image.Image:
    """Return a copy no longer than long_side on either side, proportions kept."""
    bounded = image.copy()
    bounded.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    return bounded


def _encode_jpeg(image: Image.Image) -> bytes:
    buffer = BytesIO()
    # No exif=, no icc_profile=: nothing of the upload's metadata is written back.
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()
