from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.checkout import place_order
from marketplace.models import ExchangeRate, Order
from tests.factories import (
    CartFactory,
    CartLineFactory,
    CooperativeFactory,
    ProductFactory,
    ShippingDetailsFactory,
)

pytestmark = pytest.mark.django_db


def placed_order(lines: int = 1, **details) -> Order:
    cart = CartFactory()
    for _ in range(lines):
        CartLineFactory(cart=cart, product=ProductFactory(cooperative=CooperativeFactory()))
    return place_order(
        cart, ShippingDetailsFactory(**details), currency="EUR", user=None, language="en"
    )


def test_the_admin_edits_exchange_rates_from_the_list(admin_client):
    rates = {rate.currency: rate for rate in ExchangeRate.objects.all()}
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": rates["EUR"].pk,
        "form-0-mad_per_unit": "10.92",
        "form-1-id": rates["USD"].pk,
        "form-1-mad_per_unit": "10.05",
        "_save": "Save",
    }

    response = admin_client.post("/en/admin/marketplace/exchangerate/", data)

    assert response.status_code == HTTPStatus.FOUND
    assert ExchangeRate.objects.get(currency="EUR").mad_per_unit == Decimal("10.92")


def test_the_shipping_rates_list_is_editable_in_place(admin_client):
    page = admin_client.get("/en/admin/marketplace/shippingrate/").content.decode()

    assert page.count('name="form-') > 12
    assert 'name="form-0-price"' in page
    assert 'name="form-0-max_weight_grams"' in page


def test_an_order_shows_its_frozen_lines_and_shipments_read_only(admin_client):
    order = placed_order(2, full_name="Salma Benali")
    line = order.shipments.first().lines.get()

    response = admin_client.get(f"/en/admin/marketplace/order/{order.pk}/change/")

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert line.title in page
    assert f"{line.unit_price} EUR" in page
    assert 'name="full_name"' in page  # the address can be corrected
    assert 'name="total"' not in page  # the money cannot
    assert 'name="status"' not in page
    assert 'name="shipments-0-tracking_number"' in page
    assert 'name="shipments-0-subtotal_mad"' not in page
    assert "Add another shipment" not in page
    assert "/delete/" not in page


def test_orders_are_neither_added_nor_deleted_in_the_admin(admin_client):
    order = placed_order()

    assert admin_client.get("/en/admin/marketplace/order/add/").status_code == HTTPStatus.FORBIDDEN
    delete = admin_client.post(f"/en/admin/marketplace/order/{order.pk}/delete/", {"post": "yes"})
    assert delete.status_code == HTTPStatus.FORBIDDEN
    assert Order.objects.filter(pk=order.pk).exists()


def test_a_cart_shows_its_lines_read_only(admin_client):
    line = CartLineFactory(quantity=1)

    page = admin_client.get(f"/en/admin/marketplace/cart/{line.cart.pk}/change/").content.decode()

    assert line.product.title in page
    assert 'name="lines-0-quantity"' not in page


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


@pytest.mark.parametrize("url", ["/en/admin/marketplace/order/", "/en/admin/marketplace/cart/"])
def test_order_and_cart_lists_queries_do_not_grow_with_rows(admin_client, url):
    placed_order()
    CartLineFactory()
    admin_client.get(url)  # warm caches (content types, permissions)
    one = count_queries(admin_client, url)

    for _ in range(29):
        placed_order()
        CartLineFactory()

    assert count_queries(admin_client, url) == one


def test_an_order_page_queries_do_not_grow_with_lines(admin_client):
    small, large = placed_order(1), placed_order(30)
    admin_client.get(f"/en/admin/marketplace/order/{small.pk}/change/")

    assert count_queries(
        admin_client, f"/en/admin/marketplace/order/{small.pk}/change/"
    ) == count_queries(admin_client, f"/en/admin/marketplace/order/{large.pk}/change/")
