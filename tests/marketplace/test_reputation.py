import importlib
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http import HTTPStatus
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from artisans.browsing import listings_version
from artisans.models import Cooperative, CooperativeStatus
from artisans.verification import suspend_cooperative, verify_cooperative
from catalog.models import Product, Review, ReviewStatus
from catalog.reviews import edit_review, hide_review, publish_review
from marketplace.checkout import mark_order_paid
from marketplace.models import CooperativeReputation, OrderStatus, Shipment, ShipmentStatus
from marketplace.reputation import recompute_reputation, trust_rules
from marketplace.shipments import mark_delivered, mark_shipped
from tests.factories import (
    CooperativeFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ShipmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAID_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ON_TIME = timedelta(days=1)
LATE = timedelta(days=4)  # the default promise is 3 days
BADGE = 'class="badge badge--trusted" href="/en/help/trusted-cooperatives/"'


# ---------------------------------------------------------------- arranging a track record


def paid_shipment(cooperative: Cooperative, *, paid_at=PAID_AT, **fields) -> Shipment:
    order = OrderFactory(status=OrderStatus.PAID, paid_at=paid_at)  # promised 3 days later
    return ShipmentFactory(order=order, cooperative=cooperative, **fields)


def delivered(cooperative: Cooperative, count: int, *, late: int = 0) -> list[Shipment]:
    """count delivered shipments, the first `late` of them marked shipped past the promise."""
    return [
        paid_shipment(
            cooperative,
            status=ShipmentStatus.DELIVERED,
            shipped_at=PAID_AT + (LATE if index < late else ON_TIME),
            delivered_at=PAID_AT + timedelta(days=8),
        )
        for index in range(count)
    ]


def reviews(
    cooperative: Cooperative, ratings: list[int], *, status: str = ReviewStatus.PUBLISHED
) -> list[Review]:
    """One review per rating, each on its own order line (the lines' shipments are unpaid)."""
    product = ProductFactory(cooperative=cooperative)
    made = []
    for rating in ratings:
        line = OrderLineFactory(shipment__cooperative=cooperative, product=product)
        made.append(
            Review.objects.create(
                order_line=line,
                product=product,
                cooperative=cooperative,
                author=line.shipment.order.user,
                author_name="Claire M.",
                country="FR",
                language="en",
                rating=rating,
                text="Beautiful work, exactly as in the photos.",
                status=status,
            )
        )
    return made


def trusted_record(cooperative: Cooperative) -> None:
    """Exactly what the default rules ask: 10 delivered on time, 5 reviews of 5 stars."""
    delivered(cooperative, 10)
    reviews(cooperative, [5] * 5)


def is_trusted(cooperative: Cooperative) -> bool:
    return recompute_reputation(cooperative.pk).is_trusted


def stored(cooperative: Cooperative) -> CooperativeReputation:
    return CooperativeReputation.objects.get(cooperative=cooperative)


# ---------------------------------------------------------------- the rules


def test_cooperative_meeting_every_rule_is_trusted_and_its_figures_are_stored(cooperative):
    trusted_record(cooperative)

    recompute_reputation(cooperative.pk)

    reputation = stored(cooperative)
    assert reputation.is_trusted
    assert reputation.delivered_orders == 10
    assert reputation.published_reviews == 5
    assert reputation.satisfaction == Decimal("1.0000")
    assert reputation.on_time_rate == Decimal("1.0000")


@pytest.mark.parametrize(("count", "trusted"), [(9, False), (10, True)])
def test_delivered_orders_threshold(cooperative, count, trusted):
    delivered(cooperative, count)
    # One more parcel on its way: shipped on time, not delivered.
    paid_shipment(cooperative, status=ShipmentStatus.SHIPPED, shipped_at=PAID_AT + ON_TIME)
    reviews(cooperative, [5] * 5)

    assert is_trusted(cooperative) is trusted
    assert stored(cooperative).delivered_orders == count


@pytest.mark.parametrize(("count", "trusted"), [(4, False), (5, True)])
def test_published_reviews_threshold(cooperative, count, trusted):
    delivered(cooperative, 10)
    reviews(cooperative, [5] * count)

    assert is_trusted(cooperative) is trusted
    assert stored(cooperative).published_reviews == count


@pytest.mark.parametrize(
    ("ratings", "trusted", "satisfaction"),
    [
        ([5] * 17 + [3, 2], False, Decimal("0.8947")),  # 17 of 19: 89.47%
        ([4] * 9 + [3], True, Decimal("0.9000")),  # 9 of 10: 90% exactly
    ],
)
def test_satisfaction_threshold(cooperative, ratings, trusted, satisfaction):
    delivered(cooperative, 10)
    reviews(cooperative, ratings)

    assert is_trusted(cooperative) is trusted
    assert stored(cooperative).satisfaction == satisfaction


@pytest.mark.parametrize(
    ("count", "late", "trusted", "rate"),
    [
        (19, 2, False, Decimal("0.8947")),  # 17 of 19 on time: 89.47%
        (10, 1, True, Decimal("0.9000")),  # 9 of 10: 90% exactly
    ],
)
def test_shipped_on_time_threshold(cooperative, count, late, trusted, rate):
    delivered(cooperative, count, late=late)
    reviews(cooperative, [5] * 5)

    assert is_trusted(cooperative) is trusted
    assert stored(cooperative).on_time_rate == rate


@pytest.mark.parametrize("status", [CooperativeStatus.PENDING, CooperativeStatus.SUSPENDED])
def test_unverified_cooperative_is_never_trusted(status):
    cooperative = CooperativeFactory(status=status)
    trusted_record(cooperative)

    assert not is_trusted(cooperative)
    assert stored(cooperative).delivered_orders == 10  # the record is kept all the same


@pytest.mark.parametrize(
    "status", [ReviewStatus.PENDING, ReviewStatus.HIDDEN, ReviewStatus.REJECTED]
)
def test_only_published_reviews_count(cooperative, status):
    delivered(cooperative, 10)
    reviews(cooperative, [5] * 4)
    reviews(cooperative, [1, 1, 1], status=status)  # would fail satisfaction if they counted

    assert not is_trusted(cooperative)  # 4 published reviews: one short
    reputation = stored(cooperative)
    assert reputation.published_reviews == 4
    assert reputation.satisfaction == Decimal("1.0000")


def test_parcel_waiting_before_its_date_counts_neither_way(cooperative):
    trusted_record(cooperative)
    paid_shipment(cooperative, status=ShipmentStatus.TO_SHIP, paid_at=timezone.now())

    assert is_trusted(cooperative)
    assert stored(cooperative).on_time_rate == Decimal("1.0000")


def test_parcel_waiting_past_its_date_counts_as_late_before_it_leaves(cooperative):
    delivered(cooperative, 10, late=1)  # 9 of 10 on time: just trusted
    reviews(cooperative, [5] * 5)
    assert is_trusted(cooperative)
    paid_shipment(cooperative, status=ShipmentStatus.TO_SHIP, paid_at=PAID_AT - LATE * 10)

    assert not is_trusted(cooperative)
    assert stored(cooperative).on_time_rate == Decimal("0.8181")  # 9 of 11


@pytest.mark.parametrize(
    ("after", "on_time"), [(timedelta(days=3), True), (timedelta(days=3, minutes=1), False)]
)
def test_on_time_means_marked_shipped_by_the_promised_date(cooperative, after, on_time):
    paid_shipment(cooperative, status=ShipmentStatus.SHIPPED, shipped_at=PAID_AT + after)

    recompute_reputation(cooperative.pk)

    assert stored(cooperative).on_time_rate == (Decimal("1.0000") if on_time else Decimal(0))


def test_cancelled_parcel_counts_neither_way(cooperative):
    trusted_record(cooperative)
    paid_shipment(cooperative, status=ShipmentStatus.CANCELLED, paid_at=PAID_AT - LATE * 10)

    assert is_trusted(cooperative)


@pytest.mark.parametrize(
    ("product_fields", "promised_days"),
    [
        ({}, 3),
        ({"made_to_order": True, "lead_time_days": 5}, 8),
        # A lead time on a product kept in stock promises nothing more.
        ({"made_to_order": False, "lead_time_days": 5}, 3),
    ],
)
def test_payment_promises_days_plus_a_made_to_order_lead_time(
    cooperative, product_fields, promised_days
):
    shipment = ShipmentFactory(cooperative=cooperative)
    OrderLineFactory(shipment=shipment, product=ProductFactory(cooperative=cooperative))
    OrderLineFactory(
        shipment=shipment, product=ProductFactory(cooperative=cooperative, **product_fields)
    )

    assert mark_order_paid(shipment.order)

    shipment.refresh_from_db()
    assert shipment.ship_by == shipment.order.paid_at + timedelta(days=promised_days)


def test_longest_lead_time_of_the_parcel_counts(cooperative):
    shipment = ShipmentFactory(cooperative=cooperative)
    for lead_time in (2, 9):
        product = ProductFactory(
            cooperative=cooperative, made_to_order=True, lead_time_days=lead_time
        )
        OrderLineFactory(shipment=shipment, product=product)

    mark_order_paid(shipment.order)

    shipment.refresh_from_db()
    assert shipment.ship_by == shipment.order.paid_at + timedelta(days=3 + 9)


def test_promise_stays_as_made_when_the_settings_or_the_lead_time_change(cooperative):
    product = ProductFactory(cooperative=cooperative, made_to_order=True, lead_time_days=5)
    shipment = OrderLineFactory(shipment__cooperative=cooperative, product=product).shipment
    mark_order_paid(shipment.order)
    shipment.refresh_from_db()
    promised = shipment.ship_by
    Product.objects.filter(pk=product.pk).update(lead_time_days=1)

    with override_settings(SOUK_SHIP_WITHIN_DAYS=1):
        mark_shipped(shipment, carrier="Amana", tracking_number="EE123456789MA")
        recompute_reputation(cooperative.pk)

    shipment.refresh_from_db()
    assert shipment.ship_by == promised
    assert stored(cooperative).on_time_rate == Decimal("1.0000")


@override_settings(
    SOUK_TRUST_MIN_DELIVERED=2,
    SOUK_TRUST_MIN_REVIEWS=1,
    SOUK_TRUST_MIN_SATISFACTION=0.5,
    SOUK_TRUST_MIN_ON_TIME=0.5,
    SOUK_SHIP_WITHIN_DAYS=5,
)
def test_thresholds_are_read_from_the_settings_when_used(cooperative):
    delivered(cooperative, 2, late=1)
    reviews(cooperative, [5, 1])

    assert is_trusted(cooperative)
    assert stored(cooperative).on_time_rate == Decimal("0.5000")
    assert trust_rules().min_satisfaction == Decimal("0.5")
    assert trust_rules().ship_within_days == 5


def test_recompute_updates_the_stored_row(cooperative):
    trusted_record(cooperative)
    recompute_reputation(cooperative.pk)
    reviews(cooperative, [1] * 5)

    recompute_reputation(cooperative.pk)

    assert CooperativeReputation.objects.filter(cooperative=cooperative).count() == 1
    reputation = stored(cooperative)
    assert not reputation.is_trusted
    assert reputation.published_reviews == 10
    assert reputation.satisfaction == Decimal("0.5000")


def test_new_badge_makes_cached_pages_stale_and_an_unchanged_one_does_not(
    cooperative, django_capture_on_commit_callbacks
):
    trusted_record(cooperative)
    before = listings_version()
    with django_capture_on_commit_callbacks(execute=True):
        recompute_reputation(cooperative.pk)
    after_badge = listings_version()
    with django_capture_on_commit_callbacks(execute=True):
        recompute_reputation(cooperative.pk)

    assert after_badge == before + 1
    assert listings_version() == after_badge


def test_recompute_of_a_deleted_cooperative_stores_nothing():
    assert recompute_reputation(987654) is None
    assert not CooperativeReputation.objects.exists()


def test_command_recomputes_every_cooperative(capsys):
    trusted = CooperativeFactory()
    trusted_record(trusted)
    CooperativeFactory()

    call_command("recompute_reputation")

    assert "Recomputed 2 cooperatives: 1 trusted." in capsys.readouterr().out
    assert set(CooperativeReputation.objects.values_list("cooperative_id", "is_trusted")) == {
        (trusted.pk, True),
        (Cooperative.objects.exclude(pk=trusted.pk).get().pk, False),
    }


# ---------------------------------------------------------------- recomputed when inputs change


def test_marking_a_late_parcel_shipped_takes_the_badge_away(
    cooperative, django_capture_on_commit_callbacks
):
    delivered(cooperative, 10, late=1)  # 9 of 10 on time: just trusted
    reviews(cooperative, [5] * 5)
    assert is_trusted(cooperative)
    late = paid_shipment(
        cooperative, status=ShipmentStatus.TO_SHIP, paid_at=PAID_AT.replace(year=2020)
    )

    with django_capture_on_commit_callbacks(execute=True):
        mark_shipped(late, carrier="Amana", tracking_number="EE123456789MA")

    reputation = stored(cooperative)
    assert not reputation.is_trusted
    assert reputation.on_time_rate == Decimal("0.8181")  # 9 of 11


def test_marking_the_tenth_parcel_delivered_earns_the_badge(
    cooperative, django_capture_on_commit_callbacks
):
    delivered(cooperative, 9)
    reviews(cooperative, [5] * 5)
    last = paid_shipment(cooperative, status=ShipmentStatus.SHIPPED, shipped_at=PAID_AT + ON_TIME)
    assert not is_trusted(cooperative)

    with django_capture_on_commit_callbacks(execute=True):
        mark_delivered(last)

    reputation = stored(cooperative)
    assert reputation.is_trusted
    assert reputation.delivered_orders == 10


def test_hiding_and_publishing_a_review_moves_the_badge(
    cooperative, django_capture_on_commit_callbacks
):
    trusted_record(cooperative)
    assert is_trusted(cooperative)
    review = Review.objects.filter(cooperative=cooperative).first()
    moderator = UserFactory(is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        hide_review(review, by=moderator, reason="Names a private person.")
    hidden = stored(cooperative)
    with django_capture_on_commit_callbacks(execute=True):
        publish_review(review, by=moderator)

    assert not hidden.is_trusted
    assert hidden.published_reviews == 4
    assert stored(cooperative).is_trusted
    assert stored(cooperative).published_reviews == 5


def test_editing_a_review_down_to_two_stars_takes_the_badge_away(
    cooperative, django_capture_on_commit_callbacks
):
    trusted_record(cooperative)
    assert is_trusted(cooperative)
    review = Review.objects.filter(cooperative=cooperative).first()

    with django_capture_on_commit_callbacks(execute=True):
        edit_review(review, author=review.author, rating=2, text="It arrived broken, sadly.")

    reputation = stored(cooperative)
    assert not reputation.is_trusted
    assert reputation.satisfaction == Decimal("0.8000")


def test_a_review_changed_by_a_script_moves_the_badge_at_the_next_recompute(cooperative):
    trusted_record(cooperative)
    assert is_trusted(cooperative)
    Review.objects.filter(cooperative=cooperative).update(status=ReviewStatus.HIDDEN)
    assert stored(cooperative).is_trusted  # update() sends no signal

    call_command("recompute_reputation", stdout=StringIO())  # what an operator schedules

    assert not stored(cooperative).is_trusted


def test_suspending_and_verifying_again_moves_the_badge(
    cooperative, django_capture_on_commit_callbacks
):
    trusted_record(cooperative)
    assert is_trusted(cooperative)
    moderator = UserFactory(is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        suspend_cooperative(cooperative, by=moderator, reason="Counterfeit labels.")
    suspended = stored(cooperative)
    with django_capture_on_commit_callbacks(execute=True):
        verify_cooperative(cooperative, by=moderator)

    assert not suspended.is_trusted
    assert stored(cooperative).is_trusted


def test_page_views_compute_and_write_nothing(client, cooperative):
    trusted_record(cooperative)
    product = ProductFactory(cooperative=cooperative)
    pages = [f"/en/cooperatives/{cooperative.slug}/", f"/en/products/{product.slug}/"]

    with CaptureQueriesContext(connection) as anonymous:
        responses = [client.get(page) for page in pages]
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as signed_in:
        responses += [client.get(page) for page in pages]

    assert all(response.status_code == HTTPStatus.OK for response in responses)
    written = re.compile(r"^\s*(INSERT|UPDATE|DELETE)", re.IGNORECASE)
    queries = anonymous.captured_queries + signed_in.captured_queries
    assert not [query["sql"] for query in queries if written.match(query["sql"])]
    assert not CooperativeReputation.objects.exists()  # nobody recomputed it


# ---------------------------------------------------------------- the badge on the pages


def test_trusted_cooperative_shows_the_badge_on_its_page_and_products(client, cooperative):
    trusted_record(cooperative)
    recompute_reputation(cooperative.pk)
    product = ProductFactory(cooperative=cooperative)

    cooperative_page = client.get(f"/en/cooperatives/{cooperative.slug}/").content.decode()
    product_page = client.get(f"/en/products/{product.slug}/").content.decode()

    assert BADGE in cooperative_page
    assert BADGE in product_page
    assert "Trusted cooperative" in product_page


@pytest.mark.parametrize("computed", [False, True])
def test_cooperative_not_trusted_shows_no_badge(client, cooperative, computed):
    delivered(cooperative, 9)
    reviews(cooperative, [5] * 5)
    if computed:
        recompute_reputation(cooperative.pk)
    product = ProductFactory(cooperative=cooperative)

    cooperative_page = client.get(f"/en/cooperatives/{cooperative.slug}/").content.decode()
    product_page = client.get(f"/en/products/{product.slug}/").content.decode()

    assert "badge--trusted" not in cooperative_page
    assert "badge--trusted" not in product_page


def test_cached_page_shows_the_badge_once_earned(
    client, cooperative, django_capture_on_commit_callbacks
):
    delivered(cooperative, 9)
    reviews(cooperative, [5] * 5)
    last = paid_shipment(cooperative, status=ShipmentStatus.SHIPPED, shipped_at=PAID_AT + ON_TIME)
    url = f"/en/cooperatives/{cooperative.slug}/"
    before = client.get(url).content.decode()  # now in the cache

    with django_capture_on_commit_callbacks(execute=True):
        mark_delivered(last)

    assert "badge--trusted" not in before
    assert BADGE in client.get(url).content.decode()


def test_badge_costs_no_query_of_its_own_on_the_pages(client, cooperative):
    """The reputation comes joined to the page's own query (select_related), present or not."""
    trusted_record(cooperative)
    product = ProductFactory(cooperative=cooperative)
    pages = [f"/en/cooperatives/{cooperative.slug}/", f"/en/products/{product.slug}/"]

    for computed in (False, True):
        if computed:
            recompute_reputation(cooperative.pk)
            cache.clear()  # the pages again, cold
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page).status_code == HTTPStatus.OK
            reading = [
                query["sql"]
                for query in captured.captured_queries
                if "marketplace_cooperativereputation" in query["sql"]
            ]
            assert len(reading) == 1, page
            assert "JOIN" in reading[0], page
    assert BADGE in client.get(pages[1]).content.decode()


# ---------------------------------------------------------------- the help page


def test_help_page_states_the_rules_with_the_default_thresholds(client):
    page = client.get("/en/help/trusted-cooperatives/").content.decode()

    assert "At least 10 orders delivered to its buyers." in page
    assert "At least 5 published reviews" in page
    assert "A satisfaction rate of at least 90%" in page
    assert (
        "At least 90% of its parcels marked shipped on time: within 3 days of the payment." in page
    )
    assert "made to order" in page


@override_settings(
    SOUK_TRUST_MIN_DELIVERED=25,
    SOUK_TRUST_MIN_REVIEWS=1,
    SOUK_TRUST_MIN_SATISFACTION="0.95",
    SOUK_TRUST_MIN_ON_TIME="0.925",
    SOUK_SHIP_WITHIN_DAYS=1,
)
def test_help_page_follows_the_settings(client):
    page = client.get("/en/help/trusted-cooperatives/").content.decode()

    assert "At least 25 orders delivered" in page
    assert "At least 1 published review, each" in page
    assert "at least 95%" in page
    assert "At least 92.50% of its parcels marked shipped on time: within 1 day of" in page


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_help_page_is_public_in_every_language(client, language):
    response = client.get(f"/{language}/help/trusted-cooperatives/")

    assert response.status_code == HTTPStatus.OK
    assert f'<html lang="{language}"' in response.content.decode()


def test_help_page_refuses_a_post(client):
    response = client.post("/en/help/trusted-cooperatives/")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_migration_promises_the_parcels_paid_before_it(cooperative):
    backfill = importlib.import_module("marketplace.migrations.0006_shipment_ship_by")
    product = ProductFactory(cooperative=cooperative, made_to_order=True, lead_time_days=6)
    paid = OrderLineFactory(
        shipment__order__status=OrderStatus.PAID,
        shipment__order__paid_at=PAID_AT,
        shipment__cooperative=cooperative,
        product=product,
    ).shipment
    unpaid = ShipmentFactory(cooperative=cooperative)
    Shipment.objects.update(ship_by=None)

    backfill.promise_paid_shipments(django_apps, None)

    assert Shipment.objects.get(pk=paid.pk).ship_by == PAID_AT + timedelta(days=3 + 6)
    assert Shipment.objects.get(pk=unpaid.pk).ship_by is None
