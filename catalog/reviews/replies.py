"""The cooperative's one public reply to each review of its pieces, by any of its members;
the review's author gets it by mail."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from artisans.browsing import forget_listings_on_commit
from artisans.models import Cooperative
from catalog.models import Review, ReviewStatus
from catalog.reviews.mail import REPLIED, mail_author_on_commit

if TYPE_CHECKING:
    from marketplace.models import User

MIN_REPLY_CHARS = 2
MAX_REPLY_CHARS = 2000


@transaction.atomic(durable=True)
def reply_to_review(review: Review, *, cooperative: Cooperative, by: "User", text: str) -> Review:
    """Publish the cooperative's one reply to a review of its piece, by one of its members."""
    if review.cooperative_id != cooperative.pk:
        raise ValidationError(
            gettext("This review is about another cooperative's piece."),
            code="not_your_cooperative",
        )
    if not cooperative.memberships.filter(user_id=by.pk).exists():
        raise ValidationError(
            gettext("Only the cooperative's members can reply to its reviews."),
            code="not_a_member",
        )
    text = (text or "").strip()
    if not MIN_REPLY_CHARS <= len(text) <= MAX_REPLY_CHARS:
        raise ValidationError(
            gettext("Write a reply of %(min)d to %(max)d characters; this one has %(count)d."),
            code="invalid_reply",
            params={"min": MIN_REPLY_CHARS, "max": MAX_REPLY_CHARS, "count": len(text)},
        )
    now = timezone.now()
    # Conditional update: two members replying at once, the second one is told.
    replied = Review.objects.filter(pk=review.pk, reply="", status=ReviewStatus.PUBLISHED).update(
        reply=text, replied_at=now, replied_by=by, updated_at=now
    )
    review.refresh_from_db()
    if not replied:
        if review.reply:
            raise ValidationError(
                gettext("The cooperative has already replied to this review."),
                code="already_replied",
            )
        raise ValidationError(
            gettext("This review is not shown any more: it cannot be replied to."),
            code="not_published",
        )
    forget_listings_on_commit()
    mail_author_on_commit(review, REPLIED)
    return review
