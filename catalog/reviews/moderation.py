"""Moderators publish, hide or reject reviews (from the admin), a reason for the last two;
the author of a rejected review is told why."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from catalog.models import Review, ReviewStatus
from catalog.moderation import move_status
from catalog.reviews.changes import changed_on_commit
from catalog.reviews.mail import REJECTED, mail_author_on_commit

if TYPE_CHECKING:
    from marketplace.models import User


@transaction.atomic(durable=True)
def publish_review(review: Review, *, by: "User") -> Review:
    """Show a pending, hidden or rejected review."""
    allowed = (ReviewStatus.PENDING, ReviewStatus.HIDDEN, ReviewStatus.REJECTED)
    _moderate(review, ReviewStatus.PUBLISHED, by=by, reason="", allowed=allowed)
    return review


@transaction.atomic(durable=True)
def hide_review(review: Review, *, by: "User", reason: str) -> Review:
    """Take a review off the pages (it can be published again), saying why."""
    allowed = (ReviewStatus.PUBLISHED, ReviewStatus.PENDING)
    _moderate(review, ReviewStatus.HIDDEN, by=by, reason=_reason(reason), allowed=allowed)
    return review


@transaction.atomic(durable=True)
def reject_review(review: Review, *, by: "User", reason: str) -> Review:
    """Refuse a review for breaking the rules, saying why."""
    allowed = (ReviewStatus.PENDING, ReviewStatus.PUBLISHED, ReviewStatus.HIDDEN)
    _moderate(review, ReviewStatus.REJECTED, by=by, reason=_reason(reason), allowed=allowed)
    mail_author_on_commit(review, REJECTED)
    return review


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(gettext("Give the reason for the decision."), code="reason_required")
    return reason


def _moderate(
    review: Review, status: str, *, by: "User", reason: str, allowed: tuple[str, ...]
) -> None:
    """Move the review to status if still in an allowed one; refresh the instance."""
    now = timezone.now()
    decision = {"moderated_at": now, "moderated_by": by, "moderation_reason": reason}
    if not move_status(review, status, allowed=allowed, **decision, updated_at=now):
        raise ValidationError(
            gettext("The review by %(author)s is already %(status)s."),
            code="not_moderatable",
            params={"author": review.author_name, "status": review.get_status_display()},
        )
    changed_on_commit(review)
