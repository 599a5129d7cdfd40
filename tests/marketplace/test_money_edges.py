"""Edges of the money paths: centimes on SQLite, refunds split into pieces, a missing rate,
out-of-range ids, processor refusals and webhook events Souk does not sell in."""

import json
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.cart import CURRENCY_SESSION_KEY
from marketplace.models import ExchangeRate, OrderStatus, ShipmentStatus
from payments import gateway
from payments.ledger import record_sale_entries
from payments.models import Payment, PaymentStatus, PayoutEntry
from payments.refunds import refund_shipment, refundable
from tests.factories import (
    CartFactory,
    CartLineFactory,
    CooperativeFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ShipmentFactory,
    UserFactory,
)
from tests.payments.conftest import processor_refunds, sign

pytestmark = pytest.mark.django_db

EUR_RATE = Decimal("10.850000")


@pytest.fixture
def no_500(client):
    """A test client that answers a 500 instead of raising the view's exception."""
    client.raise_request_exception = False
    return client


def paid_order(*, lines, shipping_mad, currency="MAD", mad_per_unit=Decimal(1)):
    """A paid order with one shipment, charged at localstripe (the test must ask for the
    `localstripe` fixture); lines: (unit price in MAD, quantity)."""
    from marketplace.pricing import convert

    subtotal_mad = sum((price * quantity for price, quantity in lines), Decimal(0))
    subtotal = sum((convert(price, mad_per_unit) * q for price, q in lines), Decimal(0))
    total = subtotal + convert(shipping_mad, mad_per_unit)
    order = OrderFactory(
        currency=currency,
        mad_per_unit=mad_per_unit,
        subtotal_mad=subtotal_mad,
        shipping_mad=shipping_mad,
        total_mad=subtotal_mad + shipping_mad,
        total=total,
        status=OrderStatus.PAID,
        paid_at=timezone.now(),
    )
    shipment = ShipmentFactory(
        order=order,
        cooperative=CooperativeFactory(),
        subtotal_mad=subtotal_mad,
        shipping_mad=shipping_mad,
        status=ShipmentStatus.TO_SHIP,
    )
    for price, quantity in lines:
        OrderLineFactory(
            shipment=shipment,
            product__stock=5,
            quantity=quantity,
            unit_price_mad=price,
            unit_price=convert(price, mad_per_unit),
            currency=currency,
        )
    intent = gateway.create_payment_intent(
        amount=total,
        currency=currency,
        payment_method="pm_card_visa",
        metadata={"souk_order": order.number},
        idempotency_key=f"souk-test-{order.number}",
    )
    assert intent.status == "succeeded"
    Payment.objects.create(
        order=order,
        attempt=1,
        status=PaymentStatus.SUCCEEDED,
        amount=total,
        currency=currency,
        setup_intent_id="seti_review",
        payment_intent_id=intent.id,
    )
    return order, shipment


# ---------------------------------------------------------------- refunds and the ledger


def test_a_partial_refund_never_leaves_the_rest_of_a_shipment_unrefundable(localstripe):
    """payments/refunds.py _amount_mad: a partial refund converted at the order's rate can
    take ALL the shipment's dirhams (clamped by min(..., left_mad)) while money in the order's
    currency is still refundable; the last refund then gets amount_mad=0 and violates the
    refund_amount_positive constraint: IntegrityError, a 500 in the admin."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    # 10 pieces at 100 MAD: 9.22 EUR each (rounded up from 9.2166), shipping 180 MAD = 16.59 EUR.
    order, shipment = paid_order(
        lines=[(Decimal("100.00"), 10)],
        shipping_mad=Decimal("180.00"),
        currency="EUR",
        mad_per_unit=EUR_RATE,
    )
    assert refundable(shipment) == Decimal("108.79")

    partial = refund_shipment(
        shipment, amount=Decimal("108.78"), restock=False, reason="", by=admin
    )
    # 108.78 EUR * 10.85 = 1180.26 MAD, clamped to the 1180.00 MAD the shipment is worth:
    # the 0.01 EUR left has no dirham left to take back.
    assert partial.amount == Decimal("108.78")

    rest = refund_shipment(shipment, amount=None, restock=False, reason="", by=admin)
    assert rest.amount == Decimal("0.01")
    assert refundable(shipment) == 0
    refunded = processor_refunds(localstripe, order)
    assert sorted((r["amount"], r["currency"]) for r in refunded) == [(1, "eur"), (10878, "eur")]


def test_a_fully_refunded_shipment_nets_to_zero_in_the_ledger(localstripe):
    """payments/ledger.py record_refund_entry: the commission given back is rounded per refund,
    so a sale refunded in two parts does not net to zero: here the marketplace gives back one
    centime more commission than it took and the cooperative is still owed 0.01 MAD for a
    sale that was entirely refunded (other splits go the other way)."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    # 290 MAD of black soap + 45 MAD shipping in Morocco: gross 335.00, commission 33.50.
    order, shipment = paid_order(lines=[(Decimal("290.00"), 1)], shipping_mad=Decimal("45.00"))
    assert len(record_sale_entries(order)) == 1

    refund_shipment(shipment, amount=Decimal("10.15"), restock=False, reason="", by=admin)
    refund_shipment(shipment, amount=None, restock=False, reason="", by=admin)  # 324.85
    assert refundable(shipment) == 0

    entries = PayoutEntry.objects.filter(shipment=shipment)
    assert sum(e.gross_mad for e in entries) == 0
    assert sum(e.commission_mad for e in entries) == 0, "commission not given back exactly"
    assert sum(e.net_mad for e in entries) == 0, "a refunded sale still moves the balance"


def test_a_sale_entry_is_recorded_whatever_its_centimes_on_sqlite(localstripe):
    """payments/models.py PayoutEntry's CheckConstraint net_mad = gross_mad - commission_mad is
    evaluated by SQLite (the default DATABASE_URL) in floating point: 100.05 - 10.01 is
    90.03999999999999, not 90.04. The INSERT fails, and record_sale_entries swallows the
    IntegrityError as if another caller had recorded it: the cooperative is never owed the
    sale. (Same with a 12% rate on 23 MAD, 27 MAD...: about 1 amount in 4 with centimes.)"""
    order, shipment = paid_order(lines=[(Decimal("90.05"), 1)], shipping_mad=Decimal("10.00"))

    record_sale_entries(order)

    assert PayoutEntry.objects.filter(shipment=shipment, kind="sale").count() == 1


def test_a_refund_the_processor_made_is_recorded_whatever_its_centimes_on_sqlite(localstripe):
    """The same floating-point CheckConstraint on the refund's entry: record_refund_entry's
    INSERT fails inside complete_refund, AFTER the processor gave the money back: the admin
    gets a 500, the refund row stays "pending-" and reconcile_payments fails on it forever."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    order, shipment = paid_order(lines=[(Decimal("4500.00"), 1)], shipping_mad=Decimal("120.00"))

    refund = refund_shipment(shipment, amount=Decimal("133.89"), restock=False, reason="", by=admin)

    [made] = processor_refunds(localstripe, order)
    assert (made["id"], made["amount"]) == (refund.processor_refund_id, 13389)
    assert refund.payout_entry.net_mad == Decimal("-120.50")


# ---------------------------------------------------------------- input that gives a 500


def test_the_cart_page_survives_a_currency_whose_rate_is_gone(no_500):
    """marketplace/views.py render_cart -> cart.summarize_cart -> pricing.exchange_rate raises
    ValidationError("Prices in USD are not available") that no view catches: the cart and the
    checkout answer 500 for every buyer whose session chose that currency (PreferencesForm
    accepts any Currency, whether the admin keeps a rate for it or not)."""
    user = UserFactory()
    no_500.force_login(user)
    CartLineFactory(cart=CartFactory(user=user), product=ProductFactory(stock=3))
    session = no_500.session
    session[CURRENCY_SESSION_KEY] = "USD"
    session.save()
    ExchangeRate.objects.filter(currency="USD").delete()

    assert no_500.get(reverse("marketplace:cart")).status_code < 500
    assert no_500.get(reverse("marketplace:checkout")).status_code < 500
    chosen = no_500.post(
        reverse("marketplace:cart_preferences"), {"currency": "USD", "country": "US"}
    )
    assert chosen.status_code < 500


@pytest.mark.parametrize("name", ["marketplace:cart_update", "marketplace:cart_remove"])
def test_a_product_id_out_of_range_is_a_404_not_a_500(no_500, name):
    """marketplace/urls_site.py <int:product_id> takes any length of digits; the lookup
    cart.lines.filter(product_id=...) raises OverflowError on SQLite: a 500."""
    user = UserFactory()
    no_500.force_login(user)
    CartLineFactory(cart=CartFactory(user=user), product=ProductFactory(stock=3))

    response = no_500.post(reverse(name, args=[10**22]), {"quantity": "1"})

    assert response.status_code in (400, 404)


def test_a_processor_refusal_while_reading_an_open_attempt_is_not_a_500(no_500, localstripe):
    """payments/charging.py resume() catches ProcessorUnavailable only: a ProcessorError from
    retrieve_payment_intent (Stripe's RateLimitError, an authentication error, a PaymentIntent
    the processor no longer knows) escapes pay_order/start_card_setup, and the setup and confirm
    endpoints answer a 500 HTML page that pay.js cannot read."""
    user = UserFactory()
    no_500.force_login(user)
    order = OrderFactory(user=user)
    Payment.objects.create(
        order=order,
        attempt=1,
        status=PaymentStatus.REQUIRES_ACTION,
        amount=order.total,
        currency=order.currency,
        setup_intent_id="seti_open",
        # localstripe never rate-limits; it refuses (404, a ProcessorError) to read a
        # PaymentIntent it does not know, which takes the same path in resume().
        payment_intent_id="pi_the_processor_does_not_know",
    )

    setup = no_500.post(reverse("payments:setup", args=[order.number]))
    confirm = no_500.post(
        reverse("payments:confirm", args=[order.number]), {"setup_intent": "seti_open"}
    )

    assert setup.status_code < 500
    assert confirm.status_code < 500
    unreachable = "We could not reach the card processor."
    assert unreachable in setup.json()["message"]
    assert unreachable in confirm.json()["message"]
    # Nothing is decided while the processor will not say: the attempt stays open.
    assert Payment.objects.get(order=order).status == PaymentStatus.REQUIRES_ACTION


def test_a_signed_event_for_a_currency_souk_does_not_sell_is_not_a_500(no_500, settings):
    """payments/gateway.py from_minor_units: MINOR_UNIT_DIGITS[currency] raises KeyError for a
    PaymentIntent in any other currency (the account's other PaymentIntents, e.g. GBP or JPY,
    come to the same endpoint): a 500, the event stays unprocessed, Stripe retries for days."""
    payload = json.dumps(
        {
            "id": "evt_review_gbp",
            "type": "payment_intent.succeeded",
            "data": {
                "object": {
                    "id": "pi_not_souks",
                    "object": "payment_intent",
                    "status": "succeeded",
                    "amount": 1000,
                    "currency": "gbp",
                    "metadata": {},
                }
            },
        }
    ).encode()

    response = no_500.post(
        "/payments/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, settings.STRIPE_WEBHOOK_SECRET, at=int(time.time())),
    )

    assert response.status_code < 500
