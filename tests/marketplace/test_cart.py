import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from artisans.models import CooperativeStatus
from catalog.models import ProductStatus
from marketplace.cart import (
    CART_COUNT_SESSION_KEY,
    CART_SESSION_KEY,
    MAX_QUANTITY,
    add_to_cart,
    merge_carts,
)
from marketplace.checkout import place_order
from marketplace.models import Cart, CartLine
from tests.factories import (
    CartFactory,
    CartLineFactory,
    CooperativeFactory,
    ProductFactory,
    ShippingDetailsFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CART = "/en/cart/"


def add(client: Client, product, quantity=1, **extra):
    return client.post(f"/en/cart/add/{product.slug}/", {"quantity": quantity, **extra})


def only_line() -> CartLine:
    return CartLine.objects.get()


def cart_of(product, quantity: int) -> Cart:
    line = CartLineFactory(product=product, quantity=quantity)
    return line.cart


# ---------------------------------------------------------------- adding


def test_a_guest_adds_a_piece_and_the_cart_lives_in_the_session(client):
    product = ProductFactory(title="Zellige fountain", stock=3, price=Decimal("1200.00"))

    response = add(client, product, 2)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == CART
    line = only_line()
    assert (line.product, line.quantity, line.cart.user) == (product, 2, None)
    assert client.session[CART_SESSION_KEY] == line.cart.pk
    page = client.get(CART).content.decode()
    assert "“Zellige fountain” is in your cart." in page
    assert 'class="cart-link__count">2<' in page


def test_a_signed_in_buyer_adds_to_their_own_cart(client, user):
    client.force_login(user)

    add(client, ProductFactory(stock=2))

    assert Cart.objects.get().user == user
    assert CART_SESSION_KEY not in client.session


def test_the_price_kept_is_the_database_price_whatever_the_form_sends(client):
    product = ProductFactory(price=Decimal("4500.00"))

    add(client, product, 1, price="1.00", price_when_added="1.00")

    assert only_line().price_when_added == Decimal("4500.00")


def test_a_one_of_a_kind_piece_cannot_be_added_twice(client):
    product = ProductFactory(title="Beni Ouarain carpet", stock=1)
    add(client, product)

    response = add(client, product)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "“Beni Ouarain carpet” is one of a kind, and it is already in your cart." in (
        response.content.decode()
    )
    assert only_line().quantity == 1


def test_the_quantity_never_goes_above_the_stock(client):
    product = ProductFactory(title="Tea glass set", stock=3)
    add(client, product, 2)

    response = add(client, product, 2)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Only 3 pieces of “Tea glass set” are left." in response.content.decode()
    assert only_line().quantity == 2


def test_a_sold_out_piece_cannot_be_added(client):
    product = ProductFactory(title="Brass lantern", stock=0)

    response = add(client, product)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "“Brass lantern” is sold out." in response.content.decode()
    assert not CartLine.objects.exists()


def test_made_to_order_pieces_need_no_stock_and_show_their_lead_time(client):
    product = ProductFactory(stock=0, made_to_order=True, lead_time_days=21)

    add(client, product, 4)

    assert only_line().quantity == 4
    assert "Made for you: ready in about 21 days." in client.get(CART).content.decode()


def test_a_made_to_order_line_has_a_ceiling_too(client):
    product = ProductFactory(stock=0, made_to_order=True, lead_time_days=21)

    response = add(client, product, MAX_QUANTITY + 1)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not CartLine.objects.exists()


@pytest.mark.parametrize("quantity", ["0", "-1", "two", ""])
def test_a_quantity_that_is_not_a_positive_number_is_refused(client, quantity):
    response = add(client, ProductFactory(stock=5), quantity)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'class="form-errors"' in response.content.decode()
    assert not CartLine.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [{"status": ProductStatus.DRAFT}, {"cooperative__status": CooperativeStatus.SUSPENDED}],
)
def test_a_piece_not_for_sale_cannot_be_added(client, fields):
    product = ProductFactory(**fields)

    response = add(client, product)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not CartLine.objects.exists()


def test_adding_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)

    response = add(client, ProductFactory())

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not CartLine.objects.exists()


def test_adding_again_takes_todays_price_as_the_one_seen():
    cart = CartFactory()
    product = ProductFactory(stock=5, price=Decimal("100.00"))
    CartLineFactory(cart=cart, product=product, price_when_added=Decimal("90.00"))

    line = add_to_cart(cart, product, quantity=1)

    assert (line.quantity, line.price_when_added) == (2, Decimal("100.00"))


# ---------------------------------------------------------------- the product page form


def test_each_visitor_of_a_cached_product_page_gets_a_csrf_token_of_their_own(client):
    product = ProductFactory(stock=4)
    url = f"/en/products/{product.slug}/"

    first = client.get(url)
    client.cookies.clear()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)  # the page comes from the cache

    page = first.content.decode()
    assert f'action="/en/cart/add/{product.slug}/"' in page
    assert 'name="quantity"' in page
    assert 'max="4"' in page
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]
        for response in (first, second)
    ]
    assert len(queries) == 0
    assert tokens[0] != tokens[1]
    assert "placeholder" not in tokens[1]
    # The token is the visitor's: their add-to-cart passes the CSRF check.
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = client.cookies
    added = checked.post(
        f"/en/cart/add/{product.slug}/", {"csrfmiddlewaretoken": tokens[1], "quantity": "1"}
    )
    assert added.status_code == HTTPStatus.FOUND


def test_a_one_of_a_kind_page_adds_exactly_one_and_a_sold_out_page_offers_nothing(client):
    unique = ProductFactory(stock=1)
    sold_out = ProductFactory(stock=0)

    unique_page = client.get(f"/en/products/{unique.slug}/").content.decode()
    sold_out_page = client.get(f"/en/products/{sold_out.slug}/").content.decode()

    assert '<input type="hidden" name="quantity" value="1">' in unique_page
    assert "Add to cart" in unique_page
    assert "Add to cart" not in sold_out_page


def test_the_product_form_follows_the_stock_once_an_order_takes_it(
    client, django_capture_on_commit_callbacks
):
    product = ProductFactory(stock=3)
    client.get(f"/en/products/{product.slug}/")  # cached fragment: up to 3

    with django_capture_on_commit_callbacks(execute=True):
        place_order(
            cart_of(product, 2), ShippingDetailsFactory(), currency="MAD", user=None, language="en"
        )

    page = client.get(f"/en/products/{product.slug}/").content.decode()
    assert '<input type="hidden" name="quantity" value="1">' in page


# ---------------------------------------------------------------- changing and removing


def guest_with_line(client: Client, **product_fields) -> CartLine:
    product = ProductFactory(**product_fields)
    add(client, product)
    return CartLine.objects.get(product=product)


def test_the_buyer_changes_a_quantity_within_the_stock(client):
    line = guest_with_line(client, stock=5)

    response = client.post(f"/en/cart/lines/{line.product_id}/", {"quantity": 4})

    assert response.status_code == HTTPStatus.FOUND
    assert only_line().quantity == 4
    assert client.session[CART_COUNT_SESSION_KEY] == 4


def test_a_new_quantity_above_the_stock_is_refused(client):
    line = guest_with_line(client, stock=2, title="Raffia basket")

    response = client.post(f"/en/cart/lines/{line.product_id}/", {"quantity": 3})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Only 2 pieces of “Raffia basket” are left." in response.content.decode()
    assert only_line().quantity == 1


def test_the_buyer_removes_a_line(client):
    line = guest_with_line(client)

    response = client.post(f"/en/cart/lines/{line.product_id}/remove/")

    assert response.status_code == HTTPStatus.FOUND
    assert not CartLine.objects.exists()
    assert CART_COUNT_SESSION_KEY not in client.session
    assert "Your cart is empty." in client.get(CART).content.decode()


def test_nobody_changes_a_line_of_another_cart(client):
    someone_else = CartLineFactory(quantity=1, product=ProductFactory(stock=5))
    guest_with_line(client)

    changed = client.post(f"/en/cart/lines/{someone_else.product_id}/", {"quantity": 3})
    removed = client.post(f"/en/cart/lines/{someone_else.product_id}/remove/")

    assert changed.status_code == HTTPStatus.BAD_REQUEST
    assert removed.status_code == HTTPStatus.NOT_FOUND
    someone_else.refresh_from_db()
    assert someone_else.quantity == 1


def test_a_cart_page_without_a_cart_opens_no_session(client):
    response = client.get(CART)

    assert response.status_code == HTTPStatus.OK
    assert "Your cart is empty." in response.content.decode()
    assert "sessionid" not in response.cookies
    assert not Cart.objects.exists()


# ---------------------------------------------------------------- signing in


def test_signing_in_merges_the_guest_cart_within_stock(client):
    buyer = UserFactory()
    lantern = ProductFactory(stock=3)
    carpet = ProductFactory(stock=1)
    tagine = ProductFactory(stock=0, made_to_order=True, lead_time_days=10)
    own = CartFactory(user=buyer)
    CartLineFactory(cart=own, product=lantern, quantity=2)
    CartLineFactory(cart=own, product=carpet, quantity=1)
    add(client, lantern, 2)
    add(client, carpet)
    add(client, tagine, 3)
    guest_cart_id = client.session[CART_SESSION_KEY]

    client.force_login(buyer)

    quantities = dict(CartLine.objects.filter(cart=own).values_list("product", "quantity"))
    assert quantities == {lantern.pk: 3, carpet.pk: 1, tagine.pk: 3}
    assert not Cart.objects.filter(pk=guest_cart_id).exists()
    assert CART_SESSION_KEY not in client.session
    assert client.session[CART_COUNT_SESSION_KEY] == 7


def test_a_buyer_without_a_cart_takes_over_the_guest_cart(client):
    buyer = UserFactory()
    add(client, ProductFactory(stock=2), 2)
    guest_cart_id = client.session[CART_SESSION_KEY]

    client.force_login(buyer)

    assert Cart.objects.get().pk == guest_cart_id
    assert Cart.objects.get().user == buyer
    assert 'class="cart-link__count">2<' in client.get(CART).content.decode()


def test_signing_in_through_the_login_form_merges_the_cart(client):
    from tests.factories import EmailAddressFactory

    buyer = EmailAddressFactory().user
    add(client, ProductFactory(stock=2))

    response = client.post(
        "/en/accounts/login/", {"login": buyer.email, "password": "souk-test-password"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Cart.objects.get().user == buyer


def test_merging_drops_what_sold_out_meanwhile():
    buyer_cart = CartFactory(user=UserFactory())
    guest = CartFactory()
    CartLineFactory(cart=guest, product=ProductFactory(stock=0), quantity=1)

    merge_carts(guest, into=buyer_cart)

    assert not buyer_cart.lines.exists()
    assert not Cart.objects.filter(pk=guest.pk).exists()


# ---------------------------------------------------------------- the cart page


def test_the_cart_page_groups_lines_by_cooperative_with_weight_and_shipping(client):
    tifawin = CooperativeFactory(name="Tifawin Weavers")
    safi = CooperativeFactory(name="Safi Potters")
    add(client, ProductFactory(cooperative=tifawin, price=Decimal("4500"), weight_grams=8000))
    add(
        client, ProductFactory(cooperative=safi, price=Decimal("250"), weight_grams=900, stock=3), 2
    )

    page = client.get(CART).content.decode()

    assert page.index("From Safi Potters") < page.index("From Tifawin Weavers")
    assert "Parcel of 1.80 kg, shipping 90.00\u00a0MAD" in page
    assert "Parcel of 8 kg, shipping 250.00\u00a0MAD" in page
    assert "5,000.00\u00a0MAD" in page  # subtotal
    assert "340.00\u00a0MAD" in page  # shipping
    assert "5,340.00\u00a0MAD" in page  # total
    assert 'href="/en/checkout/"' in page


def test_the_buyer_sees_prices_in_euros_and_ships_abroad(client):
    add(client, ProductFactory(price=Decimal("450.00"), weight_grams=800))

    response = client.post("/en/cart/preferences/", {"currency": "EUR", "country": "FR"})

    assert response.status_code == HTTPStatus.FOUND
    page = client.get(CART).content.decode()
    assert "41.47\u00a0EUR each" in page
    assert "Parcel of 800 g, shipping 16.59\u00a0EUR" in page
    assert "58.06\u00a0EUR" in page  # 41.47 + 16.59
    assert "630.00\u00a0MAD" in page  # 450 + 180
    assert "1 EUR = 10.85 MAD" in page
    assert '<option value="FR" selected>' in page


def test_an_unknown_currency_is_refused(client):
    add(client, ProductFactory())

    response = client.post("/en/cart/preferences/", {"currency": "BTC", "country": "FR"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'class="form-errors"' in response.content.decode()
    assert "souk_currency" not in client.session


def test_the_cart_says_what_sold_out_was_unpublished_or_changed_price(client):
    sold_out = ProductFactory(title="Sold carpet", stock=1)
    short = ProductFactory(title="Short glasses", stock=5)
    hidden = ProductFactory(title="Hidden lamp", stock=1)
    dearer = ProductFactory(title="Dearer pouf", stock=1, price=Decimal("300.00"))
    for product, quantity in [(sold_out, 1), (short, 4), (hidden, 1), (dearer, 1)]:
        add(client, product, quantity)
    sold_out.stock = 0
    sold_out.save()
    short.stock = 2
    short.save()
    hidden.status = ProductStatus.ARCHIVED
    hidden.save()
    dearer.price = Decimal("350.00")
    dearer.save()

    page = client.get(CART).content.decode()

    assert "Sold out since you added it: remove it to continue." in page
    assert "Only 2 pieces are left: lower the quantity to continue." in page
    assert "No longer for sale: remove it to continue." in page
    assert (
        "The price changed since you added it: 300.00\u00a0MAD then, 350.00\u00a0MAD now." in page
    )
    assert "350.00\u00a0MAD each" in page
    assert 'href="/en/checkout/"' not in page
    assert "need your attention before you can check out" in page


def test_a_parcel_too_heavy_is_named_and_blocks_the_checkout(client):
    cooperative = CooperativeFactory(name="Heavy Cedar")
    add(client, ProductFactory(cooperative=cooperative, weight_grams=31000))

    page = client.get(CART).content.decode()

    assert "The parcel from Heavy Cedar weighs 31.0 kg: too heavy to ship" in page
    assert 'href="/en/checkout/"' not in page


def test_the_header_shows_the_count_to_a_guest_with_a_cart_on_every_page(client):
    add(client, ProductFactory(stock=3), 3)

    page = client.get("/en/catalog/").content.decode()

    assert 'class="cart-link__count">3<' in page


def test_the_header_cart_link_leaves_the_visitors_page_cache_alone(
    client, django_assert_num_queries
):
    ProductFactory()
    first = client.get("/en/catalog/")

    with django_assert_num_queries(0):
        again = client.get("/en/catalog/")

    assert 'href="/en/cart/"' in first.content.decode()
    assert "cart-link__count" not in first.content.decode()
    assert again.content == first.content


@pytest.mark.parametrize("lines", [1, 30])
def test_cart_page_queries_do_not_grow_with_lines(client, django_assert_num_queries, lines):
    cart = CartFactory()
    for _index in range(lines):
        CartLineFactory(cart=cart, product=ProductFactory(cooperative=CooperativeFactory()))
    session = client.session
    session[CART_SESSION_KEY] = cart.pk
    session.save()
    client.post("/en/cart/preferences/", {"currency": "EUR", "country": "FR"})
    client.get(CART)  # keeps the count in the session

    # session, cart, currencies with a rate, lines with products and cooperatives,
    # exchange rate, shipping rates
    with django_assert_num_queries(6):
        response = client.get(CART)

    assert response.content.decode().count('class="cart-line"') == lines


@pytest.mark.parametrize(("language", "unit"), [("ar", "درهم"), ("fr", "DH")])
def test_the_cart_and_checkout_speak_the_language_of_their_address(client, language, unit):
    client.post(f"/{language}/cart/add/{ProductFactory().slug}/", {"quantity": 1})

    cart_page = client.get(f"/{language}/cart/").content.decode()
    checkout_page = client.get(f"/{language}/checkout/").content.decode()

    assert f'<html lang="{language}"' in cart_page
    assert unit in cart_page
    assert f'action="/{language}/checkout/"' in checkout_page
    assert ("Maroc" if language == "fr" else "المغرب") in checkout_page


def test_the_cart_names_countries_in_the_page_language(client, default_rates):
    product = ProductFactory(stock=3)
    client.get("/en/cart/")  # a first form built in English
    client.post(f"/ar/cart/add/{product.slug}/", {"quantity": "1"})

    page = client.get("/ar/cart/").content.decode()

    assert '<option value="MA" selected>المغرب' in page
