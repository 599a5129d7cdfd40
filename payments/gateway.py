"""The card processor adapter: the only module that imports `stripe`.

Stripe itself, or localstripe in development, tests and CI (SOUK_STRIPE_API_BASE). Callers get
plain dataclasses and Souk's own exceptions, never SDK objects. Amounts go out in the currency's
minor units, computed here from the Decimal amounts the database holds.
"""

import json
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import stripe
from django.conf import settings

logger = logging.getLogger(__name__)

# Digits after the decimal point of each currency Souk sells in (all three have cents).
MINOR_UNIT_DIGITS = {"MAD": 2, "EUR": 2, "USD": 2}
# How far back find_payment_intent looks: the processor lists its newest intents first.
SEARCH_LIMIT = 300


class ProcessorError(Exception):
    """The processor refused the request: it did nothing (bad request, key, rate limit)."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class CardDeclined(ProcessorError):
    """The card was declined; a PaymentIntent may exist, in a failed state."""

    def __init__(self, message: str, *, code: str = "", payment_intent_id: str = "") -> None:
        super().__init__(message, code=code)
        self.payment_intent_id = payment_intent_id


class ProcessorUnavailable(ProcessorError):
    """No answer, or a server error: the request may or may not have been carried out."""


class InvalidWebhook(Exception):
    """A webhook whose signature, age or body is not right: it did not come from the processor."""


class UnusableEvent(Exception):
    """A signed event whose object Souk cannot read: another currency, no amount, no object."""


@dataclass(frozen=True)
class SetupIntentState:
    id: str
    status: str
    client_secret: str
    payment_method: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentIntentState:
    id: str
    status: str
    client_secret: str
    amount: Decimal
    currency: str
    metadata: dict[str, str] = field(default_factory=dict)
    error_code: str = ""
    error_message: str = ""


@dataclass(frozen=True)
class RefundState:
    id: str
    status: str
    amount: Decimal
    currency: str
    metadata: dict[str, str] = field(default_factory=dict)


def to_minor_units(amount: Decimal, currency: str) -> int:
    """Return amount (Decimal, in currency) as the integer the processor counts in."""
    digits = MINOR_UNIT_DIGITS[currency.upper()]
    return int((amount * 10**digits).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_minor_units(amount: int, currency: str) -> Decimal:
    """Return the processor's integer amount as a Decimal in currency."""
    digits = MINOR_UNIT_DIGITS[currency.upper()]
    return (Decimal(amount) / 10**digits).quantize(Decimal(1).scaleb(-digits))


# ---------------------------------------------------------------------------
# The client
# ---------------------------------------------------------------------------
def client() -> stripe.StripeClient:
    """Return the SDK client for the current settings (read when used: tests change them)."""
    return _client(
        settings.STRIPE_SECRET_KEY, settings.SOUK_STRIPE_API_BASE, settings.SOUK_STRIPE_TIMEOUT
    )


@cache
def _client(secret_key: str, api_base: str, timeout: float) -> stripe.StripeClient:
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": api_base} if api_base else None,
        # No silent retries: localstripe ignores Idempotency-Key, so a retried create would be
        # a second PaymentIntent. Souk's own Payment rows decide when to try again.
        max_network_retries=0,
        # A hanging processor must not hang the buyer's request.
        http_client=stripe.new_default_http_client(timeout=timeout),
    )


def _call(request, *args, **kwargs):
    """Run one SDK call, turning its errors into Souk's."""
    try:
        return request(*args, **kwargs)
    except stripe.CardError as error:
        details = error.error
        raise CardDeclined(
            (details.message if details else "") or str(error),
            code=error.code or "card_declined",
            payment_intent_id=_id_of(getattr(details, "payment_intent", None)),
        ) from error
    except (stripe.APIConnectionError, stripe.APIError) as error:
        # A timeout, a refused connection, a 5xx: Stripe may have carried the request out.
        logger.warning("Card processor unavailable: %s", error)
        raise ProcessorUnavailable(str(error)) from error
    except stripe.StripeError as error:
        logger.error("Card processor refused a request: %s", error)
        raise ProcessorError(error.user_message or str(error), code=error.code or "") from error


def _id_of(value) -> str:
    """Return the id of an expandable field: an id string on Stripe, an object on localstripe."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    return value.get("id", "") if isinstance(value, dict) else getattr(value, "id", "")


def _plain(obj) -> dict:
    """Return the SDK object as plain data (SDK 16 objects are not dicts)."""
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


# ---------------------------------------------------------------------------
# SetupIntents: the browser confirms the card on one, without any amount
# ---------------------------------------------------------------------------
def create_setup_intent(*, order_number: str) -> SetupIntentState:
    """Open a SetupIntent for the browser to confirm a card on, for one order."""
    intent = _call(
        client().v1.setup_intents.create,
        params={"usage": "on_session", "metadata": {"souk_order": order_number}},
    )
    return _setup_intent_state(intent)


def retrieve_setup_intent(setup_intent_id: str) -> SetupIntentState:
    """Return the SetupIntent's current state."""
    return _setup_intent_state(_call(client().v1.setup_intents.retrieve, setup_intent_id))


def _setup_intent_state(intent) -> SetupIntentState:
    data = _plain(intent)
    return SetupIntentState(
        id=data["id"],
        status=data["status"],
        client_secret=data.get("client_secret") or "",
        payment_method=_id_of(data.get("payment_method")),
        metadata=data.get("metadata") or {},
    )


# ---------------------------------------------------------------------------
# PaymentIntents: the server charges the confirmed card, for the amount the database holds
# ---------------------------------------------------------------------------
def create_payment_intent(
    *,
    amount: Decimal,
    currency: str,
    payment_method: str,
    metadata: dict[str, str],
    idempotency_key: str,
) -> PaymentIntentState:
    """Create and confirm a PaymentIntent charging payment_method amount (in currency)."""
    intent = _call(
        client().v1.payment_intents.create,
        params={
            "amount": to_minor_units(amount, currency),
            "currency": currency.lower(),
            "payment_method": payment_method,
            "payment_method_types": ["card"],
            "confirm": True,
            "metadata": metadata,
        },
        # Stripe answers a repeated key with the first PaymentIntent; localstripe ignores it,
        # which is why the caller's Payment row, written first, is what prevents a second one.
        options={"idempotency_key": idempotency_key},
    )
    return _payment_intent_state(intent)


def retrieve_payment_intent(payment_intent_id: str) -> PaymentIntentState:
    """Return the PaymentIntent's current state."""
    return _payment_intent_state(_call(client().v1.payment_intents.retrieve, payment_intent_id))


def cancel_payment_intent(payment_intent_id: str) -> PaymentIntentState:
    """Cancel a PaymentIntent that has not succeeded; return its state either way."""
    try:
        intent = _call(client().v1.payment_intents.cancel, payment_intent_id)
    except ProcessorError as error:
        if isinstance(error, ProcessorUnavailable):
            raise
        # Not cancellable any more (succeeded, canceled): say what it is.
        return retrieve_payment_intent(payment_intent_id)
    return _payment_intent_state(intent)


def find_payment_intent(*, metadata_key: str, value: str) -> PaymentIntentState | None:
    """Return the recent PaymentIntent whose metadata[metadata_key] is value, if any.

    For a create whose answer never came back: the PaymentIntent may exist without Souk knowing
    its id. Listing works on Stripe and localstripe alike (localstripe has no search).
    """
    listing = _call(client().v1.payment_intents.list, params={"limit": 100})
    for seen, intent in enumerate(listing.auto_paging_iter()):
        if seen >= SEARCH_LIMIT:
            break
        state = _payment_intent_state(intent)
        if state.metadata.get(metadata_key) == value:
            return state
    return None


def payment_intent_from_event(event: dict) -> PaymentIntentState:
    """Return the PaymentIntent a verified payment_intent.* event carries.

    Raises UnusableEvent when it carries none Souk could have made: the account's other
    PaymentIntents (a currency Souk does not sell) come to the same endpoint.
    """
    data = event.get("data")
    intent = data.get("object") if isinstance(data, dict) else None
    if not isinstance(intent, dict):
        raise UnusableEvent("The event carries no object.")
    currency, amount = intent.get("currency"), intent.get("amount")
    if not isinstance(currency, str) or currency.upper() not in MINOR_UNIT_DIGITS:
        raise UnusableEvent(f"Souk does not sell in {currency!r}.")
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise UnusableEvent(f"The amount {amount!r} is not a number of minor units.")
    if not isinstance(intent.get("id"), str) or not isinstance(intent.get("status"), str):
        raise UnusableEvent("The PaymentIntent has no id or status.")
    if not isinstance(intent.get("metadata") or {}, dict):
        raise UnusableEvent("The PaymentIntent's metadata is not an object.")
    return _payment_intent_state(intent)


def _payment_intent_state(intent) -> PaymentIntentState:
    data = _plain(intent)
    error = data.get("last_payment_error") or {}
    return PaymentIntentState(
        id=data["id"],
        status=data["status"],
        client_secret=data.get("client_secret") or "",
        amount=from_minor_units(data["amount"], data["currency"]),
        currency=data["currency"].upper(),
        metadata=data.get("metadata") or {},
        error_code=error.get("code") or "",
        error_message=error.get("message") or "",
    )


# ---------------------------------------------------------------------------
# Refunds
# ---------------------------------------------------------------------------
def create_refund(
    *,
    payment_intent_id: str,
    amount: Decimal,
    currency: str,
    metadata: dict[str, str],
    idempotency_key: str,
) -> RefundState:
    """Give amount (in currency) back on a succeeded PaymentIntent."""
    refund = _call(
        client().v1.refunds.create,
        params={
            "payment_intent": payment_intent_id,
            "amount": to_minor_units(amount, currency),
            "metadata": metadata,
        },
        options={"idempotency_key": idempotency_key},
    )
    return _refund_state(refund)


def find_refund(*, payment_intent_id: str, metadata_key: str, value: str) -> RefundState | None:
    """Return the refund of the PaymentIntent whose metadata[metadata_key] is value, if any."""
    listing = _call(
        client().v1.refunds.list, params={"payment_intent": payment_intent_id, "limit": 100}
    )
    for refund in listing.auto_paging_iter():
        state = _refund_state(refund)
        if state.metadata.get(metadata_key) == value:
            return state
    return None


def _refund_state(refund) -> RefundState:
    data = _plain(refund)
    return RefundState(
        id=data["id"],
        status=data.get("status") or "",
        amount=from_minor_units(data["amount"], data["currency"]),
        currency=data["currency"].upper(),
        metadata=data.get("metadata") or {},
    )


# ---------------------------------------------------------------------------
# Webhooks
# ---------------------------------------------------------------------------
def verify_webhook(payload: bytes, signature: str) -> dict:
    """Return the event the processor signed, as plain JSON data, or raise InvalidWebhook."""
    try:
        stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise InvalidWebhook(str(error)) from error
    event = json.loads(payload)
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise InvalidWebhook("An event needs an id and a type.")
    return event
