"""Refunds per shipment, through a real localstripe, never more than was paid."""

from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product
from marketplace.models import OrderStatus, ShipmentStatus
from payments.models import PayoutEntry, PayoutEntryKind, Refund
from payments.refunds import reconcile_refunds, refund_shipment, refundable
from tests.factories import OrderLineFactory, ProductFactory, UserFactory
from tests.payments.conftest import confirmed_setup_intent, pay_url, processor_refunds

pytestmark = pytest.mark.django_db

VISA = "4242424242424242"


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def pay(buyer_client, localstripe):
    """Pay an order through the site, as its buyer does."""

    def pay(order):
        setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, VISA)
        answer = buyer_client.post(pay_url(order, "confirm"), {"setup_intent": setup_intent_id})
        assert answer.json()["status"] == "succeeded"
        order.refresh_from_db()
        return order

    return pay


def test_partial_then_full_refund_of_a_shipment(make_order, pay, localstripe, admin_user):
    order = pay(
        make_order([(Decimal("4500.00"), Decimal("120.00")), (Decimal("800.00"), Decimal("60.00"))])
    )
    shipment = order.shipments.order_by("pk").first()
    product = Product.objects.get(order_lines__shipment=shipment)

    partial = refund_shipment(
        shipment, amount=Decimal("1000.00"), restock=False, reason="Scratched", by=admin_user
    )

    assert partial.processor_refund_id.startswith("re_")
    assert (partial.amount, partial.amount_mad) == (Decimal("1000.00"), Decimal("1000.00"))
    entry = partial.payout_entry
    assert entry.kind == PayoutEntryKind.REFUND
    assert (entry.gross_mad, entry.commission_mad, entry.net_mad) == (
        Decimal("-1000.00"),
        Decimal("-100.00"),
        Decimal("-900.00"),
    )
    assert refundable(shipment) == Decimal("3620.00")
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.TO_SHIP

    full = refund_shipment(shipment, amount=None, restock=True, reason="Returned", by=admin_user)

    assert full.amount == Decimal("3620.00")
    assert refundable(shipment) == 0
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CANCELLED  # the cooperative must not send it
    product.refresh_from_db()
    assert product.stock == 4  # 3 left + the piece returned
    assert sorted(r["amount"] for r in processor_refunds(localstripe, order)) == [100000, 362000]
    # The other cooperative's shipment is untouched.
    other = order.shipments.order_by("pk").last()
    assert refundable(other) == Decimal("860.00")


def test_over_refund_is_refused_before_calling_the_processor(
    make_order, pay, localstripe, admin_user
):
    order = pay(
        make_order([(Decimal("4500.00"), Decimal("120.00")), (Decimal("800.00"), Decimal("60.00"))])
    )
    shipment = order.shipments.order_by("pk").first()
    refund_shipment(shipment, amount=Decimal("4000.00"), restock=False, reason="", by=admin_user)

    with pytest.raises(ValidationError) as refused:
        refund_shipment(shipment, amount=Decimal("620.01"), restock=False, reason="", by=admin_user)

    assert refused.value.code == "over_refund"
    assert "At most 620.00 MAD" in refused.value.messages[0]
    assert Refund.objects.count() == 1
    assert len(processor_refunds(localstripe, order)) == 1
    assert PayoutEntry.objects.filter(kind=PayoutEntryKind.REFUND).count() == 1


def test_refund_in_euros_takes_back_exactly_the_shipments_dirhams(
    make_order, pay, localstripe, admin_user
):
    order = pay(make_order(currency="EUR", mad_per_unit=Decimal("10.850000")))
    shipment = order.shipments.get()

    part = refund_shipment(
        shipment, amount=Decimal("100.00"), restock=False, reason="", by=admin_user
    )
    rest = refund_shipment(shipment, amount=None, restock=False, reason="", by=admin_user)

    # Its share of the dirhams: 4620.00 MAD * 100.00 / 425.81 EUR (not 100 * 10.85: the prices
    # were converted and rounded one by one).
    assert part.amount_mad == Decimal("1084.99")
    assert rest.amount == Decimal("325.81")  # 425.81 EUR paid
    assert part.amount_mad + rest.amount_mad == Decimal("4620.00")
    assert [r["currency"] for r in processor_refunds(localstripe, order)] == ["eur", "eur"]


def test_unpaid_order_cannot_be_refunded(make_order, localstripe, admin_user):
    order = make_order()

    with pytest.raises(ValidationError) as refused:
        refund_shipment(order.shipments.get(), amount=None, restock=False, reason="", by=admin_user)

    assert refused.value.code == "not_paid"
    assert not Refund.objects.exists()


def test_stock_is_returned_once_per_shipment(make_order, pay, localstripe, admin_user):
    order = pay(make_order())
    shipment = order.shipments.get()
    refund_shipment(shipment, amount=Decimal("10.00"), restock=True, reason="", by=admin_user)

    with pytest.raises(ValidationError) as refused:
        refund_shipment(shipment, amount=Decimal("10.00"), restock=True, reason="", by=admin_user)

    assert refused.value.code == "restocked"
    assert Product.objects.get(order_lines__shipment=shipment).stock == 4


def test_stock_a_refund_returns_shows_at_once_on_the_cached_product_page(
    make_order, pay, localstripe, admin_user, django_capture_on_commit_callbacks
):
    order = pay(make_order(stock=0))  # the buyer took the last piece
    shipment = order.shipments.get()
    product = Product.objects.get(order_lines__shipment=shipment)
    visitor = Client()  # no session: served the page the cache keeps for visitors
    page = reverse("catalog:product_detail", args=[product.slug])
    assert "Sold out for now" in visitor.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        refund_shipment(shipment, amount=None, restock=True, reason="Returned", by=admin_user)

    html = visitor.get(page).content.decode()
    assert "A single piece: when it is sold, it is gone." in html
    assert "Sold out for now" not in html
    product.refresh_from_db()
    assert product.stock == 1


def test_a_refund_returns_no_stock_to_a_made_to_order_product(
    make_order, pay, localstripe, admin_user
):
    order = make_order()
    shipment = order.shipments.get()
    made = ProductFactory(
        cooperative=shipment.cooperative, stock=0, made_to_order=True, lead_time_days=10
    )
    OrderLineFactory(shipment=shipment, product=made, quantity=2)
    stocked = Product.objects.get(order_lines__shipment=shipment, made_to_order=False)
    pay(order)

    refund_shipment(shipment, amount=None, restock=True, reason="", by=admin_user)

    made.refresh_from_db()
    stocked.refresh_from_db()
    assert (made.stock, stocked.stock) == (0, 4)


def test_unreachable_processor_keeps_the_refund_pending_until_reconcile(
    make_order, pay, localstripe, admin_user, settings
):
    order = pay(make_order())
    shipment = order.shipments.get()
    settings.SOUK_STRIPE_API_BASE = "http://127.0.0.1:9"

    with pytest.raises(ValidationError) as refused:
        refund_shipment(shipment, amount=Decimal("50.00"), restock=True, reason="", by=admin_user)

    assert refused.value.code == "processor_unreachable"
    pending = Refund.objects.get()
    assert pending.processor_refund_id.startswith("pending-")
    # Pending counts: nothing can be refunded twice meanwhile.
    assert refundable(shipment) == Decimal("4570.00")
    assert not PayoutEntry.objects.filter(kind=PayoutEntryKind.REFUND).exists()

    settings.SOUK_STRIPE_API_BASE = localstripe.url
    assert reconcile_refunds() == {"completed": 0, "dropped": 0, "pending": 1}  # too soon
    Refund.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    assert reconcile_refunds() == {"completed": 0, "dropped": 1, "pending": 0}

    assert not Refund.objects.exists()
    assert refundable(shipment) == Decimal("4620.00")
    assert Product.objects.get(order_lines__shipment=shipment).stock == 3


# ---------------------------------------------------------------------------
# The admin
# ---------------------------------------------------------------------------
def test_admin_refunds_a_shipment_from_the_add_page(
    client, make_order, pay, localstripe, admin_user
):
    order = pay(make_order())
    shipment = order.shipments.get()
    client.force_login(admin_user)
    url = "/en/admin/payments/refund/add/"

    page = client.get(f"{url}?shipment={shipment.pk}")
    assert page.status_code == HTTPStatus.OK
    assert "Left to refund: 4,620.00\xa0MAD" in page.content.decode()

    response = client.post(
        url, {"shipment": shipment.pk, "amount": "200.00", "reason": "Late", "restock": ""}
    )

    assert response.status_code == HTTPStatus.FOUND
    refund = Refund.objects.get()
    assert (refund.amount, refund.created_by, refund.reason) == (
        Decimal("200.00"),
        admin_user,
        "Late",
    )
    assert client.get("/en/admin/payments/refund/").status_code == HTTPStatus.OK


def test_admin_over_refund_shows_the_limit_and_changes_nothing(
    client, make_order, pay, localstripe, admin_user
):
    order = pay(make_order())
    client.force_login(admin_user)

    response = client.post(
        "/en/admin/payments/refund/add/",
        {"shipment": order.shipments.get().pk, "amount": "9999.00", "reason": ""},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "At most 4620.00 MAD can be refunded" in response.content.decode()
    assert not Refund.objects.exists()
    assert processor_refunds(localstripe, order) == []
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_admin_payment_page_links_to_refund_each_shipment(
    client, make_order, pay, localstripe, admin_user
):
    order = pay(
        make_order([(Decimal("4500.00"), Decimal("120.00")), (Decimal("800.00"), Decimal("60.00"))])
    )
    payment = order.payments.get()
    client.force_login(admin_user)

    html = client.get(f"/en/admin/payments/payment/{payment.pk}/change/").content.decode()

    for shipment in order.shipments.all():
        assert f"/en/admin/payments/refund/add/?shipment={shipment.pk}" in html
    assert "4620.00 MAD left" in html
    assert "860.00 MAD left" in html
