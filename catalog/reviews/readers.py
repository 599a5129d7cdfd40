"""What readers do with a published review: report it to the moderators, find it helpful."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext

from catalog.models import ReportReason, Review, ReviewReport, ReviewStatus, ReviewVote
from catalog.reviews.sections import forget_review_sections_on_commit

if TYPE_CHECKING:
    from marketplace.models import User


def report_review(review: Review, *, reporter: "User", reason: str) -> ReviewReport:
    """Record a signed-in reader's report that the review breaks the rules; once per reader.

    No page shows reports: nothing cached is renewed (a moderator's decision is).
    """
    if not reporter.is_authenticated:
        raise ValidationError(gettext("Log in to report a review."), code="login_required")
    if reason not in ReportReason.values:
        raise ValidationError(
            gettext("Choose why the review breaks the rules."), code="invalid_reason"
        )
    _check_published(review)
    try:
        with transaction.atomic(durable=True):
            return ReviewReport.objects.create(review=review, reporter=reporter, reason=reason)
    except IntegrityError as error:
        raise ValidationError(
            gettext("You have already reported this review: a moderator will look at it."),
            code="already_reported",
        ) from error


def mark_helpful(review: Review, user: "User") -> bool:
    """Count the user's "helpful" for the review; False if they had counted it already."""
    if not user.is_authenticated:
        raise ValidationError(gettext("Log in to vote for a review."), code="login_required")
    if review.author_id == user.pk:
        raise ValidationError(
            gettext("Your own review cannot be voted helpful by you."), code="own_review"
        )
    _check_published(review)
    try:
        with transaction.atomic(durable=True):
            ReviewVote.objects.create(review=review, user=user)
            Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
            # The count shows in the reviews section of the product's and the cooperative's
            # pages: those two are renewed, not every cached page of the catalog (the figures
            # do not change). A visitor's whole page, cached by listings version, shows the
            # new count within SOUK_CATALOG_CACHE_SECONDS; the voter, signed in, at once.
            forget_review_sections_on_commit(review)
    except IntegrityError:  # the unique vote: a second click counts nothing
        return False
    return True


def _check_published(review: Review) -> None:
    if review.status != ReviewStatus.PUBLISHED:
        raise ValidationError(gettext("This review is not shown any more."), code="not_published")
