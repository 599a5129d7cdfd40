"""Verified-purchase reviews: who may review, writing and editing, moderation, reports, the
"helpful" button and the cooperative's reply; one module per sub-process, their functions
gathered here.

Only the signed-in buyer of a paid order line reviews it, once, after its parcel is marked
delivered or SOUK_REVIEW_AFTER_SHIPPED_DAYS after it was shipped. A review shows at once, or
waits for a moderator while SOUK_REVIEWS_HELD_FOR_MODERATION is on. Only published reviews
count anywhere: Review.objects.rating_summary() computes the figures from them on each read.
"""

from catalog.reviews.changes import published_reviews_changed
from catalog.reviews.eligibility import (
    DELIVERED,
    PAID,
    SENT,
    LineReview,
    check_may_review,
    order_lines,
    order_review_states,
    refusal,
    review_opens_at,
)
from catalog.reviews.moderation import hide_review, publish_review, reject_review
from catalog.reviews.readers import mark_helpful, report_review
from catalog.reviews.replies import MAX_REPLY_CHARS, MIN_REPLY_CHARS, reply_to_review
from catalog.reviews.sections import ReviewsChoice, reviews_choice, reviews_version
from catalog.reviews.writing import (
    MAX_REVIEW_PHOTOS,
    MAX_TEXT_CHARS,
    MIN_TEXT_CHARS,
    RATINGS,
    author_name,
    clean_rating,
    clean_text,
    edit_review,
    submit_review,
)

__all__ = [
    "DELIVERED",
    "MAX_REPLY_CHARS",
    "MAX_REVIEW_PHOTOS",
    "MAX_TEXT_CHARS",
    "MIN_REPLY_CHARS",
    "MIN_TEXT_CHARS",
    "PAID",
    "RATINGS",
    "SENT",
    "LineReview",
    "ReviewsChoice",
    "author_name",
    "check_may_review",
    "clean_rating",
    "clean_text",
    "edit_review",
    "hide_review",
    "mark_helpful",
    "order_lines",
    "order_review_states",
    "publish_review",
    "published_reviews_changed",
    "refusal",
    "reject_review",
    "reply_to_review",
    "report_review",
    "review_opens_at",
    "reviews_choice",
    "reviews_version",
    "submit_review",
]
