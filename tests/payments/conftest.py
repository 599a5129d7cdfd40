import hashlib
import hmac
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.urls import reverse

from marketplace.pricing import convert
from tests.factories import (
    CooperativeFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _rates(default_rates):
    """Every test here may price an order: the rates migration 0003 installs are there even
    after a transactional test of this worker flushed them (the suite runs files in turn)."""


@pytest.fixture
def buyer(db):
    return UserFactory()


@pytest.fixture
def buyer_client(client, buyer):
    client.force_login(buyer)
    return client


@pytest.fixture
def make_order(buyer):
    """Build an order awaiting payment whose amounts add up as the checkout adds them.

    shipments: one (goods in MAD, shipping in MAD) pair per cooperative's parcel.
    """

    def make(
        shipments=((Decimal("4500.00"), Decimal("120.00")),),
        *,
        currency="MAD",
        mad_per_unit=Decimal("1"),
        user=buyer,
        stock=3,
        **fields,
    ):
        lines = []
        for goods_mad, shipping_mad in shipments:
            lines.append((goods_mad, convert(goods_mad, mad_per_unit), shipping_mad))
        subtotal_mad = sum(goods for goods, _, _ in lines)
        shipping_mad = sum(shipping for _, _, shipping in lines)
        total = sum(goods + convert(shipping, mad_per_unit) for _, goods, shipping in lines)
        order = OrderFactory(
            user=user,
            currency=currency,
            mad_per_unit=mad_per_unit,
            subtotal_mad=subtotal_mad,
            shipping_mad=shipping_mad,
            total_mad=subtotal_mad + shipping_mad,
            total=total,
            **fields,
        )
        for goods_mad, goods, shipping_mad in lines:
            shipment = ShipmentFactory(
                order=order,
                cooperative=CooperativeFactory(),
                subtotal_mad=goods_mad,
                shipping_mad=shipping_mad,
            )
            OrderLineFactory(
                shipment=shipment,
                product__stock=stock,
                unit_price_mad=goods_mad,
                unit_price=goods,
                currency=currency,
            )
        return order

    return make


def pay_url(order, name="pay") -> str:
    return reverse(f"payments:{name}", args=[order.number])


def confirmed_setup_intent(client, order, localstripe, card="4242424242424242", **kw) -> str:
    """Open a SetupIntent through the site and confirm a card on it as Stripe.js would."""
    response = client.post(pay_url(order, "setup"))
    assert response.status_code == 200, response.content
    setup = localstripe.confirm_card_setup(response.json()["client_secret"], card, **kw)
    return setup["id"]


def processor_refunds(localstripe, order) -> list[dict]:
    """The refunds the processor made on the order's (one) PaymentIntent."""
    intent = order.payments.get().payment_intent_id
    return localstripe.get("/v1/refunds", payment_intent=intent)["data"]


def sign(payload: bytes, secret: str, *, at: int | None = None) -> str:
    """The Stripe-Signature header Stripe (and localstripe) would send for payload."""
    timestamp = int(time.time()) if at is None else at
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class FlakyProcessor:
    """Stands between the site and localstripe, and loses PaymentIntent creates.

    forward=True: the create reaches localstripe (the card is charged) but its answer is lost.
    forward=False: the create never reaches it. Every other call goes through unchanged.
    """

    def __init__(self, upstream: str, *, forward: bool) -> None:
        self.upstream = upstream
        self.forward = forward
        self.lost = 0
        processor = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in {"host", "connection"}
                }
                creating = self.command == "POST" and self.path == "/v1/payment_intents"
                if creating and not processor.forward:
                    processor.lost += 1
                    self.close_connection = True
                    return
                answer = requests.request(
                    self.command,
                    processor.upstream + self.path,
                    data=body,
                    headers=headers,
                    timeout=5,
                )
                if creating:
                    processor.lost += 1
                    self.close_connection = True  # the answer never comes back
                    return
                self.send_response(answer.status_code)
                for name in ("Content-Type",):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_DELETE = _relay

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def flaky_processor(localstripe, settings) -> Iterator:
    """Make a FlakyProcessor (forward=...) and point the site at it."""
    started = []

    def make(*, forward: bool) -> FlakyProcessor:
        processor = FlakyProcessor(localstripe.url, forward=forward)
        threading.Thread(target=processor.server.serve_forever, daemon=True).start()
        started.append(processor)
        settings.SOUK_STRIPE_API_BASE = processor.url
        return processor

    yield make
    for processor in started:
        processor.server.shutdown()
        processor.server.server_close()
