"""A cooperative lists its products: create and edit them, submit them for review, archive and
restore them, and change their photos.

New products are drafts. A draft or rejected product goes to the moderators' queue when its
cooperative is verified and it has what approval needs (catalog/moderation.py). The review
rule, status_after_change(): a published product stays published when its text, price,
weight or stock change, and goes back to review when its HS code, its craft or its photos do
(a photo added or deleted; reordering the photos and their alt text do not count: the
moderator has seen every one of them). A rejected product stays rejected until resubmitted.

Status changes are conditional UPDATEs (status__in=...), so a double click, or a seller and
a moderator acting at once, never moves a product from a status it has already left.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from artisans.browsing import forget_listings_on_commit
from artisans.models import Cooperative
from artisans.slugs import save_with_free_slug
from catalog.images import add_product_image, delete_product_image
from catalog.models import Craft, HSCode, Product, ProductImage, ProductStatus
from catalog.moderation import approval_problems
from catalog.search import refresh_search_documents

MAX_PRODUCT_PHOTOS = 10
# What a change means for review: a field name of Product, or PHOTOS (one added or deleted).
PHOTOS = "photos"
REVIEWED_CHANGES = frozenset({"hs_code", "craft", PHOTOS})
SUBMITTABLE = (ProductStatus.DRAFT, ProductStatus.REJECTED)
# Room for "-1234" after the title's slug within Product.slug's 180 characters.
SLUG_BASE_LENGTH = 170


class ProductKind(models.TextChoices):
    """How a product is sold: the form's choice, stored as stock, made_to_order, lead time."""

    ONE_OF_A_KIND = "one_of_a_kind", _("One of a kind")
    IN_STOCK = "in_stock", _("Several in stock")
    MADE_TO_ORDER = "made_to_order", _("Made to order")


@dataclass(frozen=True)
class ProductDetails:
    """What the seller says about a product, checked by the form."""

    title: str
    description: str
    materials: str
    dimensions: str
    weight_grams: int
    price: Decimal
    craft: Craft
    hs_code: HSCode
    kind: str
    quantity: int | None = None  # for IN_STOCK
    lead_time_days: int | None = None  # for MADE_TO_ORDER

    @property
    def stock(self) -> int | None:
        """The stock the seller set; None for made to order, which keeps what it has."""
        if self.kind == ProductKind.ONE_OF_A_KIND:
            return 1
        if self.kind == ProductKind.IN_STOCK:
            return self.quantity or 0
        return None

    def model_fields(self) -> dict:
        """The Product fields these details set, stock apart."""
        made_to_order = self.kind == ProductKind.MADE_TO_ORDER
        return {
            "title": self.title,
            "description": self.description,
            "materials": self.materials,
            "dimensions": self.dimensions,
            "weight_grams": self.weight_grams,
            "price": self.price,
            "craft": self.craft,
            "hs_code": self.hs_code,
            "made_to_order": made_to_order,
            "lead_time_days": self.lead_time_days if made_to_order else None,
        }


@dataclass
class PhotoUpload:
    """What add_photos() did: the photos added, and each refused file with its reasons."""

    added: list[ProductImage] = field(default_factory=list)
    refused: list[tuple[str, list[str]]] = field(default_factory=list)
    sent_back_to_review: bool = False


def kind_of(product: Product) -> str:
    """The kind the product's fields say; a sold-out piece is "in stock" with 0 left."""
    if product.made_to_order:
        return ProductKind.MADE_TO_ORDER
    if product.stock == 1:
        return ProductKind.ONE_OF_A_KIND
    return ProductKind.IN_STOCK


def status_after_change(status: str, changed: Collection[str]) -> str:
    """The status a product in status takes when the seller changes these things.

    changed holds Product field names and PHOTOS. Only a published product moves: back to
    review (pending) when what the moderator checked changed, its HS code, craft or photos.
    """
    if status == ProductStatus.PUBLISHED and REVIEWED_CHANGES.intersection(changed):
        return ProductStatus.PENDING
    return status


def count_by_status(cooperative: Cooperative) -> dict[str, int]:
    """How many products the cooperative has in each status, 0 included (one query)."""
    rows = Product.objects.filter(cooperative=cooperative).order_by().values_list("status")
    counts = dict(rows.annotate(count=models.Count("pk")))
    return {status: counts.get(status, 0) for status in ProductStatus.values}


# ---------------------------------------------------------------------------
# Create and edit
# ---------------------------------------------------------------------------
@transaction.atomic(durable=True)
def create_product(cooperative: Cooperative, *, details: ProductDetails) -> Product:
    """Create the product as a draft of the cooperative, under a free slug."""
    product = Product(
        cooperative=cooperative,
        status=ProductStatus.DRAFT,
        stock=details.stock or 0,
        **details.model_fields(),
    )
    save_with_free_slug(
        product,
        text=product.title,
        # A title without Latin letters (Arabic, say) takes its craft's slug.
        fallback=slugify(product.craft.slug) or "product",
        base_length=SLUG_BASE_LENGTH,
    )
    refresh_search_documents(Product.objects.filter(pk=product.pk))
    return product


@transaction.atomic(durable=True)
def update_product(
    product: Product, *, details: ProductDetails, stock_seen: int, seen_at: str
) -> bool:
    """Save the seller's changes; return True if they sent the product back to review.

    stock_seen is the stock the edit page showed: a sale since then must not be undone by
    saving the old figure, so the stock is written only when the seller changed it, and
    only if it is still stock_seen. seen_at is when the product was last saved as the page
    showed it: another member's save since then is not overwritten. Either refusal is a
    ValidationError, and nothing is saved. The slug stays: buyers' links and bookmarks keep
    working after a new title.
    """
    saved_at = Product.objects.values_list("updated_at", flat=True).get(pk=product.pk)
    if saved_at.isoformat() != seen_at:
        raise ValidationError(
            gettext(
                "Someone else saved “%(title)s” while you were editing: check each field, "
                "then save again."
            ),
            code="changed_meanwhile",
            params={"title": product.title},
        )
    changed = set()
    stock = details.stock
    if stock is not None and stock != stock_seen:
        # update(): no signal, so the date and the cached pages are seen to here.
        moved = Product.objects.filter(pk=product.pk, stock=stock_seen).update(
            stock=stock, updated_at=timezone.now()
        )
        if not moved:
            raise ValidationError(
                gettext(
                    "Pieces of “%(title)s” were sold while you were editing: %(stock)d left "
                    "now. Check the quantity and save again."
                ),
                code="stock_changed",
                params={
                    "title": product.title,
                    "stock": Product.objects.values_list("stock", flat=True).get(pk=product.pk),
                },
            )
        changed.add("stock")
        forget_listings_on_commit()  # pages showing "sold out" or the stock must follow
    stored = Product.objects.get(pk=product.pk)
    fields = details.model_fields()
    edited = {name for name, value in fields.items() if _differs(stored, name, value)}
    for name in edited:
        setattr(stored, name, fields[name])
    if edited:
        # Only these fields: the status or stock a moderator or a sale wrote meanwhile stay.
        stored.save(update_fields=[*edited, "updated_at"])
    changed |= edited
    sent_back = _apply_review_rule(stored, changed)
    if changed:
        refresh_search_documents(Product.objects.filter(pk=product.pk))
    product.refresh_from_db()
    return sent_back


def _differs(product: Product, name: str, value: object) -> bool:
    # Foreign keys by id: no query for the related rows.
    attname = Product._meta.get_field(name).attname
    if isinstance(value, models.Model):
        value = value.pk
    return getattr(product, attname) != value


def _apply_review_rule(product: Product, changed: Collection[str]) -> bool:
    """Move the product to the status the rule gives, if it still has its status; True if moved."""
    status = status_after_change(product.status, changed)
    if status == product.status:
        return False
    moved = Product.objects.filter(pk=product.pk, status=product.status).update(
        status=status, updated_at=timezone.now()
    )
    if moved:
        forget_listings_on_commit()  # update() sends no signal; buyers must not see it now
    return bool(moved)


# ---------------------------------------------------------------------------
# Review, archive, restore
# ---------------------------------------------------------------------------
def submission_problems(product: Product) -> list[ValidationError]:
    """What a moderator would miss to approve the product: HS subheading, weight, a photo."""
    return [error for error in approval_problems(product) if error.code != "not_pending"]


@transaction.atomic(durable=True)
def submit_for_review(product: Product) -> bool:
    """Put a draft or rejected product in the moderators' queue; False if it is there already.

    Raise ValidationError when the cooperative is not verified (code
    cooperative_not_verified), when the product cannot be submitted from its status, or with
    every thing the product misses for approval.
    """
    stored = Product.objects.select_related("cooperative").get(pk=product.pk)
    cooperative = stored.cooperative
    if not cooperative.is_verified:
        raise ValidationError(
            gettext(
                "%(name)s is not verified yet: you can prepare products, and submit them "
                "for review once Souk has verified the cooperative."
            ),
            code="cooperative_not_verified",
            params={"name": cooperative.name},
        )
    if stored.status == ProductStatus.PENDING:
        return False
    if stored.status not in SUBMITTABLE:
        raise ValidationError(
            gettext("“%(title)s” cannot be submitted for review: it is %(status)s."),
            code="not_submittable",
            params={"title": stored.title, "status": stored.get_status_display()},
        )
    if problems := submission_problems(stored):
        raise ValidationError(problems)
    moved = Product.objects.filter(pk=product.pk, status__in=SUBMITTABLE).update(
        status=ProductStatus.PENDING, updated_at=timezone.now()
    )
    product.refresh_from_db()
    return bool(moved)


@transaction.atomic(durable=True)
def archive_product(product: Product) -> bool:
    """Take the product out of the catalog and of the review queue; False if it was already."""
    moved = (
        Product.objects.filter(pk=product.pk)
        .exclude(status=ProductStatus.ARCHIVED)
        .update(status=ProductStatus.ARCHIVED, updated_at=timezone.now())
    )
    if moved:
        forget_listings_on_commit()  # a published product leaves the public pages
    product.refresh_from_db()
    return bool(moved)


@transaction.atomic(durable=True)
def restore_product(product: Product) -> bool:
    """Bring an archived product back as a draft, to submit again; False if not archived."""
    moved = Product.objects.filter(pk=product.pk, status=ProductStatus.ARCHIVED).update(
        status=ProductStatus.DRAFT, updated_at=timezone.now()
    )
    product.refresh_from_db()
    return bool(moved)


# ---------------------------------------------------------------------------
# Photos
# ---------------------------------------------------------------------------
def add_photos(product: Product, uploads: Sequence[UploadedFile]) -> PhotoUpload:
    """Add the photos after the product's others; a refused file is named with its reasons.

    Call it outside any transaction: each photo is checked, re-encoded and committed with its
    files by catalog.images.add_product_image, so a bad file costs the seller only itself,
    not the good ones uploaded with it (sent again over a slow phone connection). More
    photos than there is room for are all refused, before anything is stored.
    """
    room = MAX_PRODUCT_PHOTOS - product.images.count()
    if len(uploads) > room:
        raise ValidationError(
            gettext(
                "A product has at most %(limit)d photos; this one has room for %(room)d more. "
                "Delete some, or choose fewer."
            ),
            code="too_many_photos",
            params={"limit": MAX_PRODUCT_PHOTOS, "room": max(room, 0)},
        )
    result = PhotoUpload()
    for upload in uploads:
        try:
            result.added.append(add_product_image(product, upload))
        except ValidationError as error:
            result.refused.append(((upload.name or "")[:100], error.messages))
    if result.added:
        with transaction.atomic(durable=True):
            product.refresh_from_db(fields=["status"])
            result.sent_back_to_review = _apply_review_rule(product, {PHOTOS})
    return result


@transaction.atomic(durable=True)
def delete_photo(image: ProductImage) -> bool:
    """Delete the photo (its files once committed); True if the product went back to review."""
    product = Product.objects.get(pk=image.product_id)
    delete_product_image(image)
    return _apply_review_rule(product, {PHOTOS})


@transaction.atomic(durable=True)
def move_photo(image: ProductImage, *, later: bool) -> bool:
    """Swap the photo with the next one (later) or the one before; False at either end.

    The first photo is the product's cover. Positions are rewritten 0, 1, 2... so rows that
    shared a position (imports, old data) get a definite order too.
    """
    photos = list(
        ProductImage.objects.filter(product_id=image.product_id).order_by("position", "pk")
    )
    ids = [photo.pk for photo in photos]
    if image.pk not in ids:  # deleted meanwhile
        return False
    index = ids.index(image.pk)
    target = index + 1 if later else index - 1
    if not 0 <= target < len(photos):
        return False
    photos[index], photos[target] = photos[target], photos[index]
    for position, photo in enumerate(photos):
        photo.position = position
    ProductImage.objects.bulk_update(photos, ["position"])
    forget_listings_on_commit()  # bulk_update sends no signal, and the cover may have changed
    return True


def set_alt_text(image: ProductImage, text: str) -> None:
    """Save what the photo shows, for buyers who cannot see it."""
    image.alt_text = text.strip()[: ProductImage._meta.get_field("alt_text").max_length]
    image.save(update_fields=["alt_text"])  # post_save drops the cached public pages
