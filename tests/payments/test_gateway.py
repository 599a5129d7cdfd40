"""The processor adapter: amounts, client settings, errors, against a real localstripe."""

import socket
import time
from decimal import Decimal

import pytest
from django.conf import settings as django_settings

from payments import gateway
from payments.stripe_js import stripe_js_sources


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        (Decimal("4620.00"), "MAD", 462000),
        (Decimal("425.81"), "EUR", 42581),
        (Decimal("0.01"), "usd", 1),
        (Decimal("19.995"), "MAD", 2000),  # never sent (amounts are cents), but rounded half up
    ],
)
def test_amounts_go_out_in_minor_units(amount, currency, minor):
    assert gateway.to_minor_units(amount, currency) == minor
    assert gateway.from_minor_units(minor, currency) == amount.quantize(Decimal("0.01"))


def test_client_follows_settings_without_retries_and_with_a_short_timeout(settings):
    settings.SOUK_STRIPE_API_BASE = "http://127.0.0.1:8420"
    settings.SOUK_STRIPE_TIMEOUT = 5

    client = gateway.client()

    options = client._requestor._options
    assert options.base_addresses["api"] == "http://127.0.0.1:8420"
    assert options.api_key == settings.STRIPE_SECRET_KEY
    assert options.max_network_retries == 0
    assert client._requestor._get_http_client()._timeout == 5


def test_default_settings_talk_to_stripe_with_local_test_keys():
    assert django_settings.STRIPE_SECRET_KEY.startswith("sk_test_")
    assert django_settings.STRIPE_PUBLISHABLE_KEY.startswith("pk_test_")
    assert django_settings.STRIPE_WEBHOOK_SECRET.startswith("whsec_")


def test_content_security_policy_allows_only_the_stripe_js_origin():
    assert stripe_js_sources("http://127.0.0.1:8420/js.stripe.com/v3/") == {
        "script-src": ["http://127.0.0.1:8420"],
        "connect-src": ["http://127.0.0.1:8420"],
        "frame-src": ["http://127.0.0.1:8420"],
    }
    real = stripe_js_sources("https://js.stripe.com/v3/")
    assert real["script-src"] == ["https://js.stripe.com"]
    assert real["connect-src"] == ["https://api.stripe.com"]
    policy = django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    origin = stripe_js_sources(django_settings.SOUK_STRIPE_JS_URL)["script-src"][0]
    assert policy["script-src"] == ["'self'", origin]
    assert policy["default-src"] == ["'self'"]


def test_setup_and_payment_intents_round_trip(localstripe):
    setup = gateway.create_setup_intent(order_number="SK-GATEWAY1")
    localstripe.confirm_card_setup(setup.client_secret, "4242424242424242")
    confirmed = gateway.retrieve_setup_intent(setup.id)

    intent = gateway.create_payment_intent(
        amount=Decimal("123.45"),
        currency="EUR",
        payment_method=confirmed.payment_method,
        metadata={"souk_order": "SK-GATEWAY1"},
        idempotency_key="test-round-trip",
    )

    assert (confirmed.status, confirmed.metadata) == ("succeeded", {"souk_order": "SK-GATEWAY1"})
    assert (intent.status, intent.amount, intent.currency) == (
        "succeeded",
        Decimal("123.45"),
        "EUR",
    )
    assert gateway.retrieve_payment_intent(intent.id) == intent
    refund = gateway.create_refund(
        payment_intent_id=intent.id,
        amount=Decimal("23.45"),
        currency="EUR",
        metadata={"souk_refund": "r1"},
        idempotency_key="test-refund",
    )
    assert (refund.amount, refund.status) == (Decimal("23.45"), "succeeded")
    assert (
        gateway.find_refund(payment_intent_id=intent.id, metadata_key="souk_refund", value="r1")
        == refund
    )


def test_declined_card_raises_card_declined(localstripe):
    with pytest.raises(gateway.CardDeclined) as declined:
        gateway.create_payment_intent(
            amount=Decimal("10.00"),
            currency="MAD",
            payment_method="pm_card_chargeCustomerFail",
            metadata={},
            idempotency_key="test-declined",
        )

    assert declined.value.code == "card_declined"


def test_closed_port_raises_processor_unavailable(settings):
    settings.SOUK_STRIPE_API_BASE = "http://127.0.0.1:9"

    with pytest.raises(gateway.ProcessorUnavailable):
        gateway.retrieve_payment_intent("pi_nowhere")


def test_hanging_processor_times_out_quickly(settings):
    # A socket that accepts connections (the kernel does) and never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.SOUK_STRIPE_API_BASE = f"http://127.0.0.1:{silent.getsockname()[1]}"
        settings.SOUK_STRIPE_TIMEOUT = 0.5
        started = time.monotonic()

        with pytest.raises(gateway.ProcessorUnavailable):
            gateway.retrieve_payment_intent("pi_silent")

    assert time.monotonic() - started < 3


def test_unknown_object_raises_processor_error(localstripe):
    with pytest.raises(gateway.ProcessorError) as error:
        gateway.retrieve_payment_intent("pi_doesnotexist")

    assert not isinstance(error.value, gateway.ProcessorUnavailable)
