"""The buyer writes a review (stars, text, up to three photos) and may edit it later."""

from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language, gettext

from artisans.images import NewFiles
from catalog.images import StoredReviewPhoto, render_review_photo, store_review_photo_files
from catalog.models import Review, ReviewPhoto, ReviewStatus
from catalog.reviews.changes import changed_on_commit
from catalog.reviews.eligibility import check_may_review, order_lines

if TYPE_CHECKING:
    from marketplace.models import Order, OrderLine, User

RATINGS = range(1, 6)
MIN_TEXT_CHARS = 10
MAX_TEXT_CHARS = 4000
MAX_REVIEW_PHOTOS = 3


def clean_rating(rating: object) -> int:
    """Return the rating as an int from 1 to 5, or raise ValidationError."""
    try:
        stars = int(str(rating).strip())
    except (TypeError, ValueError):
        stars = 0
    if stars not in RATINGS:
        raise ValidationError(
            gettext("Choose from 1 to 5 stars."), code="invalid_rating", params={"value": rating}
        )
    return stars


def clean_text(text: str) -> str:
    """Return the review's text stripped, or raise ValidationError if too short or long."""
    text = (text or "").strip()
    if len(text) < MIN_TEXT_CHARS:
        raise ValidationError(
            gettext("Write at least %(min)d characters about the piece."),
            code="text_too_short",
            params={"min": MIN_TEXT_CHARS},
        )
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(
            gettext("A review has at most %(max)d characters; this one has %(count)d."),
            code="text_too_long",
            params={"max": MAX_TEXT_CHARS, "count": len(text)},
        )
    return text


def author_name(user: "User", order: "Order") -> str:
    """The name shown with a review: first name and initial ("Claire M."), never more."""
    first, last = user.first_name.strip(), user.last_name.strip()
    if not first:
        words = order.full_name.split()
        first, last = (words[0], " ".join(words[1:])) if words else ("", "")
    name = f"{first} {last[0]}." if first and last else first
    return name[:80]


def submit_review(
    order_line: "OrderLine",
    *,
    author: "User",
    rating: object,
    text: str,
    photos: Sequence[UploadedFile] = (),
) -> Review:
    """Record the buyer's review of the line, published at once or held for moderation.

    Everything is checked before any file is written: the rules, the stars and text, and
    every photo (decoded and re-encoded in memory). Call it outside any transaction (it owns
    a durable one): when it raises, neither a row nor a file is left.
    """
    rating, text = clean_rating(rating), clean_text(text)
    if len(photos) > MAX_REVIEW_PHOTOS:
        raise ValidationError(
            gettext("Add at most %(limit)d photos; you chose %(count)d."),
            code="too_many_photos",
            params={"limit": MAX_REVIEW_PHOTOS, "count": len(photos)},
        )
    line = order_lines().select_related("shipment__order").get(pk=order_line.pk)
    check_may_review(author, line)
    rendered = [_render(photo) for photo in photos]
    try:
        with NewFiles() as files:  # gone again if the review is not saved
            stored = [store_review_photo_files(rendition, files=files) for rendition in rendered]
            return _save_review(line, author=author, rating=rating, text=text, photos=stored)
    except IntegrityError as error:  # the same line reviewed meanwhile (a double submit)
        raise ValidationError(
            gettext("You have already reviewed “%(title)s”: you can edit your review instead."),
            code="already_reviewed",
            params={"title": line.title},
        ) from error


@transaction.atomic(durable=True)
def _save_review(
    line: "OrderLine",
    *,
    author: "User",
    rating: int,
    text: str,
    photos: Sequence[StoredReviewPhoto],
) -> Review:
    review = Review.objects.create(
        order_line=line,
        product_id=line.product_id,
        cooperative_id=line.shipment.cooperative_id,
        author=author,
        author_name=author_name(author, line.shipment.order),
        country=str(line.shipment.order.country),
        language=(get_language() or "")[:5],
        rating=rating,
        text=text,
        status=ReviewStatus.PENDING if _held() else ReviewStatus.PUBLISHED,
    )
    ReviewPhoto.objects.bulk_create(
        ReviewPhoto(review=review, **asdict(photo), position=position)
        for position, photo in enumerate(photos)
    )
    changed_on_commit(review)
    return review


def _render(upload: UploadedFile):
    """Check and re-encode one photo in memory; the refusal names the file."""
    try:
        return render_review_photo(upload)
    except ValidationError as error:
        raise ValidationError(
            gettext("%(file)s: %(problem)s"),
            code=error.code or "invalid_photo",
            params={"file": (upload.name or "")[:100], "problem": " ".join(error.messages)},
        ) from error


@transaction.atomic(durable=True)
def edit_review(review: Review, *, author: "User", rating: object, text: str) -> Review:
    """Change the stars and text of the author's own review.

    While reviews are held for moderation the edit waits for a moderator again. A review a
    moderator hid or rejected stays as it is.
    """
    rating, text = clean_rating(rating), clean_text(text)
    if not author.is_authenticated or review.author_id != author.pk:
        raise ValidationError(gettext("Only its author can edit a review."), code="not_your_review")
    changed = Review.objects.filter(
        pk=review.pk,
        author=author,
        status__in=(ReviewStatus.PUBLISHED, ReviewStatus.PENDING),
    ).update(
        rating=rating,
        text=text,
        status=ReviewStatus.PENDING if _held() else F("status"),
        updated_at=timezone.now(),
    )
    review.refresh_from_db()
    if not changed:
        raise ValidationError(
            gettext("A moderator has %(status)s this review: it can no longer be edited."),
            code="review_moderated",
            params={"status": review.get_status_display()},
        )
    changed_on_commit(review)
    return review


def _held() -> bool:
    return settings.SOUK_REVIEWS_HELD_FOR_MODERATION
