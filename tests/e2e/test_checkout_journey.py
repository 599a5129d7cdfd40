"""A buyer pays by card for a cart from two cooperatives: a real browser against localstripe.

The card form is localstripe's stand-in for Stripe.js, served by the test's own localstripe
(never a CDN): plain inputs with the placeholders number, exp_month, exp_year (two digits),
cvc and postal_code. A card that needs 3-D Secure opens its box, with the buttons "Complete
authentication" and "Fail authentication", twice: when the card is set up, then when it is
charged (Stripe's 4000 0027 6000 3184 asks on every payment too).
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import Page, expect

from catalog.models import Product
from marketplace.models import Order, OrderStatus, ShipmentStatus, User
from marketplace.templatetags.marketplace_tags import money
from payments.gateway import to_minor_units
from payments.models import Payment, PaymentStatus, PayoutEntry, PayoutEntryKind
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import CooperativeFactory, MembershipFactory, ProductFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VISA = "4242424242424242"
THREE_D_SECURE = "4000002760003184"
DECLINED = "4000000000000341"  # set up fine, declined when charged
LOCAL_HOSTS = {"localhost", "127.0.0.1"}


@dataclass(frozen=True)
class Shop:
    carpet: Product  # from Tifawin Weavers, 3 in stock
    tagine: Product  # from Safi Potters, 4 in stock
    members: tuple[User, ...]  # one per cooperative: each gets a "new order" mail


@dataclass(frozen=True)
class Destination:
    currency: str
    country: str  # the cart's "Ship to" option and the checkout's country
    city: str
    postal_code: str
    phone: str


FRANCE = Destination("EUR", "FR", "Lyon", "69003", "+33 6 12 34 56 78")
USA = Destination("USD", "US", "Boston", "02118", "+1 617 555 0142")


@pytest.fixture
def shop(default_rates) -> Shop:
    weavers = CooperativeFactory(name="Tifawin Weavers")
    potters = CooperativeFactory(name="Safi Potters")
    carpet = ProductFactory(
        title="Beni Ouarain carpet",
        cooperative=weavers,
        price=Decimal("4500.00"),
        weight_grams=8000,
        stock=3,
    )
    tagine = ProductFactory(
        title="Painted tagine",
        cooperative=potters,
        price=Decimal("250.00"),
        weight_grams=900,
        stock=4,
    )
    members = tuple(MembershipFactory(cooperative=c).user for c in (weavers, potters))
    return Shop(carpet=carpet, tagine=tagine, members=members)


@pytest.fixture
def watched(page: Page, localstripe) -> dict[str, list[str]]:
    """Record what the page asks of other hosts, its script errors and CSP refusals."""
    seen: dict[str, list[str]] = {"requests": [], "outside": [], "errors": []}

    def on_request(request) -> None:
        seen["requests"].append(request.url)
        if urlsplit(request.url).hostname not in LOCAL_HOSTS:
            seen["outside"].append(request.url)

    def on_console(message) -> None:
        # A declined card's answer is a 402, which Chromium logs: that one is expected.
        if "status of 402 (Payment Required)" in message.text:
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            seen["errors"].append(message.text)

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


def sign_in(page: Page, user: User, live_server) -> None:
    """Give the browser a signed-in session (the login form has tests of its own)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def take_screenshots(page: Page, folder: Path, name: str) -> list[str]:
    """Save the whole page at phone and desktop widths; return what scrolls sideways on a phone."""
    too_wide = []
    for label, viewport in (("375", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=folder / f"{name}-{label}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        if viewport is PHONE and width > PHONE["width"]:
            too_wide.append(f"{name}: {width} px")
    return too_wide


def fill_cart(page: Page, shop: Shop, where: Destination) -> None:
    """Two tagines from the potters and a carpet from the weavers, priced for where they go."""
    page.goto(f"/en/products/{shop.tagine.slug}/")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text("“Painted tagine” is in your cart.")).to_be_visible()
    page.goto(f"/en/products/{shop.carpet.slug}/")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text("“Beni Ouarain carpet” is in your cart.")).to_be_visible()

    page.get_by_label("Show prices in").select_option(where.currency)
    page.get_by_label("Ship to").select_option(where.country)
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("From Tifawin Weavers")).to_be_visible()
    expect(page.get_by_text("From Safi Potters")).to_be_visible()
    expect(page.locator(".totals__total dd")).to_contain_text(where.currency)


def check_out(page: Page, where: Destination, *, email: str | None) -> Order:
    """Fill the address form and continue to payment; return the order it placed."""
    page.get_by_role("link", name="Check out").click()
    if email is not None:
        page.get_by_label("Email address").fill(email)
    else:
        expect(page.get_by_label("Email address")).to_have_count(0)
    page.get_by_label("Full name").fill("Salma Benali")
    page.get_by_label(re.compile(r"^Address:?$")).fill("3 rue des Lilas")
    page.get_by_label("City").fill(where.city)
    page.get_by_label("Postal code").fill(where.postal_code)
    page.get_by_label("Country").select_option(where.country)
    page.get_by_label("Phone").fill(where.phone)
    page.get_by_role("button", name="Continue to payment").click()

    expect(page).to_have_url(re.compile(r"/en/orders/SK-[A-Z0-9]{8}/pay/$"))
    number = page.url.rstrip("/").split("/")[-2]
    return Order.objects.get(number=number)


def enter_card(page: Page, number: str) -> None:
    """Type a card into the processor's form (here localstripe's plain inputs)."""
    card = page.locator("#card-element")
    card.get_by_placeholder("number", exact=True).fill(number)
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("34")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("69003")


def total_of(order: Order) -> str:
    """The order's total as the English pages write it."""
    with translation.override("en"):
        return money(order.total, order.currency)


def pay_button(page: Page, order: Order):
    return page.get_by_role("button", name=f"Pay {total_of(order)}")


def intents_of(localstripe, order: Order) -> list[dict]:
    """The order's PaymentIntents at the processor (its store lives for the whole module)."""
    every = localstripe.get("/v1/payment_intents", limit=100)["data"]
    return [intent for intent in every if intent["metadata"].get("souk_order") == order.number]


def stock_of(shop: Shop) -> tuple[int, int]:
    return tuple(Product.objects.get(pk=p.pk).stock for p in (shop.carpet, shop.tagine))


def expect_order_page_paid(page: Page, order: Order) -> None:
    expect(page).to_have_url(re.compile(rf"/en/orders/{order.number}/(\?key=.*)?$"))
    expect(page.get_by_role("heading", name=f"Order {order.number}")).to_be_visible()
    expect(page.locator(".order-status")).to_have_text("paid")
    expect(page.locator(".shipment-status")).to_have_text(["Status: to ship"] * 2)
    expect(page.get_by_role("link", name="Pay now")).to_have_count(0)


# ---------------------------------------------------------------------------
# The whole journey
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("where", "signed_in"),
    [pytest.param(FRANCE, False, id="guest-france-eur"), pytest.param(USA, True, id="usa-usd")],
)
def test_buyer_pays_a_cart_from_two_cooperatives_by_card(
    page: Page,
    live_server,
    shop: Shop,
    localstripe,
    watched,
    mailoutbox,
    screenshots: Path,
    where: Destination,
    signed_in: bool,
) -> None:
    buyer = UserFactory(email="salma@example.com") if signed_in else None
    if buyer is not None:
        sign_in(page, buyer, live_server)
    too_wide = []

    fill_cart(page, shop, where)
    too_wide += take_screenshots(page, screenshots, "cart")
    page.get_by_role("link", name="Check out").click()
    expect(page.get_by_role("heading", name="Checkout")).to_be_visible()
    too_wide += take_screenshots(page, screenshots, "checkout")
    page.go_back()
    order = check_out(page, where, email=None if signed_in else "salma@example.com")

    # Placed: the stock is held for the order, the lines keep what was sold.
    assert (order.status, order.currency, order.country) == (
        OrderStatus.AWAITING_PAYMENT,
        where.currency,
        where.country,
    )
    assert order.user == buyer
    assert stock_of(shop) == (2, 2)
    # The cooperatives edit their listings while the buyer pays: the order does not change.
    Product.objects.filter(pk=shop.tagine.pk).update(title="Tagine, new glaze", price=300)

    expect(pay_button(page, order)).to_be_enabled()
    assert f"{localstripe.url}/js.stripe.com/v3/" in watched["requests"]
    too_wide += take_screenshots(page, screenshots, "pay")
    enter_card(page, VISA)
    pay_button(page, order).click()

    expect_order_page_paid(page, order)
    expect(page.get_by_text("Painted tagine")).to_be_visible()
    expect(page.get_by_text("Tagine, new glaze")).to_have_count(0)
    expect(page.locator(".totals__total dd")).to_have_text(total_of(order))
    too_wide += take_screenshots(page, screenshots, "order")

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.paid_at is not None
    shipments = {s.cooperative.name: s for s in order.shipments.select_related("cooperative")}
    assert sorted(shipments) == ["Safi Potters", "Tifawin Weavers"]
    assert {s.status for s in shipments.values()} == {ShipmentStatus.TO_SHIP}
    lines = {
        line.title: (line.quantity, line.unit_price_mad, line.currency)
        for shipment in shipments.values()
        for line in shipment.lines.all()
    }
    assert lines == {
        "Painted tagine": (2, Decimal("250.00"), where.currency),
        "Beni Ouarain carpet": (1, Decimal("4500.00"), where.currency),
    }
    assert stock_of(shop) == (2, 2)  # taken once, at checkout

    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.amount, payment.currency) == (
        PaymentStatus.SUCCEEDED,
        order.total,
        where.currency,
    )
    [intent] = intents_of(localstripe, order)
    assert (intent["id"], intent["status"], intent["amount"], intent["currency"]) == (
        payment.payment_intent_id,
        "succeeded",
        to_minor_units(order.total, order.currency),
        where.currency.lower(),
    )

    entries = PayoutEntry.objects.filter(shipment__order=order)
    assert {(e.cooperative.name, e.kind, e.gross_mad) for e in entries} == {
        (name, PayoutEntryKind.SALE, s.subtotal_mad + s.shipping_mad)
        for name, s in shipments.items()
    }

    confirmation = [m for m in mailoutbox if m.to == ["salma@example.com"]]
    assert [m.subject for m in confirmation] == [f"Your Souk order {order.number} is confirmed"]
    assert f"/en/orders/{order.number}/" in confirmation[0].body
    assert sorted(m.to[0] for m in mailoutbox if m not in confirmation) == sorted(
        member.email for member in shop.members
    )

    assert watched["outside"] == []
    assert watched["errors"] == []
    assert too_wide == [], "pages scroll sideways on a 375 px phone"


# ---------------------------------------------------------------------------
# 3-D Secure and a declined card
# ---------------------------------------------------------------------------
def test_buyer_passes_three_d_secure_and_the_order_is_paid(
    page: Page, shop: Shop, localstripe, watched, mailoutbox, screenshots: Path
) -> None:
    fill_cart(page, shop, FRANCE)
    order = check_out(page, FRANCE, email="salma@example.com")
    enter_card(page, THREE_D_SECURE)
    pay_button(page, order).click()

    # The bank's check when the card is set up...
    complete = page.get_by_role("button", name="Complete authentication")
    expect(page.get_by_text("3D Secure")).to_be_visible()
    expect(complete).to_be_visible()
    take_screenshots(page, screenshots, "pay-3ds")
    complete.click()
    # ...and again when it is charged: the site says what is going on meanwhile.
    expect(page.locator("#pay-message")).to_have_text("Your bank asks you to confirm the payment…")
    expect(complete).to_be_visible()
    assert Payment.objects.get(order=order).status == PaymentStatus.REQUIRES_ACTION
    complete.click()

    expect_order_page_paid(page, order)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.SUCCEEDED
    [intent] = intents_of(localstripe, order)
    assert (intent["id"], intent["status"]) == (payment.payment_intent_id, "succeeded")
    assert PayoutEntry.objects.filter(shipment__order=order).count() == 2
    assert [m.subject for m in mailoutbox if m.to == ["salma@example.com"]] == [
        f"Your Souk order {order.number} is confirmed"
    ]
    assert watched["outside"] == []
    assert watched["errors"] == []


def test_declined_card_says_so_keeps_the_order_and_a_second_card_pays_it(
    page: Page, shop: Shop, localstripe, watched, mailoutbox, screenshots: Path
) -> None:
    fill_cart(page, shop, FRANCE)
    order = check_out(page, FRANCE, email="salma@example.com")
    held = stock_of(shop)
    enter_card(page, DECLINED)
    pay_button(page, order).click()

    message = page.locator("#pay-message")
    expect(message).to_have_text(
        "Your card was declined and nothing was charged. Try again, with another card if need be."
    )
    expect(message).to_have_role("alert")
    expect(message).to_have_class(re.compile(r"\bpay-form__message--error\b"))
    expect(pay_button(page, order)).to_be_enabled()
    expect(page).to_have_url(re.compile(rf"/en/orders/{order.number}/pay/$"))
    too_wide = take_screenshots(page, screenshots, "pay-declined")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert stock_of(shop) == held == (2, 2)
    assert set(order.shipments.values_list("status", flat=True)) == {
        ShipmentStatus.AWAITING_PAYMENT
    }
    declined = Payment.objects.get(order=order)
    assert declined.status == PaymentStatus.FAILED
    assert declined.failure_message.startswith("card_declined:")
    assert not PayoutEntry.objects.filter(shipment__order=order).exists()
    assert mailoutbox == []

    # Another card, on the same page, without reloading it.
    enter_card(page, VISA)
    pay_button(page, order).click()

    expect_order_page_paid(page, order)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert stock_of(shop) == held
    payments = Payment.objects.filter(order=order).order_by("attempt")
    assert [(p.attempt, p.status) for p in payments] == [
        (1, PaymentStatus.FAILED),
        (2, PaymentStatus.SUCCEEDED),
    ]
    # One PaymentIntent per attempt. (localstripe's decline does not name its PaymentIntent,
    # as Stripe's does, so the failed attempt's row may not hold its id: the metadata tells.)
    intents = {
        i["metadata"]["souk_attempt"]: (i["id"], i["status"])
        for i in intents_of(localstripe, order)
    }
    assert intents == {
        "1": (declined.payment_intent_id or intents["1"][0], "requires_payment_method"),
        "2": (payments[1].payment_intent_id, "succeeded"),
    }
    assert PayoutEntry.objects.filter(shipment__order=order).count() == 2
    assert len([m for m in mailoutbox if m.to == ["salma@example.com"]]) == 1
    assert watched["outside"] == []
    assert watched["errors"] == []
    assert too_wide == [], "the payment page scrolls sideways on a 375 px phone"


def test_buyer_who_fails_three_d_secure_is_told_and_can_pay_again(
    page: Page, shop: Shop, localstripe, watched, mailoutbox, screenshots: Path
) -> None:
    fill_cart(page, shop, FRANCE)
    order = check_out(page, FRANCE, email="salma@example.com")
    enter_card(page, THREE_D_SECURE)
    pay_button(page, order).click()
    page.get_by_role("button", name="Complete authentication").click()  # the card's setup
    page.get_by_role("button", name="Fail authentication").click()  # the payment

    message = page.locator("#pay-message")
    expect(message).to_have_text(
        "Your bank did not confirm the payment (3-D Secure) and nothing was charged. "
        "You can try again."
    )
    take_screenshots(page, screenshots, "pay-3ds-failed")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert Payment.objects.get(order=order).status == PaymentStatus.FAILED

    pay_button(page, order).click()
    page.get_by_role("button", name="Complete authentication").click()
    page.get_by_role("button", name="Complete authentication").click()

    expect_order_page_paid(page, order)
    payments = Payment.objects.filter(order=order).order_by("attempt")
    assert [p.status for p in payments] == [PaymentStatus.FAILED, PaymentStatus.SUCCEEDED]
    assert watched["outside"] == []
    assert watched["errors"] == []
