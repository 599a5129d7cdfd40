import logging
from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from artisans.models import MembershipRole
from catalog.models import Product
from marketplace.checkout import (
    mark_order_paid,
    place_order,
    release_expired_orders,
    release_order,
)
from marketplace.models import Order, OrderStatus, ShipmentStatus
from marketplace.orders import order_key
from tests.factories import (
    CartFactory,
    CartLineFactory,
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    ShippingDetailsFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def order_of(*lines, user=None, currency="MAD", language="en", **details) -> Order:
    """Place an order for (product, quantity) pairs, as the checkout does."""
    cart = CartFactory()
    for product, quantity in lines:
        CartLineFactory(cart=cart, product=product, quantity=quantity)
    return place_order(
        cart,
        ShippingDetailsFactory(**details),
        currency=currency,
        user=user,
        language=language,
    )


# ---------------------------------------------------------------- paid


def test_paying_moves_the_order_and_its_shipments_on(django_capture_on_commit_callbacks):
    order = order_of((ProductFactory(stock=2), 1), (ProductFactory(), 1))

    with django_capture_on_commit_callbacks(execute=True):
        assert mark_order_paid(order) is True

    assert order.status == OrderStatus.PAID
    assert order.paid_at is not None
    assert set(order.shipments.values_list("status", flat=True)) == {ShipmentStatus.TO_SHIP}


def test_paying_twice_changes_nothing_the_second_time(
    django_capture_on_commit_callbacks, mailoutbox
):
    order = order_of((ProductFactory(), 1))
    with django_capture_on_commit_callbacks(execute=True):
        mark_order_paid(order)
    paid_at = order.paid_at
    sent = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        again = mark_order_paid(order)

    assert again is False
    assert order.paid_at == paid_at
    assert len(mailoutbox) == sent


def test_paying_sends_the_buyer_a_confirmation_in_their_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    product = ProductFactory(title="Beni Ouarain carpet", price=Decimal("4500.00"))
    order = order_of((product, 1), language="fr", email="salma@example.com", country="MA")

    with django_capture_on_commit_callbacks(execute=True):
        mark_order_paid(order)

    buyer_mail = next(mail for mail in mailoutbox if mail.to == ["salma@example.com"])
    assert order.number in buyer_mail.subject
    assert "Beni Ouarain carpet" in buyer_mail.body
    assert "4\u00a0750,00\u00a0DH" in buyer_mail.body  # French amounts: 4500 + 250 shipping
    assert "Maroc" in buyer_mail.body  # the country named in French
    assert "&" not in buyer_mail.body
    # A guest's way back to the order: a signed link.
    assert f"/fr/orders/{order.number}/?key={order_key(order)}" in buyer_mail.body


def test_a_signed_in_buyer_gets_a_plain_link(django_capture_on_commit_callbacks, mailoutbox):
    buyer = UserFactory()
    order = order_of((ProductFactory(), 1), user=buyer, email=buyer.email)

    with django_capture_on_commit_callbacks(execute=True):
        mark_order_paid(order)

    assert f"/en/orders/{order.number}/\n" in mailoutbox[0].body


def test_paying_tells_each_cooperatives_members_in_their_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    safi = CooperativeFactory(name="Safi Potters")
    tifawin = CooperativeFactory(name="Tifawin Weavers")
    owner = MembershipFactory(cooperative=safi, user__language="ar").user
    member = MembershipFactory(cooperative=safi, role=MembershipRole.MEMBER).user
    MembershipFactory(cooperative=safi, user__is_active=False)
    weaver = MembershipFactory(cooperative=tifawin, user__language="fr").user
    tagine = ProductFactory(cooperative=safi, title="Painted tagine", price=Decimal("250"))
    carpet = ProductFactory(cooperative=tifawin, title="Knotted carpet")
    order = order_of((tagine, 1), (carpet, 1), full_name="Salma Benali", country="MA")

    with django_capture_on_commit_callbacks(execute=True):
        mark_order_paid(order)

    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_address) == {order.email, owner.email, member.email, weaver.email}
    for person in (owner, member):
        mail = by_address[person.email]
        assert order.number in mail.subject
        assert "Painted tagine" in mail.body
        assert "Knotted carpet" not in mail.body
        assert "Salma Benali" in mail.body
    assert "Knotted carpet" in by_address[weaver.email].body
    assert "4\u00a0500,00\u00a0DH" in by_address[weaver.email].body  # in French
    assert "Maroc" in by_address[weaver.email].body
    assert "المغرب" in by_address[owner.email].body  # the address in Arabic
    assert "250.00\u00a0MAD" in by_address[member.email].body


def test_a_mail_server_down_does_not_undo_the_payment(
    django_capture_on_commit_callbacks, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.marketplace.test_orders.BrokenBackend"
    order = order_of((ProductFactory(), 1))

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        assert mark_order_paid(order) is True

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


class BrokenBackend:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_an_order_paid_after_its_reservation_expired_is_paid_and_takes_its_stock_again(
    django_capture_on_commit_callbacks, mailoutbox
):
    product = ProductFactory(stock=2)
    order = order_of((product, 2))
    release_order(order)
    assert stock(product) == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert mark_order_paid(order) is True

    assert order.status == OrderStatus.PAID
    assert set(order.shipments.values_list("status", flat=True)) == {ShipmentStatus.TO_SHIP}
    assert stock(product) == 0
    assert mailoutbox


def test_money_received_for_stock_sold_again_is_still_recorded_and_logged(caplog):
    product = ProductFactory(title="Thuya box", stock=1)
    order = order_of((product, 1))
    release_order(order)
    order_of((product, 1))  # another buyer took the piece meanwhile

    with caplog.at_level(logging.ERROR, logger="marketplace.checkout"):
        assert mark_order_paid(order) is True

    assert order.status == OrderStatus.PAID
    assert stock(product) == 0
    assert order.number in caplog.text
    assert "Thuya box" in caplog.text


# ---------------------------------------------------------------- released


def test_releasing_gives_the_stock_back_and_cancels_the_shipments():
    stocked = ProductFactory(stock=3)
    made = ProductFactory(stock=0, made_to_order=True, lead_time_days=15, weight_grams=500)
    order = order_of((stocked, 2), (made, 4))
    assert stock(stocked) == 1

    assert release_order(order) is True

    assert order.status == OrderStatus.CANCELLED
    assert set(order.shipments.values_list("status", flat=True)) == {ShipmentStatus.CANCELLED}
    assert stock(stocked) == 3
    assert stock(made) == 0


def test_releasing_twice_gives_the_stock_back_once():
    product = ProductFactory(stock=3)
    order = order_of((product, 2))
    release_order(order)

    assert release_order(order) is False

    assert stock(product) == 3


def test_a_paid_order_is_never_released():
    product = ProductFactory(stock=3)
    order = order_of((product, 2))
    mark_order_paid(order)

    assert release_order(order) is False

    assert order.status == OrderStatus.PAID
    assert stock(product) == 1


def test_only_expired_unpaid_orders_are_released():
    product = ProductFactory(stock=10)
    expired = order_of((product, 1))
    fresh = order_of((product, 1))
    paid = order_of((product, 1))
    mark_order_paid(paid)
    Order.objects.filter(pk__in=[expired.pk, paid.pk]).update(
        reserved_until=timezone.now() - timedelta(minutes=1)
    )

    assert release_expired_orders() == 1

    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {
        expired.pk: OrderStatus.CANCELLED,
        fresh.pk: OrderStatus.AWAITING_PAYMENT,
        paid.pk: OrderStatus.PAID,
    }
    assert stock(product) == 8
    assert release_expired_orders(now=timezone.now() + timedelta(hours=1)) == 1
    assert stock(product) == 9


def test_the_release_reservations_command_releases_expired_orders():
    product = ProductFactory(stock=1)
    order = order_of((product, 1))
    Order.objects.filter(pk=order.pk).update(reserved_until=timezone.now() - timedelta(1))
    out = StringIO()

    call_command("release_reservations", stdout=out)

    assert "Released 1 expired order(s)." in out.getvalue()
    assert stock(product) == 1


# ---------------------------------------------------------------- the buyer's pages


def test_the_buyer_sees_their_order_per_shipment_with_totals_and_address(client):
    buyer = UserFactory()
    safi = CooperativeFactory(name="Safi Potters")
    tifawin = CooperativeFactory(name="Tifawin Weavers")
    order = order_of(
        (
            ProductFactory(
                cooperative=safi, title="Painted tagine", price=Decimal("250.00"), stock=2
            ),
            2,
        ),
        (ProductFactory(cooperative=tifawin, title="Knotted carpet", price=Decimal("4500")), 1),
        user=buyer,
        currency="EUR",
        country="FR",
        full_name="Salma Benali",
        address_line1="3 rue des Lilas",
        city="Lyon",
    )
    mark_order_paid(order)
    shipment = order.shipments.get(cooperative=tifawin)
    shipment.status = ShipmentStatus.SHIPPED
    shipment.carrier, shipment.tracking_number = "Amana", "RR123456789MA"
    shipment.save()
    client.force_login(buyer)

    response = client.get(f"/en/orders/{order.number}/")

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert f"Order {order.number}</h1>" in page
    assert "From Safi Potters" in page
    assert "From Tifawin Weavers" in page
    assert "Status: <strong>to ship</strong>" in page
    assert "Status: <strong>shipped</strong>" in page
    assert "Shipped with Amana, tracking number RR123456789MA" in page
    assert "2 × 23.04\u00a0EUR" in page
    assert f"{order.total}\u00a0EUR" in page
    assert f"{order.total_mad:,}\u00a0MAD" in page
    assert "Salma Benali" in page
    assert "3 rue des Lilas" in page
    assert "France" in page


def test_the_payment_banner_says_parcels_are_prepared_only_until_one_leaves(client):
    buyer = UserFactory()
    order = order_of((ProductFactory(), 1), (ProductFactory(), 1), user=buyer)
    mark_order_paid(order)
    client.force_login(buyer)
    banner = "each cooperative now prepares its parcel"

    assert banner in client.get(f"/en/orders/{order.number}/").content.decode()
    order.shipments.filter(pk=order.shipments.first().pk).update(status=ShipmentStatus.SHIPPED)
    assert banner not in client.get(f"/en/orders/{order.number}/").content.decode()


def test_the_browser_that_placed_a_guest_order_sees_it(client):
    client.post(
        f"/en/cart/add/{ProductFactory().slug}/",
        {"quantity": 1},
    )
    client.post(
        "/en/checkout/",
        {
            "email": "guest@example.com",
            "full_name": "Guest Buyer",
            "address_line1": "1 place Jemaa el-Fna",
            "city": "Marrakech",
            "country": "MA",
            "phone": "+212600000000",
        },
    )
    order = Order.objects.get()

    response = client.get(f"/en/orders/{order.number}/")

    assert response.status_code == HTTPStatus.OK
    assert "Your pieces are kept for you until" in response.content.decode()


def test_a_guest_opens_their_order_with_the_signed_link_from_the_mail():
    order = order_of((ProductFactory(), 1))

    signed = Client().get(f"/en/orders/{order.number}/?key={order_key(order)}")
    forged = Client().get(f"/en/orders/{order.number}/?key=x{order_key(order)[1:]}")
    bare = Client().get(f"/en/orders/{order.number}/")

    assert signed.status_code == HTTPStatus.OK
    # The key goes on to the payment page, which checks it the same way.
    pay = f'href="/en/orders/{order.number}/pay/?key={order_key(order)}"'
    assert pay in signed.content.decode()
    assert forged.status_code == HTTPStatus.NOT_FOUND
    assert bare.status_code == HTTPStatus.NOT_FOUND


def test_nobody_sees_another_buyers_order(client):
    order = order_of((ProductFactory(), 1), user=UserFactory())
    other = order_of((ProductFactory(), 1))
    client.force_login(UserFactory())

    assert client.get(f"/en/orders/{order.number}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/en/orders/{other.number}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/en/orders/SK-NOSUCH00/").status_code == HTTPStatus.NOT_FOUND
    # The key of one order opens no other.
    wrong_key = f"/en/orders/{order.number}/?key={order_key(other)}"
    assert client.get(wrong_key).status_code == HTTPStatus.NOT_FOUND


def test_the_order_history_needs_an_account(client):
    response = client.get("/en/orders/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/en/accounts/login/")


def test_the_order_history_lists_only_the_buyers_orders_newest_first_by_pages(client):
    buyer = UserFactory()
    product = ProductFactory(stock=30)
    orders = [order_of((product, 1), user=buyer) for _ in range(21)]
    stranger = order_of((product, 1), user=UserFactory())
    client.force_login(buyer)

    first = client.get("/en/orders/").content.decode()
    second = client.get("/en/orders/?page=2").content.decode()

    assert orders[-1].number in first
    assert orders[0].number not in first
    assert orders[0].number in second
    assert stranger.number not in first + second
    assert "1 piece" in first
    assert 'href="?page=2"' in first


@pytest.mark.parametrize("count", [1, 30])
def test_order_pages_queries_do_not_grow(client, django_assert_num_queries, count):
    buyer = UserFactory()
    client.force_login(buyer)
    lines = [(ProductFactory(cooperative=CooperativeFactory()), 1) for _ in range(count)]
    order = order_of(*lines, user=buyer)
    for _ in range(count - 1):
        order_of((ProductFactory(), 1), user=buyer)

    # session, user, the order, its shipments with cooperatives, their lines
    with django_assert_num_queries(5):
        detail = client.get(f"/en/orders/{order.number}/")
    # session, user, the count, the page of orders with their pieces
    with django_assert_num_queries(4):
        listing = client.get("/en/orders/")

    assert detail.content.decode().count('class="cart-line"') == count
    assert listing.content.decode().count('class="order-list__item"') == min(count, 20)
