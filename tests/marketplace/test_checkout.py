import re
from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import Product, ProductStatus
from marketplace.cart import CART_COUNT_SESSION_KEY
from marketplace.checkout import OutOfStock, place_order
from marketplace.models import CartLine, Order, OrderLine, OrderStatus, Shipment, ShipmentStatus
from tests.factories import (
    CartFactory,
    CartLineFactory,
    CooperativeFactory,
    HSCodeFactory,
    ProductFactory,
    ShippingDetailsFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHECKOUT = "/en/checkout/"
ADDRESS = {
    "email": "salma@example.com",
    "full_name": "Salma Benali",
    "address_line1": "12 rue des Orangers",
    "address_line2": "",
    "city": "Casablanca",
    "postal_code": "20250",
    "country": "MA",
    "phone": "+212 6 12 34 56 78",
}


def add(client, product, quantity=1):
    response = client.post(f"/en/cart/add/{product.slug}/", {"quantity": quantity})
    assert response.status_code == HTTPStatus.FOUND
    return response


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def place(cart, **kwargs):
    arguments = {"currency": "MAD", "user": None, "language": "en"} | kwargs
    details = arguments.pop("details", None) or ShippingDetailsFactory()
    return place_order(cart, details, **arguments)


# ---------------------------------------------------------------- the page and its form


def test_checkout_of_an_empty_cart_sends_back_to_the_cart(client):
    response = client.get(CHECKOUT, follow=True)

    assert response.redirect_chain == [("/en/cart/", HTTPStatus.FOUND)]
    assert "Your cart is empty: add a piece before checking out." in response.content.decode()


def test_a_guest_is_asked_for_an_email_and_the_address(client):
    add(client, ProductFactory(title="Tadelakt bowl", price=Decimal("380.00"), weight_grams=600))

    page = client.get(CHECKOUT).content.decode()

    for name in ["email", "full_name", "address_line1", "city", "postal_code", "phone"]:
        assert f'name="{name}"' in page
    assert '<option value="MA" selected>' in page
    assert "Tadelakt bowl" in page
    assert "425.00\u00a0MAD" in page  # 380 + 45 shipping in Morocco
    assert 'autocomplete="address-line1"' in page


def test_a_signed_in_buyer_gives_no_email(client, user):
    client.force_login(user)
    add(client, ProductFactory())

    page = client.get(CHECKOUT).content.decode()

    assert 'name="email"' not in page


def test_a_form_with_mistakes_comes_back_with_errors_beside_fields_and_what_was_typed(client):
    product = ProductFactory(stock=2)
    add(client, product)
    typed = ADDRESS | {"email": "not-an-email", "city": "", "phone": "call me"}

    response = client.post(CHECKOUT, typed)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "This field is required." in page
    assert "Enter a phone number with its country code" in page
    assert 'value="12 rue des Orangers"' in page
    assert 'value="not-an-email"' in page
    assert 'aria-invalid="true"' in page
    assert not Order.objects.exists()
    assert CartLine.objects.count() == 1
    assert stock(product) == 2


# ---------------------------------------------------------------- placing the order


def test_a_guest_places_an_order_and_goes_to_the_payment_page(client, settings):
    settings.SOUK_RESERVATION_MINUTES = 45
    hs_code = HSCodeFactory(code="691200")
    cooperative = CooperativeFactory(name="Safi Potters")
    tagine = ProductFactory(
        cooperative=cooperative,
        title="Painted tagine",
        price=Decimal("250.00"),
        weight_grams=900,
        stock=3,
        hs_code=hs_code,
    )
    add(client, tagine, 2)
    before = timezone.now()

    response = client.post(CHECKOUT, ADDRESS | {"total": "1.00", "currency": "EUR"})

    order = Order.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/en/orders/{order.number}/pay/"
    assert re.fullmatch(r"SK-[A-Z0-9]{8}", order.number)
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert (order.email, order.user, order.language) == ("salma@example.com", None, "en")
    assert (order.full_name, order.city, order.country.code) == ("Salma Benali", "Casablanca", "MA")
    # Amounts from the database, never from the form.
    assert order.currency == "MAD"
    assert order.mad_per_unit == Decimal(1)
    assert order.subtotal_mad == Decimal("500.00")
    assert order.shipping_mad == Decimal("90.00")  # 1.8 kg in Morocco
    assert order.total_mad == order.total == Decimal("590.00")
    assert before + timedelta(minutes=45) <= order.reserved_until
    assert order.reserved_until <= timezone.now() + timedelta(minutes=45)
    shipment = Shipment.objects.get()
    assert (shipment.cooperative, shipment.status) == (cooperative, ShipmentStatus.AWAITING_PAYMENT)
    assert (shipment.weight_grams, shipment.subtotal_mad, shipment.shipping_mad) == (
        1800,
        Decimal("500.00"),
        Decimal("90.00"),
    )
    line = OrderLine.objects.get()
    assert (line.product, line.title, line.quantity) == (tagine, "Painted tagine", 2)
    assert (line.unit_price_mad, line.unit_price, line.currency) == (
        Decimal("250.00"),
        Decimal("250.00"),
        "MAD",
    )
    assert (line.hs_code, line.weight_grams, line.origin_country) == ("691200", 1800, "MA")
    assert stock(tagine) == 1
    assert not CartLine.objects.exists()
    assert CART_COUNT_SESSION_KEY not in client.session


def test_a_signed_in_buyer_orders_under_their_account_and_in_their_language(client):
    buyer = UserFactory(email="omar@example.com")
    client.force_login(buyer)
    add(client, ProductFactory(stock=2))

    response = client.post("/fr/checkout/", ADDRESS | {"email": "other@example.com"})

    order = Order.objects.get()
    assert response["Location"] == f"/fr/orders/{order.number}/pay/"
    assert (order.user, order.email, order.language) == (buyer, "omar@example.com", "fr")


def test_an_order_in_euros_freezes_the_rate_and_matches_the_cart(client):
    first = ProductFactory(price=Decimal("450.00"), weight_grams=800, stock=2)
    second = ProductFactory(price=Decimal("4500.00"), weight_grams=8000)
    add(client, first, 2)
    add(client, second)
    client.post("/en/cart/preferences/", {"currency": "EUR", "country": "FR"})
    cart_page = client.get("/en/cart/").content.decode()

    client.post(CHECKOUT, ADDRESS | {"country": "FR"})

    order = Order.objects.get()
    assert (order.currency, order.mad_per_unit) == ("EUR", Decimal("10.850000"))
    lines = {line.product_id: line for line in OrderLine.objects.all()}
    assert lines[first.pk].unit_price == Decimal("41.47")
    assert lines[second.pk].unit_price == Decimal("414.75")
    assert {line.currency for line in lines.values()} == {"EUR"}
    # Each parcel priced on its own: 1.6 kg → 420, 8 kg → 1400 MAD.
    assert order.shipping_mad == Decimal("1820.00")
    assert order.total == 2 * Decimal("41.47") + Decimal("414.75") + Decimal("38.71") + Decimal(
        "129.03"
    )
    assert f"{order.total}\u00a0EUR" in cart_page
    # The rate changes afterwards: the order keeps its own.
    from marketplace.models import ExchangeRate

    ExchangeRate.objects.filter(currency="EUR").update(mad_per_unit=Decimal("11"))
    order.refresh_from_db()
    assert order.mad_per_unit == Decimal("10.850000")


def test_the_address_country_decides_the_shipping(client):
    add(client, ProductFactory(price=Decimal("1000.00"), weight_grams=500))

    client.post(CHECKOUT, ADDRESS | {"country": "US"})

    assert Order.objects.get().shipping_mad == Decimal("260.00")


def test_made_to_order_pieces_take_no_stock():
    product = ProductFactory(stock=0, made_to_order=True, lead_time_days=30)
    cart = CartLineFactory(product=product, quantity=3).cart

    order = place(cart)

    assert OrderLine.objects.get(shipment__order=order).quantity == 3
    assert stock(product) == 0


def test_one_shipment_per_cooperative():
    cart = CartFactory()
    cooperatives = CooperativeFactory.create_batch(2)
    for cooperative in cooperatives:
        for _ in range(2):
            CartLineFactory(cart=cart, product=ProductFactory(cooperative=cooperative))

    order = place(cart)

    assert sorted(order.shipments.values_list("cooperative", flat=True)) == sorted(
        c.pk for c in cooperatives
    )
    for shipment in order.shipments.all():
        assert shipment.lines.count() == 2
    assert order.total_mad == sum(s.subtotal_mad + s.shipping_mad for s in order.shipments.all())


def test_a_product_without_hs_code_freezes_an_empty_code():
    cart = CartLineFactory(product=ProductFactory(hs_code=None)).cart

    order = place(cart)

    assert OrderLine.objects.get(shipment__order=order).hs_code == ""


# ---------------------------------------------------------------- when it cannot be placed


def test_a_piece_sold_out_meanwhile_names_it_and_writes_nothing(client):
    lantern = ProductFactory(title="Brass lantern", stock=2)
    carpet = ProductFactory(title="Beni Ouarain carpet", stock=1)
    add(client, lantern, 2)
    add(client, carpet)
    Product.objects.filter(pk=carpet.pk).update(stock=0)  # someone else bought it

    response = client.post(CHECKOUT, ADDRESS)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "Sorry, “Beni Ouarain carpet” sold out before your order could be placed." in page
    assert not Order.objects.exists()
    assert not Shipment.objects.exists()
    assert stock(lantern) == 2  # the lantern's reservation was rolled back
    assert CartLine.objects.count() == 2


def test_place_order_raises_out_of_stock_naming_the_product():
    product = ProductFactory(title="Thuya box", stock=1)
    cart = CartLineFactory(product=product, quantity=2).cart

    with pytest.raises(OutOfStock) as raised:
        place(cart)

    assert raised.value.code == "sold_out"
    assert "Thuya box" in raised.value.messages[0]
    assert not Order.objects.exists()
    assert stock(product) == 1
    assert cart.lines.count() == 1


def test_a_piece_unpublished_meanwhile_cannot_be_ordered():
    product = ProductFactory(title="Hidden lamp")
    cart = CartLineFactory(product=product).cart
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.ARCHIVED)

    with pytest.raises(ValidationError) as raised:
        place(cart)

    assert raised.value.code == "unavailable"
    assert "Hidden lamp" in raised.value.messages[0]
    assert stock(product) == 1
    assert not Order.objects.exists()


def test_a_parcel_too_heavy_is_refused_at_checkout(client):
    add(client, ProductFactory(weight_grams=40000))

    response = client.post(CHECKOUT, ADDRESS)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "too heavy to ship" in response.content.decode()
    assert not Order.objects.exists()


def test_placing_twice_makes_one_order(client):
    add(client, ProductFactory(stock=2))
    client.post(CHECKOUT, ADDRESS)

    again = client.post(CHECKOUT, ADDRESS)

    assert again.status_code == HTTPStatus.BAD_REQUEST
    assert "Your cart is empty." in again.content.decode()
    assert Order.objects.count() == 1


def test_an_empty_cart_cannot_be_placed():
    with pytest.raises(ValidationError) as raised:
        place(CartFactory())

    assert raised.value.code == "empty_cart"


def test_an_unknown_currency_cannot_be_placed():
    cart = CartLineFactory().cart

    with pytest.raises(ValidationError) as raised:
        place(cart, currency="GBP")

    assert raised.value.code == "no_exchange_rate"
    assert not Order.objects.exists()


def test_a_taken_order_number_is_drawn_again(monkeypatch):
    taken = place(CartLineFactory().cart)
    numbers = iter([taken.number, "SK-FRESH000"])
    monkeypatch.setattr("marketplace.checkout.new_order_number", lambda: next(numbers))

    order = place(CartLineFactory().cart)

    assert order.number == "SK-FRESH000"
    assert Order.objects.count() == 2
