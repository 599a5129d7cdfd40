"""The processor's webhooks: signed events from a real localstripe, stored once, applied once."""

import json
import time
from http import HTTPStatus

import pytest
from django.db import close_old_connections

from marketplace.models import OrderStatus
from payments.models import Payment, PaymentStatus, PayoutEntry, WebhookEvent
from tests.payments.conftest import confirmed_setup_intent, pay_url, sign

pytestmark = pytest.mark.django_db

WEBHOOK = "/payments/webhook/"
VISA = "4242424242424242"
DECLINED = "4000000000000341"
THREE_D_SECURE = "4000002760003184"


def event_of(localstripe, event_type: str, payment_intent_id: str) -> bytes:
    """The event localstripe recorded for the PaymentIntent, as the bytes it would post."""
    events = localstripe.get("/v1/events", type=event_type)["data"]
    [event] = [e for e in events if e["data"]["object"]["id"] == payment_intent_id]
    return json.dumps(event).encode()


def post_event(client, payload: bytes, secret: str):
    return client.post(
        WEBHOOK,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret),
    )


def start_three_d_secure(client, order, localstripe) -> tuple[str, str]:
    """Pay with a 3-D Secure card up to the bank's check; return (SetupIntent, client secret)."""
    setup_intent_id = confirmed_setup_intent(client, order, localstripe, THREE_D_SECURE)
    answer = client.post(pay_url(order, "confirm"), {"setup_intent": setup_intent_id}).json()
    assert answer["status"] == "requires_action"
    return setup_intent_id, answer["client_secret"]


def test_wrong_signature_is_refused_and_nothing_stored(client, settings):
    payload = json.dumps({"id": "evt_forged", "type": "payment_intent.succeeded"}).encode()

    wrong = client.post(
        WEBHOOK,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, "whsec_someone_else"),
    )
    unsigned = client.post(WEBHOOK, payload, content_type="application/json")
    stale = client.post(
        WEBHOOK,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(
            payload, settings.STRIPE_WEBHOOK_SECRET, at=int(time.time()) - 600
        ),
    )

    assert wrong.status_code == unsigned.status_code == stale.status_code == HTTPStatus.BAD_REQUEST
    assert not WebhookEvent.objects.exists()


def test_webhook_needs_no_csrf_token_but_only_accepts_post(settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    payload = json.dumps({"id": "evt_other_1", "type": "customer.created"}).encode()

    response = post_event(client, payload, settings.STRIPE_WEBHOOK_SECRET)

    assert response.status_code == HTTPStatus.OK
    assert WebhookEvent.objects.get().type == "customer.created"
    assert client.get(WEBHOOK).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_succeeded_event_replayed_ten_times_makes_one_transition(
    buyer_client,
    client,
    make_order,
    localstripe,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    order = make_order()
    _, client_secret = start_three_d_secure(buyer_client, order, localstripe)
    localstripe.authenticate_payment(client_secret, success=True)
    payment = Payment.objects.get(order=order)
    payload = event_of(localstripe, "payment_intent.succeeded", payment.payment_intent_id)

    with django_capture_on_commit_callbacks(execute=True):
        answers = [post_event(client, payload, settings.STRIPE_WEBHOOK_SECRET) for _ in range(10)]

    assert {answer.status_code for answer in answers} == {HTTPStatus.OK}
    assert WebhookEvent.objects.count() == 1
    assert WebhookEvent.objects.get().processed_at is not None
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert PayoutEntry.objects.filter(shipment__order=order).count() == 1
    mails = len(mailoutbox)
    assert mails >= 1

    # The buyer's own return afterwards finds it paid, and changes nothing either.
    with django_capture_on_commit_callbacks(execute=True):
        back = buyer_client.post(
            pay_url(order, "confirm"), {"setup_intent": payment.setup_intent_id}
        )
    assert back.json()["status"] == "succeeded"
    assert len(mailoutbox) == mails
    assert PayoutEntry.objects.filter(shipment__order=order).count() == 1


def test_event_after_the_buyers_return_changes_nothing(
    buyer_client, client, make_order, localstripe, settings
):
    order = make_order()
    setup_intent_id, client_secret = start_three_d_secure(buyer_client, order, localstripe)
    localstripe.authenticate_payment(client_secret, success=True)
    back = buyer_client.post(pay_url(order, "confirm"), {"setup_intent": setup_intent_id})
    assert back.json()["status"] == "succeeded"
    payment = Payment.objects.get(order=order)
    before = (payment.status, payment.updated_at)

    payload = event_of(localstripe, "payment_intent.succeeded", payment.payment_intent_id)
    assert post_event(client, payload, settings.STRIPE_WEBHOOK_SECRET).status_code == 200

    payment.refresh_from_db()
    assert (payment.status, payment.updated_at) == before
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert PayoutEntry.objects.filter(shipment__order=order).count() == 1


def test_failed_event_fails_an_open_payment_but_never_a_succeeded_one(
    buyer_client, client, make_order, localstripe, settings
):
    order = make_order()
    setup_intent_id = confirmed_setup_intent(buyer_client, order, localstripe, DECLINED)
    # The attempt's answer was lost: the row does not know its PaymentIntent yet.
    payment = Payment.objects.create(
        order=order,
        attempt=1,
        amount=order.total,
        currency=order.currency,
        setup_intent_id=setup_intent_id,
        status=PaymentStatus.UNKNOWN,
    )
    intent = _declined_intent(localstripe, order, setup_intent_id)
    payload = event_of(localstripe, "payment_intent.payment_failed", intent)

    for _ in range(3):
        assert post_event(client, payload, settings.STRIPE_WEBHOOK_SECRET).status_code == 200

    payment.refresh_from_db()
    assert (payment.status, payment.payment_intent_id) == (PaymentStatus.FAILED, intent)
    assert payment.failure_message.startswith("card_declined")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT

    # A late failure event of a payment that succeeded since changes nothing.
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.SUCCEEDED)
    WebhookEvent.objects.all().delete()
    assert post_event(client, payload, settings.STRIPE_WEBHOOK_SECRET).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


def _declined_intent(localstripe, order, setup_intent_id) -> str:
    """Create, at the processor, the declined PaymentIntent the lost answer was about."""
    from payments import gateway

    setup = gateway.retrieve_setup_intent(setup_intent_id)
    with pytest.raises(gateway.CardDeclined):
        gateway.create_payment_intent(
            amount=order.total,
            currency=order.currency,
            payment_method=setup.payment_method,
            metadata={"souk_setup_intent": setup_intent_id, "souk_order": order.number},
            idempotency_key=f"test-{setup_intent_id}",
        )
    every = localstripe.get("/v1/payment_intents", limit=100)["data"]
    [intent] = [i for i in every if i["metadata"].get("souk_setup_intent") == setup_intent_id]
    return intent["id"]


def test_unknown_payment_intent_is_stored_and_ignored(client, settings):
    payload = json.dumps(
        {
            "id": "evt_stranger",
            "type": "payment_intent.succeeded",
            "data": {
                "object": {
                    "id": "pi_not_ours",
                    "object": "payment_intent",
                    "status": "succeeded",
                    "amount": 100,
                    "currency": "mad",
                    "metadata": {},
                }
            },
        }
    ).encode()

    assert post_event(client, payload, settings.STRIPE_WEBHOOK_SECRET).status_code == 200

    assert WebhookEvent.objects.get().processed_at is not None
    assert not Payment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_localstripe_delivers_the_event_to_the_live_site(
    live_server, make_order, localstripe, settings
):
    """End to end: localstripe posts its signed event to the running site about 1 s later."""
    from django.test import Client

    order = make_order()
    buyer = Client()
    buyer.force_login(order.user)
    localstripe.register_webhook(
        f"{live_server.url}{WEBHOOK}", secret=settings.STRIPE_WEBHOOK_SECRET, name="souk-e2e"
    )
    try:
        _, client_secret = start_three_d_secure(buyer, order, localstripe)
        # The buyer passes 3-D Secure and closes the tab: only the webhook tells the site.
        localstripe.authenticate_payment(client_secret, success=True)
        processed = WebhookEvent.objects.filter(
            type="payment_intent.succeeded",
            payload__data__object__id=Payment.objects.get(order=order).payment_intent_id,
            processed_at__isnull=False,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not processed.exists():
            close_old_connections()
            time.sleep(0.2)
    finally:
        localstripe.register_webhook(
            f"{live_server.url}{WEBHOOK}", secret="whsec_off", name="souk-e2e", events=["none"]
        )

    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.SUCCEEDED
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    # (Events of earlier tests' payments may arrive too: they are stored and ignored.)
    event = WebhookEvent.objects.get(
        type="payment_intent.succeeded", payload__data__object__id=payment.payment_intent_id
    )
    assert event.processed_at is not None
