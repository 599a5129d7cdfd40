"""Paying an order by card, against a real localstripe: the page, its calls, the outcomes."""

from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Product
from marketplace.models import OrderStatus, ShipmentStatus
from marketplace.orders import order_key, order_path
from payments import charging
from payments.charging import settle_succeeded
from payments.models import Payment, PaymentStatus, PayoutEntry
from tests.factories import UserFactory
from tests.payments.conftest import confirmed_setup_intent, pay_url

pytestmark = pytest.mark.django_db

VISA = "4242424242424242"
DECLINED = "4000000000000341"  # pm_card_chargeCustomerFail: declined when charged
THREE_D_SECURE = "4000002760003184"


def reconcile() -> str:
    out, err = StringIO(), StringIO()
    call_command("reconcile_payments", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def confirm(client, order, setup_intent_id):
    return client.post(pay_url(order, "confirm"), {"setup_intent": setup_intent_id})


def intents(localstripe, order) -> list[dict]:
    """The order's PaymentIntents at the processor (its store lives for the whole module)."""
    every = localstripe.get("/v1/payment_intents", limit=100)["data"]
    return [intent for intent in every if intent["metadata"].get("souk_order") == order.number]


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------
def test_pay_page_shows_total_and_loads_card_form_from_processor(
    buyer_client, make_order, localstripe
):
    order = make_order(currency="EUR", mad_per_unit=Decimal("10.850000"))

    response = buyer_client.get(pay_url(order))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "425.81\xa0EUR" in html  # 4500 / 10.85 + 120 / 10.85, each rounded to the cent
    assert f'src="{localstripe.url}/js.stripe.com/v3/"' in html
    assert 'src="/static/js/pay.js"' in html
    assert "<script>" not in html  # no inline script: the CSP allows none
    assert 'data-setup-url="/en/orders/' in html
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response.headers["Content-Security-Policy"].split("; ")
    }
    for directive in ("script-src", "connect-src", "frame-src"):
        assert policy[directive] == ["'self'", localstripe.url]
    assert policy["default-src"] == ["'self'"]


def test_pay_page_of_a_paid_order_says_so_and_links_to_the_order(buyer_client, make_order):
    order = make_order(status=OrderStatus.PAID)

    response = buyer_client.get(pay_url(order))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "This order is paid already" in html
    assert f'href="{order_path(order)}"' in html
    assert 'id="pay-form"' not in html


def test_pay_page_is_not_found_for_anyone_but_the_buyer(client, make_order):
    order = make_order()

    client.force_login(UserFactory())
    assert client.get(pay_url(order)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(pay_url(order, "setup")).status_code == HTTPStatus.NOT_FOUND
    client.logout()
    assert client.get(pay_url(order)).status_code == HTTPStatus.NOT_FOUND
    assert client.get(pay_url(order) + "?key=forged").status_code == HTTPStatus.NOT_FOUND


def test_guest_with_signed_key_can_open_the_page_and_its_calls_keep_the_key(
    client, make_order, localstripe
):
    order = make_order(user=None)
    key = order_key(order)

    response = client.get(pay_url(order) + f"?key={key}")

    assert response.status_code == HTTPStatus.OK
    assert f'data-setup-url="{pay_url(order, "setup")}?key={key}"' in response.content.decode()
    setup = client.post(pay_url(order, "setup") + f"?key={key}")
    assert setup.status_code == HTTPStatus.OK
    setup_intent = localstripe.confirm_card_setup(setup.json()["client_secret"], VISA)
    paid = client.post(
        pay_url(order, "confirm") + f"?key={key}", {"setup_intent": setup_intent["id"]}
    )
    assert paid.json()["redirect"] == order_path(order, signed=True)  # the guest can open it


def test_pay_page_queries_do_not_grow_with_shipments(buyer_client, make_order, localstripe):
    small = make_order()
    large = make_order([(Decimal("100.00"), Decimal("50.00"))] * 30)
    buyer_client.get(pay_url(small))  # warm the session and caches

    with CaptureQueriesContext(connection) as one:
        buyer_client.get(pay_url(small))
    with CaptureQueriesContext(connection) as thirty:
        buyer_client.get(pay_url(large))

    assert len(one) == len(thirty)


# ---------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------
def test_card_payment_succeeds_marks_order_paid_and_records_the_ledger(
    buyer_client, make_order, localstripe, mailoutbox, django_capture_on_commit_callbacks
):
    order = make_order(
        [(Decimal("4500.00"), Decimal("120.00")), (Decimal("800.00"), Decimal("60.00"))]
    )
    setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, VISA)

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(buyer_client, order, setup_intent_id)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "succeeded", "message": "", "redirect": order_path(order)}
    payment = Payment.objects.get(order=order)
    assert (payment.attempt, payment.status) == (1, PaymentStatus.SUCCEEDED)
    assert payment.amount == Decimal("5480.00")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert set(order.shipments.values_list("status", flat=True)) == {ShipmentStatus.TO_SHIP}
    assert PayoutEntry.objects.filter(shipment__order=order).count() == 2
    assert mailoutbox  # part A's paid-order mails
    [intent] = intents(localstripe, order)
    assert intent["id"] == payment.payment_intent_id
    assert (intent["amount"], intent["currency"], intent["status"]) == (548000, "mad", "succeeded")
    assert intent["metadata"]["souk_setup_intent"] == setup_intent_id


def test_a_success_whose_ledger_step_fails_records_none_of_it_and_reconcile_completes_it(
    buyer_client, make_order, localstripe, mailoutbox, django_capture_on_commit_callbacks
):
    order = make_order(
        [(Decimal("4500.00"), Decimal("120.00")), (Decimal("800.00"), Decimal("60.00"))]
    )
    setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, VISA)

    def refuse(order):
        raise IntegrityError("the ledger refused the sale entry")

    # Souk's own ledger step fails (a constraint, a crash) after the card was charged.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charging, "record_sale_entries", refuse)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(IntegrityError):
            confirm(buyer_client, order, setup_intent_id)

    # None of the success is recorded: the attempt stays open, so reconcile looks at it.
    payment = Payment.objects.get(order=order)
    [intent] = intents(localstripe, order)
    assert (payment.status, payment.payment_intent_id) == (PaymentStatus.STARTED, intent["id"])
    assert intent["status"] == "succeeded"
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert set(order.shipments.values_list("status", flat=True)) == {
        ShipmentStatus.AWAITING_PAYMENT
    }
    assert not PayoutEntry.objects.exists()
    assert mailoutbox == []  # no "your order is confirmed" for an order not recorded as paid

    with django_capture_on_commit_callbacks(execute=True):
        assert "Payments: 1 succeeded, 0 failed, 0 still open" in reconcile()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert set(order.shipments.values_list("status", flat=True)) == {ShipmentStatus.TO_SHIP}
    assert PayoutEntry.objects.filter(shipment__order=order).count() == 2
    mails = len(mailoutbox)
    assert mails

    # A repeat (a late webhook, the buyer's return) changes nothing and mails nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        assert settle_succeeded(payment) is False
    assert PayoutEntry.objects.filter(shipment__order=order).count() == 2
    assert len(mailoutbox) == mails


def test_amount_charged_is_the_order_total_in_its_currency(buyer_client, make_order, localstripe):
    order = make_order(currency="USD", mad_per_unit=Decimal("9.950000"))
    setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, VISA)

    # Whatever the browser adds, the amount comes from the database.
    response = buyer_client.post(
        pay_url(order, "confirm"),
        {"setup_intent": setup_intent_id, "amount": "1", "currency": "MAD"},
    )

    assert response.json()["status"] == "succeeded"
    intent = localstripe.get(f"/v1/payment_intents/{order.payments.get().payment_intent_id}")
    assert (intent["amount"], intent["currency"]) == (46432, "usd")  # 452.26 + 12.06 USD
    assert order.total == Decimal("464.32")


def test_declined_card_fails_the_attempt_and_a_new_attempt_can_succeed(
    buyer_client, make_order, localstripe
):
    order = make_order()
    product = Product.objects.get(order_lines__shipment__order=order)
    declined = confirmed_setup_intent(buyer_client, order, localstripe, DECLINED)

    response = confirm(buyer_client, order, declined)

    assert response.status_code == HTTPStatus.PAYMENT_REQUIRED
    body = response.json()
    assert body["status"] == "failed"
    assert "Your card was declined and nothing was charged" in body["message"]
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.FAILED
    assert payment.failure_message.startswith("card_declined")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    product.refresh_from_db()
    assert product.stock == 3  # nothing given back, nothing taken: the reservation stands
    assert not PayoutEntry.objects.exists()

    retry = confirmed_setup_intent(buyer_client, order, localstripe, VISA)
    response = confirm(buyer_client, order, retry)

    assert response.json()["status"] == "succeeded"
    assert list(order.payments.order_by("attempt").values_list("attempt", "status")) == [
        (1, PaymentStatus.FAILED),
        (2, PaymentStatus.SUCCEEDED),
    ]


def test_three_d_secure_passed_completes_the_payment(buyer_client, make_order, localstripe):
    order = make_order()
    setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, THREE_D_SECURE)

    first = confirm(buyer_client, order, setup_intent_id)

    assert first.status_code == HTTPStatus.OK
    assert first.json()["status"] == "requires_action"
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.REQUIRES_ACTION
    assert first.json()["client_secret"].startswith(payment.payment_intent_id)

    localstripe.authenticate_payment(first.json()["client_secret"], success=True)
    back = confirm(buyer_client, order, setup_intent_id)

    assert back.json()["status"] == "succeeded"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert len(intents(localstripe, order)) == 1


def test_three_d_secure_failed_fails_the_attempt_and_keeps_the_order_open(
    buyer_client, make_order, localstripe
):
    order = make_order()
    setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, THREE_D_SECURE)
    first = confirm(buyer_client, order, setup_intent_id)

    localstripe.authenticate_payment(first.json()["client_secret"], success=False)
    back = confirm(buyer_client, order, setup_intent_id)

    assert back.status_code == HTTPStatus.PAYMENT_REQUIRED
    assert "did not confirm the payment (3-D Secure)" in back.json()["message"]
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.FAILED
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT

    retry = confirmed_setup_intent(buyer_client, order, localstripe, VISA)
    assert confirm(buyer_client, order, retry).json()["status"] == "succeeded"


def test_new_attempt_cancels_a_three_d_secure_check_left_open(
    buyer_client, make_order, localstripe
):
    order = make_order()
    abandoned = confirmed_setup_intent(buyer_client, order, localstripe, THREE_D_SECURE)
    client_secret = confirm(buyer_client, order, abandoned).json()["client_secret"]

    retry = confirmed_setup_intent(buyer_client, order, localstripe, VISA)
    assert confirm(buyer_client, order, retry).json()["status"] == "succeeded"

    first = order.payments.get(attempt=1)
    assert first.status == PaymentStatus.FAILED
    intent = localstripe.get(f"/v1/payment_intents/{first.payment_intent_id}")
    assert intent["status"] == "canceled"  # it can no longer be completed: no second charge
    assert client_secret.startswith(first.payment_intent_id)


def test_double_submit_of_one_attempt_creates_one_payment_intent(
    buyer_client, make_order, localstripe
):
    order = make_order()
    setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, VISA)

    answers = [confirm(buyer_client, order, setup_intent_id) for _ in range(3)]

    assert [answer.json()["status"] for answer in answers] == ["succeeded"] * 3
    assert Payment.objects.filter(order=order).count() == 1
    assert len(intents(localstripe, order)) == 1


def test_submit_while_the_attempt_is_with_the_processor_does_not_call_it_again(
    buyer_client, make_order, localstripe
):
    order = make_order()
    setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, VISA)
    # The first click's request wrote its row and is waiting for the processor's answer.
    Payment.objects.create(
        order=order, attempt=1, amount=order.total, currency="MAD", setup_intent_id=setup_intent_id
    )

    response = confirm(buyer_client, order, setup_intent_id)

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["status"] == "started"
    assert intents(localstripe, order) == []
    # A new card entry must wait for it too, rather than risk a second charge.
    refused = buyer_client.post(pay_url(order, "setup"))
    assert refused.status_code == HTTPStatus.CONFLICT
    assert refused.json()["code"] == "payment_in_progress"
    assert "Your payment is being processed" in refused.json()["message"]
    assert intents(localstripe, order) == []


def test_setup_intent_of_another_order_is_refused(buyer_client, make_order, localstripe):
    order, other = make_order(), make_order()
    setup_intent_id = confirmed_setup_intent(buyer_client, other, localstripe, VISA)

    response = confirm(buyer_client, order, setup_intent_id)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Your card details were not confirmed" in response.json()["message"]
    assert not Payment.objects.exists()
    assert intents(localstripe, order) == []


def test_paid_order_refuses_a_new_setup(buyer_client, make_order, localstripe):
    order = make_order(status=OrderStatus.PAID)

    response = buyer_client.post(pay_url(order, "setup"))

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["redirect"] == order_path(order)


def test_expired_reservation_releases_the_order_instead_of_charging(
    buyer_client, make_order, localstripe
):
    order = make_order(stock=2)
    setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, VISA)
    order.reserved_until = timezone.now() - timedelta(minutes=1)
    order.save(update_fields=["reserved_until"])

    response = confirm(buyer_client, order, setup_intent_id)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "went back on sale" in response.json()["message"]
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert Product.objects.get(order_lines__shipment__order=order).stock == 3  # given back
    assert intents(localstripe, order) == []


# ---------------------------------------------------------------------------
# The processor out of reach
# ---------------------------------------------------------------------------
def test_closed_processor_port_gives_a_clear_message_and_stores_nothing(
    buyer_client, make_order, localstripe, settings
):
    order = make_order()
    settings.SOUK_STRIPE_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens

    response = buyer_client.post(pay_url(order, "setup"))

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["message"] == (
        "We could not reach the card processor. Nothing was charged twice; try again in a minute."
    )
    assert not Payment.objects.exists()


def test_lost_answer_leaves_the_payment_unknown_until_reconcile_finds_it_paid(
    buyer_client, make_order, localstripe, flaky_processor
):
    order = make_order()
    setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, VISA)
    flaky_processor(forward=True)  # the charge happens; its answer never comes back

    response = confirm(buyer_client, order, setup_intent_id)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["status"] == "unknown"
    assert "Nothing was charged twice" in response.json()["message"]
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.payment_intent_id) == (PaymentStatus.UNKNOWN, None)

    # Pressing Pay again soon after asks about the same attempt: no second charge.
    again = confirm(buyer_client, order, setup_intent_id)
    assert again.json()["status"] == "unknown"
    assert len(intents(localstripe, order)) == 1

    Payment.objects.filter(pk=payment.pk).update(updated_at=timezone.now() - timedelta(minutes=2))
    assert "Payments: 1 succeeded, 0 failed, 0 still open" in reconcile()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.payment_intent_id == intents(localstripe, order)[0]["id"]
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_create_that_never_reached_the_processor_is_failed_by_reconcile(
    buyer_client, make_order, localstripe, flaky_processor, settings
):
    order = make_order()
    setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, VISA)
    processor = flaky_processor(forward=False)

    response = confirm(buyer_client, order, setup_intent_id)

    assert response.json()["status"] == "unknown"
    assert processor.lost == 1
    # Within the minute, reconcile leaves it open: the request may still be on its way.
    reconcile()
    assert Payment.objects.get(order=order).status == PaymentStatus.UNKNOWN

    settings.SOUK_STRIPE_API_BASE = localstripe.url
    Payment.objects.filter(order=order).update(updated_at=timezone.now() - timedelta(minutes=2))
    reconcile()

    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.FAILED
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert intents(localstripe, order) == []
    # The buyer can now pay with a new attempt.
    retry = confirmed_setup_intent(buyer_client, order, localstripe, VISA)
    assert confirm(buyer_client, order, retry).json()["status"] == "succeeded"


def test_reconcile_settles_a_three_d_secure_payment_completed_while_the_site_was_away(
    buyer_client, make_order, localstripe
):
    order = make_order()
    setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, THREE_D_SECURE)
    client_secret = confirm(buyer_client, order, setup_intent_id).json()["client_secret"]
    localstripe.authenticate_payment(client_secret, success=True)  # the buyer never came back

    reconcile()

    assert Payment.objects.get(order=order).status == PaymentStatus.SUCCEEDED
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_pay_page_of_an_order_past_its_reservation_says_so_without_changing_it(
    buyer_client, make_order
):
    order = make_order(reserved_until=timezone.now() - timedelta(minutes=1))

    html = buyer_client.get(pay_url(order)).content.decode()

    assert "waited too long for its payment" in html
    assert 'id="pay-form"' not in html
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT  # release_reservations does that


@pytest.mark.parametrize("setup_intent_id", ["", "pi_123", "seti_" + "x" * 100])
def test_malformed_setup_intent_is_refused_without_calling_the_processor(
    buyer_client, make_order, settings, setup_intent_id
):
    order = make_order()
    settings.SOUK_STRIPE_API_BASE = "http://127.0.0.1:9"  # a call would answer 503

    response = confirm(buyer_client, order, setup_intent_id)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "card_not_confirmed"
    assert not Payment.objects.exists()
