"""Who may review an order line, and when: its signed-in buyer, once the parcel is delivered
or SOUK_REVIEW_AFTER_SHIPPED_DAYS after it was shipped, once per line.

Orders are marketplace's and imports point marketplace → catalog: this module reads order
lines through the Review.order_line relation, and spells the statuses it needs.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext

from catalog.models import Review

if TYPE_CHECKING:
    from marketplace.models import Order, OrderLine, Shipment, User

# marketplace.models.OrderStatus.PAID, and the ShipmentStatus values of a parcel on its way.
PAID = "paid"
DELIVERED = "delivered"
SENT = ("shipped", "delivered")


def order_lines() -> QuerySet:
    """marketplace's OrderLine rows, reached through the review's relation."""
    return Review._meta.get_field("order_line").related_model.objects.all()


def review_opens_at(shipment: "Shipment") -> datetime | None:
    """When a parcel not marked delivered may be reviewed anyway; None before it is shipped."""
    if shipment.status in SENT and shipment.shipped_at:
        return shipment.shipped_at + timedelta(days=settings.SOUK_REVIEW_AFTER_SHIPPED_DAYS)
    return None


def refusal(
    user: "User", order_line: "OrderLine", *, reviewed: bool, now: datetime | None = None
) -> ValidationError | None:
    """Why the user may not review the line now, or None when they may.

    The line comes with its shipment and order; `reviewed` says whether it has a review.
    """
    shipment = order_line.shipment
    order = shipment.order
    title = {"title": order_line.title}
    if order.user_id is None:
        return ValidationError(
            gettext(
                "This order was placed without an account: only pieces ordered while signed "
                "in can be reviewed."
            ),
            code="guest_order",
        )
    if not user.is_authenticated or order.user_id != user.pk:
        return ValidationError(
            gettext("Only the buyer who ordered “%(title)s” can review it."),
            code="not_your_order",
            params=title,
        )
    if order.status != PAID:
        return ValidationError(
            gettext("This order is not paid: only pieces paid for can be reviewed."),
            code="not_paid",
        )
    if reviewed:
        return ValidationError(
            gettext("You have already reviewed “%(title)s”: you can edit your review instead."),
            code="already_reviewed",
            params=title,
        )
    if order_line.product_id is None:
        return ValidationError(
            gettext("“%(title)s” is no longer in the catalog: it cannot be reviewed."),
            code="product_gone",
            params=title,
        )
    if shipment.status == DELIVERED:
        return None
    opens_at = review_opens_at(shipment)
    if opens_at is None:
        return ValidationError(
            gettext("“%(title)s” has not been shipped yet: you can review it once it reaches you."),
            code="not_shipped",
            params=title,
        )
    if (now or timezone.now()) < opens_at:
        return ValidationError(
            gettext(
                "“%(title)s” is not marked delivered yet: you can review it from %(date)s, "
                "or as soon as it is."
            ),
            code="not_delivered",
            params={**title, "date": formats.date_format(timezone.localtime(opens_at))},
        )
    return None


def check_may_review(user: "User", order_line: "OrderLine") -> None:
    """Raise ValidationError (with a code and the reason) unless the user may review the line."""
    reviewed = Review.objects.filter(order_line_id=order_line.pk).exists()
    if problem := refusal(user, order_line, reviewed=reviewed):
        raise problem


@dataclass(frozen=True)
class LineReview:
    """What the order page says about reviewing one line."""

    review: Review | None = None  # the buyer's review of it, once written
    may_review: bool = False
    opens_at: datetime | None = None  # shipped, not delivered: reviewable from then


def order_review_states(order: "Order", user: "User") -> dict[int, LineReview]:
    """For each line of an order read through orders_for_page(), its review state: one query.

    Empty unless the user is the order's signed-in buyer and it is paid.
    """
    if not user.is_authenticated or order.user_id != user.pk or order.status != PAID:
        return {}
    reviews = {
        review.order_line_id: review
        for review in Review.objects.filter(order_line__shipment__order=order).only(
            "pk", "order_line_id", "status", "rating"
        )
    }
    now = timezone.now()
    states = {}
    for shipment in order.shipments.all():
        for line in shipment.lines.all():
            line.shipment, shipment.order = shipment, order  # no query for either
            review = reviews.get(line.pk)
            problem = refusal(user, line, reviewed=review is not None, now=now)
            waiting = problem is not None and problem.code == "not_delivered"
            states[line.pk] = LineReview(
                review=review,
                may_review=problem is None,
                opens_at=review_opens_at(shipment) if waiting else None,
            )
    return states
