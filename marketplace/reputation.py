"""The "trusted cooperative" badge: its rules, the track record it is decided on, and when.

A cooperative is trusted when all of these hold (thresholds from the settings, read when used):
- it is verified;
- at least SOUK_TRUST_MIN_DELIVERED of its shipments are delivered;
- at least SOUK_TRUST_MIN_REVIEWS of its reviews are published;
- its satisfaction rate, the share of its published reviews with 4 or 5 stars, is at least
  SOUK_TRUST_MIN_SATISFACTION;
- at least SOUK_TRUST_MIN_ON_TIME of its parcels due were marked shipped by their promised
  date. A parcel is due once it is marked shipped, or once its date has passed unshipped: a
  parcel left waiting counts as late without waiting for it to leave.

Checkout fixes each parcel's promised date when the order is paid (Shipment.ship_by,
marketplace/checkout.py promise_ship_by): SOUK_SHIP_WITHIN_DAYS calendar days, plus the longest
lead time of its made-to-order pieces.

Shares are compared exactly (9 of 10 reviews is 90%, 89 of 99 is not); the stored figures are
rounded down to the hundredth of a percent, so a page never shows more than was reached.

The result is stored in CooperativeReputation, which pages read through select_related: a page
view computes nothing. It is recomputed, once the change commits, when an input changes:
- a shipment marked shipped or delivered (marketplace/shipments.py);
- a cooperative verified or suspended (artisans.verification sends cooperative_status_changed);
- a review written, edited or moderated (catalog.reviews sends published_reviews_changed);
the receivers are connected in marketplace/apps.py. `manage.py recompute_reputation`
recomputes every cooperative: daily, for the parcels whose date passed unshipped (time passing
sends no signal); after the thresholds change; or to catch a change made with QuerySet.update().
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from artisans.browsing import forget_listings_on_commit
from artisans.models import Cooperative, CooperativeStatus
from catalog.models import Review
from marketplace.models import CooperativeReputation, Shipment, ShipmentStatus

# The precision CooperativeReputation stores shares with (0.8999 is 89.99%).
SHARE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class TrustRules:
    """The badge's thresholds; shares are fractions (0.90 is 90%)."""

    min_delivered: int
    min_reviews: int
    min_satisfaction: Decimal
    min_on_time: Decimal
    ship_within_days: int

    @property
    def min_satisfaction_percent(self) -> Decimal:
        return self.min_satisfaction * 100

    @property
    def min_on_time_percent(self) -> Decimal:
        return self.min_on_time * 100


def trust_rules() -> TrustRules:
    """Return the badge's thresholds as the settings give them now."""
    return TrustRules(
        min_delivered=int(settings.SOUK_TRUST_MIN_DELIVERED),
        min_reviews=int(settings.SOUK_TRUST_MIN_REVIEWS),
        # str(): a float in the settings (0.9) must become Decimal("0.9"), not 0.90000000000000002
        min_satisfaction=Decimal(str(settings.SOUK_TRUST_MIN_SATISFACTION)),
        min_on_time=Decimal(str(settings.SOUK_TRUST_MIN_ON_TIME)),
        ship_within_days=int(settings.SOUK_SHIP_WITHIN_DAYS),
    )


def share(part: int, whole: int) -> Decimal | None:
    """Return part / whole rounded down to SHARE_PLACES, or None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_DOWN)


def reaches(part: int, whole: int, minimum: Decimal) -> bool:
    """Whether part / whole is at least minimum, exactly; a share of nothing reaches only 0."""
    if not whole:
        return minimum <= 0
    return part >= minimum * whole


@dataclass(frozen=True)
class TrackRecord:
    """What a cooperative did, as counted from the database."""

    verified: bool
    delivered: int  # shipments delivered
    reviews: int  # published reviews
    satisfied: int  # published reviews with 4 or 5 stars
    due: int  # shipments marked shipped (delivered ones included), or paid and overdue
    shipped_on_time: int  # of those, marked shipped by their promised date

    def is_trusted(self, rules: TrustRules) -> bool:
        return (
            self.verified
            and self.delivered >= rules.min_delivered
            and self.reviews >= rules.min_reviews
            and reaches(self.satisfied, self.reviews, rules.min_satisfaction)
            and reaches(self.shipped_on_time, self.due, rules.min_on_time)
        )


def shipment_counts(cooperative_id: int, *, now: datetime) -> dict[str, int]:
    """Count the cooperative's delivered, due and shipped-on-time shipments (one query)."""
    shipped = Q(shipped_at__isnull=False)
    overdue = Q(status=ShipmentStatus.TO_SHIP, ship_by__lt=now)
    return Shipment.objects.filter(cooperative_id=cooperative_id).aggregate(
        delivered=Count("pk", filter=Q(status=ShipmentStatus.DELIVERED)),
        due=Count("pk", filter=shipped | overdue),
        shipped_on_time=Count("pk", filter=shipped & Q(shipped_at__lte=F("ship_by"))),
    )


def review_counts(cooperative_id: int) -> dict[str, int]:
    """Count the cooperative's published reviews, and those with 4 or 5 stars (one query)."""
    return (
        Review.objects.published()
        .filter(cooperative_id=cooperative_id)
        .aggregate(reviews=Count("pk"), satisfied=Count("pk", filter=Q(rating__gte=4)))
    )


def track_record(cooperative_id: int) -> TrackRecord | None:
    """Count what the badge is decided on (three queries), or None for no such cooperative."""
    status = Cooperative.objects.filter(pk=cooperative_id).values_list("status", flat=True).first()
    if status is None:
        return None
    return TrackRecord(
        verified=status == CooperativeStatus.VERIFIED,
        **shipment_counts(cooperative_id, now=timezone.now()),
        **review_counts(cooperative_id),
    )


@transaction.atomic(durable=True)
def recompute_reputation(cooperative_id: int) -> CooperativeReputation | None:
    """Count the cooperative's track record and store it; cached pages follow a new badge.

    Return the stored reputation, or None when the cooperative no longer exists.
    """
    rules = trust_rules()
    record = track_record(cooperative_id)
    if record is None:
        return None
    figures = {
        "is_trusted": record.is_trusted(rules),
        "delivered_orders": record.delivered,
        "published_reviews": record.reviews,
        "satisfaction": share(record.satisfied, record.reviews),
        "on_time_rate": share(record.shipped_on_time, record.due),
        "computed_at": timezone.now(),
    }
    # Locked on PostgreSQL: of two recomputations at once, the second reads the first's badge.
    reputation, created = CooperativeReputation.objects.select_for_update().get_or_create(
        cooperative_id=cooperative_id, defaults=figures
    )
    was_trusted = False if created else reputation.is_trusted
    if not created:
        for name, value in figures.items():
            setattr(reputation, name, value)
        reputation.save()
    if reputation.is_trusted != was_trusted:  # the badge appears or goes on cached pages
        forget_listings_on_commit()
    return reputation


def recompute_reputation_on_commit(cooperative_id: int) -> None:
    """Recompute the cooperative's reputation once the current transaction commits.

    A failure is logged, not raised: the change that called for it is committed already, and
    the next change, or `manage.py recompute_reputation`, puts the badge right.
    """

    def recompute() -> None:  # named: Django's robust on_commit logs its __qualname__
        recompute_reputation(cooperative_id)

    transaction.on_commit(recompute, robust=True)


def recompute_all_reputations() -> tuple[int, int]:
    """Recompute every cooperative's reputation; return how many, and how many are trusted."""
    computed = trusted = 0
    for cooperative_id in Cooperative.objects.order_by("pk").values_list("pk", flat=True):
        reputation = recompute_reputation(cooperative_id)
        if reputation is not None:
            computed += 1
            trusted += reputation.is_trusted
    return computed, trusted


# ---------------------------------------------------------------------------
# Signal receivers (connected in marketplace/apps.py): an input of the badge changed
# ---------------------------------------------------------------------------
def recompute_on_published_reviews_change(sender, cooperative_id: int, **kwargs) -> None:
    """catalog/reviews.py wrote, edited or moderated a review with update(), which sends no
    post_save: it sends published_reviews_changed once committed."""
    recompute_reputation_on_commit(cooperative_id)


def recompute_on_status_change(sender, cooperative: Cooperative, **kwargs) -> None:
    """A cooperative was verified or suspended: only a verified one is trusted."""
    recompute_reputation_on_commit(cooperative.pk)
