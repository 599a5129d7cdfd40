"""Product photos and cooperative logos: checked by content, re-encoded, resized.

Pillow lives here and nowhere else in the application. An upload is checked from its
header before anything is decoded (format, byte size, pixel count), then decoded once,
turned upright, flattened to RGB and re-encoded: the stored bytes are ours, not the
uploader's, so EXIF (GPS included), colour profiles, comments and anything appended
after the image data (a PNG followed by HTML, say) are dropped.
"""

import logging
import uuid
import warnings
from dataclasses import dataclass
from functools import partial
from io import BytesIO
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError

from catalog.models import Product, ProductImage

logger = logging.getLogger(__name__)

# Only these decoders ever see an upload: fewer parsers, smaller attack surface
# (no EPS, which would start Ghostscript, no TIFF, no ICO...).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# The stored original: big enough for a zoomed product page on a large screen.
MAX_LONG_SIDE = 2000
# Product cards are portrait 4:5 (the catalog grid); thumbnails square (gallery strip).
CARD_SIZE = (480, 600)
THUMBNAIL_SIZE = (160, 160)
LOGO_LONG_SIDE = 512
JPEG_QUALITY = 85


@dataclass(frozen=True)
class StoredImage:
    """The three files written for one photo, and the size of the stored original."""

    image: str
    card: str
    thumbnail: str
    width: int
    height: int

    @property
    def names(self) -> tuple[str, str, str]:
        return (self.image, self.card, self.thumbnail)


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


def store_product_image_files(upload: IO[bytes]) -> StoredImage:
    """Check and re-encode a photo, and write its original, card and thumbnail files."""
    with decode_upload(upload) as decoded:
        original = _bounded(_flatten(ImageOps.exif_transpose(decoded)), MAX_LONG_SIDE)
    renditions = {
        "image": original,
        "card": ImageOps.fit(original, CARD_SIZE, Image.Resampling.LANCZOS),
        "thumbnail": ImageOps.fit(original, THUMBNAIL_SIZE, Image.Resampling.LANCZOS),
    }
    # One random stem for the three files: names cannot be guessed or collide.
    stem = f"{uuid.uuid4().hex}.jpg"
    written: list[str] = []
    try:
        for field_name, rendition in renditions.items():
            field = ProductImage._meta.get_field(field_name)
            name = field.generate_filename(None, stem)
            written.append(field.storage.save(name, ContentFile(_encode_jpeg(rendition))))
    except BaseException:
        _delete_files(written)
        raise
    return StoredImage(*written, width=original.width, height=original.height)


def add_product_image(
    product: Product, upload: IO[bytes], *, alt_text: str = "", position: int | None = None
) -> ProductImage:
    """Check, re-encode and attach a photo to the product, with its card and thumbnail.

    Call it outside any transaction (it owns a durable one): when it returns, the row is
    committed and its files exist; when it raises, neither the row nor a file is left.
    """
    stored = store_product_image_files(upload)
    try:
        with transaction.atomic(durable=True):
            if position is None:
                last = product.images.aggregate(last=Max("position"))["last"]
                position = 0 if last is None else last + 1
            return ProductImage.objects.create(
                product=product,
                image=stored.image,
                card=stored.card,
                thumbnail=stored.thumbnail,
                width=stored.width,
                height=stored.height,
                alt_text=alt_text[:200],
                position=position,
            )
    except BaseException:
        _delete_files(stored.names)
        raise


def delete_product_image(image: ProductImage) -> None:
    """Delete the photo's row, and its files once the deletion is committed."""
    names = [name for name in (image.image.name, image.card.name, image.thumbnail.name) if name]
    with transaction.atomic():
        image.delete()
        transaction.on_commit(partial(delete_unused_image_files, names))


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


def delete_unused_image_files(names: list[str]) -> None:
    """Delete those of the files no photo row points at (demo and bench rows share files)."""
    still_used = Q(image__in=names) | Q(card__in=names) | Q(thumbnail__in=names)
    kept = set()
    for row in ProductImage.objects.filter(still_used).values("image", "card", "thumbnail"):
        kept.update(row.values())
    _delete_files([name for name in names if name not in kept])


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


def _delete_files(names: list[str] | tuple[str, ...]) -> None:
    storage = ProductImage._meta.get_field("image").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # cleanup must not hide the error that triggered it
            logger.warning("Could not delete %s", name, exc_info=True)
