"""A buyer fills a cart on a phone, shows it in euros, checks out as a guest, reaches payment."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from marketplace.models import Order, OrderStatus
from tests.e2e.conftest import PHONE
from tests.factories import CooperativeFactory, ProductFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_guest_fills_a_cart_and_checks_out_on_a_phone(page: Page, default_rates, screenshots):
    page.set_viewport_size(PHONE)
    carpet = ProductFactory(
        title="Beni Ouarain carpet",
        cooperative=CooperativeFactory(name="Tifawin Weavers"),
        price=Decimal("4500.00"),
        weight_grams=8000,
    )
    tagine = ProductFactory(
        title="Painted tagine",
        cooperative=CooperativeFactory(name="Safi Potters"),
        price=Decimal("250.00"),
        weight_grams=900,
        stock=4,
    )

    page.goto(f"/en/products/{tagine.slug}/")
    page.screenshot(path=screenshots / "product-375.png")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text("“Painted tagine” is in your cart.")).to_be_visible()
    page.goto(f"/en/products/{carpet.slug}/")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".cart-link__count")).to_have_text("3")

    page.get_by_label("Show prices in").select_option("EUR")
    page.get_by_label("Ship to").select_option("FR")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("From Safi Potters")).to_be_visible()
    expect(page.get_by_text("Parcel of 1.80 kg, shipping 38.71\u00a0EUR")).to_be_visible()
    expect(page.locator(".totals__total dd")).to_have_text("628.57\u00a0EUR")
    page.screenshot(path=screenshots / "cart-375.png", full_page=True)
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="Check out").click()
    page.get_by_label("Email address").fill("salma@example.com")
    page.get_by_label("Full name").fill("Salma Benali")
    page.get_by_label(re.compile(r"^Address:?$")).fill("3 rue des Lilas")
    page.get_by_label("City").fill("Lyon")
    page.get_by_label("Phone").fill("call me")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_text("Enter a phone number with its country code")).to_be_visible()
    expect(page.get_by_label("City")).to_have_value("Lyon")
    page.screenshot(path=screenshots / "checkout-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_label("Phone").fill("+33 6 12 34 56 78")
    page.get_by_role("button", name="Continue to payment").click()

    expect(page).to_have_url(re.compile(r"/en/orders/SK-[A-Z0-9]{8}/pay/$"))
    order = Order.objects.get()
    assert (order.status, order.currency, order.total) == (
        OrderStatus.AWAITING_PAYMENT,
        "EUR",
        Decimal("628.57"),
    )
    page.goto(f"/en/orders/{order.number}/")
    expect(page.get_by_role("heading", name=f"Order {order.number}")).to_be_visible()
    page.screenshot(path=screenshots / "order-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
