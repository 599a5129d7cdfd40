"""Product photos: checked, re-encoded, stored with a card and a thumbnail rendition; and
the photos buyers add to their reviews, stored the same way with a thumbnail.

The checks and the re-encoding are artisans/images.py's, Pillow's only home in Souk (imports
point catalog → artisans, and cooperative logos and photos need them too); this module writes
the product's files and rows. The generic checks are re-exported for catalog's callers.
"""

from dataclasses import asdict, dataclass
from functools import partial
from typing import IO

from django.db import transaction
from django.db.models import Max, Q

from artisans.images import (
    MAX_LONG_SIDE,
    NewFiles,
    Renditions,
    clean_image_upload,
    delete_files,
    reencode_with_crops,
)
from catalog.models import Product, ProductImage, ReviewPhoto

__all__ = [
    "CARD_SIZE",
    "MAX_LONG_SIDE",
    "THUMBNAIL_SIZE",
    "StoredImage",
    "StoredReviewPhoto",
    "add_product_image",
    "clean_image_upload",
    "delete_product_image",
    "delete_unused_image_files",
    "render_review_photo",
    "store_product_image_files",
    "store_review_photo_files",
]

# Product cards are portrait 4:5 (the catalog grid); thumbnails square (gallery strip).
CARD_SIZE = (480, 600)
THUMBNAIL_SIZE = (160, 160)
# A review's photos show as a row of small squares; the original opens on a tap.
REVIEW_THUMBNAIL_SIZE = (240, 240)


@dataclass(frozen=True)
class StoredImage:
    """The three files written for one photo, and the size of the stored original: named as
    ProductImage's fields, which **asdict(stored) fills."""

    image: str
    card: str
    thumbnail: str
    width: int
    height: int

    @property
    def names(self) -> tuple[str, str, str]:
        return (self.image, self.card, self.thumbnail)


def store_product_image_files(upload: IO[bytes]) -> StoredImage:
    """Check and re-encode a photo, and write its original, card and thumbnail files."""
    rendered = reencode_with_crops(upload, crops={"card": CARD_SIZE, "thumbnail": THUMBNAIL_SIZE})
    with NewFiles() as files:  # a failed write removes the renditions written before it
        names = files.write(ProductImage, {"image": rendered.original, **rendered.crops})
    return StoredImage(**names, width=rendered.width, height=rendered.height)


def add_product_image(
    product: Product, upload: IO[bytes], *, alt_text: str = "", position: int | None = None
) -> ProductImage:
    """Check, re-encode and attach a photo to the product, with its card and thumbnail.

    Call it outside any transaction (it owns a durable one): when it returns, the row is
    committed and its files exist; when it raises, neither the row nor a file is left.
    """
    stored = store_product_image_files(upload)
    with NewFiles(stored.names), transaction.atomic(durable=True):
        if position is None:
            last = product.images.aggregate(last=Max("position"))["last"]
            position = 0 if last is None else last + 1
        return ProductImage.objects.create(
            product=product, **asdict(stored), alt_text=alt_text[:200], position=position
        )


def delete_product_image(image: ProductImage) -> None:
    """Delete the photo's row, and its files once the deletion is committed."""
    names = [name for name in (image.image.name, image.card.name, image.thumbnail.name) if name]
    with transaction.atomic():
        image.delete()
        transaction.on_commit(partial(delete_unused_image_files, names))


def delete_unused_image_files(names: list[str]) -> None:
    """Delete those of the files no photo row points at (demo and bench rows share files)."""
    still_used = Q(image__in=names) | Q(card__in=names) | Q(thumbnail__in=names)
    kept = set()
    for row in ProductImage.objects.filter(still_used).values("image", "card", "thumbnail"):
        kept.update(row.values())
    delete_files([name for name in names if name not in kept])


def render_review_photo(upload: IO[bytes]) -> Renditions:
    """Check and re-encode a buyer's photo with its thumbnail, in memory: no file is written.

    A review's photos are all rendered before any is stored, so one bad file refuses the
    review without leaving the good ones behind.
    """
    return reencode_with_crops(upload, crops={"thumbnail": REVIEW_THUMBNAIL_SIZE})


@dataclass(frozen=True)
class StoredReviewPhoto:
    """A review photo's two files and the size of the original, named as ReviewPhoto's
    fields."""

    image: str
    thumbnail: str
    width: int
    height: int


def store_review_photo_files(rendered: Renditions, *, files: NewFiles) -> StoredReviewPhoto:
    """Write a rendered review photo and its thumbnail among files (gone if the review is not
    saved)."""
    names = files.write(ReviewPhoto, {"image": rendered.original, **rendered.crops})
    return StoredReviewPhoto(**names, width=rendered.width, height=rendered.height)
