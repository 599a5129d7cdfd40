"""The cooperative's orders: its paid shipments listed, sent with a tracking number, delivered."""

from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from artisans.models import CooperativeStatus, MembershipRole
from marketplace.models import OrderStatus, Shipment, ShipmentStatus
from marketplace.orders import order_key
from tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
)

pytestmark = pytest.mark.django_db

SHIPMENT_URLS = [
    "shipment_detail",
    "shipment_ship",
    "shipment_deliver",
    "customs",
    "customs_pdf",
    "invoice",
    "invoice_pdf",
]
TRACKING = {"carrier": "DHL", "other_carrier": "", "tracking_number": "jd 0146 0000 1234"}


def paid_shipment(
    cooperative,
    *,
    status=ShipmentStatus.TO_SHIP,
    paid_ago=timedelta(hours=3),
    lines=1,
    **order_fields,
):
    """A shipment of a paid order to France, with its lines."""
    fields = {"country": "FR", "city": "Lyon", "full_name": "Claire Martin", **order_fields}
    order = OrderFactory(status=OrderStatus.PAID, paid_at=timezone.now() - paid_ago, **fields)
    shipment = ShipmentFactory(order=order, cooperative=cooperative, status=status)
    for _ in range(lines):
        OrderLineFactory(shipment=shipment)
    return shipment


def url(name, shipment, cooperative=None):
    cooperative_id = (cooperative or shipment.cooperative).pk
    return reverse(f"workspace:{name}", args=[cooperative_id, shipment.pk])


def list_url(cooperative, tab=None):
    path = reverse("workspace:shipment_list", args=[cooperative.pk])
    return f"{path}?tab={tab}" if tab else path


def row(shipment) -> tuple:
    shipment.refresh_from_db()
    return (
        shipment.status,
        shipment.carrier,
        shipment.tracking_number,
        shipment.shipped_at,
        shipment.delivered_at,
    )


@pytest.fixture
def seller(client, cooperative):
    """A plain member (the lowest role) of the cooperative, logged in."""
    user = MembershipFactory(cooperative=cooperative, role=MembershipRole.MEMBER).user
    client.force_login(user)
    return user


# ---------------------------------------------------------------- the list


def test_the_list_shows_only_the_cooperatives_paid_shipments(client, seller, cooperative):
    ours = paid_shipment(cooperative)
    unpaid = ShipmentFactory(cooperative=cooperative, status=ShipmentStatus.AWAITING_PAYMENT)
    cancelled = ShipmentFactory(cooperative=cooperative, status=ShipmentStatus.CANCELLED)
    theirs = paid_shipment(CooperativeFactory())

    response = client.get(list_url(cooperative))

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert ours.order.number in page
    assert "France" in page
    assert "4,500.00\u00a0MAD" in page
    for hidden in (unpaid, cancelled, theirs):
        assert hidden.order.number not in page


@pytest.mark.parametrize("name", SHIPMENT_URLS)
def test_another_cooperatives_shipment_is_404_on_every_url(client, seller, cooperative, name):
    theirs = paid_shipment(CooperativeFactory())
    before = row(theirs)

    posted = client.post(url(name, theirs, cooperative), TRACKING)
    got = client.get(url(name, theirs, cooperative))

    assert posted.status_code == HTTPStatus.NOT_FOUND
    if name in ("shipment_ship", "shipment_deliver"):
        # An action refuses a GET before looking anything up: nothing said about the shipment.
        assert got.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    else:
        assert got.status_code == HTTPStatus.NOT_FOUND

    assert row(theirs) == before


def test_a_parcel_past_its_ship_by_date_is_marked_late(client, seller, cooperative):
    late = paid_shipment(cooperative, paid_ago=timedelta(days=4))  # promised within 3 days
    on_time = paid_shipment(cooperative, paid_ago=timedelta(days=1))

    listed = client.get(list_url(cooperative, "to_ship")).content.decode()
    late_page = client.get(url("shipment_detail", late)).content.decode()
    on_time_page = client.get(url("shipment_detail", on_time)).content.decode()

    assert listed.count('class="badge badge--late"') == 1
    assert listed.index(late.order.number) < listed.index('class="badge badge--late"')
    assert listed.index('class="badge badge--late"') < listed.index(on_time.order.number)
    ship_by = date_format(timezone.localtime(on_time.ship_by), "SHORT_DATETIME_FORMAT")
    assert f"Ship by {ship_by}" in listed
    assert "This parcel is late" in late_page
    assert "This parcel is late" not in on_time_page


def test_tabs_sort_the_work_new_to_ship_shipped_delivered(client, seller, cooperative):
    fresh = paid_shipment(cooperative, paid_ago=timedelta(hours=2))
    waiting = paid_shipment(cooperative, paid_ago=timedelta(days=4))
    shipped = paid_shipment(cooperative, status=ShipmentStatus.SHIPPED)
    delivered = paid_shipment(cooperative, status=ShipmentStatus.DELIVERED)

    pages = {
        tab: client.get(list_url(cooperative, tab)).content.decode()
        for tab in ("new", "to_ship", "shipped", "delivered")
    }

    def shown(tab):
        return [s for s in (fresh, waiting, shipped, delivered) if s.order.number in pages[tab]]

    assert shown("new") == [fresh]
    assert shown("to_ship") == [fresh, waiting]
    # The longest waiting first.
    assert pages["to_ship"].index(waiting.order.number) < pages["to_ship"].index(fresh.order.number)
    assert shown("shipped") == [shipped]
    assert shown("delivered") == [delivered]
    # Each tab with its count; "to ship" is the default.
    assert 'aria-current="page">To ship <span class="tabs__count">2</span>' in pages["to_ship"]
    assert 'New <span class="tabs__count">1</span>' in pages["to_ship"]
    assert client.get(list_url(cooperative)).content.decode().count("badge--new") == 1


def test_an_unknown_tab_shows_the_shipments_to_send(client, seller, cooperative):
    shipment = paid_shipment(cooperative)

    response = client.get(list_url(cooperative, "cancelled"))

    assert response.status_code == HTTPStatus.OK
    assert shipment.order.number in response.content.decode()


def test_the_list_is_paginated(client, seller, cooperative):
    shipments = [paid_shipment(cooperative, paid_ago=timedelta(days=30 - n)) for n in range(27)]

    first = client.get(list_url(cooperative)).content.decode()
    second = client.get(list_url(cooperative, "to_ship") + "&page=2").content.decode()

    assert shipments[0].order.number in first
    assert shipments[26].order.number not in first
    assert shipments[26].order.number in second
    assert "?tab=to_ship&amp;page=2" in first


@pytest.mark.parametrize("tab", ["new", "to_ship", "shipped", "delivered"])
def test_the_list_runs_the_same_queries_for_1_and_30_shipments(
    client, seller, cooperative, django_assert_num_queries, tab
):
    status = {"shipped": ShipmentStatus.SHIPPED, "delivered": ShipmentStatus.DELIVERED}.get(
        tab, ShipmentStatus.TO_SHIP
    )
    paid_shipment(cooperative, status=status)
    # session, user, memberships, tab counts, page count, page rows
    with django_assert_num_queries(6):
        assert client.get(list_url(cooperative, tab)).status_code == HTTPStatus.OK

    for _ in range(29):
        paid_shipment(cooperative, status=status, lines=2)
    with django_assert_num_queries(6):
        response = client.get(list_url(cooperative, tab))
    assert response.content.decode().count('class="shipment-link"') == 25


# ---------------------------------------------------------------- the shipment page


def test_the_shipment_page_shows_what_to_pack_and_where(client, seller, cooperative):
    shipment = paid_shipment(cooperative, phone="+33 6 12 34 56 78", email="claire@example.com")
    line = shipment.lines.get()

    response = client.get(url("shipment_detail", shipment))

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    for seen in (
        "Claire Martin",
        "12 rue des Potiers",
        "Lyon",
        "France",
        "+33 6 12 34 56 78",
        line.title,
        "5701.10",
        "8 kg",
        "4,500.00\u00a0MAD",
        "Mark shipped",
    ):
        assert seen in page, seen
    # The carrier needs the address and the phone; Souk mails the buyer itself.
    assert "claire@example.com" not in page
    assert url("customs_pdf", shipment) in page
    assert url("invoice", shipment) in page


def test_a_parcel_within_morocco_needs_no_declaration(client, seller, cooperative):
    shipment = paid_shipment(cooperative, country="MA", city="Rabat")

    page = client.get(url("shipment_detail", shipment)).content.decode()

    assert "needs no customs declaration" in page
    assert url("customs", shipment) not in page
    assert url("invoice", shipment) in page


def test_an_unpaid_shipment_says_not_to_send_it(client, seller, cooperative):
    shipment = ShipmentFactory(cooperative=cooperative)
    OrderLineFactory(shipment=shipment)

    page = client.get(url("shipment_detail", shipment)).content.decode()

    assert "has not paid yet" in page
    assert "Mark shipped" not in page
    assert url("customs", shipment) not in page


def test_the_shipment_page_runs_the_same_queries_for_1_and_30_lines(
    client, seller, cooperative, django_assert_num_queries
):
    shipment = paid_shipment(cooperative)
    # session, user, memberships, shipment with order and cooperative, lines with products
    with django_assert_num_queries(5):
        assert client.get(url("shipment_detail", shipment)).status_code == HTTPStatus.OK

    for _ in range(29):
        OrderLineFactory(shipment=shipment)
    with django_assert_num_queries(5):
        response = client.get(url("shipment_detail", shipment))
    assert response.content.decode().count("5701.10") == 30


# ---------------------------------------------------------------- shipping


def test_marking_shipped_records_it_and_mails_the_buyer_in_french(
    client, seller, cooperative, django_capture_on_commit_callbacks, mailoutbox
):
    shipment = paid_shipment(cooperative, user=None, email="claire@example.com", language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("shipment_ship", shipment), TRACKING)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url("shipment_detail", shipment)
    status, carrier, tracking, shipped_at, delivered_at = row(shipment)
    assert (status, carrier, tracking) == (ShipmentStatus.SHIPPED, "DHL", "JD 0146 0000 1234")
    assert timezone.now() - shipped_at < timedelta(minutes=1)
    assert delivered_at is None
    [mail] = mailoutbox
    assert mail.to == ["claire@example.com"]
    with translation.override("fr"):
        subject = gettext("Your Souk order %(number)s is on its way")
    assert mail.subject == subject % {"number": shipment.order.number}
    assert "DHL" in mail.body
    assert "JD 0146 0000 1234" in mail.body
    assert shipment.lines.get().title in mail.body
    # A guest follows the order through a signed link, in the language they ordered in.
    order = shipment.order
    assert f"/fr/orders/{order.number}/?key={order_key(order)}" in mail.body
    page = client.get(response["Location"]).content.decode()
    assert "Marked shipped" in page
    assert "JD 0146 0000 1234" in page


def test_a_signed_in_buyer_gets_the_mail_in_arabic_with_a_plain_link(
    client, seller, cooperative, django_capture_on_commit_callbacks, mailoutbox
):
    shipment = paid_shipment(cooperative, language="ar")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("shipment_ship", shipment), TRACKING)

    [mail] = mailoutbox
    with translation.override("ar"):
        subject = gettext("Your Souk order %(number)s is on its way")
    assert mail.subject == subject % {"number": shipment.order.number}
    assert f"/ar/orders/{shipment.order.number}/\n" in mail.body
    assert "?key=" not in mail.body


def test_the_buyer_sees_the_carrier_and_tracking_number_on_the_order_page(
    client, seller, cooperative, django_capture_on_commit_callbacks
):
    shipment = paid_shipment(cooperative)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("shipment_ship", shipment), TRACKING)
    client.force_login(shipment.order.user)

    page = client.get(reverse("marketplace:order_detail", args=[shipment.order.number]))

    shipped_on = date_format(timezone.localtime(row(shipment)[3]), "DATE_FORMAT")
    assert (
        f"Shipped on {shipped_on} with DHL, tracking number JD 0146 0000 1234"
        in page.content.decode()
    )


def test_a_mail_server_down_does_not_undo_the_shipment(
    client, seller, cooperative, django_capture_on_commit_callbacks, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.marketplace.test_shipments.BrokenBackend"
    shipment = paid_shipment(cooperative)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("shipment_ship", shipment), TRACKING)

    assert response.status_code == HTTPStatus.FOUND
    assert row(shipment)[0] == ShipmentStatus.SHIPPED
    assert "send_shipped" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_another_carrier_is_typed_in(client, seller, cooperative):
    shipment = paid_shipment(cooperative)

    client.post(
        url("shipment_ship", shipment),
        {"carrier": "other", "other_carrier": "  CTM   Messagerie ", "tracking_number": "A1B2"},
    )

    assert row(shipment)[1:3] == ("CTM Messagerie", "A1B2")


def test_another_carrier_needs_its_name(client, seller, cooperative):
    shipment = paid_shipment(cooperative)
    before = row(shipment)

    response = client.post(
        url("shipment_ship", shipment), {**TRACKING, "carrier": "other", "other_carrier": " "}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Type the name of the carrier." in response.content.decode()
    assert row(shipment) == before


def test_arabic_digits_are_read_as_digits(client, seller, cooperative):
    shipment = paid_shipment(cooperative)

    client.post(url("shipment_ship", shipment), {**TRACKING, "tracking_number": "ee١٢٣٤٥ma"})

    assert row(shipment)[2] == "EE12345MA"


@pytest.mark.parametrize(
    "tracking_number", ["", "   ", "AB1", "EE123<script>", "EE 123/456", "-EE123", "X" * 61]
)
def test_a_bad_tracking_number_is_refused(client, seller, cooperative, tracking_number, mailoutbox):
    shipment = paid_shipment(cooperative)
    before = row(shipment)

    response = client.post(
        url("shipment_ship", shipment), {**TRACKING, "tracking_number": tracking_number}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "aria-invalid" in page
    assert "<script>" not in page.split('id="id_tracking_number"')[0][-200:]
    assert row(shipment) == before
    assert mailoutbox == []


def test_shipping_twice_is_refused_and_keeps_the_first_tracking_number(
    client, seller, cooperative, django_capture_on_commit_callbacks, mailoutbox
):
    shipment = paid_shipment(cooperative)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("shipment_ship", shipment), TRACKING)
    before = row(shipment)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("shipment_ship", shipment), {**TRACKING, "tracking_number": "OTHER-1234"}
        )

    assert response.status_code == HTTPStatus.CONFLICT
    assert "already marked shipped, with tracking number JD 0146 0000 1234" in (
        response.content.decode()
    )
    assert row(shipment) == before
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ShipmentStatus.AWAITING_PAYMENT, "not paid yet"),
        (ShipmentStatus.CANCELLED, "was cancelled"),
        (ShipmentStatus.DELIVERED, "already marked delivered"),
    ],
)
def test_only_a_shipment_to_send_can_be_shipped(
    client, seller, cooperative, status, message, mailoutbox
):
    shipment = ShipmentFactory(cooperative=cooperative, status=status)
    OrderLineFactory(shipment=shipment)
    before = row(shipment)

    response = client.post(url("shipment_ship", shipment), TRACKING)

    assert response.status_code == HTTPStatus.CONFLICT
    assert message in response.content.decode()
    assert row(shipment) == before
    assert mailoutbox == []


def test_the_ship_url_takes_only_a_post(client, seller, cooperative):
    shipment = paid_shipment(cooperative)

    assert client.get(url("shipment_ship", shipment)).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert row(shipment)[0] == ShipmentStatus.TO_SHIP


# ---------------------------------------------------------------- delivered


def test_marking_delivered_records_it_and_the_buyer_sees_it(client, seller, cooperative):
    shipment = paid_shipment(cooperative)
    client.post(url("shipment_ship", shipment), TRACKING)

    response = client.post(url("shipment_deliver", shipment))

    assert response.status_code == HTTPStatus.FOUND
    status, *_, delivered_at = row(shipment)
    assert status == ShipmentStatus.DELIVERED
    assert timezone.now() - delivered_at < timedelta(minutes=1)
    client.force_login(shipment.order.user)
    page = client.get(reverse("marketplace:order_detail", args=[shipment.order.number]))
    assert "Delivered on " in page.content.decode()


@pytest.mark.parametrize(
    ("status", "message"),
    [(ShipmentStatus.TO_SHIP, "mark it shipped first"), (ShipmentStatus.DELIVERED, "already")],
)
def test_only_a_shipped_parcel_can_be_delivered(client, seller, cooperative, status, message):
    shipment = paid_shipment(cooperative, status=status)
    before = row(shipment)

    response = client.post(url("shipment_deliver", shipment))

    assert response.status_code == HTTPStatus.CONFLICT
    assert message in response.content.decode()
    assert row(shipment) == before


# ---------------------------------------------------------------- suspended


def test_a_suspended_cooperative_still_sends_what_was_paid(
    client, seller, cooperative, django_capture_on_commit_callbacks, mailoutbox
):
    cooperative.status = CooperativeStatus.SUSPENDED
    cooperative.save()
    shipment = paid_shipment(cooperative)

    with django_capture_on_commit_callbacks(execute=True):
        shipped = client.post(url("shipment_ship", shipment), TRACKING)
    delivered = client.post(url("shipment_deliver", shipment))

    assert shipped.status_code == delivered.status_code == HTTPStatus.FOUND
    assert row(shipment)[0] == ShipmentStatus.DELIVERED
    assert len(mailoutbox) == 1


def test_the_goods_value_is_the_shipments_not_the_orders(client, seller, cooperative):
    shipment = paid_shipment(cooperative)
    Shipment.objects.filter(pk=shipment.pk).update(subtotal_mad=Decimal("1234.50"))

    page = client.get(list_url(cooperative)).content.decode()

    assert "1,234.50\u00a0MAD" in page
